import { z } from 'zod';
import { caseHistory, getCaseView, listCases, registerCase, runCaseCommand } from '../../cases';
import { caseCommandBody } from '../command-docs';
import { caseListSchema, caseViewSchema, historySchema } from '../responses';
import { route, type HandlerContext } from '../route';
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
    summary: 'List cases in your scope',
    tag: 'cases',
    query: caseListQuery,
    response: caseListSchema,
    handler: ({ deps, user, query }) => listCases(deps, user, query),
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
