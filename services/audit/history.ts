import type { Deps } from '../deps';
import type { AuditEvent, User } from '../store/port';

/**
 * GET /cases/:id/history and GET /reviews/:id/history, once the caller may read the aggregate: the
 * stream's hash chain in seq order, this read included (it is appended first), as a single page.
 */
export async function readHistory(deps: Deps, user: User, stream: string, state: string): Promise<Record<string, unknown>> {
  await deps.store.audit.append(stream, { at: deps.clock().toISOString(), actor: user.id, action: 'history', outcome: 'read', from: state, to: state });
  const events = await deps.store.audit.list(stream);
  const items = events.map((e: AuditEvent) => ({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    outcome: e.outcome,
    from: e.from,
    to: e.to,
    hash: e.hash,
    prevHash: e.prevHash,
    ...(e.detail ? { detail: e.detail } : {}),
  }));
  return { items, total: items.length, page: 1, pageSize: items.length };
}
