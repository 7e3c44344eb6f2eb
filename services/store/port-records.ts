/**
 * The records the store keeps (ARCHITECTURE.md §4): what the port's repositories read and write.
 */
import type { DeadlineKey, EscalationLevel } from '../../config/deadlines';
import type { Role } from '../../machines/shared/roles';
import type { JobName, QueueName } from '../queues/contracts';
import type { OrgLevel } from './org-levels';

export { ORG_LEVELS, type OrgLevel } from './org-levels';

export interface Org {
  id: string;
  name: string;
  level: OrgLevel;
  parentId: string | null;
  /** Name of the unit's party committee (党委/党组), target of the primary-responsibility review. */
  partyCommittee: string | null;
  /** Name of the unit's discipline body (纪委/纪检组), target of the supervision-responsibility review. */
  disciplineBody: string | null;
  createdAt: string;
}

export interface User {
  id: string;
  name: string;
  orgId: string;
  roles: Role[];
  personId: string | null;
  createdAt: string;
}

/** `followUp` and `rectification`: see services/store/duty-port.ts. */
export type AggregateType = 'case' | 'review' | 'followUp' | 'rectification';

/** Columns shared by both aggregates. `snapshot` is the persisted XState snapshot (JSON). */
export interface AggregateBase {
  id: string;
  orgId: string;
  machineId: string;
  machineVersion: number;
  snapshot: unknown;
  /** Dotted lifecycle state, e.g. `talkInquiry.awaitingReply`, kept for filtering. */
  state: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CaseRecord extends AggregateBase {
  number: string;
  title: string;
  /** `notRequired | opening | open | concluded`, kept for filtering and stats. */
  dualState: string;
  assignees: string[];
  flags: string[];
  /** Searchable text (title, subject names, allegations), used by `q=`. */
  searchText: string;
  /** Reporter identity sealed with SM4 (base64); `null` when anonymous. Never in the snapshot. */
  reporterSealed: string | null;
  /** Case data shown in the view and not needed by the machine (source, receivedAt, subjects …). */
  data: Record<string, unknown>;
}

export interface ReviewRecord extends AggregateBase {
  caseId: string;
  kind: 'primary' | 'supervision';
  target: 'partyCommittee' | 'disciplineBody';
  assignees: string[];
  data: Record<string, unknown>;
}

export interface DispositionRecord {
  id: string;
  caseId: string;
  reviewId: string | null;
  personId: string;
  personName: string | null;
  /** Rank id from API.md (`townshipDeputy` …) or `other`. */
  rank: string;
  /** The subject's org and its level, for by-org-level statistics. */
  orgId: string;
  orgLevel: OrgLevel;
  measure: string;
  form: 1 | 2 | 3 | 4;
  decidedAt: string;
  /** Set when an appeal revoked or modified the measure; revoked rows do not count in statistics. */
  revokedAt?: string | null;
}

export type DeadlineStatus = 'open' | 'overdue' | 'met' | 'metLate';
export type Escalation = 'none' | EscalationLevel;

export interface DeadlineRecord {
  id: string;
  aggregateType: AggregateType;
  aggregateId: string;
  /** Org of the aggregate, for scope and by-org statistics. */
  orgId: string;
  key: DeadlineKey;
  openedAt: string;
  dueAt: string;
  /** Planned time of each escalation step (absent step = not planned, e.g. no warning under overrides). */
  steps: Partial<Record<EscalationLevel, string>>;
  status: DeadlineStatus;
  escalation: Escalation;
  calendarUncertain: boolean;
  closedAt: string | null;
}

export type AuditOutcome = 'accepted' | 'refused' | 'read' | 'disclosed';

/** What a caller hands to `audit.append`; seq, hash and prevHash are assigned by the store. */
export interface AuditEventInput {
  at: string;
  actor: string;
  action: string;
  outcome: AuditOutcome;
  from: string | null;
  to: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditEvent extends AuditEventInput {
  stream: string;
  seq: number;
  hash: string;
  prevHash: string;
}

/** An outbox row as written: a job of one of the queues (services/queues/contracts.ts builds them). */
export interface OutboxRow {
  id: string;
  queue: QueueName;
  /** Job name, e.g. `openReview`. */
  name: JobName;
  /** Ids only (dashboards show job data). */
  data: Record<string, unknown>;
  createdAt: string;
  /** Earliest delivery time (delayed jobs), or null for now. */
  runAt: string | null;
  deliveredAt: string | null;
}

/**
 * An outbox row as read back: a row written by another version of the system may name a queue or
 * job this one does not know (the relay leaves such a row undelivered and says so).
 */
export type StoredOutboxRow = Omit<OutboxRow, 'queue' | 'name'> & { queue: string; name: string };

export interface Notification {
  id: string;
  userId: string;
  kind: string;
  /** Chinese text an official reads. */
  title: string;
  body: string;
  aggregateType: AggregateType | null;
  aggregateId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface CalendarYear {
  year: number;
  holidays: string[];
  workdays: string[];
  updatedAt: string;
}

/** A request made with an `Idempotency-Key`, stored with the commit it caused. */
export interface IdempotencyRecord {
  userId: string;
  key: string;
  /** SHA-256 of the method, the path and the canonical JSON body. */
  fingerprint: string;
  status: number;
  aggregateType: AggregateType;
  aggregateId: string;
  /** The answer's body; null until the request that claimed the key has answered. */
  response: unknown;
  createdAt: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  streams: number;
  events: number;
  brokenAt?: { stream: string; seq: number };
}

/** One classified person-time count (a person per case at their most severe form). */
export interface ClassifiedCount {
  form: number;
  rank: string;
  orgLevel: string;
  n: number;
}

/**
 * Per org, for the 上热中温下冷 report: rectifications of the unit opened in [from, to) and those of
 * them accepted; clue-disposal clocks due in [from, to) and settled (met or not), of them met; clocks
 * due in [from, to) that escalated.
 */
export interface OrgPressureCount {
  orgId: string;
  rectificationsOpened: number;
  rectificationsAccepted: number;
  disposalClocks: number;
  disposalMet: number;
  escalated: number;
}
