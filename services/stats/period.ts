import { orgTree, requireInScope } from '../authz';
import type { Deps } from '../deps';
import type { User } from '../store/port';

export interface PeriodQuery {
  from?: string;
  to?: string;
  orgId?: string;
}

export interface Scope {
  /** Inclusive start, as an ISO moment (00:00 CST of `from`). */
  from?: string;
  /** Exclusive end, as an ISO moment (00:00 CST of the day after `to`). */
  to?: string;
  orgId: string;
  orgIds: string[];
  /** The subtree is every org on record. */
  everything: boolean;
}

/** `from`/`to` are calendar dates in China Standard Time, both included (a bulletin's 1 Jan–31 Mar). */
export async function scopeOf(deps: Deps, user: User, q: PeriodQuery): Promise<Scope> {
  const tree = await orgTree(deps.store);
  const orgId = q.orgId ?? user.orgId;
  requireInScope(tree, user, orgId, `org ${orgId}`);
  const orgIds = tree.subtree(orgId);
  return {
    from: q.from ? `${q.from}T00:00:00+08:00` : undefined,
    to: q.to ? new Date(Date.parse(`${q.to}T00:00:00+08:00`) + 86_400_000).toISOString() : undefined,
    orgId,
    orgIds,
    everything: orgIds.length === tree.all().length,
  };
}

export function toIso(moment: string | undefined): string | undefined {
  return moment ? new Date(moment).toISOString() : undefined;
}

/** Percent of `n` in `total`, rounded to 0.1 as the bulletins do (they may not sum to 100). */
export function percent(n: number, total: number): number {
  return total === 0 ? 0 : Math.round((n / total) * 1000) / 10;
}
