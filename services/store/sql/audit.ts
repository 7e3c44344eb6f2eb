/**
 * The audit hash chains on SQL. An append locks the stream's `audit_heads` row, so appends to one
 * stream are serialised across processes while other streams proceed in parallel.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { nextAuditEvent, type AuditHashAlgorithm } from '../../audit/hash';
import type { AuditEvent, StoreTx } from '../port';
import type { AuditChains, AuditHead } from '../verify';
import type { Db } from './driver';
import type { Executor } from './executor';
import { lockHead } from './prepared-statements';
import { auditFromRow } from './rows';
import * as t from './schema';

/**
 * Appends inside an open transaction: locks the head (unless the executor knows it: locked earlier
 * in this transaction, or cached by the only writer), then hands the event and the new head to
 * the executor, which writes them with the transaction's other held-back writes.
 */
export async function appendInTx(
  x: Executor,
  algorithm: AuditHashAlgorithm,
  stream: string,
  input: Parameters<StoreTx['audit']['append']>[1],
): Promise<AuditEvent> {
  const head = x.knownHead?.(stream) ?? (await lockedHead(x, stream));
  const event = nextAuditEvent(algorithm, stream, head.seq === 0 ? null : head, input);
  await x.write.auditEvent(event);
  return event;
}

async function lockedHead(x: Executor, stream: string): Promise<AuditHead> {
  const [row] = await x.hot<AuditHead>(lockHead(stream));
  return { seq: Number(row.seq), hash: row.hash };
}

export async function listStream(x: Executor, stream: string): Promise<AuditEvent[]> {
  const rows = await x.run((db) => db.select().from(t.auditEvents).where(eq(t.auditEvents.stream, stream)).orderBy(asc(t.auditEvents.seq)));
  return rows.map(auditFromRow);
}

interface ChainRow {
  head_seq: number;
  head_hash: string;
  stream: string | null;
  seq: number | null;
  at: string;
  actor: string;
  action: string;
  outcome: AuditEvent['outcome'];
  from_state: string | null;
  to_state: string | null;
  detail: unknown;
  prev_hash: string;
  hash: string;
}

/** Verification's view of the chains. Each chain is read with its head in one statement (one snapshot). */
export function sqlAuditChains(db: Db): AuditChains {
  const rowsOf = async <R>(q: ReturnType<typeof sql>) => (await db.execute(q)) as unknown as { rows: R[] };
  return {
    async streams(after, limit) {
      const where = after === null ? sql`` : sql`where stream > ${after}`;
      const { rows } = await rowsOf<{ stream: string }>(sql`select stream from audit_heads ${where} order by stream limit ${limit}`);
      return rows.map((r) => r.stream);
    },
    async chain(stream) {
      const { rows } = await rowsOf<ChainRow>(sql`select h.seq as head_seq, h.hash as head_hash, e.*
        from audit_heads h left join audit_events e on e.stream = h.stream
        where h.stream = ${stream} order by e.seq`);
      if (rows.length === 0) return { head: null, events: [] };
      const head = { seq: Number(rows[0].head_seq), hash: rows[0].head_hash };
      return { head, events: rows.filter((r) => r.seq !== null).map(looseEvent) };
    },
    async orphanStream() {
      const { rows } = await rowsOf<{ stream: string }>(sql`select e.stream from audit_events e
        where not exists (select 1 from audit_heads h where h.stream = e.stream) order by e.stream limit 1`);
      return rows[0]?.stream ?? null;
    },
  };
}

/** An event as stored, unchecked: whatever was altered will fail its hash. */
function looseEvent(r: ChainRow): AuditEvent {
  let detail = r.detail;
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail);
    } catch {
      // left as the string: the hash will not match
    }
  }
  return {
    stream: r.stream!,
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action,
    outcome: r.outcome,
    from: r.from_state,
    to: r.to_state,
    ...(detail === null ? {} : { detail: detail as Record<string, unknown> }),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
