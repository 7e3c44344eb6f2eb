import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { AppError, validationFailed } from '../errors';
import { IdempotencyKeyTaken, withIdempotencyClaim } from '../idempotency';
import type { IdempotencyRecord } from '../store/port';
import type { HandlerContext } from './route';

/**
 * The `Idempotency-Key` header on POST /cases and the command routes (API.md "Idempotency"). A
 * repeat of a successful request with the same key (per user) and the same body answers the first
 * answer and changes nothing; the same key with another body is a 422. A request that failed
 * committed nothing and stored nothing: repeating it runs it again.
 */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY = /^[\x21-\x7e]{1,255}$/;
/** How long a repeat waits for the first request, which committed, to store its answer. */
const ANSWER_WAIT_MS = 3000;
const POLL_MS = 25;

export interface IdempotentOptions {
  /**
   * The aggregate's view now, for a repeat whose first request committed but never stored its
   * answer (its process stopped in between).
   */
  current(ctx: HandlerContext<any, any>, aggregateId: string): Promise<unknown>;
}

type Handler = (ctx: HandlerContext<any, any>) => Promise<unknown>;

/** Wraps a route handler: runs it once per key and user, replays the stored answer after. */
export function idempotentHandler(handler: Handler, status: number, opts: IdempotentOptions): Handler {
  return async (ctx) => {
    const key = ctx.req.get(IDEMPOTENCY_HEADER);
    if (key === undefined) return handler(ctx);
    if (!KEY.test(key)) throw validationFailed([{ path: IDEMPOTENCY_HEADER, message: '1–255 visible ASCII characters' }], 'the Idempotency-Key header is not valid');
    const userId = ctx.user.id;
    const fingerprint = fingerprintOf(ctx);
    const earlier = await ctx.deps.store.idempotency.get(userId, key);
    if (earlier) return replay(ctx, earlier, fingerprint, opts);
    const claim = { userId, key, fingerprint, status, createdAt: ctx.deps.clock().toISOString() };
    let answer: unknown;
    try {
      answer = await withIdempotencyClaim(claim, () => handler(ctx));
    } catch (err) {
      // A concurrent repeat may have committed first: this one then changed nothing; answer as it did.
      if (!(err instanceof IdempotencyKeyTaken) && !(err instanceof AppError)) throw err;
      const first = await ctx.deps.store.idempotency.get(userId, key);
      if (!first) throw err instanceof IdempotencyKeyTaken ? new AppError('version_conflict', 'a concurrent request with this Idempotency-Key failed; retry') : err;
      return replay(ctx, first, fingerprint, opts);
    }
    await ctx.deps.store.idempotency
      .complete(userId, key, answer)
      .catch((err: unknown) => ctx.deps.logger.error({ err }, 'idempotent answer not stored; a repeat will answer the current view'));
    return answer;
  };
}

/** SHA-256 of the method, the path and the canonical JSON body (key order does not matter). */
function fingerprintOf(ctx: HandlerContext<any, any>): string {
  return createHash('sha256')
    .update(`${ctx.req.method} ${ctx.req.path}\n${canonicalize(ctx.req.body ?? null) ?? ''}`)
    .digest('hex');
}

async function replay(ctx: HandlerContext<any, any>, record: IdempotencyRecord, fingerprint: string, opts: IdempotentOptions): Promise<unknown> {
  if (record.fingerprint !== fingerprint) {
    throw new AppError(
      'idempotency_key_reused',
      '该 Idempotency-Key 已用于内容不同的另一请求，本次请求未执行；请使用新的键。The Idempotency-Key was already used with a different request; nothing was done. Use a new key.',
      { errors: [{ path: IDEMPOTENCY_HEADER, message: 'already used with a different request body or path' }] },
    );
  }
  ctx.res.setHeader('Idempotent-Replayed', 'true');
  let stored = record;
  for (let waited = 0; stored.response === null && waited < ANSWER_WAIT_MS; waited += POLL_MS) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    stored = (await ctx.deps.store.idempotency.get(record.userId, record.key)) ?? stored;
  }
  return stored.response ?? opts.current(ctx, record.aggregateId);
}
