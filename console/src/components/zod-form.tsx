/**
 * A command's form generated from the zod schema the API validates it with (machines/case/events.ts,
 * machines/review/events.ts): one field per schema key, widgets by type (text, enum, number,
 * boolean, date, id lists, lists of objects), and the schema itself as the check before sending.
 * Issues (from zod here or `errors[].path` from the API) land on their fields.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Switch, type FormInstance } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import type { z } from 'zod';
import type { Subject, User } from '../api/types';
import { labels } from './labels';

type AnyZod = z.ZodType;
interface Def {
  type: string;
  shape?: Record<string, AnyZod>;
  entries?: Record<string, string>;
  element?: AnyZod;
  innerType?: AnyZod;
  options?: AnyZod[];
  in?: AnyZod;
  /** A string format (`date` for z.iso.date()). */
  format?: string;
}

const defOf = (s: AnyZod): Def => (s as unknown as { def: Def }).def;

/** Optional/default wrappers off: the schema that decides the widget. */
function unwrap(s: AnyZod): { schema: AnyZod; optional: boolean } {
  let optional = false;
  let cur = s;
  for (;;) {
    const d = defOf(cur);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'nullable') {
      optional = true;
      cur = d.innerType!;
    } else if (d.type === 'pipe' && d.in) cur = d.in;
    else return { schema: cur, optional };
  }
}

export function shapeOf(s: AnyZod): Record<string, AnyZod> {
  const d = defOf(unwrap(s).schema);
  return d.type === 'object' ? (d.shape ?? {}) : {};
}

export interface FormContext {
  users: User[];
  subjects: Subject[];
  /** Fields shown although optional, because the current step needs them (the meeting). */
  require?: string[];
  /** Optional fields to leave out of the form. */
  hide?: string[];
  /** Captions of this command's fields where they differ from the generic ones (labels.field). */
  labels?: Readonly<Record<string, string>>;
}

const USER_FIELDS: Record<string, string[] | null> = {
  inspectorIds: ['inspector'],
  userIds: ['trialReviewer'],
  attendees: null,
  dissent: null,
  userId: null,
};
const TEXT_FIELDS = new Set(['reason', 'comment', 'findings', 'note', 'summary', 'text']);
const MEASURE_FIELDS = new Set(['measure', 'sanction']);

function optionLabel(field: string, value: string): string {
  if (MEASURE_FIELDS.has(field)) return labels.measure(value);
  if (field === 'deadlineKey') return labels.deadline(value);
  return labels.option(field, value);
}

function userOptions(users: User[], roles: string[] | null) {
  return users
    .filter((u) => !roles || roles.some((r) => (u.roles as string[]).includes(r)))
    .map((u) => ({ value: u.id, label: `${u.name}（${u.roles.map(labels.role).join('、')}）` }));
}

function fieldWidget(field: string, schema: AnyZod, ctx: FormContext): ReactNode {
  const d = defOf(schema);
  // `attendees` is a user list in a meeting record, a head count in a warning-education meeting.
  if (field in USER_FIELDS && d.type !== 'number') {
    const multiple = d.type === 'array';
    return <Select mode={multiple ? 'multiple' : undefined} allowClear showSearch={{ optionFilterProp: 'label' }} options={userOptions(ctx.users, USER_FIELDS[field])} placeholder="请选择人员" />;
  }
  if (field === 'target') {
    const options = [{ value: 'organisation', label: '党组织（单位）' }, ...ctx.subjects.map((s) => ({ value: s.personId, label: `${s.name}（${s.position}）` }))];
    return <AutoComplete options={options} placeholder="党组织填 organisation，个人填人员编号" style={{ minWidth: 200 }} />;
  }
  if (field === 'personId' && ctx.subjects.length) {
    const options = ctx.subjects.map((s) => ({ value: s.personId, label: `${s.name}（${s.position}）` }));
    return <Select showSearch={{ optionFilterProp: 'label' }} options={options} placeholder="请选择" style={{ minWidth: 180 }} />;
  }
  switch (d.type) {
    case 'enum':
      if (MEASURE_FIELDS.has(field)) {
        const allowed = new Set<string>(Object.values(d.entries ?? {}));
        const groups = labels.measureGroups
          .map((g) => {
            const ms = g.measures.filter((m) => allowed.delete(m));
            return { label: g.label, options: ms.map((m) => ({ value: m, label: labels.measure(m) })) };
          })
          .filter((g) => g.options.length);
        return <Select options={groups} showSearch={{ optionFilterProp: 'label' }} placeholder="请选择" style={{ minWidth: 200 }} />;
      }
      return <Select style={{ minWidth: 160 }} options={Object.values(d.entries ?? {}).map((v) => ({ value: v, label: optionLabel(field, v) }))} placeholder="请选择" />;
    case 'number':
      return <InputNumber style={{ width: 160 }} />;
    case 'boolean':
      return <Switch checkedChildren="是" unCheckedChildren="否" />;
    case 'union':
      return <DatePicker format="YYYY-MM-DD" />;
    case 'string':
      if (d.format === 'date') return <DatePicker format="YYYY-MM-DD" />;
      return TEXT_FIELDS.has(field) ? <Input.TextArea rows={3} maxLength={10000} showCount /> : <Input />;
    case 'array':
      return <Select mode="tags" placeholder="输入后回车" />;
    default:
      return TEXT_FIELDS.has(field) ? <Input.TextArea rows={3} maxLength={10000} showCount /> : <Input />;
  }
}

