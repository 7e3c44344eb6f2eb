/**
 * Document ↔ record mapping for the mongo adapter. Reads go through `decode` like the sql ones.
 */
import { decode, isoOf, type Table } from '../records';

/** A lean document as MongoDB returns it. */
export type Doc = Record<string, unknown>;

/** Fields stored as Dates, per table. */
const DATES: Partial<Record<Table, string[]>> = {
  orgs: ['createdAt'],
  users: ['createdAt'],
  cases: ['createdAt', 'updatedAt'],
  reviews: ['createdAt', 'updatedAt'],
  dispositions: ['decidedAt', 'revokedAt'],
  deadlines: ['openedAt', 'dueAt', 'closedAt'],
  outbox: ['createdAt', 'runAt', 'deliveredAt'],
  notifications: ['createdAt', 'readAt'],
  calendars: ['updatedAt'],
};

/** Fields the port types as `T | null`: MongoDB may have left them out. */
const NULLABLE: Partial<Record<Table, string[]>> = {
  orgs: ['parentId', 'partyCommittee', 'disciplineBody'],
  users: ['personId'],
  cases: ['reporterSealed'],
  dispositions: ['reviewId', 'personName', 'revokedAt'],
  deadlines: ['closedAt'],
  audit_events: ['from', 'to'],
  outbox: ['runAt', 'deliveredAt'],
  notifications: ['aggregateType', 'aggregateId', 'readAt'],
};

/** A record from a lean document (`_id` becomes the id field). */
export function fromDoc<T extends Table>(table: T, doc: Doc) {
  const { _id, ...rest } = doc;
  const out: Doc = table === 'calendars' ? { year: _id, ...rest } : table === 'audit_events' ? rest : { id: _id, ...rest };
  for (const f of NULLABLE[table] ?? []) out[f] ??= null;
  for (const f of DATES[table] ?? []) out[f] = isoOf(out[f] as Date | string | null);
  if (table === 'audit_events' && out.detail === null) delete out.detail;
  const id = table === 'audit_events' ? `${String(out.stream)}#${String(out.seq)}` : String(_id);
  return decode(table, id, out);
}

/** A document for a record: the id field becomes `_id`; mongoose casts ISO strings to Dates. */
export function toDoc(record: object, idField = 'id'): Doc {
  const { [idField]: id, ...rest } = record as Doc;
  return { _id: id, ...rest };
}
