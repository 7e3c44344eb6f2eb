/**
 * The action panel: one button per command in `availableCommands` (never more: what the server
 * does not offer is not shown), each opening its form generated from the API's schema, sent with
 * `expectedVersion` and an Idempotency-Key. A 409 says what changed and reloads; 403 explains why.
 * Serves every aggregate with a command endpoint: cases, reviews, rectifications (以案促改).
 */
import { Alert, Button, Form, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import type { z } from 'zod';
import { caseCommandSchemas } from '../../../machines/case/events';
import { rectificationCommandSchemas } from '../../../machines/rectification/machine';
import { reviewCommandSchemas } from '../../../machines/review/events';
import { needsMeeting } from '../../../machines/shared/approval';
import type { PendingApproval as MachinePending } from '../../../machines/shared/approval';
import { api, ApiError, idempotencyKey } from '../api/client';
import { useNames } from '../api/hooks';
import type { CaseView, PendingApproval, ReviewView, Subject } from '../api/types';
import { COMMAND_FIELD_LABELS, labels } from './labels';
import { problemText } from './problem';
import { applyIssues, pathOf, summarize, toPayload, validateWith, SchemaFields, type FieldIssue } from './zod-form';

type Kind = 'case' | 'review' | 'rectification';
/** What the panel needs of a view: its commands and version; approvals where the aggregate has them. */
export interface CommandableView {
  id: string;
  state: string;
  version: number;
  availableCommands: string[];
  pendingApproval?: PendingApproval | null;
}
type View = CaseView | ReviewView | CommandableView;

/** Per aggregate: the schemas its commands are validated with, where they are sent, how they read. */
const KINDS: Record<Kind, { schemas: Record<string, z.ZodType>; base: string; stateLabel: (s: string) => string; commandLabel: (c: string) => string; fieldLabels?: boolean }> = {
  case: { schemas: caseCommandSchemas, base: '/cases', stateLabel: labels.caseState, commandLabel: labels.command },
  review: { schemas: reviewCommandSchemas, base: '/reviews', stateLabel: labels.reviewState, commandLabel: labels.command },
  rectification: { schemas: rectificationCommandSchemas, base: '/rectifications', stateLabel: labels.rectificationState, commandLabel: labels.dutyCommand, fieldLabels: true },
};

export function commandSchema(kind: Kind, type: string): z.ZodType | undefined {
  return KINDS[kind].schemas[type];
}

/** What another official changed meanwhile, in words. */
export function describeChange(before: View, after: View, name: (id: string) => string, stateLabel: (s: string) => string): string {
  const parts: string[] = [];
  if (before.state !== after.state) parts.push(`状态由「${stateLabel(before.state)}」变为「${stateLabel(after.state)}」`);
  const b = before.pendingApproval?.approvals ?? [];
  const a = after.pendingApproval?.approvals ?? [];
  if (a.length > b.length) parts.push(`${a.slice(b.length).map((s) => `${name(s.userId ?? '')}（${labels.role(s.role ?? '')}）`).join('、')} 已审批`);
  if (before.pendingApproval && !after.pendingApproval) parts.push('待审批事项已办结');
  if (!before.pendingApproval && after.pendingApproval) parts.push(`${name(after.pendingApproval.proposedBy)} 提出了新的${labels.approvalKind(after.pendingApproval.kind)}`);
  parts.push(`版本 ${before.version} → ${after.version}`);
  return parts.join('；');
}

function nextRole(p: PendingApproval | null): string | null {
  return p ? (p.chain[p.approvals.length] ?? null) : null;
}

export function ActionPanel<V extends View>(props: { kind: Kind; view: V; subjects?: Subject[]; onChanged: (view: V) => void }) {
  const { kind, view } = props;
  const { commandLabel } = KINDS[kind];
  const names = useNames();
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ type: 'success' | 'warning' | 'error'; text: string } | null>(null);
  const commands = view.availableCommands;
  return (
    <div data-testid="action-panel">
      {notice && <Alert type={notice.type} title={notice.text} showIcon closable onClose={() => setNotice(null)} style={{ marginBottom: 12 }} role="status" data-testid="action-notice" />}
      {commands.length === 0 ? (
        <Typography.Text type="secondary">当前环节您没有可办理的事项</Typography.Text>
      ) : (
        <Space wrap>
          {commands.map((c) => (
            <Button key={c} data-command={c} type={c === 'approve' || c === 'acceptReport' ? 'primary' : 'default'} danger={c === 'reject' || c === 'returnReport'} onClick={() => setOpen(c)}>
              {commandLabel(c)}
            </Button>
          ))}
        </Space>
      )}
      {open && (
        <CommandModal
          kind={kind}
          type={open}
          view={view}
          subjects={props.subjects ?? []}
          names={names}
          onClose={() => setOpen(null)}
          onDone={(next, text, type) => {
            setOpen(null);
            setNotice({ type, text });
            props.onChanged(next as V);
          }}
        />
      )}
    </div>
  );
}

