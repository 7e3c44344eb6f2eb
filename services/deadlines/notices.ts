/**
 * Who is told when an escalation step is taken, and what they read (API.md "Deadlines"):
 * `warning` → the aggregate's assignees; `overdue` → assignees and the supervisors (部门负责人) of the
 * aggregate's org; `escalated` → the commission heads of the PARENT org (压案不查 goes up one level;
 * an org without a parent escalates to its own commission heads, the top of the tree).
 */
import { createHash } from 'node:crypto';
import { ESCALATION, type EscalationLevel } from '../../config/deadlines';
import type { Role } from '../../machines/shared/roles';
import { cachedWithRole } from '../authz';
import type { Deps } from '../deps';
import type { CaseRecord, DeadlineRecord, Notification, ReviewRecord, Store, StoreTx } from '../store/port';
import { parseDuration } from './duration';

/** The aggregate a deadline belongs to, as much as a notice needs. */
export interface NoticeSubject {
  /** e.g. `案件“某镇扶贫资金问题”（编号2025-0003）`. */
  label: string;
  assignees: string[];
}

export async function loadSubject(tx: StoreTx, record: DeadlineRecord): Promise<NoticeSubject> {
  if (record.aggregateType === 'case') {
    const c = await tx.cases.get(record.aggregateId);
    // Telling the real-name reporter is the registrar's (信访举报部门): he is told of these clocks too.
    const registrar = record.key.startsWith('reporter.') && typeof c?.data.registeredBy === 'string' ? [c.data.registeredBy] : [];
    return { label: c ? caseLabel(c) : `案件（${record.aggregateId}）`, assignees: [...new Set([...(c?.assignees ?? []), ...registrar])] };
  }
  if (record.aggregateType === 'followUp') {
    const f = await tx.duty.followUps.get(record.aggregateId);
    return { label: `谈话整改事项“${String(f?.data.text ?? record.aggregateId).slice(0, 40)}”`, assignees: f?.assignees ?? [] };
  }
  if (record.aggregateType === 'rectification') {
    const r = await tx.duty.rectifications.get(record.aggregateId);
    return { label: `以案促改整改（${String(r?.data.unitName ?? r?.unitOrgId ?? record.aggregateId)}）`, assignees: r?.assignees ?? [] };
  }
  const r = await tx.reviews.get(record.aggregateId);
  if (!r) return { label: `问责调查（${record.aggregateId}）`, assignees: [] };
  const c = await tx.cases.get(r.caseId);
  return { label: reviewLabel(r, c), assignees: r.assignees };
}

const caseLabel = (c: CaseRecord) => `案件“${c.title}”（编号${c.number}）`;

function reviewLabel(r: ReviewRecord, c: CaseRecord | null): string {
  const kind = r.kind === 'primary' ? '主体责任问责调查' : '监督责任问责调查';
  return c ? `${caseLabel(c)}的${kind}` : kind;
}

/**
 * The users notified of `level` because of their role: the org's supervisors for `overdue`, the
 * parent org's commission heads for `escalated`. The assignees come with the subject.
 */
export async function roleRecipients(deps: Pick<Deps, 'store'>, tx: StoreTx, record: DeadlineRecord, level: EscalationLevel): Promise<string[]> {
  if (level === 'overdue') return usersWithRole(deps.store, tx, 'supervisor', record.orgId);
  if (level !== 'escalated') return [];
  return usersWithRole(deps.store, tx, 'commissionHead', await escalationTarget(tx, record));
}

/**
 * The org a missed deadline is escalated to: the parent of the deadline's org (压案不查 goes up one
 * level), or the org itself at the top of the tree.
 */
export async function escalationTarget(tx: StoreTx, record: DeadlineRecord): Promise<string> {
  // Read in the transaction: with PGlite (one connection) a read beside it would wait for it forever.
  const org = await tx.orgs.get(record.orgId);
  return org?.parentId ?? record.orgId;
}

async function usersWithRole(store: Store, tx: StoreTx, role: Role, orgId: string): Promise<string[]> {
  return (await cachedWithRole(store, role, [orgId], tx)).map((u) => u.id);
}

/**
 * Notification id from deadline, step, its planned time and user: a retried or repeated take writes
 * the same rows, and a step re-armed by an extension (new planned time) notifies again.
 */
export function noticeId(record: DeadlineRecord, level: EscalationLevel, userId: string): string {
  const key = `${record.id}|${level}|${record.steps[level] ?? ''}|${userId}`;
  return `ntf_${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

export interface NoticeText {
  title: string;
  body: string;
}

/** The Chinese title and body an official reads for `level`. */
export function noticeText(deps: Pick<Deps, 'policy'>, record: DeadlineRecord, level: EscalationLevel, subject: NoticeSubject): NoticeText {
  const what = deps.policy.deadlines[record.key]?.label ?? record.key;
  const due = formatCst(record.dueAt);
  switch (level) {
    case 'warning':
      return {
        title: `【预警】${subject.label}${what}期限将于${due}到期`,
        body: `${subject.label}的${what}期限将于${due}（北京时间）到期，请抓紧办理，按期完成。`,
      };
    case 'overdue':
      return {
        title: `【逾期】${subject.label}${what}已逾期`,
        body: `${subject.label}的${what}期限已于${due}（北京时间）届满，尚未办结。请承办人员抓紧办理并说明逾期原因，部门负责人督促落实。`,
      };
    case 'escalated': {
      const span = overdueSpan(deps, record);
      return {
        title: `【升级督办】${subject.label}${what}已逾期${span}`,
        body: `${subject.label}的${what}期限已于${due}（北京时间）届满，逾期${span}仍未办结，现提请上一级纪委监委督办，防止压案不查。`,
      };
    }
  }
}

export function notificationOf(
  record: DeadlineRecord,
  level: EscalationLevel,
  userId: string,
  text: NoticeText,
  now: string,
): Notification {
  return {
    id: noticeId(record, level, userId),
    userId,
    kind: `deadline.${level}`,
    title: text.title,
    body: text.body,
    aggregateType: record.aggregateType,
    aggregateId: record.aggregateId,
    createdAt: now,
    readAt: null,
  };
}

/** `5个工作日` under the statutory ladder; the plain length under a `DEADLINE_OVERRIDES` clock. */
function overdueSpan(deps: Pick<Deps, 'policy'>, record: DeadlineRecord): string {
  const override = deps.policy.overrides[record.key];
  if (!override) return `${ESCALATION.escalateWorkingDaysAfter}个工作日`;
  return plainLength(parseDuration(override.escalateAfter ?? override.due));
}

function plainLength(ms: number): string {
  const units: Array<[number, string]> = [[86_400_000, '天'], [3_600_000, '小时'], [60_000, '分钟'], [1000, '秒']];
  const [size, name] = units.find(([u]) => ms >= u && ms % u === 0) ?? [1000, '秒'];
  return `${Math.round(ms / size)}${name}`;
}

/** `2025年3月5日 23:59` in Beijing time. */
export function formatCst(moment: string): string {
  const d = new Date(Date.parse(moment) + 8 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
