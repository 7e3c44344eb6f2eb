import { REVIEW_KIND_LABELS } from '../../machines/shared/dictionary';
import { reviewModel } from '../reviews/model';
import type { Deps } from '../deps';
import type { ReviewRecord, User } from '../store/port';
import { scopeOf, toIso, type PeriodQuery } from './period';

const KINDS = ['primary', 'supervision'] as const;
const DAY = 86_400_000;

export interface DualReport {
  from: string | null;
  to: string | null;
  orgId: string;
  triggered: number;
  reviews: Array<{ kind: string; label: string; opened: number; concluded: number; responsibilityFound: number; exempted: number; noResponsibility: number }>;
  measures: Array<{ measure: string; count: number }>;
  medianDaysToOpen: number | null;
  medianDaysToConclude: number | null;
}

/** GET /stats/dual-investigation: 一案双查 coverage for the reviews opened in the period. */
export async function dualInvestigation(deps: Deps, user: User, q: PeriodQuery): Promise<DualReport> {
  const scope = await scopeOf(deps, user, q);
  const from = toIso(scope.from);
  const to = toIso(scope.to);
  const all = await allReviews(deps, scope.orgIds);
  const inPeriod = all.filter((r) => (!from || r.createdAt >= from) && (!to || r.createdAt < to));
  const model = reviewModel(deps);
  const measures = new Map<string, number>();
  const toOpen: number[] = [];
  const toConclude: number[] = [];
  const rows = KINDS.map((kind) => ({ kind, label: REVIEW_KIND_LABELS[kind], opened: 0, concluded: 0, responsibilityFound: 0, exempted: 0, noResponsibility: 0 }));
  for (const r of inPeriod) {
    const row = rows.find((x) => x.kind === r.kind)!;
    const context = model.restore(r).context;
    const requestedAt = Date.parse(String(r.data.requestedAt ?? r.createdAt));
    row.opened++;
    toOpen.push((Date.parse(r.createdAt) - requestedAt) / DAY);
    if (r.state === 'concluded') {
      row.concluded++;
      toConclude.push((Date.parse(r.updatedAt) - requestedAt) / DAY);
    }
    if (context.outcome) row[context.outcome]++;
    for (const m of context.measures) measures.set(m.measure, (measures.get(m.measure) ?? 0) + 1);
  }
  return {
    from: q.from ?? null,
    to: q.to ?? null,
    orgId: scope.orgId,
    triggered: new Set(inPeriod.map((r) => r.caseId)).size,
    reviews: rows,
    measures: [...measures].map(([measure, count]) => ({ measure, count })).sort((a, b) => a.measure.localeCompare(b.measure)),
    medianDaysToOpen: median(toOpen),
    medianDaysToConclude: median(toConclude),
  };
}

async function allReviews(deps: Deps, orgIds: string[]): Promise<ReviewRecord[]> {
  const out: ReviewRecord[] = [];
  for (let page = 1; ; page++) {
    const p = await deps.store.reviews.list({ orgIds, page, pageSize: 200 });
    out.push(...p.items);
    if (out.length >= p.total || p.items.length === 0) return out;
  }
}

/** Median in days, to 0.01; null for no data. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const m = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return Math.round(m * 100) / 100;
}
