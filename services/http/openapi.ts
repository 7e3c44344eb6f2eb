import { z } from 'zod';
import { createDocument } from 'zod-openapi';
import type { RouteDef } from './route';

const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    allowedCommands: z.array(z.string()).optional(),
    reason: z.enum(['role', 'scope', 'recusal', 'separation_of_duties', 'system_only']).optional().describe('Why a 403 (dictionary FORBIDDEN_REASON_LABELS)'),
  })
  .meta({ id: 'Problem' });

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });

const idempotencyHeader = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .meta({
    description:
      'Optional. A repeat with the same key (per user) and the same body answers the first answer and changes nothing; ' +
      'the same key with another body answers 422 idempotency_key_reused. Kept with the commit, across processes and restarts.',
  });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The schema of one success media type: the route's response for JSON, a file or text otherwise. */
function successSchema(r: RouteDef<any, any>, type: string): z.ZodType {
  if (type === 'application/json') return r.response ?? z.unknown();
  if (type === XLSX) return z.string().meta({ format: 'binary', description: 'Excel workbook (A4 landscape, Chinese headings)' });
  return z.string();
}

/** `getCasesById` from `GET /api/v1/cases/:id`, for a route that names no operationId. */
export function derivedOperationId(r: Pick<RouteDef, 'method' | 'path'>): string {
  const parts = r.path
    .replace(/^\/api\/v1\//, '/')
    .split('/')
    .filter(Boolean)
    .map((p) => (p.startsWith(':') ? `by-${p.slice(1)}` : p))
    .flatMap((p) => p.split(/[-_.]/))
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1));
  return `${r.method}${parts.join('')}`;
}

/** Every status the route really answers, with its body. */
function responsesOf(r: RouteDef<any, any>): Record<string, unknown> {
  const hasInput = Boolean(r.body || r.query || r.path.includes(':'));
  const status = String(r.status ?? 200);
  const out: Record<string, unknown> = {
    [status]: {
      description: r.status === 201 ? 'created' : 'success',
      ...(r.idempotent ? { headers: { 'Idempotent-Replayed': { description: '`true` when this is the stored answer of an earlier request with the same key', schema: { type: 'string' } } } } : {}),
      content: Object.fromEntries((r.produces ?? ['application/json']).map((type) => [type, { schema: successSchema(r, type) }])),
    },
  };
  if (hasInput) out[400] = problemResponse('validation_failed: `errors[].path` names each failing field');
  if (r.auth !== false) {
    out[401] = problemResponse('unauthenticated: no or an invalid bearer token');
    out[403] = problemResponse('forbidden: `reason` is role, scope, recusal, separation_of_duties or system_only');
    out[404] = problemResponse('not_found: no such record in your scope (or none at all)');
  }
  if (r.command) {
    out[409] = problemResponse('command_not_allowed (with `allowedCommands`) or version_conflict');
    out[429] = problemResponse('rate_limited: too many commands per user and minute');
  }
  if (r.body) out[413] = problemResponse('payload_too_large: the body is over BODY_LIMIT');
  if (r.idempotent) out[422] = problemResponse('idempotency_key_reused: the Idempotency-Key was used with another request');
  for (const [code, what] of Object.entries(r.errors ?? {})) {
    out[code] = typeof what === 'string' ? problemResponse(what) : { description: what.description, content: { 'application/json': { schema: what.schema } } };
  }
  out[500] = problemResponse('internal: logged, no internals in the answer');
  return out;
}

/** OpenAPI 3.1 generated from the same zod schemas the routes validate and answer with. */
export function buildOpenApi(routes: ReadonlyArray<RouteDef<any, any>>): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const body = r.documentedBody ?? r.body;
    const op: Record<string, unknown> = {
      operationId: r.operationId ?? derivedOperationId(r),
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      ...(r.auth === false ? { security: [] } : {}),
      requestParams: {
        ...(params.length ? { path: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
        ...(r.query ? { query: r.query } : {}),
        ...(r.idempotent ? { header: z.object({ 'Idempotency-Key': idempotencyHeader }) } : {}),
      },
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      responses: responsesOf(r),
    };
    paths[path] = { ...(paths[path] ?? {}), [r.method]: op };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: '一案双查 accountability case engine',
      version: '1.0.0',
      description:
        'Cases, accountability reviews, deadlines, statistics and audit (docs/api.md). Chinese labels of every code ' +
        '(states, commands, measures, roles, error reasons) are in machines/shared/dictionary.ts.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths: paths as any,
  });
}

/** The interactive page at /docs (Swagger UI served from the swagger-ui-dist package, no CDN). */
export function docsPage(): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>一案双查 API 文档</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true });</script>
</body></html>`;
}
