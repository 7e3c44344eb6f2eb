/**
 * Cases and reviews: insert, get, compare-and-set update and filtered lists.
 */
import { and, count, desc, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import {
  DuplicateError,
  VersionConflictError,
  type CaseFilter,
  type Page,
  type ReviewFilter,
  type ReviewRecord,
  type StoreTx,
  type Viewer,
} from '../port';
import type { Executor } from './executor';
import { casCase, casReview, getCase, getReview, insertNumberedCase } from './prepared-statements';
import { caseFromRow, caseToRow, reviewFromRow, reviewToRow } from './rows';
import * as t from './schema';

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `investigation` matches `investigation` and `investigation.inProgress`, not `investigationX`. */
function stateMatches(column: typeof t.cases.state | typeof t.reviews.state, state: string): SQL {
  return or(eq(column, state), like(column, `${likeLiteral(state)}.%`))!;
}

function pageOf(page: number, pageSize: number) {
  const size = Math.max(1, Math.floor(pageSize));
  const p = Math.max(1, Math.floor(page));
  return { page: p, pageSize: size, offset: (p - 1) * size };
}

export function casesRepo(x: Executor): StoreTx['cases'] {
  return {
    async insert(record) {
      const rows = await x.run((db) => db.insert(t.cases).values(caseToRow(record)).onConflictDoNothing().returning({ id: t.cases.id }));
      if (rows.length === 0) throw new DuplicateError(`case ${record.id} already exists`);
    },
    async get(id) {
      const [row] = await x.hot<typeof t.cases.$inferSelect>(getCase(id));
      return row ? caseFromRow(row) : null;
    },
    async update(record, expectedVersion) {
      const conflict = () => new VersionConflictError('case', record.id, expectedVersion);
      if (x.casLater?.(casCase(record, expectedVersion), conflict)) return;
      const rows = await x.hot(casCase(record, expectedVersion));
      if (rows.length === 0) throw conflict();
    },
    async list(filter) {
      return listPage(x, t.cases, caseWhere(filter), filter, caseFromRow);
    },
    async nextNumber(orgId, year) {
      const [row] = await x.run((db) =>
        db
          .insert(t.caseNumbers)
          .values({ orgId, year, seq: 1 })
          .onConflictDoUpdate({ target: [t.caseNumbers.orgId, t.caseNumbers.year], set: { seq: sql`${t.caseNumbers.seq} + 1` } })
          .returning({ seq: t.caseNumbers.seq }),
      );
      return row.seq;
    },
    async insertNumbered(record, year) {
      // A clash on the id is a unique violation (the port's DuplicateError); the counter rolls back with it.
      const [row] = await x.hot<{ number: string }>(insertNumberedCase(record, year));
      return row.number;
    },
  };
}

function caseWhere(f: CaseFilter): SQL | undefined {
  const c = t.cases;
  const overdue = sql`exists (select 1 from ${t.deadlines} where ${t.deadlines.aggregateType} = 'case'
    and ${t.deadlines.aggregateId} = ${c.id} and ${t.deadlines.status} = 'overdue')`;
  return and(
    f.state !== undefined ? stateMatches(c.state, f.state) : undefined,
    f.orgIds !== undefined ? orgIn(c.orgId, f.orgIds) : undefined,
    // unit_org_id = coalesce(data ->> 'orgId', org_id), generated (migration 0008).
    f.unitOrgIds !== undefined ? (f.unitOrgIds.length === 0 ? sql`false` : inArray(sql`${c}.unit_org_id`, f.unitOrgIds)) : undefined,
    f.assignee !== undefined ? sql`${c.assignees} @> ${JSON.stringify([f.assignee])}::jsonb` : undefined,
    f.flag !== undefined ? sql`${c.flags} @> ${JSON.stringify([f.flag])}::jsonb` : undefined,
    f.overdue ? overdue : undefined,
    f.dualState !== undefined ? (f.dualState.length === 0 ? sql`false` : inArray(c.dualState, f.dualState)) : undefined,
    f.q ? ilike(c.searchText, `%${likeLiteral(f.q)}%`) : undefined,
    f.visibleTo ? sql`not ${recused(sql`${t.cases}`, f.visibleTo)}` : undefined,
  );
}

/**
 * The recusal rule of services/authz in SQL, on a stored case's recusal facts: the generated columns
 * of migration 0008 (the snapshot context's `recusals[*].userId`, `subjects[*].name`,
 * `subjects[*].personId`), so that a list need not read every snapshot. `alias`: the cases row.
 */
function recused(alias: SQL, u: Viewer): SQL {
  const clauses = [
    sql`${alias}.recused_user_ids @> ${JSON.stringify([u.userId])}::jsonb`,
    sql`${alias}.subject_names @> ${JSON.stringify([u.name])}::jsonb`,
  ];
  if (u.personId) clauses.push(sql`${alias}.subject_person_ids @> ${JSON.stringify([u.personId])}::jsonb`);
  return sql`(${sql.join(clauses, sql` or `)})`;
}

/** The viewer is not recused from the review's case. */
function caseVisible(u: Viewer): SQL {
  return sql`not exists (select 1 from ${t.cases} review_case
    where review_case.id = ${t.reviews.caseId} and ${recused(sql.raw('review_case'), u)})`;
}

/** `inArray` with an empty list matches nothing (an empty scope sees no records). */
function orgIn(column: typeof t.cases.orgId | typeof t.reviews.orgId, orgIds: string[]): SQL {
  return orgIds.length === 0 ? sql`false` : inArray(column, orgIds);
}

async function listPage<T extends typeof t.cases | typeof t.reviews, R>(
  x: Executor,
  table: T,
  where: SQL | undefined,
  filter: { page: number; pageSize: number },
  fromRow: (row: T['$inferSelect']) => R,
): Promise<Page<R>> {
  const { page, pageSize, offset } = pageOf(filter.page, filter.pageSize);
  const rows = await x.run((db) =>
    db.select().from(table as typeof t.cases).where(where).orderBy(desc(table.updatedAt), table.id).limit(pageSize).offset(offset),
  );
  const [{ total }] = await x.run((db) => db.select({ total: count() }).from(table as typeof t.cases).where(where));
  return { items: rows.map((r) => fromRow(r as T['$inferSelect'])), total, page, pageSize };
}

export function reviewsRepo(x: Executor): StoreTx['reviews'] {
  return {
    async insert(record) {
      const rows = await x.run((db) => db.insert(t.reviews).values(reviewToRow(record)).onConflictDoNothing().returning({ id: t.reviews.id }));
      if (rows.length === 0) throw new DuplicateError(`review ${record.id} (or the ${record.kind} review of case ${record.caseId}) already exists`);
    },
    async get(id) {
      const [row] = await x.hot<typeof t.reviews.$inferSelect>(getReview(id));
      return row ? reviewFromRow(row) : null;
    },
    async getByCaseAndKind(caseId, kind) {
      const [row] = await x.run((db) => db.select().from(t.reviews).where(and(eq(t.reviews.caseId, caseId), eq(t.reviews.kind, kind))));
      return row ? reviewFromRow(row) : null;
    },
    async update(record, expectedVersion) {
      const conflict = () => new VersionConflictError('review', record.id, expectedVersion);
      if (x.casLater?.(casReview(record, expectedVersion), conflict)) return;
      const rows = await x.hot(casReview(record, expectedVersion));
      if (rows.length === 0) throw conflict();
    },
    async list(filter: ReviewFilter) {
      const r = t.reviews;
      const where = and(
        filter.caseId !== undefined ? eq(r.caseId, filter.caseId) : undefined,
        filter.kind !== undefined ? eq(r.kind, filter.kind) : undefined,
        filter.state !== undefined ? stateMatches(r.state, filter.state) : undefined,
        filter.orgIds !== undefined ? orgIn(r.orgId, filter.orgIds) : undefined,
        filter.visibleTo ? caseVisible(filter.visibleTo) : undefined,
        filter.visibleTo?.personId ? sql`not coalesce(${r.data} -> 'involvedPersonIds', '[]'::jsonb) @> ${JSON.stringify([filter.visibleTo.personId])}::jsonb` : undefined,
      );
      return listPage(x, r, where, filter, reviewFromRow) as Promise<Page<ReviewRecord>>;
    },
  };
}
