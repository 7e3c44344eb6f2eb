import { z } from 'zod';
import { caseHistory, getCaseView, listCases, registerCase, runCaseCommand } from '../../cases';
import { caseLedger } from '../../cases/ledger';
import { downloadFormat, REPORT_TYPES, toCsv, XLSX_TYPE } from '../../reports/workbook';
import { toXlsx } from '../../reports/xlsx';
import { caseCommandBody } from '../command-docs';
import { caseListSchema, caseViewSchema, historySchema } from '../responses';
import { raw, route, type HandlerContext } from '../route';
import { caseListQuery, caseRegisterSchema, commandEnvelope } from '../schemas';

/** A repeat whose first answer was never stored answers the case as it is now. */
const currentCase = { current: (ctx: HandlerContext<any, any>, id: string) => getCaseView(ctx.deps, ctx.user, id) };

export const caseRoutes = [
  route({
    method: 'post',
    path: '/api/v1/cases',
    operationId: 'registerCase',
    summary: 'Register a clue (问题线索登记)',
    tag: 'cases',
    status: 201,
    command: true,
    body: caseRegisterSchema,
    response: caseViewSchema,
    idempotent: currentCase,
    handler: ({ deps, user, body }) => registerCase(deps, user, body),
  }),
  route({
    method: 'get',
    path: '/api/v1/cases',
    operationId: 'listCases',
    summary: 'List cases in your scope (JSON pages; CSV or XLSX: the whole filtered ledger)',
    description:
      'JSON: one page of case views. With `?format=csv|xlsx` (or an Accept header asking for CSV or Excel; `format` wins) the ' +
      'answer is the submit-ready 问题线索台账 / 案件台账 of every case matching the same filters (all pages, the same scope and ' +
      'recusal rule, the same order), at most 10,000 rows; `page` and `pageSize` are ignored then.',
    tag: 'cases',
    query: caseListQuery,
    produces: REPORT_TYPES,
    response: caseListSchema,
    handler: async ({ deps, user, query, req }) => {
      const format = downloadFormat(query.format, (types) => req.accepts(types));
      if (!format) return listCases(deps, user, query);
      const { report, filename } = await caseLedger(deps, user, query, query.ledger);
      if (format === 'csv') return raw('text/csv; charset=utf-8', toCsv(report), `${filename}.csv`);
      return raw(XLSX_TYPE, await toXlsx(report), `${filename}.xlsx`);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/cases/:id',
    operationId: 'getCase',
    summary: 'A case view with its available commands',
    response: caseViewSchema,
    tag: 'cases',
    query: z.object({ include: z.enum(['reporter']).optional().describe('`reporter`: unseal the reporter (registrar, commission head; the disclosure is audited)') }),
    handler: ({ deps, user, params, query }) => getCaseView(deps, user, params.id, query.include),
  }),
  route({
    method: 'get',
    path: '/api/v1/cases/:id/history',
    operationId: 'getCaseHistory',
    summary: "The case's audit events (hash chain), reads included",
    response: historySchema,
    tag: 'cases',
    handler: ({ deps, user, params }) => caseHistory(deps, user, params.id),
  }),
  route({
    method: 'post',
    path: '/api/v1/cases/:id/commands',
    operationId: 'sendCaseCommand',
    summary: 'Send a command to a case (one schema per `type`); answers the case view',
    tag: 'cases',
    command: true,
    body: commandEnvelope,
    documentedBody: caseCommandBody,
    response: caseViewSchema,
    idempotent: currentCase,
    handler: ({ deps, user, params, body }) => runCaseCommand(deps, user, params.id, body),
  }),
];
