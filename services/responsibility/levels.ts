/**
 * 上热中温下冷 as a measure: the pressure that reaches each org level (province →
 * prefecture → county → township → village) within the caller's scope, for one calendar year:
 * four-forms distribution (person-times, each person per case at the most severe form), talk
 * coverage (obligations whose talked-to leader sits at the level), rectification completion (by
 * the unit's level), share of clues whose disposal clock (1 month) was met, and escalations
 * received (steps taken to the commission heads of an org at the level).
 */
import { z } from 'zod';
import { ORG_LEVEL_LABELS } from '../../machines/shared/dictionary';
import { orgTree, requireInScope, type OrgTree } from '../authz';
import { cstDateOf } from '../calendar/civil-date';
import type { Deps } from '../deps';
import { idSchema } from '../schemas';
import { reportContext, toCsv, type Table } from '../stats/export';
import { toXlsx } from '../stats/xlsx';
import { ORG_LEVELS, type OrgLevel, type OrgPressureCount, type User } from '../store/port';
import { loadObligations } from '../talks/coverage';

export const LEVELS: readonly OrgLevel[] = ORG_LEVELS;
export const LEVEL_REPORT_TITLE = '管党治党压力传导情况统计表（分层级）';

export const levelReportQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100),
  orgId: idSchema.optional(),
  format: z.enum(['json', 'csv', 'xlsx']).optional(),
});

const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);

const levelRow = z.object({
  level: z.enum(ORG_LEVELS),
  levelName: z.string(),
  orgs: z.number(),
  fourForms: z.object({ form1: z.number(), form2: z.number(), form3: z.number(), form4: z.number(), total: z.number(), form1Share: z.number().nullable() }),
  talks: z.object({ obligations: z.number(), done: z.number(), rate: z.number().nullable() }),
  rectifications: z.object({ opened: z.number(), completed: z.number(), rate: z.number().nullable() }),
  clues: z.object({ disposalClocks: z.number(), metWithinMonth: z.number(), share: z.number().nullable() }),
  escalationsReceived: z.number(),
});

export const levelReportSchema = z
  .object({ year: z.number(), orgId: z.string(), from: z.string(), to: z.string(), levels: z.array(levelRow) })
  .meta({ id: 'PressureByLevelReport' });

export type LevelReport = z.output<typeof levelReportSchema>;
type Row = z.output<typeof levelRow>;

function emptyRow(level: OrgLevel): Row {
  return {
    level,
    levelName: ORG_LEVEL_LABELS[level],
    orgs: 0,
    fourForms: { form1: 0, form2: 0, form3: 0, form4: 0, total: 0, form1Share: null },
    talks: { obligations: 0, done: 0, rate: null },
    rectifications: { opened: 0, completed: 0, rate: null },
    clues: { disposalClocks: 0, metWithinMonth: 0, share: null },
    escalationsReceived: 0,
  };
}

const levelOf = (tree: OrgTree, orgId: string): OrgLevel | undefined => tree.get(orgId)?.level;

export async function levelReport(deps: Deps, user: User, query: z.output<typeof levelReportQuery>): Promise<LevelReport> {
  const tree = await orgTree(deps.store);
  const root = query.orgId ?? user.orgId;
  requireInScope(tree, user, root, `org ${root}`);
  const orgIds = tree.subtree(root);
  const inScope = new Set(orgIds);
  const from = `${query.year}-01-01`;
  const to = `${query.year}-12-31`;
  const fromAt = `${query.year - 1}-12-31T16:00:00.000Z`; // 1 Jan 00:00 China time
  const toAt = `${query.year}-12-31T16:00:00.000Z`;
  const rows = new Map<OrgLevel, Row>(LEVELS.map((l) => [l, emptyRow(l)]));
  const rowOf = (orgId: string) => {
    const level = levelOf(tree, orgId);
    return level ? rows.get(level) : undefined;
  };
  for (const id of orgIds) {
    const r = rowOf(id);
    if (r) r.orgs++;
  }

  // The parts are independent: read (or aggregated in the database) at once.
  const asOf = cstDateOf(deps.clock().toISOString());
  const [forms, obligations, pressure] = await Promise.all([
    fourFormsCounts(deps, orgIds, orgIds.length === tree.all().length, fromAt, toAt),
    loadObligations(deps.store, tree, query.year, asOf, deps.policy.coverage, (o) => inScope.has(o.talked.orgId)),
    pressureCounts(deps, orgIds, fromAt, toAt),
  ]);

  // Four forms: each (case, person) once at its most severe unrevoked form, at the subject's org level.
  for (const c of forms) {
    const r = rows.get(c.orgLevel as OrgLevel);
    if (!r || c.form < 1 || c.form > 4) continue;
    r.fourForms[`form${c.form}` as 'form1'] += c.n;
    r.fourForms.total += c.n;
  }

  // Talk coverage: obligations of the year, at the level of the leader talked to.
  for (const o of obligations) {
    if (!inScope.has(o.talked.orgId)) continue;
    const r = rowOf(o.talked.orgId);
    if (!r) continue;
    r.talks.obligations++;
    if (o.status === 'done') r.talks.done++;
  }

  // Rectifications opened in the year (by the unit's level); clue disposal within a month (by the
  // clock's org) and escalations received (by the org above the clock's), from the clocks due in the year.
  for (const p of pressure) {
    if (inScope.has(p.orgId)) {
      const r = rowOf(p.orgId);
      if (r) {
        r.rectifications.opened += p.rectificationsOpened;
        r.rectifications.completed += p.rectificationsAccepted;
        r.clues.disposalClocks += p.disposalClocks;
        r.clues.metWithinMonth += p.disposalMet;
      }
    }
    if (p.escalated > 0) {
      const receiver = tree.get(p.orgId)?.parentId ?? p.orgId;
      if (inScope.has(receiver)) {
        const r = rowOf(receiver);
        if (r) r.escalationsReceived += p.escalated;
      }
    }
  }

  for (const r of rows.values()) {
    r.fourForms.form1Share = pct(r.fourForms.form1, r.fourForms.total);
    r.talks.rate = pct(r.talks.done, r.talks.obligations);
    r.rectifications.rate = pct(r.rectifications.completed, r.rectifications.opened);
    r.clues.share = pct(r.clues.metWithinMonth, r.clues.disposalClocks);
  }
  return { year: query.year, orgId: root, from, to, levels: LEVELS.map((l) => rows.get(l)!) };
}

