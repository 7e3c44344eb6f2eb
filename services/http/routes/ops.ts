import { requireRole } from '../../authz';
import { auditVerifySchema, healthSchema, inboxSchema, readinessSchema } from '../responses';
import { route, raw } from '../route';
import { inboxQuery } from '../schemas';
import { inboxFor } from '../../inbox';

/** The longest a readiness probe waits for one dependency (orchestrators probe with ~1 s timeouts). */
export const READY_TIMEOUT_MS = 800;

const DEPENDENCY_NAMES: Record<string, string> = { store: '数据库', redis: 'Redis（任务队列）' };

/** `ok`, `down` (failed) or `timeout` (no answer within READY_TIMEOUT_MS). */
async function probe(ping: () => Promise<void>): Promise<'ok' | 'down' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS)));
  try {
    return await Promise.race([ping().then(() => 'ok' as const, () => 'down' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const opsRoutes = [
  route({
    method: 'get',
    path: '/api/v1/inbox',
    operationId: 'getInbox',
    summary: 'Your approvals, assigned aggregates, overdue deadlines and notifications',
    response: inboxSchema,
    tag: 'inbox',
    query: inboxQuery,
    handler: ({ deps, user, query }) => inboxFor(deps, user, query),
  }),
  route({
    method: 'get',
    path: '/api/v1/audit/verify',
    operationId: 'verifyAudit',
    summary: 'Verify every audit hash chain (auditor, admin)',
    response: auditVerifySchema,
    tag: 'audit',
    handler: async ({ deps, user }) => {
      requireRole(user, ['auditor', 'admin'], 'audit verification');
      return deps.store.verifyAudit();
    },
  }),
  route({
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    summary: 'Liveness',
    response: healthSchema,
    tag: 'operations',
    auth: false,
    handler: async () => ({ ok: true }),
  }),
  route({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: the store and Redis answer within 800 ms (503 names what is down)',
    response: readinessSchema,
    errors: { 503: { description: 'not ready: `down` names the dependencies that failed or timed out', schema: readinessSchema } },
    tag: 'operations',
    auth: false,
    handler: async ({ deps, res }) => {
      // Side by side, each bounded: a probe answers within READY_TIMEOUT_MS even when a dependency hangs.
      const [store, redis] = await Promise.all([
        probe(() => deps.store.ping()),
        deps.pingRedis ? probe(deps.pingRedis) : Promise.resolve(undefined),
      ]);
      const checks: Record<string, string> = { store, ...(redis ? { redis } : {}) };
      const down = Object.keys(checks).filter((k) => checks[k] !== 'ok');
      if (down.length === 0) return { ok: true, checks };
      // Sent here: the route's return value would be answered with the route's status (200).
      res.status(503).json({ ok: false, checks, down, detail: `不可用：${down.map((k) => DEPENDENCY_NAMES[k] ?? k).join('、')}` });
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
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

