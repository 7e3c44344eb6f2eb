import { DEFAULT_DEADLINES, type DeadlineKey } from '../../config/deadlines';
import type { Deps } from '../deps';
import type { DeadlineRecord, User } from '../store/port';
import { scopeOf, toIso, type PeriodQuery } from './period';

type Counts = { open: number; overdue: number; metOnTime: number; metLate: number; total: number };

export interface DeadlinesReport {
  from: string | null;
  to: string | null;
  orgId: string;
  totals: Counts;
  byKey: Array<{ key: string; label: string } & Counts>;
  byOrg: Array<{ orgId: string } & Counts>;
  suppressionRisk: { cases: number; caseIds: string[] };
}

const zero = (): Counts => ({ open: 0, overdue: 0, metOnTime: 0, metLate: 0, total: 0 });

function add(c: Counts, d: DeadlineRecord): void {
  c.total++;
  if (d.status === 'open') c.open++;
  else if (d.status === 'overdue') c.overdue++;
  else if (d.status === 'met') c.metOnTime++;
  else c.metLate++;
}

/**
 * GET /stats/deadlines: deadlines due in the period, by status, key and org; and the cases flagged
 * `suppressionRisk` (压案不查: a clue's disposition clock escalated to the upper level).
 */
export async function deadlineCompliance(deps: Deps, user: User, q: PeriodQuery): Promise<DeadlinesReport> {
  const scope = await scopeOf(deps, user, q);
  const rows = await deps.store.deadlines.query({ from: toIso(scope.from), to: toIso(scope.to), orgIds: scope.orgIds });
  const totals = zero();
  const byKey = new Map<string, Counts>();
  const byOrg = new Map<string, Counts>();
  const flagged = new Set<string>();
  for (const d of rows) {
    add(totals, d);
    add(byKey.get(d.key) ?? byKey.set(d.key, zero()).get(d.key)!, d);
    add(byOrg.get(d.orgId) ?? byOrg.set(d.orgId, zero()).get(d.orgId)!, d);
    if (d.aggregateType === 'case' && d.key === 'clue.disposition' && d.escalation === 'escalated') flagged.add(d.aggregateId);
  }
  return {
    from: q.from ?? null,
    to: q.to ?? null,
    orgId: scope.orgId,
    totals,
    byKey: [...byKey].map(([key, c]) => ({ key, label: DEFAULT_DEADLINES[key as DeadlineKey]?.label ?? key, ...c })).sort((a, b) => a.key.localeCompare(b.key)),
    byOrg: [...byOrg].map(([orgId, c]) => ({ orgId, ...c })).sort((a, b) => a.orgId.localeCompare(b.orgId)),
    suppressionRisk: { cases: flagged.size, caseIds: [...flagged].sort() },
  };
}
