import { appoint, appointSchema, depart, departSchema, getPost, listPosts, mapAt, mapQuery, mapView, postListQuery, postListView, postView } from '../../responsibility';
import { levelDownload, levelReport, levelReportQuery, levelReportSchema } from '../../responsibility/levels';
import { raw, route } from '../route';

/** The responsibility map (主体责任清单). */
export const responsibilityRoutes = [
  route({
    method: 'post',
    path: '/api/v1/responsibility/posts',
    operationId: 'appointToPost',
    summary: 'Record an appointment to a post (任职: 书记、班子成员及分管、纪委书记)',
    tag: 'responsibility',
    status: 201,
    command: true,
    body: appointSchema,
    response: postView,
    handler: ({ deps, user, body }) => appoint(deps, user, body),
  }),
  route({
    method: 'get',
    path: '/api/v1/responsibility/posts',
    operationId: 'listPosts',
    summary: 'Posts held in your scope, optionally on a date',
    tag: 'responsibility',
    query: postListQuery,
    response: postListView,
    handler: ({ deps, user, query }) => listPosts(deps, user, query),
  }),
  route({
    method: 'get',
    path: '/api/v1/responsibility/posts/:id',
    operationId: 'getPost',
    summary: 'One post holding',
    tag: 'responsibility',
    response: postView,
    handler: ({ deps, user, params }) => getPost(deps, user, params.id),
  }),
  route({
    method: 'post',
    path: '/api/v1/responsibility/posts/:id/departure',
    operationId: 'recordDeparture',
    summary: 'Record the departure from a post (离任): its last day, once',
    tag: 'responsibility',
    command: true,
    body: departSchema,
    response: postView,
    handler: ({ deps, user, params, body }) => depart(deps, user, params.id, body),
  }),
  route({
    method: 'get',
    path: '/api/v1/stats/pressure-by-level',
    operationId: 'getPressureByLevelStats',
    summary: '上热中温下冷: four forms, talk coverage, rectification, clue disposal, escalations by org level (JSON, CSV or XLSX)',
    tag: 'stats',
    query: levelReportQuery,
    produces: ['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    response: levelReportSchema,
    handler: async ({ deps, user, query }) => {
      const report = await levelReport(deps, user, query);
      if (query.format !== 'csv' && query.format !== 'xlsx') return report;
      const file = await levelDownload(deps, report, query.format);
      return query.format === 'csv'
        ? raw('text/csv; charset=utf-8', file.body, file.filename)
        : raw('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', file.body, file.filename);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/responsibility/map',
    operationId: 'getResponsibilityMap',
    summary: "An org's leadership on a date (书记、班子成员、纪委书记) and who oversees it",
    tag: 'responsibility',
    query: mapQuery,
    response: mapView,
    handler: ({ deps, user, query }) => mapAt(deps, user, query),
  }),
];
