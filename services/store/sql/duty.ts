/**
 * The sql side of the duty port (services/store/duty-port.ts): responsibility map, talks ledger,
 * follow-ups, rectifications, 一案双查 proposals, coverage notices. Tables: migration 0005.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, like, lte, or, sql, type SQL } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type {
  CoverageNotice,
  DualProposalRecord,
  DutyRepos,
  FollowUpRecord,
  PostRecord,
  RectificationRecord,
  TalkRecord,
} from '../duty-port';
import { DuplicateError, VersionConflictError, type AggregateType, type Page } from '../port';
import { isoOf } from '../records';
import type { Executor } from './executor';
import { likeLiteral } from './aggregates';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const posts = pgTable('responsibility_posts', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  post: text('post').notNull(),
  personId: text('person_id').notNull(),
  personName: text('person_name').notNull(),
  title: text('title'),
  portfolioOrgIds: jsonb('portfolio_org_ids').notNull(),
  portfolioDepartments: jsonb('portfolio_departments').notNull(),
  from: text('from_date').notNull(),
  to: text('to_date'),
  appointedBy: text('appointed_by').notNull(),
  recordedAt: ts('recorded_at').notNull(),
  endedBy: text('ended_by'),
  endedRecordedAt: ts('ended_recorded_at'),
  endReason: text('end_reason'),
});

export const talks = pgTable('talks', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  kind: text('kind').notNull(),
  heldOn: text('held_on').notNull(),
  year: integer('year').notNull(),
  talkerPersonId: text('talker_person_id').notNull(),
  talker: jsonb('talker').notNull(),
  talkedTo: jsonb('talked_to').notNull(),
  talkedPersonIds: jsonb('talked_person_ids').notNull(),
  attendeeOrgIds: jsonb('attendee_org_ids').notNull(),
  concerns: jsonb('concerns').notNull(),
  topics: jsonb('topics').notNull(),
  problems: jsonb('problems').notNull(),
  commitments: jsonb('commitments').notNull(),
  firstFormCaseId: text('first_form_case_id'),
  recordedBy: text('recorded_by').notNull(),
  recordedAt: ts('recorded_at').notNull(),
});

const aggregateColumns = () => ({
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  machineId: text('machine_id').notNull(),
  machineVersion: integer('machine_version').notNull(),
  snapshot: jsonb('snapshot').notNull(),
  state: text('state').notNull(),
  version: integer('version').notNull(),
  assignees: jsonb('assignees').notNull(),
  data: jsonb('data').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const followUps = pgTable('talk_follow_ups', {
  ...aggregateColumns(),
  talkId: text('talk_id').notNull(),
  ownerPersonId: text('owner_person_id').notNull(),
});

export const rectifications = pgTable('rectifications', {
  ...aggregateColumns(),
  sourceType: text('source_type').notNull(),
  sourceId: text('source_id').notNull(),
  unitOrgId: text('unit_org_id').notNull(),
});

export const proposals = pgTable('dual_proposals', {
  id: text('id').primaryKey(),
  unitOrgId: text('unit_org_id').notNull(),
  orgId: text('org_id').notNull(),
  windowKey: text('window_key').notNull(),
  rule: text('rule').notNull(),
  caseIds: jsonb('case_ids').notNull(),
  status: text('status').notNull(),
  createdAt: ts('created_at').notNull(),
  decidedBy: text('decided_by'),
  decidedAt: ts('decided_at'),
  decisionReason: text('decision_reason'),
  reviewId: text('review_id'),
});

export const coverageNotices = pgTable('coverage_notices', {
  id: text('id').primaryKey(),
  year: integer('year').notNull(),
  kind: text('kind').notNull(),
  obligation: text('obligation').notNull(),
  orgId: text('org_id').notNull(),
  at: ts('at').notNull(),
});

const date = (iso: string | null) => (iso === null ? null : new Date(iso));
const iso = (d: Date | string | null) => isoOf(d);
const within = (column: Parameters<typeof inArray>[0], ids: string[] | undefined): SQL | undefined =>
  ids === undefined ? undefined : ids.length === 0 ? sql`false` : inArray(column, ids);
const containsAny = (column: SQL | typeof posts.portfolioOrgIds, ids: string[]): SQL =>
  ids.length === 0 ? sql`false` : or(...ids.map((id) => sql`${column} @> ${JSON.stringify([id])}::jsonb`))!;
const stateIs = (column: typeof followUps.state | typeof rectifications.state, state: string): SQL => or(eq(column, state), like(column, `${likeLiteral(state)}.%`))!;

function postFromRow(r: typeof posts.$inferSelect): PostRecord {
  return {
    ...r,
    post: r.post as PostRecord['post'],
    portfolioOrgIds: r.portfolioOrgIds as string[],
    portfolioDepartments: r.portfolioDepartments as string[],
    recordedAt: iso(r.recordedAt)!,
    endedRecordedAt: iso(r.endedRecordedAt),
  };
}

function talkFromRow(r: typeof talks.$inferSelect): TalkRecord {
  return {
    id: r.id,
    orgId: r.orgId,
    kind: r.kind as TalkRecord['kind'],
    heldOn: r.heldOn,
    year: r.year,
    talker: r.talker as TalkRecord['talker'],
    talkedTo: r.talkedTo as TalkRecord['talkedTo'],
    talkedPersonIds: r.talkedPersonIds as string[],
    attendeeOrgIds: r.attendeeOrgIds as string[],
    concerns: r.concerns as TalkRecord['concerns'],
    topics: r.topics as string[],
    problems: r.problems as string[],
    commitments: r.commitments as TalkRecord['commitments'],
    firstFormCaseId: r.firstFormCaseId,
    recordedBy: r.recordedBy,
    recordedAt: iso(r.recordedAt)!,
  };
}

function aggregateFromRow<R>(r: { createdAt: Date; updatedAt: Date; assignees: unknown; data: unknown } & Record<string, unknown>): R {
  return { ...r, assignees: r.assignees as string[], data: r.data as Record<string, unknown>, createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! } as R;
}

function aggregateToRow<R extends { createdAt: string; updatedAt: string }>(r: R) {
  return { ...r, createdAt: new Date(r.createdAt), updatedAt: new Date(r.updatedAt) };
}

function pageOf(page: number, pageSize: number) {
  return { page, pageSize, offset: (page - 1) * pageSize };
}

function proposalFromRow(r: typeof proposals.$inferSelect): DualProposalRecord {
  return { ...r, caseIds: r.caseIds as string[], status: r.status as DualProposalRecord['status'], createdAt: iso(r.createdAt)!, decidedAt: iso(r.decidedAt) };
}

/** The compare-and-set update of an aggregate table. */
async function casUpdate(x: Executor, table: typeof followUps | typeof rectifications, type: AggregateType, record: { id: string; createdAt: string; updatedAt: string }, expected: number) {
  const { id, createdAt: _c, ...rest } = aggregateToRow(record) as Record<string, unknown> & { id: string };
  const done = await x.run((db) =>
    db
      .update(table)
      .set({ ...rest, version: expected + 1 } as never)
      .where(and(eq(table.id, id), eq(table.version, expected)))
      .returning({ id: table.id }),
  );
  if (done.length === 0) throw new VersionConflictError(type, id, expected);
}