function CommandModal(props: {
  kind: Kind;
  type: string;
  view: View;
  subjects: Subject[];
  names: ReturnType<typeof useNames>;
  onClose: () => void;
  onDone: (view: View, text: string, type: 'success' | 'warning' | 'error') => void;
}) {
  const { kind, type, view, names } = props;
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [key] = useState(idempotencyKey);
  const schema = commandSchema(kind, type);
  const meeting = type === 'approve' && needsMeeting((view.pendingApproval ?? null) as MachinePending | null);
  const { base, stateLabel, commandLabel, fieldLabels } = KINDS[kind];
  const path = `${base}/${view.id}`;
  const captions = fieldLabels ? COMMAND_FIELD_LABELS[type] : undefined;

  const submit = async () => {
    setError(null);
    const payload = toPayload(form.getFieldsValue(true)) as Record<string, unknown>;
    const orphans: FieldIssue[] = [];
    if (schema) {
      const r = validateWith(form, schema, payload, captions);
      orphans.push(...r.orphans);
      if (!r.data) {
        setError(`填写有误：${r.summary}`);
        return;
      }
    }
    if (meeting && !payload.meeting) {
      applyIssues(form, [{ path: ['meeting', 'ref'], message: '常委会审议须填写会议记录' }]);
      return;
    }
    setBusy(true);
    try {
      const next = await api<View>(`${path}/commands`, {
        body: { type, expectedVersion: view.version, ...payload },
        headers: { 'idempotency-key': key },
      });
      props.onDone(next, `已${commandLabel(type)}：现为「${stateLabel(next.state)}」`, 'success');
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.problem.errors?.length) {
        const issues = err.problem.errors.map((e) => ({ path: pathOf(e.path), message: e.message }));
        applyIssues(form, issues);
        setError(`填写有误：${summarize(issues, captions)}`);
      } else if (err instanceof ApiError && err.status === 409) {
        const fresh = await api<View>(path).catch(() => null);
        if (fresh) props.onDone(fresh, `${problemText(err)}。${describeChange(view, fresh, names.user, stateLabel)}`, 'warning');
        else setError(problemText(err));
      } else {
        setError(problemText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const pending = view.pendingApproval;
  return (
    <Modal
      open
      title={commandLabel(type)}
      onCancel={props.onClose}
      onOk={() => void submit()}
      okText="提交"
      cancelText="取消"
      confirmLoading={busy}
      width={720}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'command-submit' } as never}
    >
      {pending && (type === 'approve' || type === 'reject') && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          title={`${labels.approvalKind(pending.kind)}：${names.user(pending.proposedBy)} 提出；审批链 ${pending.chain.map(labels.role).join(' → ')}，本次为第 ${pending.approvals.length + 1} 步（${labels.role(nextRole(pending) ?? '')}）`}
        />
      )}
      {type === 'approve' && <Typography.Paragraph type="secondary">审批为本人签署的决定，须逐件办理。</Typography.Paragraph>}
      {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 12 }} role="alert" data-testid="command-error" />}
      <Form form={form} layout="vertical" data-testid={`command-form-${type}`} initialValues={meeting ? { meeting: { attendees: [], dissent: [] } } : undefined}>
        {schema && (
          <SchemaFields
            schema={schema}
            ctx={{ users: names.users, subjects: props.subjects, require: meeting ? ['meeting'] : [], labels: captions }}
          />
        )}
      </Form>
    </Modal>
  );
}
