import type { Request } from 'express';
import type { Deps } from '../../deps';
import { deadlineCompliance } from '../../stats/deadlines';
import { dualInvestigation } from '../../stats/dual';
import { deadlineSentence, deadlineTables, dualSentence, dualTables, fourFormsTables, REPORT_TITLES, reportContext, toCsv, toXlsx, type Table } from '../../stats/export';
import { fourForms } from '../../stats/four-forms';
import { downloadFormat, REPORT_TYPES, XLSX_TYPE } from '../../reports/workbook';
import { deadlinesReportSchema, dualReportSchema, fourFormsSchema } from '../responses';
import { raw, route, type RawBody } from '../route';
import { statsQuery } from '../schemas';

const PRODUCES = REPORT_TYPES;

interface Downloadable {
  orgId: string;
  from: string | null;
  to: string | null;
}

/**
 * JSON by default; the submit-ready CSV or Excel report when `?format=csv|xlsx` (a plain download
 * link) or the Accept header asks for it. `format` wins over Accept.
 */
async function negotiate<R extends Downloadable>(
  req: Request,
  deps: Deps,
  format: string | undefined,
  report: R,
  title: string,
  tables: (r: R, orgName: (id: string) => string) => Table[],
  /** The 说明 line: the four-forms bulletin sentence, or the report's summary. */
  sentence?: string,
): Promise<R | RawBody> {
  const type = downloadFormat(format, (types) => req.accepts(types));
  if (!type) return report;
  const { meta, orgName } = await reportContext(deps, report, title, sentence);
  const full = { meta, tables: tables(report, orgName) };
  const filename = `${title}（${meta.period}）`;
  if (type === 'csv') return raw('text/csv; charset=utf-8', toCsv(full), `${filename}.csv`);
  return raw(XLSX_TYPE, await toXlsx(full), `${filename}.xlsx`);
}

export const statsRoutes = [
  route({
    method: 'get',
    path: '/api/v1/stats/four-forms',
    operationId: 'getFourFormsStats',
    summary: '四种形态 person-times, by rank and org level, with the bulletin sentence (JSON, CSV or XLSX)',
    tag: 'stats',
    query: statsQuery,
    produces: PRODUCES,
    response: fourFormsSchema,
    handler: async ({ deps, user, query, req }) => {
      const report = await fourForms(deps, user, query);
      return negotiate(req, deps, query.format, report, REPORT_TITLES.fourForms, fourFormsTables, report.sentence);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/stats/dual-investigation',
    operationId: 'getDualInvestigationStats',
    summary: '一案双查 coverage: triggered, reviews opened/concluded, responsibility found, measures (JSON, CSV or XLSX)',
    tag: 'stats',
    query: statsQuery,
    produces: PRODUCES,
    response: dualReportSchema,
    handler: async ({ deps, user, query, req }) => {
      const report = await dualInvestigation(deps, user, query);
      return negotiate(req, deps, query.format, report, REPORT_TITLES.dual, dualTables, dualSentence(report));
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/stats/deadlines',
    operationId: 'getDeadlineStats',
    summary: 'Deadline compliance: open, overdue, met on time, met late, by key and org; 压案不查 risk (JSON, CSV or XLSX)',
    tag: 'stats',
    query: statsQuery,
    produces: PRODUCES,
    response: deadlinesReportSchema,
    handler: async ({ deps, user, query, req }) => {
      const report = await deadlineCompliance(deps, user, query);
      return negotiate(req, deps, query.format, report, REPORT_TITLES.deadlines, deadlineTables, deadlineSentence(report));
    },
  }),
];
