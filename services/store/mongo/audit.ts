/**
 * The audit hash chains on MongoDB. An append writes the stream's head document first: two
 * transactions appending to one stream then write-conflict, and the driver's `withTransaction`
 * re-runs the loser, which reads the winner's head. That is the serialisation `FOR UPDATE` gives
 * on SQL.
 */
import type { ClientSession, Connection } from 'mongoose';
import { GENESIS_HASH, nextAuditEvent, type AuditHashAlgorithm } from '../../audit/hash';
import { StoreDataError, type AuditEvent, type AuditEventInput } from '../port';
import type { AuditChains, AuditHead } from '../verify';
import { isDuplicateKey } from './aggregates';
import { fromDoc, type Doc } from './docs';
import type { Models } from './models';

export async function appendInTx(
  m: Models,
  session: ClientSession,
  algorithm: AuditHashAlgorithm,
  heads: Map<string, AuditHead>,
  stream: string,
  input: AuditEventInput,
): Promise<AuditEvent> {
  const head = heads.get(stream) ?? (await lockHead(m, session, stream));
  const event = nextAuditEvent(algorithm, stream, head.seq === 0 ? null : head, input);
  try {
    await m.auditEvents.create([{ ...event }], { session });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    throw new StoreDataError(`audit stream ${stream}: event ${event.seq} already exists though the head is at ${head.seq}; run audit verification`, `audit_events/${stream}#${event.seq}`);
  }
  await m.auditHeads.updateOne({ _id: stream }, { $set: { seq: event.seq, hash: event.hash } }, { session });
  heads.set(stream, { seq: event.seq, hash: event.hash });
  return event;
}

/** Creates the head if needed and writes to it, so a concurrent append conflicts now rather than at the end. */
async function lockHead(m: Models, session: ClientSession, stream: string): Promise<AuditHead> {
  const doc = await m.auditHeads
    .findOneAndUpdate(
      { _id: stream },
      { $setOnInsert: { seq: 0, hash: GENESIS_HASH }, $set: { lockedAt: new Date() } },
      { upsert: true, returnDocument: 'after', session },
    ).lean<Doc | null>();
  const head = doc as unknown as AuditHead;
  return { seq: head.seq, hash: head.hash };
}

export async function listStream(m: Models, stream: string, session?: ClientSession): Promise<AuditEvent[]> {
  const docs = await m.auditEvents.find({ stream }, null, { session }).sort({ seq: 1 }).lean<Doc[]>();
  return docs.map((d) => fromDoc('audit_events', d));
}

/** Verification's view: each chain and its head are read in one snapshot transaction. */
export function mongoAuditChains(conn: Connection, m: Models): AuditChains {
  return {
    async streams(after, limit) {
      const filter = after === null ? {} : { _id: { $gt: after } };
      const docs = await m.auditHeads.find(filter, { _id: 1 }).sort({ _id: 1 }).limit(limit).lean<Doc[]>();
      return docs.map((d) => String(d._id));
    },
    chain: (stream) =>
      conn.transaction(
        async (session) => {
          const head = (await m.auditHeads.findById(stream, null, { session }).lean<Doc | null>()) as unknown as AuditHead | null;
          const docs = await m.auditEvents.find({ stream }, null, { session }).sort({ seq: 1 }).lean<Doc[]>();
          return { head: head && { seq: head.seq, hash: head.hash }, events: docs.map((d) => looseEvent(d)) };
        },
        { readConcern: { level: 'snapshot' } },
      ),
    async orphanStream() {
      const [orphan] = await m.auditEvents.aggregate<{ _id: string }>([
        { $group: { _id: '$stream' } },
        { $lookup: { from: 'audit_heads', localField: '_id', foreignField: '_id', as: 'head' } },
        { $match: { head: { $size: 0 } } },
        { $sort: { _id: 1 } },
        { $limit: 1 },
      ]);
      return orphan?._id ?? null;
    },
  };
}

/** An event as stored, unchecked: whatever was altered will fail its hash. */
function looseEvent(d: Doc): AuditEvent {
  const { _id: _ignored, detail, ...rest } = d;
  return { from: null, to: null, ...rest, ...(detail == null ? {} : { detail }) } as AuditEvent;
}
