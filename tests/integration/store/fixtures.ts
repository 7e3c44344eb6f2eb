/**
 * Record builders for the store contract. Ids are unique per call so that tests sharing one
 * store never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import type {
  AuditEventInput,
  CaseRecord,
  DeadlineRecord,
  DispositionRecord,
  Notification,
  Org,
  OutboxRow,
  ReviewRecord,
  User,
} from '../../../services/store/port';

const run = randomBytes(3).toString('hex');
let counter = 0;

/** A fresh id: `<prefix>-<run>-<n>`. */
export const uid = (prefix: string) => `${prefix}-${run}-${++counter}`;

/** ISO time `minutes` after a fixed origin (ms precision, as the store returns it). */
export const at = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 8, 0) + minutes * 60_000).toISOString();

export function org(over: Partial<Org> = {}): Org {
  return { id: uid('org'), name: '某县纪委监委', level: 'county', parentId: null, partyCommittee: '某县委', disciplineBody: '某县纪委', createdAt: at(0), ...over };
}

export function user(orgId: string, over: Partial<User> = {}): User {
  return { id: uid('user'), name: '张三', orgId, roles: ['inspector'], personId: null, createdAt: at(0), ...over };
}

export function caseRecord(orgId: string, over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: uid('case'),
    orgId,
    machineId: 'case',
    machineVersion: 1,
    snapshot: { value: { lifecycle: 'registered', dualInvestigation: 'notRequired' }, context: { n: 1 } },
    state: 'registered',
    version: 1,
    number: '2026-1',
    title: '关于某镇副镇长违规收受礼金的问题线索',
    dualState: 'notRequired',
    assignees: [],
    flags: [],
    searchText: '关于某镇副镇长违规收受礼金的问题线索 李四',
    reporterSealed: null,
    data: { source: 'petition', receivedAt: '2026-01-05' },
    createdAt: at(0),
    updatedAt: at(0),
    ...over,
  };
}

export function reviewRecord(orgId: string, caseId: string, over: Partial<ReviewRecord> = {}): ReviewRecord {
  return {
    id: uid('review'),
    orgId,
    machineId: 'review',
    machineVersion: 1,
    snapshot: { value: 'opened', context: {} },
    state: 'opened',
    version: 1,
    caseId,
    kind: 'primary',
    target: 'partyCommittee',
    assignees: [],
    data: {},
    createdAt: at(0),
    updatedAt: at(0),
    ...over,
  };
}

export function disposition(caseId: string, orgId: string, over: Partial<DispositionRecord> = {}): DispositionRecord {
  return {
    id: uid('disp'),
    caseId,
    reviewId: null,
    personId: uid('person'),
    personName: '李四',
    rank: 'townshipDeputy',
    orgId,
    orgLevel: 'township',
    measure: 'partyWarning',
    form: 2,
    decidedAt: at(0),
    revokedAt: null,
    ...over,
  };
}

export function deadline(aggregateId: string, orgId: string, over: Partial<DeadlineRecord> = {}): DeadlineRecord {
  return {
    id: uid('dl'),
    aggregateType: 'case',
    aggregateId,
    orgId,
    key: 'clue.disposition',
    openedAt: at(0),
    dueAt: at(60 * 24 * 30),
    steps: { warning: at(60 * 24 * 27), overdue: at(60 * 24 * 30) },
    status: 'open',
    escalation: 'none',
    calendarUncertain: false,
    closedAt: null,
    ...over,
  };
}

export function outboxRow(over: Partial<OutboxRow> = {}): OutboxRow {
  return { id: uid('out'), queue: 'reviews', name: 'openReview', data: { caseId: 'c', kind: 'primary' }, createdAt: at(0), runAt: null, deliveredAt: null, ...over };
}

export function notification(userId: string, over: Partial<Notification> = {}): Notification {
  return {
    id: uid('note'),
    userId,
    kind: 'deadline.warning',
    title: '期限预警',
    body: '问题线索处置意见将于3个工作日后到期',
    aggregateType: 'case',
    aggregateId: 'c',
    createdAt: at(0),
    readAt: null,
    ...over,
  };
}

export function auditInput(over: Partial<AuditEventInput> = {}): AuditEventInput {
  return { at: at(0), actor: 'user-1', action: 'proposeDisposition', outcome: 'accepted', from: 'registered', to: 'dispositionReview', ...over };
}
