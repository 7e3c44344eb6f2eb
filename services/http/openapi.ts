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
    reason: z.enum(['role', 'scope', 'recusal', 'separation_of_duties', 'system_only']).optional(),
  })
  .meta({ id: 'Problem' });

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });

/** OpenAPI 3.1 generated from the same zod schemas the routes validate with. */
export function buildOpenApi(routes: ReadonlyArray<RouteDef<any, any>>): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.auth === false ? { security: [] } : {}),
      requestParams: {
        ...(params.length ? { path: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
        ...(r.query ? { query: r.query } : {}),
      },
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      responses: {
        [String(r.status ?? 200)]: {
          description: 'success',
          content: Object.fromEntries(
            (r.produces ?? ['application/json']).map((type) => [type, { schema: type === 'application/json' ? (r.response ?? z.unknown()) : z.string() }]),
          ),
        },
        400: problemResponse('validation_failed'),
        ...(r.auth === false ? {} : { 401: problemResponse('unauthenticated'), 403: problemResponse('forbidden'), 404: problemResponse('not_found') }),
        ...(r.command ? { 409: problemResponse('command_not_allowed or version_conflict'), 429: problemResponse('rate_limited') } : {}),
      },
    };
    paths[path] = { ...(paths[path] ?? {}), [r.method]: op };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: '一案双查 accountability case engine',
      version: '1.0.0',
      description: 'Cases, accountability reviews, deadlines, statistics and audit (API.md v1).',
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
