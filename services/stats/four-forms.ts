import { ORG_LEVEL_LABELS, RANK_BUCKET_LABELS } from '../../machines/shared/dictionary';
import type { Deps } from '../deps';
import { ORG_LEVELS, type DispositionRecord, type User } from '../store/port';
import { percent, scopeOf, toIso, type PeriodQuery } from './period';

/** Rank buckets of the bulletins' 处分 by rank (DOMAIN.md §10). */
const BUCKET_RANKS: Array<{ bucket: string; ranks: string[] }> = [
  { bucket: 'provincial', ranks: ['provinceChief', 'provinceDeputy'] },
  { bucket: 'bureau', ranks: ['bureauChief', 'bureauDeputy'] },
  { bucket: 'county', ranks: ['countyChief', 'countyDeputy'] },
  { bucket: 'township', ranks: ['townshipChief', 'townshipDeputy'] },
  { bucket: 'staff', ranks: ['staff'] },
  { bucket: 'other', ranks: ['other'] },
];
/** Labels from the one dictionary (machines/shared/dictionary.ts). */
export const RANK_BUCKETS: Array<{ bucket: string; label: string; ranks: string[] }> = BUCKET_RANKS.map((b) => ({ ...b, label: RANK_BUCKET_LABELS[b.bucket] }));
const LEVEL_ROWS: Array<{ level: string; label: string }> = ORG_LEVELS.map((level) => ({
  level,
  label: ORG_LEVEL_LABELS[level],
}));
const FORMS = [1, 2, 3, 4] as const;
const bucketOfRank = new Map(RANK_BUCKETS.flatMap((b) => b.ranks.map((r) => [r, b.bucket] as const)));

/** One person in one case, classified at their most severe form (人次). */
export interface Classified {
  form: number;
  rank: string;
  orgLevel: string;
}

export interface FourFormsReport {
  from: string | null;
  to: string | null;
  orgId: string;
  total: number;
  forms: Array<{ form: number; personTimes: number; percent: number }>;
  byRank: Array<{ bucket: string; label: string; total: number; forms: Record<string, number> }>;
  byOrgLevel: Array<{ level: string; label: string; total: number; forms: Record<string, number> }>;
  sentence: string;
}

/**
 * A person with several measures in one case counts once, at the most severe form (DOMAIN.md §10);
 * person-times (人次) are persons per case.
 */
export function classify(rows: readonly DispositionRecord[]): Classified[] {
  const byPerson = new Map<string, Classified>();
  for (const d of rows) {
    if (d.revokedAt) continue;
    const key = `${d.caseId}\u0000${d.personId}`;
    const seen = byPerson.get(key);
    if (!seen || d.form > seen.form) byPerson.set(key, { form: d.form, rank: d.rank, orgLevel: d.orgLevel });
  }
  return [...byPerson.values()];
}

/** The four-forms report from classified person-times (also fed by the SQL aggregation). */
export function fourFormsReport(counts: ReadonlyArray<Classified & { n: number }>, meta: { from: string | null; to: string | null; orgId: string }): FourFormsReport {
  const total = counts.reduce((s, c) => s + c.n, 0);
  const perForm = (rows: ReadonlyArray<Classified & { n: number }>) =>
    Object.fromEntries(FORMS.map((f) => [String(f), rows.filter((r) => r.form === f).reduce((s, r) => s + r.n, 0)]));
  const overall = perForm(counts);
  const forms = FORMS.map((form) => ({ form, personTimes: overall[String(form)], percent: percent(overall[String(form)], total) }));
  const sum = (rows: ReadonlyArray<{ n: number }>) => rows.reduce((s, r) => s + r.n, 0);
  const byRank = RANK_BUCKETS.map(({ bucket, label }) => {
    const rows = counts.filter((c) => (bucketOfRank.get(c.rank) ?? 'other') === bucket);
    return { bucket, label, total: sum(rows), forms: perForm(rows) };
  });
  const byOrgLevel = LEVEL_ROWS.map(({ level, label }) => {
    const rows = counts.filter((c) => c.orgLevel === level);
    return { level, label, total: sum(rows), forms: perForm(rows) };
  });
  return { ...meta, total, forms, byRank, byOrgLevel, sentence: bulletinSentence(total, forms) };
}

/** The CCDI bulletin sentence (DOMAIN.md §10), percentages to 0.1 without a trailing `.0`. */
export function bulletinSentence(total: number, forms: ReadonlyArray<{ personTimes: number; percent: number }>): string {
  const [f1, f2, f3, f4] = forms;
  const p = (x: number) => String(Math.round(x * 10) / 10);
  return (
    `运用"四种形态"批评教育帮助和处理共${total}人次。` +
    `其中，运用第一种形态批评教育帮助${f1.personTimes}人次，占总人次的${p(f1.percent)}%；` +
    `运用第二种形态处理${f2.personTimes}人次，占${p(f2.percent)}%；` +
    `运用第三种形态处理${f3.personTimes}人次，占${p(f3.percent)}%；` +
    `运用第四种形态处理${f4.personTimes}人次，占${p(f4.percent)}%。`
  );
}

/** GET /stats/four-forms: the caller's org subtree (or `orgId` within it), for a period. */
export async function fourForms(deps: Deps, user: User, q: PeriodQuery): Promise<FourFormsReport> {
  const scope = await scopeOf(deps, user, q);
  // The whole tree needs no org filter (and a 10,000-id filter costs a lookup per row).
  const filter = { from: toIso(scope.from), to: toIso(scope.to), orgIds: scope.everything ? undefined : scope.orgIds };
  const counts = deps.store.stats
    ? await deps.store.stats.fourForms(filter)
    : countClassified(classify(await deps.store.dispositions.query(filter)));
  return fourFormsReport(counts, { from: q.from ?? null, to: q.to ?? null, orgId: scope.orgId });
}

export function countClassified(list: readonly Classified[]): Array<Classified & { n: number }> {
  const m = new Map<string, Classified & { n: number }>();
  for (const c of list) {
    const k = `${c.form}|${c.rank}|${c.orgLevel}`;
    const hit = m.get(k);
    if (hit) hit.n++;
    else m.set(k, { ...c, n: 1 });
  }
  return [...m.values()];
}
