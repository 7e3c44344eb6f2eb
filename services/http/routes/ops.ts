import { requireRole } from '../../authz';
import { route, raw } from '../route';
import { inboxFor } from '../../inbox';

export const opsRoutes = [
  route({
    method: 'get',
    path: '/api/v1/inbox',
    summary: 'Your approvals, assigned aggregates, overdue deadlines and notifications',
    tag: 'inbox',
    handler: ({ deps, user }) => inboxFor(deps, user),
  }),
  route({
    method: 'get',
    path: '/api/v1/audit/verify',
    summary: 'Verify every audit hash chain (auditor, admin)',
    tag: 'audit',
    handler: async ({ deps, user }) => {
      requireRole(user, ['auditor', 'admin'], 'audit verification');
      return deps.store.verifyAudit();
    },
  }),
  route({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    tag: 'operations',
    auth: false,
    handler: async () => ({ ok: true }),
  }),
  route({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: the store and Redis answer',
    tag: 'operations',
    auth: false,
    handler: async ({ deps, res }) => {
      const checks: Record<string, string> = {};
      await deps.store.ping().then(
        () => (checks.store = 'ok'),
        () => (checks.store = 'down'),
      );
      if (deps.pingRedis) {
        await deps.pingRedis().then(
          () => (checks.redis = 'ok'),
          () => (checks.redis = 'down'),
        );
      }
      const ok = Object.values(checks).every((v) => v === 'ok');
      res.status(ok ? 200 : 503);
      return { ok, checks };
    },
  }),
  route({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tag: 'operations',
    auth: false,
    produces: ['text/plain'],
    handler: async ({ deps }) => {
      await deps.refreshGauges?.().catch((err: unknown) => deps.logger.warn({ err }, 'metrics gauges not refreshed'));
      return raw(deps.metrics.registry.contentType, await deps.metrics.registry.metrics());
    },
  }),
];

