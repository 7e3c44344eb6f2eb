/**
 * The plain tables: orgs, users, dispositions, deadlines, outbox, notifications, calendars.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { DuplicateError, type DeadlineStatus, type StoreTx } from '../port';
import type { Db } from './driver';
import type { Executor } from './executor';
import { deadlinesByAggregate, dispositionsByCase, getDeadline, getOrg, getUser } from './prepared-statements';
import * as rows from './rows';
import * as t from './schema';

/** `column IN (…)`; an empty list matches nothing. */
function within(column: AnyPgColumn, ids: string[] | undefined): SQL | undefined {
  if (ids === undefined) return undefined;
  return ids.length === 0 ? sql`false` : inArray(column, ids);
}

export function orgsRepo(x: Executor): StoreTx['orgs'] {
  return {
    async insert(org) {
      const row = { ...org, createdAt: rows.dateOf(org.createdAt) };
      const done = await x.run((db) => db.insert(t.orgs).values(row).onConflictDoNothing().returning({ id: t.orgs.id }));
      if (done.length === 0) throw new DuplicateError(`org ${org.id} already exists`);
    },
    async get(id) {
      const [row] = await x.hot<typeof t.orgs.$inferSelect>(getOrg(id));
      return row ? rows.orgFromRow(row) : null;
    },
    async list() {
      return (await x.run((db) => db.select().from(t.orgs).orderBy(asc(t.orgs.createdAt), asc(t.orgs.id)))).map(rows.orgFromRow);
    },
  };
}

export function usersRepo(x: Executor): StoreTx['users'] {
  return {
    async insert(user) {
      const row = { ...user, createdAt: rows.dateOf(user.createdAt) };
      const done = await x.run((db) => db.insert(t.users).values(row).onConflictDoNothing().returning({ id: t.users.id }));
      if (done.length === 0) throw new DuplicateError(`user ${user.id} already exists`);
    },
    async get(id) {
      const [row] = await x.hot<typeof t.users.$inferSelect>(getUser(id));
      return row ? rows.userFromRow(row) : null;
    },
    async list() {
      return (await x.run((db) => db.select().from(t.users).orderBy(asc(t.users.createdAt), asc(t.users.id)))).map(rows.userFromRow);
    },
    async withRole(role, orgIds) {
      const where = and(sql`${t.users.roles} @> ${JSON.stringify([role])}::jsonb`, within(t.users.orgId, orgIds));
      return (await x.run((db) => db.select().from(t.users).where(where).orderBy(asc(t.users.id)))).map(rows.userFromRow);
    },
  };
}

export function dispositionsRepo(x: Executor): StoreTx['dispositions'] {
  const d = t.dispositions;
  return {
    async insertMany(list) {
      if (list.length === 0) return;
      await x.write.dispositions(list);
    },
    async listByCase(caseId) {
      return (await x.hot<typeof d.$inferSelect>(dispositionsByCase(caseId))).map(rows.dispositionFromRow);
    },
    async revoke(match, at) {
      const where = and(
        eq(d.caseId, match.caseId),
        match.reviewId === null ? isNull(d.reviewId) : eq(d.reviewId, match.reviewId),
        match.personId !== undefined ? eq(d.personId, match.personId) : undefined,
        isNull(d.revokedAt),
      );
      await x.run((db) => db.update(d).set({ revokedAt: rows.dateOf(at) }).where(where));
    },
    async query(f) {
      const where = and(
        f.from !== undefined ? gte(d.decidedAt, rows.dateOf(f.from)) : undefined,
        f.to !== undefined ? lt(d.decidedAt, rows.dateOf(f.to)) : undefined,
        within(d.orgId, f.orgIds),
        isNull(d.revokedAt),
      );
      return (await x.run((db) => db.select().from(d).where(where).orderBy(asc(d.decidedAt), asc(d.id)))).map(rows.dispositionFromRow);
    },
  };
}

const ACTIVE: DeadlineStatus[] = ['open', 'overdue'];

