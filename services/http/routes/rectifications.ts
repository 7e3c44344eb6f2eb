import {
  getRectification,
  listRectifications,
  rectificationHistory,
  rectificationListQuery,
  rectificationListSchema,
  rectificationStats,
  rectificationStatsQuery,
  rectificationStatsSchema,
  rectificationViewSchema,
  runRectificationCommand,
} from '../../rectification';
import { rectificationHistorySchema } from '../responses';
import { route } from '../route';
import { commandEnvelope } from '../schemas';

/** Rectification after a case (以案促改). */
export const rectificationRoutes = [
  route({
    method: 'get',
    path: '/api/v1/rectifications',
    operationId: 'listRectifications',
    summary: 'Rectifications (以案促改) in your scope',
    tag: 'rectifications',
    query: rectificationListQuery,
    response: rectificationListSchema,
    handler: ({ deps, user, query }) => listRectifications(deps, user, query),
  }),
  route({
    method: 'get',
    path: '/api/v1/rectifications/stats',
    operationId: 'getRectificationStats',
    summary: 'Rectifications opened, completed on time, overdue, by org and level',
    tag: 'rectifications',
    query: rectificationStatsQuery,
    response: rectificationStatsSchema,
    handler: ({ deps, user, query }) => rectificationStats(deps, user, query),
  }),
  route({
    method: 'get',
    path: '/api/v1/rectifications/:id',
    operationId: 'getRectification',
    summary: 'A rectification with its clocks and available commands',
    tag: 'rectifications',
    response: rectificationViewSchema,
    handler: ({ deps, user, params }) => getRectification(deps, user, params.id),
  }),
  route({
    method: 'get',
    path: '/api/v1/rectifications/:id/history',
    operationId: 'getRectificationHistory',
    summary: 'The rectification’s hash-chained history (this read is recorded first)',
    tag: 'rectifications',
    response: rectificationHistorySchema,
    handler: ({ deps, user, params }) => rectificationHistory(deps, user, params.id),
  }),
  route({
    method: 'post',
    path: '/api/v1/rectifications/:id/commands',
    operationId: 'sendRectificationCommand',
    summary: 'submitPlan, submitReport, acceptReport, returnReport or recordWarningMeeting',
    tag: 'rectifications',
    command: true,
    body: commandEnvelope,
    response: rectificationViewSchema,
    handler: ({ deps, user, params, body }) => runRectificationCommand(deps, user, params.id, body),
  }),
];
