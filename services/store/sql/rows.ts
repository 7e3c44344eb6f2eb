/**
 * Row ↔ record mapping for the sql adapter. Reads go through `decode`, so a damaged row becomes a
 * `StoreDataError` naming it; writes turn ISO strings into Dates for the timestamptz columns.
 */
import type {
  AuditEvent,
  CalendarYear,
  CaseRecord,
  DeadlineRecord,
  DispositionRecord,
  Notification,
  Org,
  OutboxRow,
  StoredOutboxRow,
  ReviewRecord,
  User,
} from '../port';
import { decode, isoOf, jsonColumn } from '../records';
import type * as t from './schema';

type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];

/** Date for a timestamptz column; `null` stays `null`. */
export function dateOf(iso: string): Date;
export function dateOf(iso: string | null): Date | null;
export function dateOf(iso: string | null): Date | null {
  return iso === null ? null : new Date(iso);
}

export function orgFromRow(r: Row<typeof t.orgs>): Org {
  return decode('orgs', r.id, { ...r, createdAt: isoOf(r.createdAt) });
}

export function userFromRow(r: Row<typeof t.users>): User {
  return decode('users', r.id, { ...r, roles: jsonColumn('users', r.id, 'roles', r.roles), createdAt: isoOf(r.createdAt) });
}

export function caseFromRow(r: Row<typeof t.cases>): CaseRecord {
  const j = (column: string, v: unknown) => jsonColumn('cases', r.id, column, v);
  return decode('cases', r.id, {
    ...r,
    snapshot: j('snapshot', r.snapshot),
    assignees: j('assignees', r.assignees),
    flags: j('flags', r.flags),
    data: j('data', r.data),
    createdAt: isoOf(r.createdAt),
    updatedAt: isoOf(r.updatedAt),
  });
}

export function reviewFromRow(r: Row<typeof t.reviews>): ReviewRecord {
  const j = (column: string, v: unknown) => jsonColumn('reviews', r.id, column, v);
  return decode('reviews', r.id, {
    ...r,
    snapshot: j('snapshot', r.snapshot),
    assignees: j('assignees', r.assignees),
    data: j('data', r.data),
    createdAt: isoOf(r.createdAt),
    updatedAt: isoOf(r.updatedAt),
  });
}

export function dispositionFromRow(r: Row<typeof t.dispositions>): DispositionRecord {
  return decode('dispositions', r.id, { ...r, decidedAt: isoOf(r.decidedAt), revokedAt: isoOf(r.revokedAt) });
}

export function deadlineFromRow(r: Row<typeof t.deadlines>): DeadlineRecord {
  return decode('deadlines', r.id, {
    ...r,
    steps: jsonColumn('deadlines', r.id, 'steps', r.steps),
    openedAt: isoOf(r.openedAt),
    dueAt: isoOf(r.dueAt),
    closedAt: isoOf(r.closedAt),
  });
}

export function auditFromRow(r: Row<typeof t.auditEvents>): AuditEvent {
  const id = `${r.stream}#${r.seq}`;
  const detail = jsonColumn('audit_events', id, 'detail', r.detail);
  const { fromState, toState, detail: _raw, ...rest } = r;
  return decode('audit_events', id, {
    ...rest,
    from: fromState,
    to: toState,
    ...(detail === null ? {} : { detail }),
  });
}

export function outboxFromRow(r: Row<typeof t.outbox>): StoredOutboxRow {
  return decode('outbox', r.id, {
    ...r,
    data: jsonColumn('outbox', r.id, 'data', r.data),
    createdAt: isoOf(r.createdAt),
    runAt: isoOf(r.runAt),
    deliveredAt: isoOf(r.deliveredAt),
  });
}

export function notificationFromRow(r: Row<typeof t.notifications>): Notification {
  return decode('notifications', r.id, { ...r, createdAt: isoOf(r.createdAt), readAt: isoOf(r.readAt) });
}

export function calendarFromRow(r: Row<typeof t.calendars>): CalendarYear {
  const j = (column: string, v: unknown) => jsonColumn('calendars', r.year, column, v);
  return decode('calendars', r.year, {
    ...r,
    holidays: j('holidays', r.holidays),
    workdays: j('workdays', r.workdays),
    updatedAt: isoOf(r.updatedAt),
  });
}

/** Columns written by insert and update of a case (everything the record holds). */
export function caseToRow(c: CaseRecord) {
  return { ...c, createdAt: dateOf(c.createdAt), updatedAt: dateOf(c.updatedAt) };
}

export function reviewToRow(r: ReviewRecord) {
  return { ...r, createdAt: dateOf(r.createdAt), updatedAt: dateOf(r.updatedAt) };
}

export function deadlineToRow(d: DeadlineRecord) {
  return { ...d, openedAt: dateOf(d.openedAt), dueAt: dateOf(d.dueAt), closedAt: dateOf(d.closedAt) };
}

export function outboxToRow(o: OutboxRow) {
  return { ...o, createdAt: dateOf(o.createdAt), runAt: dateOf(o.runAt), deliveredAt: dateOf(o.deliveredAt) };
}

export function notificationToRow(n: Notification) {
  return { ...n, createdAt: dateOf(n.createdAt)!, readAt: dateOf(n.readAt) };
}
