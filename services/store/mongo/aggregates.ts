/**
 * Cases and reviews on MongoDB: the version compare-and-set is `updateOne({_id, version})`.
 */
import type { ClientSession, Model } from 'mongoose';
import {
  DuplicateError,
  VersionConflictError,
  type AggregateBase,
  type CaseFilter,
  type Page,
  type ReviewFilter,
  type StoreTx,
  type Viewer,
  caseNumber,
} from '../port';
import { fromDoc, toDoc, type Doc } from './docs';
import type { Models } from './models';

/** A string matched literally inside a regular expression. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `investigation` matches `investigation` and `investigation.inProgress`. */
const stateFilter = (state: string) => ({ $regex: `^${escapeRegex(state)}(\\.|$)` });

/** MongoDB's duplicate-key error. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * Inserts unless the filter matches: an upsert that only sets on insert, so a clash neither
 * throws inside the transaction nor overwrites. Returns false when the document existed.
 */
export async function insertIfAbsent(model: Model<any>, filter: Record<string, unknown>, doc: Record<string, unknown>, session?: ClientSession): Promise<boolean> {
  // The filter's fields seed the inserted document; repeating them in $setOnInsert would clash.
  const onInsert = Object.fromEntries(Object.entries(doc).filter(([k]) => !(k in filter)));
  try {
    const res = await model.updateOne(filter, { $setOnInsert: onInsert }, { upsert: true, session });
    return res.upsertedCount === 1;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

async function casUpdate(model: Model<any>, kind: 'case' | 'review', record: AggregateBase, expected: number, session?: ClientSession) {
  const { _id, createdAt: _c, ...set } = toDoc(record);
  const res = await model.updateOne({ _id, version: expected }, { $set: { ...set, version: expected + 1 } }, { session });
  if (res.matchedCount === 0) throw new VersionConflictError(kind, record.id, expected);
}

async function listPage<R>(
  model: Model<any>,
  filter: object,
  paging: { page: number; pageSize: number },
  decodeDoc: (d: Doc) => R,
  session?: ClientSession,
): Promise<Page<R>> {
  const pageSize = Math.max(1, Math.floor(paging.pageSize));
  const page = Math.max(1, Math.floor(paging.page));
  // Sequential: a transaction's session does not take concurrent operations.
  const docs = await model.find(filter, null, { session }).sort({ updatedAt: -1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean<Doc[]>();
  const total = await model.countDocuments(filter, { session });
  return { items: docs.map((d) => decodeDoc(d)), total, page, pageSize };
}

/** The recusal rule of services/authz on a case document's snapshot context (for `$nor`). */
function recusedFrom(u: Viewer): Record<string, unknown>[] {
  return [
    { 'snapshot.context.recusals.userId': u.userId },
    { 'snapshot.context.subjects.name': u.name },
    ...(u.personId ? [{ 'snapshot.context.subjects.personId': u.personId }] : []),
  ];
}

export function mongoCases(m: Models, session?: ClientSession): StoreTx['cases'] {
  const decodeDoc = (d: Doc) => fromDoc('cases', d);
  return {
    async insert(record) {
      if (!(await insertIfAbsent(m.cases, { _id: record.id }, toDoc(record), session))) throw new DuplicateError(`case ${record.id} already exists`);
    },
    async get(id) {
      const d = await m.cases.findById(id, null, { session }).lean<Doc | null>();
      return d ? decodeDoc(d) : null;
    },
    update: (record, expected) => casUpdate(m.cases, 'case', record, expected, session),
    async list(f: CaseFilter) {
      const filter: Record<string, unknown> = {};
      if (f.state !== undefined) filter.state = stateFilter(f.state);
      if (f.orgIds !== undefined) filter.orgId = { $in: f.orgIds };
      if (f.assignee !== undefined) filter.assignees = f.assignee;
      if (f.flag !== undefined) filter.flags = f.flag;
      if (f.unitOrgIds !== undefined) {
        filter.$and = [{ $or: [{ 'data.orgId': { $in: f.unitOrgIds } }, { 'data.orgId': { $exists: false }, orgId: { $in: f.unitOrgIds } }] }];
      }
      if (f.dualState !== undefined) filter.dualState = { $in: f.dualState };
      if (f.q) filter.searchText = { $regex: escapeRegex(f.q), $options: 'i' };
      if (f.visibleTo) filter.$nor = recusedFrom(f.visibleTo);
      if (f.overdue) {
        const ids = await m.deadlines.distinct('aggregateId', { aggregateType: 'case', status: 'overdue' }, { session });
        filter._id = { $in: ids };
      }
      return listPage(m.cases, filter, f, decodeDoc, session);
    },
    async nextNumber(orgId, year) {
      const d = await m.caseNumbers.findOneAndUpdate({ orgId, year }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', session }).lean<Doc | null>();
      return (d as unknown as { seq: number }).seq;
    },
    async insertNumbered(record, year) {
      // Inside the session's transaction: a duplicate id aborts it, and the drawn number with it.
      const seq = await this.nextNumber(record.orgId, year);
      const number = caseNumber(record.orgId, year, seq);
      await this.insert({ ...record, number });
      return number;
    },
  };
}

export function mongoReviews(m: Models, session?: ClientSession): StoreTx['reviews'] {
  const decodeDoc = (d: Doc) => fromDoc('reviews', d);
  return {
    async insert(record) {
      const doc = toDoc(record);
      if (!(await insertIfAbsent(m.reviews, { caseId: doc.caseId, kind: doc.kind }, doc, session))) {
        throw new DuplicateError(`review ${record.id} (or the ${record.kind} review of case ${record.caseId}) already exists`);
      }
    },
    async get(id) {
      const d = await m.reviews.findById(id, null, { session }).lean<Doc | null>();
      return d ? decodeDoc(d) : null;
    },
    async getByCaseAndKind(caseId, kind) {
      const d = await m.reviews.findOne({ caseId, kind }, null, { session }).lean<Doc | null>();
      return d ? decodeDoc(d) : null;
    },
    update: (record, expected) => casUpdate(m.reviews, 'review', record, expected, session),
    async list(f: ReviewFilter) {
      const filter: Record<string, unknown> = {};
      if (f.caseId !== undefined) filter.caseId = f.caseId;
      if (f.kind !== undefined) filter.kind = f.kind;
      if (f.state !== undefined) filter.state = stateFilter(f.state);
      if (f.orgIds !== undefined) filter.orgId = { $in: f.orgIds };
      if (f.visibleTo) {
        // The reviews of the cases the viewer is recused from (few: recusal is the exception).
        const recused = await m.cases.distinct('_id', { $or: recusedFrom(f.visibleTo) }, { session });
        if (recused.length > 0) filter.caseId = f.caseId !== undefined ? { $eq: f.caseId, $nin: recused } : { $nin: recused };
        // A party to the review is recused from it (services/authz isPartyToReview).
        if (f.visibleTo.personId) filter['data.involvedPersonIds'] = { $ne: f.visibleTo.personId };
      }
      return listPage(m.reviews, filter, f, decodeDoc, session);
    },
  };
}
