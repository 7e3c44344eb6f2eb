/**
 * The mongo side of the duty port (services/store/duty-port.ts). Collections mirror migration
 * 0005_responsibility of the sql adapter; the models live on the store's connection.
 */
import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import type { AggregateBase, AggregateType, Page } from '../port';
import { DuplicateError, VersionConflictError } from '../port';
import type { CoverageNotice, DualProposalRecord, DutyRepos, FollowUpRecord, PostRecord, RectificationRecord, TalkRecord } from '../duty-port';
import { escapeRegex, insertIfAbsent } from './aggregates';
import type { Doc } from './docs';
import type { Models } from './models';

const { Mixed } = Schema.Types;
const options = { versionKey: false, minimize: false, strict: false, autoCreate: true } as const;

interface DutyModels {
  posts: Model<Doc>;
  talks: Model<Doc>;
  followUps: Model<Doc>;
  rectifications: Model<Doc>;
  proposals: Model<Doc>;
  coverageNotices: Model<Doc>;
}

const byConnection = new WeakMap<Connection, DutyModels>();

function dutyModels(conn: Connection): DutyModels {
  const hit = byConnection.get(conn);
  if (hit) return hit;
  const s = (def: Record<string, unknown>, collection: string) => new Schema(def, { ...options, collection });
  const posts = s({ _id: String, orgId: String, personId: String, from: String, to: String, portfolioOrgIds: [String] }, 'responsibility_posts');
  posts.index({ orgId: 1, from: 1 });
  posts.index({ personId: 1 });
  posts.index({ portfolioOrgIds: 1 });
  const talks = s({ _id: String, orgId: String, year: Number, talkedPersonIds: [String], talkerPersonId: String }, 'talks');
  talks.index({ year: 1, orgId: 1 });
  talks.index({ talkedPersonIds: 1 });
  const aggregate = { _id: String, orgId: String, state: String, version: Number, snapshot: { type: Mixed }, data: { type: Mixed }, createdAt: Date, updatedAt: Date };
  const followUps = s({ ...aggregate, talkId: String }, 'talk_follow_ups');
  followUps.index({ talkId: 1 });
  const rectifications = s({ ...aggregate, sourceType: String, sourceId: String, unitOrgId: String }, 'rectifications');
  rectifications.index({ sourceType: 1, sourceId: 1 }, { unique: true });
  const proposals = s({ _id: String, unitOrgId: String, windowKey: String, orgId: String, status: String, createdAt: Date }, 'dual_proposals');
  proposals.index({ unitOrgId: 1, windowKey: 1 }, { unique: true });
  const coverageNotices = s({ _id: String, year: Number }, 'coverage_notices');
  const models: DutyModels = {
    posts: conn.model<Doc>('responsibility_posts', posts),
    talks: conn.model<Doc>('talks', talks),
    followUps: conn.model<Doc>('talk_follow_ups', followUps),
    rectifications: conn.model<Doc>('rectifications', rectifications),
    proposals: conn.model<Doc>('dual_proposals', proposals),
    coverageNotices: conn.model<Doc>('coverage_notices', coverageNotices),
  };
  byConnection.set(conn, models);
  return models;
}

/** `_id` → `id`; Dates → ISO strings. */
function record<T>(doc: Doc | null): T | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  const out: Doc = { id: _id, ...rest };
  for (const [k, v] of Object.entries(out)) if (v instanceof Date) out[k] = v.toISOString();
  return out as T;
}

const toDoc = (r: { id: string } & object): Doc => {
  const { id, ...rest } = r;
  return { _id: id, ...rest };
};

const inList = (ids: string[] | undefined) => (ids === undefined ? undefined : { $in: ids });
const stateFilter = (state: string) => ({ $regex: `^${escapeRegex(state)}(\\.|$)` });
const clean = (filter: Doc): Doc => Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));

async function page<T>(model: Model<Doc>, filter: Doc, sort: Record<string, 1 | -1>, p: { page: number; pageSize: number }, session?: ClientSession): Promise<Page<T>> {
  const docs = await model.find(filter, null, { session }).sort(sort).skip((p.page - 1) * p.pageSize).limit(p.pageSize).lean<Doc[]>();
  const total = await model.countDocuments(filter, { session });
  return { items: docs.map((d) => record<T>(d)!), total, page: p.page, pageSize: p.pageSize };
}

function aggregateRepo<R extends AggregateBase>(model: Model<Doc>, type: AggregateType, session?: ClientSession) {
  return {
    async insert(r: R) {
      if (!(await insertIfAbsent(model, { _id: r.id }, toDoc(r), session))) throw new DuplicateError(`${type} ${r.id} already exists`);
    },
    async get(id: string) {
      return record<R>(await model.findById(id, null, { session }).lean<Doc | null>());
    },
    async update(r: R, expected: number) {
      const { _id, createdAt: _c, ...set } = toDoc(r);
      const res = await model.updateOne({ _id, version: expected }, { $set: { ...set, version: expected + 1 } }, { session });
      if (res.matchedCount === 0) throw new VersionConflictError(type, r.id, expected);
    },
  };
}

