/**
 * The plain collections on MongoDB: orgs, users, dispositions, deadlines, outbox, notifications,
 * calendars.
 */
import type { ClientSession } from 'mongoose';
import { DuplicateError, type DeadlineStatus, type StoreTx } from '../port';
import { insertIfAbsent } from './aggregates';
import { fromDoc, toDoc, type Doc } from './docs';
import type { Models } from './models';

type Sort = Record<string, 1 | -1>;

/** `{from, to}` as a half-open range on `field`, plus an org scope. */
function periodFilter(field: string, f: { from?: string; to?: string; orgIds?: string[] }): Doc {
  const filter: Doc = {};
  const range: Doc = {};
  if (f.from !== undefined) range.$gte = new Date(f.from);
  if (f.to !== undefined) range.$lt = new Date(f.to);
  if (Object.keys(range).length > 0) filter[field] = range;
  if (f.orgIds !== undefined) filter.orgId = { $in: f.orgIds };
  return filter;
}

export function mongoOrgs(m: Models, session?: ClientSession): StoreTx['orgs'] {
  return {
    async insert(org) {
      if (!(await insertIfAbsent(m.orgs, { _id: org.id }, toDoc(org), session))) throw new DuplicateError(`org ${org.id} already exists`);
    },
    async get(id) {
      const d = await m.orgs.findById(id, null, { session }).lean<Doc | null>();
      return d ? fromDoc('orgs', d) : null;
    },
    async list() {
      const docs = await m.orgs.find({}, null, { session }).sort({ createdAt: 1, _id: 1 }).lean<Doc[]>();
      return docs.map((d) => fromDoc('orgs', d));
    },
  };
}

export function mongoUsers(m: Models, session?: ClientSession): StoreTx['users'] {
  const many = async (filter: Doc, sort: Sort) =>
    (await m.users.find(filter, null, { session }).sort(sort).lean<Doc[]>()).map((d) => fromDoc('users', d));
  return {
    async insert(user) {
      if (!(await insertIfAbsent(m.users, { _id: user.id }, toDoc(user), session))) throw new DuplicateError(`user ${user.id} already exists`);
    },
    async get(id) {
      const d = await m.users.findById(id, null, { session }).lean<Doc | null>();
      return d ? fromDoc('users', d) : null;
    },
    list: () => many({}, { createdAt: 1, _id: 1 }),
    withRole: (role, orgIds) => many({ roles: role, orgId: { $in: orgIds } }, { _id: 1 }),
  };
}

export function mongoDispositions(m: Models, session?: ClientSession): StoreTx['dispositions'] {
  const many = async (filter: Doc) =>
    (await m.dispositions.find(filter, null, { session }).sort({ decidedAt: 1, _id: 1 }).lean<Doc[]>()).map((d) => fromDoc('dispositions', d));
  return {
    async insertMany(rows) {
      if (rows.length > 0) await m.dispositions.insertMany(rows.map((r) => toDoc(r)), { session });
    },
    listByCase: (caseId) => many({ caseId }),
    async revoke(match, at) {
      const person = match.personId !== undefined ? { personId: match.personId } : {};
      const filter = { caseId: match.caseId, reviewId: match.reviewId, revokedAt: null, ...person };
      await m.dispositions.updateMany(filter, { $set: { revokedAt: new Date(at) } }, { session });
    },
    query: (f) => many({ ...periodFilter('decidedAt', f), revokedAt: null }),
  };
}

const ACTIVE: DeadlineStatus[] = ['open', 'overdue'];

export function mongoDeadlines(m: Models, session?: ClientSession): StoreTx['deadlines'] {
  const many = async (filter: Doc, sort: Sort) =>
    (await m.deadlines.find(filter, null, { session }).sort(sort).lean<Doc[]>()).map((d) => fromDoc('deadlines', d));
  return {
    async insert(row) {
      await m.deadlines.create([toDoc(row)], { session });
    },
    async update(row) {
      const { _id, ...set } = toDoc(row);
      await m.deadlines.updateOne({ _id }, { $set: set }, { session });
    },
    async get(id) {
      const d = await m.deadlines.findById(id, null, { session }).lean<Doc | null>();
      return d ? fromDoc('deadlines', d) : null;
    },
    listByAggregate: (type, id) => many({ aggregateType: type, aggregateId: id }, { openedAt: 1, _id: 1 }),
    listByAggregates: async (type, ids) => (ids.length === 0 ? [] : many({ aggregateType: type, aggregateId: { $in: ids } }, { openedAt: 1, _id: 1 })),
    async countActive() {
      const [open, overdue] = [await m.deadlines.countDocuments({ status: 'open' }, { session }), await m.deadlines.countDocuments({ status: 'overdue' }, { session })];
      return { open, overdue };
    },
    async listActive(filter) {
      const statuses = filter?.status ? ACTIVE.filter((s) => filter.status!.includes(s)) : ACTIVE;
      if (statuses.length === 0) return [];
      const scope = filter?.orgIds !== undefined ? { orgId: { $in: filter.orgIds } } : {};
      return many({ status: { $in: statuses }, ...scope }, { dueAt: 1, _id: 1 });
    },
    query: (f) => many(periodFilter('dueAt', f), { dueAt: 1, _id: 1 }),
  };
}

