import type { Request } from 'express';
import { deadlineCompliance } from '../../stats/deadlines';
import { dualInvestigation } from '../../stats/dual';
import { deadlineTables, dualTables, fourFormsTables, toCsv, toXlsx, type Table } from '../../stats/export';
import { fourForms } from '../../stats/four-forms';
import { raw, route, type RawBody } from '../route';
import { periodQuery } from '../schemas';

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PRODUCES = ['application/json', CSV, XLSX];

/** JSON by default; CSV or an Excel workbook (Chinese headers) when the Accept header asks for them. */
async function negotiate<R>(req: Request, name: string, report: R, tables: (r: R) => Table[]): Promise<R | RawBody> {
  const type = req.accepts(PRODUCES);
  if (type === CSV) return raw('text/csv; charset=utf-8', toCsv(tables(report)), `${name}.csv`);
  if (type === XLSX) return raw(XLSX, await toXlsx(tables(report)), `${name}.xlsx`);
  return report;
}

export const statsRoutes = [
  route({
    method: 'get',
    path: '/api/v1/stats/four-forms',
    summary: '四种形态 person-times, by rank and org level, with the bulletin sentence',
    tag: 'stats',
    query: periodQuery,
    produces: PRODUCES,
    handler: async ({ deps, user, query, req }) => negotiate(req, 'four-forms', await fourForms(deps, user, query), fourFormsTables),
  }),
  route({
    method: 'get',
    path: '/api/v1/stats/dual-investigation',
    summary: '一案双查 coverage: triggered, reviews opened/concluded, responsibility found, measures',
    tag: 'stats',
    query: periodQuery,
    produces: PRODUCES,
    handler: async ({ deps, user, query, req }) => negotiate(req, 'dual-investigation', await dualInvestigation(deps, user, query), dualTables),
  }),
  route({
    method: 'get',
    path: '/api/v1/stats/deadlines',
    summary: 'Deadline compliance: open, overdue, met on time, met late, by key and org; 压案不查 risk',
    tag: 'stats',
    query: periodQuery,
    produces: PRODUCES,
    handler: async ({ deps, user, query, req }) => negotiate(req, 'deadlines', await deadlineCompliance(deps, user, query), deadlineTables),
  }),
];