export function mongoDuty(m: Models, session?: ClientSession): DutyRepos {
  const d = dutyModels(m.orgs.db);
  return {
    posts: {
      async insert(p) {
        if (!(await insertIfAbsent(d.posts, { _id: p.id }, toDoc(p), session))) throw new DuplicateError(`post ${p.id} already exists`);
      },
      async get(id) {
        return record<PostRecord>(await d.posts.findById(id, null, { session }).lean<Doc | null>());
      },
      async end(id, end) {
        const doc = await d.posts.findOneAndUpdate({ _id: id, to: null }, { $set: end }, { session, new: true }).lean<Doc | null>();
        return record<PostRecord>(doc);
      },
      async list(f) {
        const and: Doc[] = [];
        if (f.at) and.push({ from: { $lte: f.at } }, { $or: [{ to: null }, { to: { $gte: f.at } }] });
        if (f.overlapping) and.push({ from: { $lte: f.overlapping.to } }, { $or: [{ to: null }, { to: { $gte: f.overlapping.from } }] });
        const filter = clean({ orgId: inList(f.orgIds), personId: f.personId, post: f.post, portfolioOrgIds: inList(f.coversOrgIds), ...(and.length ? { $and: and } : {}) });
        const docs = await d.posts.find(filter, null, { session }).sort({ orgId: 1, from: 1, _id: 1 }).lean<Doc[]>();
        return docs.map((x) => record<PostRecord>(x)!);
      },
    },
    talks: {
      async insert(t) {
        if (!(await insertIfAbsent(d.talks, { _id: t.id }, { ...toDoc(t), talkerPersonId: t.talker.personId }, session))) throw new DuplicateError(`talk ${t.id} already exists`);
      },
      async get(id) {
        const doc = record<TalkRecord & { talkerPersonId?: string }>(await d.talks.findById(id, null, { session }).lean<Doc | null>());
        if (!doc) return null;
        const { talkerPersonId: _t, ...talk } = doc;
        return talk;
      },
      async list(f) {
        const hidden = f.hiddenFromPersonId ? { $nor: [{ 'concerns.personId': f.hiddenFromPersonId, talkedPersonIds: { $ne: f.hiddenFromPersonId } }] } : {};
        const filter = clean({ orgId: inList(f.orgIds), year: f.year, kind: f.kind, talkedPersonIds: f.talkedPersonId, talkerPersonId: f.talkerPersonId, ...hidden });
        const p = await page<TalkRecord & { talkerPersonId?: string }>(d.talks, filter, { heldOn: -1, _id: 1 }, f, session);
        return { ...p, items: p.items.map(({ talkerPersonId: _t, ...t }) => t) };
      },
      async facts(f) {
        const docs = await d.talks.find(clean({ year: f.year, kind: inList(f.kinds) }), { orgId: 1, kind: 1, heldOn: 1, talkerPersonId: 1, talkedPersonIds: 1, attendeeOrgIds: 1 }, { session }).lean<Doc[]>();
        return docs.map((x) => ({
          id: String(x._id),
          orgId: String(x.orgId),
          kind: x.kind as TalkRecord['kind'],
          heldOn: String(x.heldOn),
          talkerPersonId: String(x.talkerPersonId),
          talkedPersonIds: (x.talkedPersonIds as string[]) ?? [],
          attendeeOrgIds: (x.attendeeOrgIds as string[]) ?? [],
        }));
      },
    },
    followUps: {
      ...aggregateRepo<FollowUpRecord>(d.followUps, 'followUp', session),
      list: (f) => page<FollowUpRecord>(d.followUps, clean({ talkId: f.talkId, orgId: inList(f.orgIds), state: f.state ? stateFilter(f.state) : undefined }), { createdAt: 1, _id: 1 }, f, session),
    },
    rectifications: {
      ...aggregateRepo<RectificationRecord>(d.rectifications, 'rectification', session),
      async getBySource(sourceType, sourceId) {
        return record<RectificationRecord>(await d.rectifications.findOne({ sourceType, sourceId }, null, { session }).lean<Doc | null>());
      },
      list: (f) =>
        page<RectificationRecord>(
          d.rectifications,
          clean({ orgId: inList(f.orgIds), unitOrgId: inList(f.unitOrgIds), state: f.state ? stateFilter(f.state) : undefined, sourceId: f.sourceId }),
          { updatedAt: -1, _id: 1 },
          f,
          session,
        ),
    },
    proposals: {
      insert: (p) => insertIfAbsent(d.proposals, { unitOrgId: p.unitOrgId, windowKey: p.windowKey }, toDoc(p), session),
      async get(id) {
        return record<DualProposalRecord>(await d.proposals.findById(id, null, { session }).lean<Doc | null>());
      },
      async decide(id, decided) {
        const res = await d.proposals.updateOne({ _id: id, status: 'open' }, { $set: decided }, { session });
        return res.modifiedCount === 1;
      },
      async list(f) {
        const docs = await d.proposals.find(clean({ orgId: inList(f.orgIds), status: f.status }), null, { session }).sort({ createdAt: -1, _id: 1 }).lean<Doc[]>();
        return docs.map((x) => record<DualProposalRecord>(x)!);
      },
    },
    coverageNotices: {
      async insertNew(rows) {
        const inserted: string[] = [];
        for (const n of rows) if (await insertIfAbsent(d.coverageNotices, { _id: n.id }, toDoc(n), session)) inserted.push(n.id);
        return inserted;
      },
      async list(year) {
        const docs = await d.coverageNotices.find({ year }, null, { session }).sort({ _id: 1 }).lean<Doc[]>();
        return docs.map((x) => record<CoverageNotice>(x)!);
      },
    },
  };
}