export function mongoOutbox(m: Models, session?: ClientSession): StoreTx['outbox'] {
  return {
    async insert(rows) {
      if (rows.length > 0) await m.outbox.insertMany(rows.map((r) => toDoc(r)), { session });
    },
    async listUndelivered(limit) {
      const docs = await m.outbox.find({ deliveredAt: null }, null, { session }).sort({ createdAt: 1, _id: 1 }).limit(limit).lean<Doc[]>();
      return docs.map((d) => fromDoc('outbox', d));
    },
    async markDelivered(ids, at) {
      if (ids.length > 0) await m.outbox.updateMany({ _id: { $in: ids }, deliveredAt: null }, { $set: { deliveredAt: new Date(at) } }, { session });
    },
    async purgeDelivered(before, limit) {
      if (limit <= 0) return 0;
      // `$lt` a date never matches a missing or null deliveredAt; the { deliveredAt, createdAt } index serves it.
      const delivered = { deliveredAt: { $lt: new Date(before) } };
      const oldest = await m.outbox.find(delivered, { _id: 1 }, { session }).sort({ deliveredAt: 1 }).limit(limit).lean<Array<{ _id: string }>>();
      if (oldest.length === 0) return 0;
      const done = await m.outbox.deleteMany({ _id: { $in: oldest.map((d) => d._id) }, ...delivered }, { session });
      return done.deletedCount;
    },
  };
}

export function mongoNotifications(m: Models, session?: ClientSession): StoreTx['notifications'] {
  return {
    insert: (n) => insertIfAbsent(m.notifications, { _id: n.id }, toDoc(n), session),
    async insertMany(list) {
      if (list.length === 0) return;
      // Upserts that only insert: a repeated id keeps the stored notice (as `insert`).
      const ops = list.map((n) => {
        const { _id, ...doc } = toDoc(n);
        return { updateOne: { filter: { _id }, update: { $setOnInsert: doc }, upsert: true } };
      });
      await m.notifications.bulkWrite(ops, { session, ordered: true });
    },
    async listForUser(userId, limit) {
      const docs = await m.notifications.find({ userId }, null, { session }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<Doc[]>();
      return docs.map((d) => fromDoc('notifications', d));
    },
    async pageForUser(userId, q) {
      const mine: Doc = q.unreadOnly ? { userId, readAt: null } : { userId };
      // One operation at a time: a session takes no concurrent ones.
      const docs = await m.notifications.find(mine, null, { session }).sort({ createdAt: -1, _id: -1 }).skip((q.page - 1) * q.pageSize).limit(q.pageSize).lean<Doc[]>();
      const total = await m.notifications.countDocuments(mine, { session });
      const unread = await m.notifications.countDocuments({ userId, readAt: null }, { session });
      return { items: docs.map((d) => fromDoc('notifications', d)), total, unread };
    },
    async markRead(userId, ids, at) {
      if (ids !== null && ids.length === 0) return 0;
      const filter: Doc = { userId, readAt: null, ...(ids === null ? {} : { _id: { $in: ids } }) };
      const res = await m.notifications.updateMany(filter, { $set: { readAt: new Date(at) } }, { session });
      return res.modifiedCount;
    },
  };
}

export function mongoCalendars(m: Models, session?: ClientSession): StoreTx['calendars'] {
  return {
    async get(year) {
      const d = await m.calendars.findById(year, null, { session }).lean<Doc | null>();
      return d ? fromDoc('calendars', d) : null;
    },
    async put(cal) {
      const { _id, ...set } = toDoc(cal, 'year');
      await m.calendars.updateOne({ _id }, { $set: set }, { upsert: true, session });
    },
    async list() {
      const docs = await m.calendars.find({}, null, { session }).sort({ _id: 1 }).lean<Doc[]>();
      return docs.map((d) => fromDoc('calendars', d));
    },
  };
}