export function dutyRepos(x: Executor): DutyRepos {
  return {
    posts: {
      async insert(p) {
        const row = { ...p, recordedAt: new Date(p.recordedAt), endedRecordedAt: date(p.endedRecordedAt) };
        const done = await x.run((db) => db.insert(posts).values(row).onConflictDoNothing().returning({ id: posts.id }));
        if (done.length === 0) throw new DuplicateError(`post ${p.id} already exists`);
      },
      async get(id) {
        const [row] = await x.run((db) => db.select().from(posts).where(eq(posts.id, id)));
        return row ? postFromRow(row) : null;
      },
      async end(id, end) {
        const [row] = await x.run((db) =>
          db
            .update(posts)
            .set({ to: end.to, endedBy: end.endedBy, endedRecordedAt: new Date(end.endedRecordedAt), endReason: end.endReason })
            .where(and(eq(posts.id, id), isNull(posts.to)))
            .returning(),
        );
        return row ? postFromRow(row) : null;
      },
      async list(f) {
        const where = and(
          within(posts.orgId, f.orgIds),
          f.personId !== undefined ? eq(posts.personId, f.personId) : undefined,
          f.post !== undefined ? eq(posts.post, f.post) : undefined,
          f.at !== undefined ? and(lte(posts.from, f.at), or(isNull(posts.to), gte(posts.to, f.at))) : undefined,
          f.overlapping !== undefined ? and(lte(posts.from, f.overlapping.to), or(isNull(posts.to), gte(posts.to, f.overlapping.from))) : undefined,
          f.coversOrgIds !== undefined ? containsAny(posts.portfolioOrgIds, f.coversOrgIds) : undefined,
        );
        const rows = await x.run((db) => db.select().from(posts).where(where).orderBy(asc(posts.orgId), asc(posts.from), asc(posts.id)));
        return rows.map(postFromRow);
      },
    },
    talks: {
      async insert(t) {
        const row = { ...t, talkerPersonId: t.talker.personId, recordedAt: new Date(t.recordedAt) };
        const done = await x.run((db) => db.insert(talks).values(row).onConflictDoNothing().returning({ id: talks.id }));
        if (done.length === 0) throw new DuplicateError(`talk ${t.id} already exists`);
      },
      async get(id) {
        const [row] = await x.run((db) => db.select().from(talks).where(eq(talks.id, id)));
        return row ? talkFromRow(row) : null;
      },
      async list(f) {
        const where = and(
          within(talks.orgId, f.orgIds),
          f.year !== undefined ? eq(talks.year, f.year) : undefined,
          f.kind !== undefined ? eq(talks.kind, f.kind) : undefined,
          f.talkedPersonId !== undefined ? sql`${talks.talkedPersonIds} @> ${JSON.stringify([f.talkedPersonId])}::jsonb` : undefined,
          f.talkerPersonId !== undefined ? eq(talks.talkerPersonId, f.talkerPersonId) : undefined,
          f.hiddenFromPersonId !== undefined
            ? sql`not (${talks.concerns} @> ${JSON.stringify([{ personId: f.hiddenFromPersonId }])}::jsonb and not ${talks.talkedPersonIds} @> ${JSON.stringify([f.hiddenFromPersonId])}::jsonb)`
            : undefined,
        );
        const { page, pageSize, offset } = pageOf(f.page, f.pageSize);
        const rows = await x.run((db) => db.select().from(talks).where(where).orderBy(desc(talks.heldOn), asc(talks.id)).limit(pageSize).offset(offset));
        const [{ total }] = await x.run((db) => db.select({ total: count() }).from(talks).where(where));
        return { items: rows.map(talkFromRow), total, page, pageSize } satisfies Page<TalkRecord>;
      },
      async facts(f) {
        const where = and(eq(talks.year, f.year), f.kinds ? within(talks.kind, f.kinds) : undefined);
        const rows = await x.run((db) =>
          db
            .select({ id: talks.id, orgId: talks.orgId, kind: talks.kind, heldOn: talks.heldOn, talkerPersonId: talks.talkerPersonId, talkedPersonIds: talks.talkedPersonIds, attendeeOrgIds: talks.attendeeOrgIds })
            .from(talks)
            .where(where),
        );
        return rows.map((r) => ({ ...r, kind: r.kind as TalkRecord['kind'], talkedPersonIds: r.talkedPersonIds as string[], attendeeOrgIds: r.attendeeOrgIds as string[] }));
      },
    },
    followUps: {
      async insert(record) {
        const done = await x.run((db) => db.insert(followUps).values(aggregateToRow(record)).onConflictDoNothing().returning({ id: followUps.id }));
        if (done.length === 0) throw new DuplicateError(`follow-up ${record.id} already exists`);
      },
      async get(id) {
        const [row] = await x.run((db) => db.select().from(followUps).where(eq(followUps.id, id)));
        return row ? aggregateFromRow<FollowUpRecord>(row) : null;
      },
      update: (record, expected) => casUpdate(x, followUps, 'followUp', record, expected),
      async list(f) {
        const where = and(
          f.talkId !== undefined ? eq(followUps.talkId, f.talkId) : undefined,
          within(followUps.orgId, f.orgIds),
          f.state !== undefined ? stateIs(followUps.state, f.state) : undefined,
        );
        const { page, pageSize, offset } = pageOf(f.page, f.pageSize);
        const rows = await x.run((db) => db.select().from(followUps).where(where).orderBy(asc(followUps.createdAt), asc(followUps.id)).limit(pageSize).offset(offset));
        const [{ total }] = await x.run((db) => db.select({ total: count() }).from(followUps).where(where));
        return { items: rows.map((r) => aggregateFromRow<FollowUpRecord>(r)), total, page, pageSize };
      },
    },
    rectifications: {
      async insert(record) {
        const done = await x.run((db) => db.insert(rectifications).values(aggregateToRow(record)).onConflictDoNothing().returning({ id: rectifications.id }));
        if (done.length === 0) throw new DuplicateError(`rectification ${record.id} (or one for ${record.sourceType} ${record.sourceId}) already exists`);
      },
      async get(id) {
        const [row] = await x.run((db) => db.select().from(rectifications).where(eq(rectifications.id, id)));
        return row ? aggregateFromRow<RectificationRecord>(row) : null;
      },
      async getBySource(sourceType, sourceId) {
        const [row] = await x.run((db) => db.select().from(rectifications).where(and(eq(rectifications.sourceType, sourceType), eq(rectifications.sourceId, sourceId))));
        return row ? aggregateFromRow<RectificationRecord>(row) : null;
      },
      update: (record, expected) => casUpdate(x, rectifications, 'rectification', record, expected),
      async list(f) {
        const where = and(
          within(rectifications.orgId, f.orgIds),
          within(rectifications.unitOrgId, f.unitOrgIds),
          f.state !== undefined ? stateIs(rectifications.state, f.state) : undefined,
          f.sourceId !== undefined ? eq(rectifications.sourceId, f.sourceId) : undefined,
        );
        const { page, pageSize, offset } = pageOf(f.page, f.pageSize);
        const rows = await x.run((db) =>
          db.select().from(rectifications).where(where).orderBy(desc(rectifications.updatedAt), asc(rectifications.id)).limit(pageSize).offset(offset),
        );
        const [{ total }] = await x.run((db) => db.select({ total: count() }).from(rectifications).where(where));
        return { items: rows.map((r) => aggregateFromRow<RectificationRecord>(r)), total, page, pageSize };
      },
    },
    proposals: {
      async insert(p) {
        const row = { ...p, createdAt: new Date(p.createdAt), decidedAt: date(p.decidedAt) };
        const done = await x.run((db) => db.insert(proposals).values(row).onConflictDoNothing().returning({ id: proposals.id }));
        return done.length > 0;
      },
      async get(id) {
        const [row] = await x.run((db) => db.select().from(proposals).where(eq(proposals.id, id)));
        return row ? proposalFromRow(row) : null;
      },
      async decide(id, d) {
        const done = await x.run((db) =>
          db
            .update(proposals)
            .set({ ...d, decidedAt: date(d.decidedAt) })
            .where(and(eq(proposals.id, id), eq(proposals.status, 'open')))
            .returning({ id: proposals.id }),
        );
        return done.length > 0;
      },
      async list(f) {
        const where = and(within(proposals.orgId, f.orgIds), f.status !== undefined ? eq(proposals.status, f.status) : undefined);
        const rows = await x.run((db) => db.select().from(proposals).where(where).orderBy(desc(proposals.createdAt), asc(proposals.id)));
        return rows.map(proposalFromRow);
      },
    },
    coverageNotices: {
      async insertNew(list) {
        if (list.length === 0) return [];
        const rows = list.map((n) => ({ ...n, at: new Date(n.at) }));
        const done = await x.run((db) => db.insert(coverageNotices).values(rows).onConflictDoNothing().returning({ id: coverageNotices.id }));
        return done.map((r) => r.id);
      },
      async list(year) {
        const rows = await x.run((db) => db.select().from(coverageNotices).where(eq(coverageNotices.year, year)).orderBy(asc(coverageNotices.id)));
        return rows.map((r): CoverageNotice => ({ ...r, kind: r.kind as CoverageNotice['kind'], at: iso(r.at)! }));
      },
    },
  };
}
