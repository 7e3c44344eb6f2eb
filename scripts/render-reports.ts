/**
 * Writes the three statistics workbooks (sample figures, real layout) and, when LibreOffice is
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

const out = process.argv[2] ?? '/tmp/ajsc-reports';
const names: Record<string, string> = { county: '青山市云溪县', 'town-a': '云溪县东岭镇', 'town-b': '云溪县西坪乡' };

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
    'four-forms': { meta: meta(REPORT_TITLES.fourForms, four.sentence), tables: fourFormsTables(four) },
    'dual-investigation': { meta: meta(REPORT_TITLES.dual, dualSentence(dual)), tables: dualTables(dual) },
    deadlines: { meta: meta(REPORT_TITLES.deadlines, deadlineSentence(deadlines)), tables: deadlineTables(deadlines, orgName) },
  };
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