/** Four-forms person-times by form and org level: in the database where the adapter aggregates, otherwise from the rows. */
async function fourFormsCounts(deps: Deps, orgIds: string[], wholeTree: boolean, fromAt: string, toAt: string): Promise<Array<{ form: number; orgLevel: string; n: number }>> {
  if (deps.store.stats) return deps.store.stats.fourForms({ from: fromAt, to: toAt, orgIds: wholeTree ? undefined : orgIds });
  const worst = new Map<string, { form: number; orgLevel: OrgLevel }>();
  for (const d of await deps.store.dispositions.query({ from: fromAt, to: toAt, orgIds })) {
    const key = `${d.caseId}\u0000${d.personId}`;
    const seen = worst.get(key);
    if (!seen || d.form > seen.form) worst.set(key, { form: d.form, orgLevel: d.orgLevel });
  }
  return [...worst.values()].map(({ form, orgLevel }) => ({ form, orgLevel, n: 1 }));
}

/**
 * Rectifications and clocks per org in [fromAt, toAt): grouped in the database where the adapter
 * aggregates, otherwise counted from the rows (the rectifications of the units in scope, the clocks due).
 */
async function pressureCounts(deps: Deps, orgIds: string[], fromAt: string, toAt: string): Promise<OrgPressureCount[]> {
  if (deps.store.stats) return deps.store.stats.pressureByOrg({ from: fromAt, to: toAt });
  const byOrg = new Map<string, OrgPressureCount>();
  const of = (orgId: string) => {
    let c = byOrg.get(orgId);
    if (!c) byOrg.set(orgId, (c = { orgId, rectificationsOpened: 0, rectificationsAccepted: 0, disposalClocks: 0, disposalMet: 0, escalated: 0 }));
    return c;
  };
  for (let page = 1; ; page++) {
    const p = await deps.store.duty.rectifications.list({ unitOrgIds: orgIds, page, pageSize: 200 });
    for (const rec of p.items) {
      if (rec.createdAt < fromAt || rec.createdAt >= toAt) continue;
      of(rec.unitOrgId).rectificationsOpened++;
      if (rec.state === 'accepted') of(rec.unitOrgId).rectificationsAccepted++;
    }
    if (p.items.length < 200) break;
  }
  for (const d of await deps.store.deadlines.query({ from: fromAt, to: toAt })) {
    if (d.key === 'clue.disposition' && d.status !== 'open') {
      of(d.orgId).disposalClocks++;
      if (d.status === 'met') of(d.orgId).disposalMet++;
    }
    if (d.escalation === 'escalated') of(d.orgId).escalated++;
  }
  return [...byOrg.values()];
}

export function levelTables(report: LevelReport): Table[] {
  const rows = report.levels.map((r) => [
    r.levelName,
    r.orgs,
    r.fourForms.form1,
    r.fourForms.form2,
    r.fourForms.form3,
    r.fourForms.form4,
    r.fourForms.form1Share,
    r.talks.obligations,
    r.talks.done,
    r.talks.rate,
    r.rectifications.opened,
    r.rectifications.completed,
    r.rectifications.rate,
    r.clues.disposalClocks,
    r.clues.share,
    r.escalationsReceived,
  ]);
  return [
    {
      name: '分层级压力传导情况',
      headers: [
        '层级',
        '单位数',
        '第一种形态（人次）',
        '第二种形态（人次）',
        '第三种形态（人次）',
        '第四种形态（人次）',
        '第一种形态占比（%）',
        '应谈话（人次）',
        '已谈话（人次）',
        '谈话覆盖率（%）',
        '以案促改启动（件）',
        '以案促改验收（件）',
        '整改完成率（%）',
        '线索处置时限到期（件）',
        '一个月内处置率（%）',
        '收到督办上报（次）',
      ],
      rows,
      decimals: [6, 9, 12, 14],
    },
  ];
}

/** The 说明 line: where the pressure falls off. */
export function levelSentence(report: LevelReport): string {
  const shown = report.levels.filter((r) => r.orgs > 0 && r.talks.rate !== null);
  const parts = shown.map((r) => `${r.levelName}谈话覆盖率${r.talks.rate}%`);
  return parts.length ? `${report.year}年度${parts.join('，')}。` : `${report.year}年度暂无谈话覆盖数据。`;
}

export async function levelDownload(deps: Deps, report: LevelReport, format: 'csv' | 'xlsx') {
  const { meta } = await reportContext(deps, { orgId: report.orgId, from: report.from, to: report.to }, LEVEL_REPORT_TITLE, levelSentence(report));
  const full = { meta, tables: levelTables(report) };
  return format === 'csv' ? { body: toCsv(full), filename: `${LEVEL_REPORT_TITLE}（${meta.period}）.csv` } : { body: await toXlsx(full), filename: `${LEVEL_REPORT_TITLE}（${meta.period}）.xlsx` };
}
