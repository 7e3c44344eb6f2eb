import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CASE_COMMANDS, caseCommandSchemas, REVIEW_COMMANDS } from '../../../machines';
import { buildOpenApi } from '../../../services/http/openapi';
import { allRoutes } from '../../../services/http/routes';

/** The document itself: names, schemas and statuses the console and generated clients rely on. */
const routes = allRoutes();
const doc = buildOpenApi(routes) as any;
const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ path, method, op })),
);
const op = (method: string, path: string) => doc.paths[path][method];

describe('buildOpenApi', () => {
  describe('operations', () => {
    it('when a route is defined, then it names its own operationId, and the ids are unique', () => {
      const unnamed = routes.filter((r) => !r.operationId).map((r) => `${r.method.toUpperCase()} ${r.path}`);
      if (unnamed.length) throw new Error(`routes without an operationId (add one in services/http/routes/*.ts): ${unnamed.join(', ')}`);
      const ids = operations.map((o) => o.op.operationId);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('when a route answers JSON, then its success answer has a real schema, not "anything"', () => {
      const loose = operations.filter(({ op: o }) => {
        const success = Object.entries(o.responses).find(([code]) => code.startsWith('2'))![1] as any;
        const schema = success.content['application/json']?.schema;
        return schema !== undefined && Object.keys(schema).length === 0;
      });
      expect(loose.map((o) => `${o.method} ${o.path}`)).toEqual([]);
    });
  });

  describe('commands', () => {
    it('when a command exists in the machines, then the document has its own payload schema in the union on type', () => {
      const caseUnion = doc.components.schemas.CaseCommand;
      expect(Object.keys(caseUnion.discriminator.mapping).sort()).toEqual([...CASE_COMMANDS].sort());
      expect(Object.keys(doc.components.schemas.ReviewCommand.discriminator.mapping).sort()).toEqual([...REVIEW_COMMANDS].sort());
      const assign = doc.components.schemas.CaseAssignCommand;
      expect(assign.required).toEqual(expect.arrayContaining(['type', 'inspectorIds']));
      expect(Object.keys(assign.properties)).toEqual(['type', 'expectedVersion', ...Object.keys(caseCommandSchemas.assign.shape)]);
      expect(op('post', '/api/v1/cases/{id}/commands').requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CaseCommand' });
    });
  });

  describe('statuses', () => {
    it('when the API really sends a status, then the operation documents it', () => {
      expect(Object.keys(op('post', '/api/v1/cases').responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '413', '422', '429', '500']));
      expect(Object.keys(op('post', '/api/v1/auth/dev-token').responses)).toEqual(expect.arrayContaining(['200', '400', '404', '413', '429']));
      expect(op('get', '/readyz').responses['503'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Readiness' });
      expect(Object.keys(op('post', '/api/v1/reviews/{id}/commands').responses)).toEqual(expect.arrayContaining(['409', '413', '422', '429']));
      expect(op('post', '/api/v1/cases').parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Idempotency-Key' })]));
      expect(Object.keys(op('get', '/api/v1/stats/four-forms').responses['200'].content)).toEqual([
        'application/json',
        'text/csv',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ]);
    });
  });

  describe('generated files', () => {
    it('when the routes or schemas change, then docs/openapi.json and console/src/api/schema.d.ts are regenerated (npm run gen:api)', () => {
      const root = resolve(__dirname, '..', '..', '..');
      // Throws with the script's message (which file is stale) when the check fails.
      execFileSync(resolve(root, 'node_modules', '.bin', 'tsx'), ['scripts/gen-api.ts', '--check'], { cwd: root, stdio: 'pipe', timeout: 120_000 });
    }, 150_000);
  });
});
