/**
 * The shapes a stored row must have to become a record of the port. Both adapters decode every
 * row through these, so a corrupt row is a `StoreDataError` naming its table and id, never a
 * `TypeError` deep inside a service.
 */
import { z } from 'zod';
import { USER_ROLES } from '../../machines/shared/roles';
import { DEADLINE_KEYS, ESCALATION_LEVELS } from '../../config/deadlines';
import { ORG_LEVELS } from './org-levels';
import {
  StoreDataError,
  type AuditEvent,
  type CalendarYear,
  type CaseRecord,
  type DeadlineRecord,
  type DispositionRecord,
  type Notification,
  type Org,
  type StoredOutboxRow,
  type ReviewRecord,
  type User,
} from './port';

const jsonObject = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'is not a JSON object',
);
const strings = z.array(z.string());
const orgLevel = z.enum(ORG_LEVELS);
// followUp, rectification: see services/store/duty-port.ts.
const aggregateType = z.enum(['case', 'review', 'followUp', 'rectification']);
const reviewKind = z.enum(['primary', 'supervision']);

const aggregateBase = {
  id: z.string(),
  orgId: z.string(),
  machineId: z.string(),
  machineVersion: z.number().int(),
  snapshot: jsonObject,
  state: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const shapes = {
  orgs: z.object({
    id: z.string(),
    name: z.string(),
    level: orgLevel,
    parentId: z.string().nullable(),
    partyCommittee: z.string().nullable(),
    disciplineBody: z.string().nullable(),
    createdAt: z.string(),
  }) satisfies z.ZodType<Org>,
  users: z.object({
    id: z.string(),
    name: z.string(),
    orgId: z.string(),
    roles: z.array(z.enum([...USER_ROLES, 'system'])),
    personId: z.string().nullable(),
    createdAt: z.string(),
  }) satisfies z.ZodType<User>,
  cases: z.object({
    ...aggregateBase,
    number: z.string(),
    title: z.string(),
    dualState: z.string(),
    assignees: strings,
    flags: strings,
    searchText: z.string(),
    reporterSealed: z.string().nullable(),
    data: jsonObject,
  }) satisfies z.ZodType<CaseRecord>,
  reviews: z.object({
    ...aggregateBase,
    caseId: z.string(),
    kind: reviewKind,
    target: z.enum(['partyCommittee', 'disciplineBody']),
    assignees: strings,
    data: jsonObject,
  }) satisfies z.ZodType<ReviewRecord>,
  dispositions: z.object({
    id: z.string(),
    caseId: z.string(),
    reviewId: z.string().nullable(),
    personId: z.string(),
    personName: z.string().nullable(),
    rank: z.string(),
    orgId: z.string(),
    orgLevel,
    measure: z.string(),
    form: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    decidedAt: z.string(),
    revokedAt: z.string().nullable(),
  }) satisfies z.ZodType<DispositionRecord>,
  deadlines: z.object({
    id: z.string(),
    aggregateType,
    aggregateId: z.string(),
    orgId: z.string(),
    key: z.enum(DEADLINE_KEYS),
    openedAt: z.string(),
    dueAt: z.string(),
    steps: z.partialRecord(z.enum(ESCALATION_LEVELS), z.string()),
    status: z.enum(['open', 'overdue', 'met', 'metLate']),
    escalation: z.enum(['none', ...ESCALATION_LEVELS]),
    calendarUncertain: z.boolean(),
    closedAt: z.string().nullable(),
  }) satisfies z.ZodType<DeadlineRecord>,
  audit_events: z.object({
    stream: z.string(),
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    outcome: z.enum(['accepted', 'refused', 'read', 'disclosed']),
    from: z.string().nullable(),
    to: z.string().nullable(),
    detail: jsonObject.optional(),
    prevHash: z.string(),
    hash: z.string(),
  }) satisfies z.ZodType<AuditEvent>,
  outbox: z.object({
    id: z.string(),
    queue: z.string(),
    name: z.string(),
    data: jsonObject,
    createdAt: z.string(),
    runAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  }) satisfies z.ZodType<StoredOutboxRow>,
  notifications: z.object({
    id: z.string(),
    userId: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    aggregateType: aggregateType.nullable(),
    aggregateId: z.string().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  }) satisfies z.ZodType<Notification>,
  calendars: z.object({
    year: z.number().int(),
    holidays: strings,
    workdays: strings,
    updatedAt: z.string(),
  }) satisfies z.ZodType<CalendarYear>,
};

export type Table = keyof typeof shapes;
type RecordOf<T extends Table> = z.output<(typeof shapes)[T]>;

/**
 * Checks a candidate record read from `table`; throws `StoreDataError` naming the table, the id and
 * the first offending field.
 */
export function decode<T extends Table>(table: T, id: string | number, candidate: unknown): RecordOf<T> {
  const parsed = shapes[table].safeParse(candidate);
  if (parsed.success) return parsed.data as RecordOf<T>;
  const issue = parsed.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.join('.') : 'row';
  throw new StoreDataError(`${table} ${id}: ${field} ${issue.message}`, `${table}/${id}`);
}

/**
 * A JSON column as the driver hands it over: drivers parse json/jsonb themselves, but a
 * PostgreSQL-compatible server may return text, and a damaged value may hold a JSON string of
 * broken JSON. Strings are parsed here; a failure names the record.
 */
export function jsonColumn(table: Table, id: string | number, column: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new StoreDataError(`${table} ${id}: ${column} is not valid JSON`, `${table}/${id}`);
  }
}

/** ISO-8601 UTC text of a stored timestamp (a Date from the driver or a string). */
export function isoOf(value: Date | string | null): string | null {
  if (value === null) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString();
}