export function deadlinesRepo(x: Executor): StoreTx['deadlines'] {
  const d = t.deadlines;
  return {
    insert: (row) => x.write.deadlineInsert(row),
    update: (row) => x.write.deadlineUpdate(row),
    async get(id, options) {
      const [row] = await x.hot<typeof d.$inferSelect>(getDeadline(id, options?.lock === true));
      return row ? rows.deadlineFromRow(row) : null;
    },
    async listByAggregate(type, id, options) {
      if (options?.lock === true && x.lockedDeadlines) return x.lockedDeadlines(type, id);
      return (await x.hot<typeof d.$inferSelect>(deadlinesByAggregate(type, id, options?.lock === true))).map(rows.deadlineFromRow);
    },
    async listByAggregates(type, ids) {
      if (ids.length === 0) return [];
      const where = and(eq(d.aggregateType, type), inArray(d.aggregateId, ids));
      return (await x.run((db) => db.select().from(d).where(where).orderBy(asc(d.openedAt), asc(d.id)))).map(rows.deadlineFromRow);
    },
    async countActive() {
      const found = await x.run((db) => db.select({ status: d.status, n: count() }).from(d).where(inArray(d.status, ACTIVE)).groupBy(d.status));
      const by = new Map(found.map((r) => [r.status, Number(r.n)]));
      return { open: by.get('open') ?? 0, overdue: by.get('overdue') ?? 0 };
    },
    async listActive(filter) {
      const statuses = filter?.status ? ACTIVE.filter((s) => filter.status!.includes(s)) : ACTIVE;
      if (statuses.length === 0) return [];
      const where = and(inArray(d.status, statuses), within(d.orgId, filter?.orgIds));
      return (await x.run((db) => db.select().from(d).where(where).orderBy(asc(d.dueAt), asc(d.id)))).map(rows.deadlineFromRow);
    },
    async query(f) {
      const where = and(
        f.from !== undefined ? gte(d.dueAt, rows.dateOf(f.from)) : undefined,
        f.to !== undefined ? lt(d.dueAt, rows.dateOf(f.to)) : undefined,
        within(d.orgId, f.orgIds),
      );
      return (await x.run((db) => db.select().from(d).where(where).orderBy(asc(d.dueAt), asc(d.id)))).map(rows.deadlineFromRow);
    },
  };
}

export function outboxRepo(x: Executor): StoreTx['outbox'] {
  const o = t.outbox;
  return {
    async insert(list) {
      if (list.length === 0) return;
      await x.write.outbox(list);
    },
    async listUndelivered(limit) {
      const found = await x.run((db) => db.select().from(o).where(isNull(o.deliveredAt)).orderBy(asc(o.createdAt), asc(o.id)).limit(limit));
      return found.map(rows.outboxFromRow);
    },
    async markDelivered(ids, at) {
      if (ids.length === 0) return;
      await x.run((db) => db.update(o).set({ deliveredAt: rows.dateOf(at) }).where(and(inArray(o.id, ids), isNull(o.deliveredAt))));
    },
    async purgeDelivered(before, limit) {
      if (limit <= 0) return 0;
      // By the partial index outbox_delivered (migration 0002); rows another purge holds are left to it.
      const oldest = (db: Db) =>
        db.select({ id: o.id }).from(o).where(lt(o.deliveredAt, rows.dateOf(before))).orderBy(asc(o.deliveredAt)).limit(limit).for('update', { skipLocked: true });
      const done = await x.run((db) => db.delete(o).where(inArray(o.id, oldest(db))).returning({ id: o.id }));
      return done.length;
    },
  };
}

export function notificationsRepo(x: Executor): StoreTx['notifications'] {
  const n = t.notifications;
  return {
    async insert(note) {
      const done = await x.run((db) => db.insert(n).values(rows.notificationToRow(note)).onConflictDoNothing({ target: n.id }).returning({ id: n.id }));
      return done.length > 0;
    },
    async insertMany(list) {
      if (list.length > 0) await x.write.notifications(list);
    },
    async listForUser(userId, limit) {
      const found = await x.run((db) => db.select().from(n).where(eq(n.userId, userId)).orderBy(desc(n.createdAt), desc(n.id)).limit(limit));
      return found.map(rows.notificationFromRow);
    },
    async pageForUser(userId, q) {
      const mine = q.unreadOnly ? and(eq(n.userId, userId), isNull(n.readAt)) : eq(n.userId, userId);
      const found = await x.run((db) => db.select().from(n).where(mine).orderBy(desc(n.createdAt), desc(n.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize));
      const [{ total }] = await x.run((db) => db.select({ total: count() }).from(n).where(mine));
      const [{ unread }] = await x.run((db) => db.select({ unread: count() }).from(n).where(and(eq(n.userId, userId), isNull(n.readAt))));
      return { items: found.map(rows.notificationFromRow), total: Number(total), unread: Number(unread) };
    },
    async markRead(userId, ids, at) {
      if (ids !== null && ids.length === 0) return 0;
      const which = and(eq(n.userId, userId), isNull(n.readAt), ids === null ? undefined : inArray(n.id, ids));
      const done = await x.run((db) => db.update(n).set({ readAt: rows.dateOf(at) }).where(which).returning({ id: n.id }));
      return done.length;
    },
  };
}

export function calendarsRepo(x: Executor): StoreTx['calendars'] {
  const c = t.calendars;
  return {
    async get(year) {
      const [row] = await x.run((db) => db.select().from(c).where(eq(c.year, year)));
      return row ? rows.calendarFromRow(row) : null;
    },
    async put(cal) {
      const row = { ...cal, updatedAt: rows.dateOf(cal.updatedAt) };
      const { year: _y, ...set } = row;
      await x.run((db) => db.insert(c).values(row).onConflictDoUpdate({ target: c.year, set }));
    },
    async list() {
      return (await x.run((db) => db.select().from(c).orderBy(asc(c.year)))).map(rows.calendarFromRow);
    },
  };
}