/** The form items of an object schema, under `prefix` (a name path). */
export function SchemaFields({ schema, ctx, prefix = [] }: { schema: AnyZod; ctx: FormContext; prefix?: Array<string | number> }) {
  const shape = shapeOf(schema);
  return (
    <>
      {Object.entries(shape).map(([field, fs]) => {
        const { schema: inner, optional } = unwrap(fs);
        const required = !optional || !!ctx.require?.includes(field);
        if (optional && ctx.hide?.includes(field) && !ctx.require?.includes(field)) return null;
        const d = defOf(inner);
        const name = [...prefix, field];
        const label = ctx.labels?.[field] ?? labels.field(field);
        if (d.type === 'object') {
          if (optional && !required) return null;
          return (
            <Card key={field} size="small" title={label} style={{ marginBottom: 12 }}>
              <SchemaFields schema={inner} ctx={{ ...ctx, require: undefined }} prefix={name} />
            </Card>
          );
        }
        if (d.type === 'array' && defOf(unwrap(d.element!).schema).type === 'object') {
          const element = unwrap(d.element!).schema;
          return (
            <Form.Item key={field} label={label} required={required}>
              <Form.List name={name} initialValue={[]}>
                {(items, { add, remove }, { errors }) => (
                  <>
                    {items.map((item) => (
                      <Space key={item.key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }}>
                        <ListItemFields schema={element} ctx={ctx} index={item.name} />
                        <MinusCircleOutlined onClick={() => remove(item.name)} aria-label="删除" />
                      </Space>
                    ))}
                    <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />}>
                      添加{label}
                    </Button>
                    <Form.ErrorList errors={errors} />
                  </>
                )}
              </Form.List>
            </Form.Item>
          );
        }
        return (
          <Form.Item
            key={field}
            name={name}
            label={label}
            required={required}
            valuePropName={d.type === 'boolean' ? 'checked' : 'value'}
            initialValue={d.type === 'boolean' ? false : d.type === 'array' && required ? [] : undefined}
          >
            {fieldWidget(field, inner, ctx)}
          </Form.Item>
        );
      })}
    </>
  );
}

function ListItemFields({ schema, ctx, index }: { schema: AnyZod; ctx: FormContext; index: number }) {
  return (
    <>
      {Object.entries(shapeOf(schema)).map(([field, fs]) => {
        const { schema: inner } = unwrap(fs);
        const d = defOf(inner);
        return (
          <Form.Item
            key={field}
            name={[index, field]}
            label={labels.field(field)}
            valuePropName={d.type === 'boolean' ? 'checked' : 'value'}
            initialValue={d.type === 'boolean' ? false : undefined}
            style={{ minWidth: 180, marginBottom: 8 }}
          >
            {fieldWidget(field, inner, ctx)}
          </Form.Item>
        );
      })}
    </>
  );
}

/** Form values as the API wants them: dates as YYYY-MM-DD, empty strings and empty optionals dropped. */
export function toPayload(values: unknown): unknown {
  if (dayjs.isDayjs(values)) return values.format('YYYY-MM-DD');
  if (Array.isArray(values)) return values.filter((v) => v !== undefined && v !== null).map(toPayload);
  if (values && typeof values === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined || v === null || v === '') continue;
      out[k] = toPayload(v);
    }
    return out;
  }
  return values;
}

export interface FieldIssue {
  path: Array<string | number>;
  message: string;
}

/** Puts each issue on its field; answers the issues no field of the form shows. */
export function applyIssues(form: FormInstance, issues: FieldIssue[]): FieldIssue[] {
  const byPath = new Map<string, { name: Array<string | number>; errors: string[] }>();
  const orphans: FieldIssue[] = [];
  for (const issue of issues) {
    const name = issue.path;
    if (!name.length) {
      orphans.push(issue);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byPath.get(key) ?? { name, errors: [] };
    entry.errors.push(chineseMessage(issue.message));
    byPath.set(key, entry);
  }
  form.setFields([...byPath.values()].map(({ name, errors }) => ({ name, errors })));
  return orphans;
}

/** `subjects.0.name` → ['subjects', 0, 'name'] (docs/api.md: errors[].path is dotted). */
export function pathOf(dotted: string): Array<string | number> {
  return dotted.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** The schema's message in Chinese where it is one of the common ones. */
export function chineseMessage(message: string): string {
  if (/required|expected .*, received undefined/i.test(message)) return '此项必填';
  if (/must not be empty|Too small|at least/i.test(message)) return message.includes('two') ? '至少需要两人' : '此项不能为空';
  if (/Invalid option|Invalid enum/i.test(message)) return '请选择有效选项';
  if (/Invalid (ISO )?date|Invalid input/i.test(message)) return '格式不正确';
  return message;
}

/** Validates with the API's own schema; on failure the issues are on their fields and it answers null. */
export function validateWith<T>(form: FormInstance, schema: z.ZodType<T>, payload: unknown, captions?: Readonly<Record<string, string>>): { data: T | null; orphans: FieldIssue[]; summary: string } {
  const r = schema.safeParse(payload);
  if (r.success) return { data: r.data, orphans: [], summary: '' };
  const issues = r.error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }));
  const orphans = applyIssues(form, issues);
  return { data: null, orphans, summary: summarize(issues, captions) };
}

/** Issues as one sentence: 「理由」此项不能为空；… */
export function summarize(issues: FieldIssue[], captions?: Readonly<Record<string, string>>): string {
  return issues
    .map((i) => {
      const field = [...i.path].reverse().find((p): p is string => typeof p === 'string');
      return `${field ? `「${captions?.[field] ?? labels.field(field)}」` : ''}${chineseMessage(i.message)}`;
    })
    .join('；');
}
