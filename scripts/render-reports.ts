/**
 * Writes the three statistics workbooks and the case ledger (案件台账, the `GET /cases?format=xlsx`
 * download) with sample figures in their real layout and, when LibreOffice is
 * installed, renders each to PDF and the PDF's pages to PNG (pdftoppm), to look at them as a
 * commission would print them. Run: `npx tsx scripts/render-reports.ts [outDir]` (default
 * /tmp/ajsc-reports). Without `soffice` it writes the workbooks and says that it skipped rendering.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chineseDate, deadlineSentence, deadlineTables, dualSentence, dualTables, fourFormsTables, periodText, REPORT_TITLES, toXlsx, type Report, type ReportMeta,
} from '../services/stats/export';
import type { DeadlinesReport } from '../services/stats/deadlines';
import type { DualReport } from '../services/stats/dual';
import { fourFormsReport } from '../services/stats/four-forms';
import { ledgerReport, type LedgerView } from '../services/cases/ledger';
import type { DeadlineView } from '../services/deadlines/sync';

const out = process.argv[2] ?? '/tmp/ajsc-reports';
const names: Record<string, string> = { county: '青山市云溪县', 'town-a': '云溪县东岭镇', 'town-b': '云溪县西坪乡' };
const ORG_NAMES = names;

function meta(title: string, sentence: string): ReportMeta {
  return { title, commission: '云溪县纪委监委', period: periodText('2026-01-01', '2026-03-31', '2026-04-10'), produced: chineseDate('2026-04-10'), producedAt: new Date('2026-04-10T02:00:00Z'), sentence };
}

function samples(): Record<string, Report> {
  const four = fourFormsReport(
    [
      { form: 1, rank: 'staff', orgLevel: 'township', n: 42 },
      { form: 1, rank: 'townshipDeputy', orgLevel: 'township', n: 9 },
      { form: 2, rank: 'townshipChief', orgLevel: 'township', n: 6 },
      { form: 3, rank: 'countyDeputy', orgLevel: 'county', n: 2 },
      { form: 4, rank: 'countyChief', orgLevel: 'county', n: 1 },
    ],
    { from: '2026-01-01', to: '2026-03-31', orgId: 'county' },
  );
  const dual: DualReport = {
    from: '2026-01-01', to: '2026-03-31', orgId: 'county', triggered: 3,
    reviews: [
      { kind: 'primary', label: '主体责任', opened: 3, concluded: 2, responsibilityFound: 2, exempted: 0, noResponsibility: 0 },
      { kind: 'supervision', label: '监督责任', opened: 3, concluded: 3, responsibilityFound: 1, exempted: 1, noResponsibility: 1 },
    ],
    measures: [{ measure: 'admonishment', count: 2 }, { measure: 'circular', count: 1 }, { measure: 'orgAdjustment', count: 1 }],
    medianDaysToOpen: 0.02, medianDaysToConclude: 41.5,
  };
  const counts = (total: number, open: number, overdue: number, metOnTime: number) => ({ total, open, overdue, metOnTime, metLate: total - open - overdue - metOnTime });
  const deadlines: DeadlinesReport = {
    from: '2026-01-01', to: '2026-03-31', orgId: 'county', totals: counts(61, 12, 3, 40),
    byKey: [
      { key: 'clue.disposition', label: '', ...counts(30, 4, 2, 21) },
      { key: 'approval', label: '', ...counts(25, 6, 1, 17) },
      { key: 'investigation.report', label: '', ...counts(6, 2, 0, 2) },
    ],
    byOrg: [{ orgId: 'county', ...counts(41, 8, 2, 27) }, { orgId: 'town-a', ...counts(12, 3, 1, 7) }, { orgId: 'town-b', ...counts(8, 1, 0, 6) }],
    suppressionRisk: { cases: 1, caseIds: ['x'] },
  };
  const orgName = (id: string) => names[id] ?? id;
  return {
    'case-ledger': ledgerSample(),
    'four-forms': { meta: meta(REPORT_TITLES.fourForms, four.sentence), tables: fourFormsTables(four) },
    'dual-investigation': { meta: meta(REPORT_TITLES.dual, dualSentence(dual)), tables: dualTables(dual) },
    deadlines: { meta: meta(REPORT_TITLES.deadlines, deadlineSentence(deadlines)), tables: deadlineTables(deadlines, orgName) },
  };
}

/** 案件台账 of 36 sample cases of a county, with running clocks in every escalation, as the API writes it. */
function ledgerSample(): Report {
  const units = ['county', 'town-a', 'town-b'];
  const states = ['registered', 'dispositionReview', 'talkInquiry.awaitingReply', 'preliminaryVerification.inProgress', 'investigation.inProgress', 'trial.reviewing', 'decided', 'closed'];
  const inspectors: Record<string, string> = { inspector1: '王建国', inspector2: '陈静' };
  const clock = (key: DeadlineView['key'], dueAt: string, escalation: DeadlineView['escalation'], left: number): DeadlineView => ({
    key, dueAt, status: left < 0 ? 'overdue' : 'open', escalation, calendarUncertain: false, workingDaysLeft: left,
  });
  const views: LedgerView[] = Array.from({ length: 36 }, (_, i) => {
    const state = states[i % states.length];
    const closed = state === 'closed';
    return {
      number: `county-2026-${String(120 - i).padStart(4, '0')}`,
      title: `反映${['东岭镇', '西坪乡', '县交通运输局', '县住建局'][i % 4]}某干部${['违规收受礼金', '违规发放津贴补贴', '履职不力、失职失责', '违规插手工程项目'][i % 4]}问题`,
      orgId: units[i % 3],
      handlingOrgId: 'county',
      source: ['petition', 'inspectionTour', 'audit', 'supervision'][i % 4],
      receivedAt: `2026-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}`,
      subjects: [{ name: ['李某某', '王某', '张某某', '刘某'][i % 4] }, ...(i % 5 === 0 ? [{ name: '陈某' }] : [])],
      assignees: i % 3 === 0 ? [] : i % 3 === 1 ? ['inspector1'] : ['inspector1', 'inspector2'],
      state,
      deadlines: closed ? [] : [
        i % 6 === 0 ? clock('clue.disposition', '2026-04-08T15:59:59.999Z', 'escalated', -6) : i % 6 === 1 ? clock('talkInquiry.reply', '2026-04-12T15:59:59.999Z', 'overdue', -2) : clock('investigation.report', '2026-05-29T15:59:59.999Z', i % 6 === 2 ? 'warning' : 'none', i % 6 === 2 ? 3 : 33),
        ...(i % 4 === 0 ? [clock('reporter.result', '2026-06-30T15:59:59.999Z', 'none', 55)] : []),
      ],
    };
  });
  const names = { org: (id: string) => ORG_NAMES[id] ?? id, body: () => '云溪县纪委监委', user: (id: string) => inspectors[id] ?? id };
  return ledgerReport({ ledger: 'cases', views, total: views.length, cap: 10_000, query: { state: undefined, orgId: undefined, overdue: undefined }, orgId: 'county', names, producedAt: new Date('2026-04-10T02:00:00Z') }).report;
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  for (const [name, report] of Object.entries(samples())) writeFileSync(join(out, `${name}.xlsx`), await toXlsx(report));
  console.log(`workbooks written to ${out}`);
  const soffice = ['soffice', 'libreoffice'].find(has);
  if (!soffice) {
    console.log('LibreOffice (soffice) is not installed: PDF/PNG rendering skipped');
    return;
  }
  for (const file of readdirSync(out).filter((f) => f.endsWith('.xlsx'))) {
    spawnSync(soffice, ['--headless', '--convert-to', 'pdf', '--outdir', out, join(out, file)], { stdio: 'inherit', timeout: 120_000 });
    const pdf = join(out, file.replace(/\.xlsx$/, '.pdf'));
    if (has('pdftoppm')) spawnSync('pdftoppm', ['-png', '-r', '80', pdf, pdf.replace(/\.pdf$/, '')], { stdio: 'inherit' });
  }
  console.log(`PDF${has('pdftoppm') ? ' and PNG' : ''} written to ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
