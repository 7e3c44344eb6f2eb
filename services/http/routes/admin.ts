import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, notFound } from '../../errors';
import { invalidateOrgTree, invalidateUsers, orgTree, requireAdmin, requireInScope } from '../../authz';
import { DuplicateError, type Org, type User } from '../../store/port';
import { calendarYearSchema, devTokenResponseSchema, orgListSchema, orgSchema, userListSchema, userSchema } from '../responses';
import { route } from '../route';
import { calendarPutSchema, devTokenSchema, orgCreateSchema, userCreateSchema } from '../schemas';
import { putCalendarYear, getCalendarYear } from '../../deadlines/calendar-year';

const yearParam = z.coerce.number().int().min(2000).max(2100);

const wrap = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: items.length });

export const adminRoutes = [
  route({
    method: 'post',
    path: '/api/v1/admin/queue-board/ticket',
    operationId: 'issueQueueBoardTicket',
    summary: 'A one-time link (60 s) that opens the queue board in a browser (admin)',
    tag: 'admin',
    response: z.object({ url: z.string(), expiresInSeconds: z.number().int() }),
    handler: async ({ deps, user }) => {
      requireAdmin(user);
      if (!deps.queueBoard) throw new AppError('not_found', 'this process serves no queue board');
      return deps.queueBoard.issueTicket(user.id);
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/auth/dev-token',
    operationId: 'issueDevToken',
    summary: 'Issue a development token for a stored user (AUTH_MODE=dev only)',
    tag: 'auth',
    auth: false,
    body: devTokenSchema,
    response: devTokenResponseSchema,
    errors: { 404: 'not_found: dev tokens are disabled (AUTH_MODE=jwt), or no such user', 429: 'rate_limited: too many token requests per IP and minute' },
    handler: async ({ deps, authn, body }) => {
      if (authn.mode !== 'dev' || !authn.issue) throw new AppError('not_found', 'dev tokens are disabled (AUTH_MODE=jwt)');
      const user = await deps.store.users.get(body.userId);
      if (!user) throw notFound(`user ${body.userId}`);
      return { token: await authn.issue(user.id) };
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/orgs',
    operationId: 'createOrg',
    summary: 'Create an org below one in your scope (admin)',
    response: orgSchema,
    tag: 'admin',
    status: 201,
    body: orgCreateSchema,
    handler: async ({ deps, user, body }) => {
      requireAdmin(user);
      const tree = await orgTree(deps.store);
      requireInScope(tree, user, body.parentId, `org ${body.parentId}`);
      const org: Org = {
        id: body.id ?? randomUUID(),
        name: body.name,
        level: body.level,
        parentId: body.parentId,
        partyCommittee: body.partyCommittee ?? null,
        disciplineBody: body.disciplineBody ?? null,
        createdAt: deps.clock().toISOString(),
      };
      await insertOnce(() => deps.store.orgs.insert(org), `org ${org.id}`);
      invalidateOrgTree(deps.store);
      return org;
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/orgs',
    operationId: 'listOrgs',
    summary: 'Orgs in your scope',
    response: orgListSchema,
    tag: 'admin',
    handler: async ({ deps, user }) => {
      const tree = await orgTree(deps.store);
      const ids = new Set(tree.subtree(user.orgId));
      return wrap(tree.all().filter((o) => ids.has(o.id)));
    },
  }),
  route({
    method: 'post',
    path: '/api/v1/users',
    operationId: 'createUser',
    summary: 'Create a user in your scope (admin)',
    response: userSchema,
    tag: 'admin',
    status: 201,
    body: userCreateSchema,
    handler: async ({ deps, user, body }) => {
      requireAdmin(user);
      const tree = await orgTree(deps.store);
      requireInScope(tree, user, body.orgId, `org ${body.orgId}`);
      const created: User = {
        id: body.id ?? randomUUID(),
        name: body.name,
        orgId: body.orgId,
        roles: [...new Set(body.roles)],
        personId: body.personId ?? null,
        createdAt: deps.clock().toISOString(),
      };
      await insertOnce(() => deps.store.users.insert(created), `user ${created.id}`);
      invalidateUsers(deps.store);
      return created;
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/users',
    operationId: 'listUsers',
    summary: 'Users in your scope',
    response: userListSchema,
    tag: 'admin',
    handler: async ({ deps, user }) => {
      const tree = await orgTree(deps.store);
      const ids = new Set(tree.subtree(user.orgId));
      return wrap((await deps.store.users.list()).filter((u) => ids.has(u.orgId)));
    },
  }),
  route({
    method: 'put',
    path: '/api/v1/calendar/:year',
    operationId: 'putCalendarYear',
    summary: "Set a year's holidays and make-up workdays (admin)",
    response: calendarYearSchema,
    tag: 'admin',
    body: calendarPutSchema,
    handler: async ({ deps, user, body, params }) => {
      requireAdmin(user);
      const year = parseYear(params.year);
      return putCalendarYear(deps, year, body);
    },
  }),
  route({
    method: 'get',
    path: '/api/v1/calendar/:year',
    operationId: 'getCalendarYear',
    summary: "A year's working-day calendar",
    response: calendarYearSchema,
    tag: 'admin',
    handler: async ({ deps, user, params }) => {
      const year = parseYear(params.year);
      const view = await getCalendarYear(deps, year);
      if (!user.roles.includes('admin')) return view;
      // ARCHITECTURE §7: running deadlines counted through a year without data are listed for administrators.
      const tree = await orgTree(deps.store);
      const uncertain = (await deps.store.deadlines.listActive({ orgIds: tree.subtree(user.orgId) })).filter((d) => d.calendarUncertain);
      return {
        ...view,
        uncertainDeadlines: uncertain.map((d) => ({ aggregate: d.aggregateType, id: d.aggregateId, key: d.key, dueAt: d.dueAt, status: d.status })),
      };
    },
  }),
];

function parseYear(raw: string): number {
  const r = yearParam.safeParse(raw);
  if (!r.success) throw new AppError('validation_failed', 'year must be 2000–2100', { errors: [{ path: 'year', message: 'must be 2000–2100' }] });
  return r.data;
}

async function insertOnce(insert: () => Promise<void>, what: string): Promise<void> {
  try {
    await insert();
  } catch (err) {
    if (err instanceof DuplicateError) {
      throw new AppError('validation_failed', `${what} already exists`, { errors: [{ path: 'id', message: 'already exists' }] });
    }
    throw err;
  }
}
