import { caseHistory, getCaseView, listCases, registerCase, runCaseCommand } from '../../cases';
import { route } from '../route';
import { caseListQuery, caseRegisterSchema, commandEnvelope } from '../schemas';

export const caseRoutes = [
  route({
    method: 'post',
    path: '/api/v1/cases',
    summary: 'Register a clue (问题线索登记)',
    tag: 'cases',
    status: 201,
    command: true,
    body: caseRegisterSchema,
    handler: ({ deps, user, body }) => registerCase(deps, user, body),
  }),
  route({
    method: 'get',
    path: '/api/v1/cases',
    summary: 'List cases in your scope',
    tag: 'cases',
    query: caseListQuery,
    handler: ({ deps, user, query }) => listCases(deps, user, query),
  }),
  route({
    method: 'get',
    path: '/api/v1/cases/:id',
    summary: 'A case view with its available commands',
    tag: 'cases',
    handler: ({ deps, user, params }) => getCaseView(deps, user, params.id),
  }),
  route({
    method: 'get',
    path: '/api/v1/cases/:id/history',
    summary: "The case's audit events (hash chain), reads included",
    tag: 'cases',
    handler: ({ deps, user, params }) => caseHistory(deps, user, params.id),
  }),
  route({
    method: 'post',
    path: '/api/v1/cases/:id/commands',
    summary: 'Send a command to a case (see API.md for types and payloads)',
    tag: 'cases',
    command: true,
    body: commandEnvelope,
    handler: ({ deps, user, params, body }) => runCaseCommand(deps, user, params.id, body),
  }),
];
