import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Validates live answers against /openapi.json with ajv 8 (JSON Schema 2020-12, as OpenAPI 3.1):
 * the status must be documented for the operation, and a JSON body must match the documented
 * schema of that status and media type. Records which operations were seen.
 */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export class ContractChecker {
  private readonly ajv: Ajv2020;
  readonly seen = new Set<string>();
  readonly statuses = new Set<string>();

  constructor(private readonly doc: any) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...doc, $id: 'openapi' });
  }

  /** The document's path template of a concrete path (`/api/v1/cases/abc` → `/api/v1/cases/{id}`). */
  template(path: string): string {
    const clean = path.split('?')[0];
    for (const t of Object.keys(this.doc.paths)) {
      const re = new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (re.test(clean)) return t;
    }
    throw new Error(`${path} is not documented in /openapi.json`);
  }

  /** Throws when a body the API accepted does not match the documented request body (e.g. its command's schema). */
  checkRequest(method: string, path: string, body: unknown): void {
    const t = this.template(path);
    const m = method.toLowerCase();
    if (!this.doc.paths[t][m]?.requestBody) return;
    const ref = `openapi#/paths/${escape(t)}/${m}/requestBody/content/application~1json/schema`;
    const validate = this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref });
    if (!validate(body)) {
      throw new Error(`${method} ${t}: an accepted body does not match the documented request schema: ${(validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message}`).join('; ')}`);
    }
  }

  /** Throws, naming the operation and ajv's errors, when the answer is not what the document says. */
  check(method: string, path: string, res: Answer): void {
    const t = this.template(path);
    const m = method.toLowerCase();
    const op = this.doc.paths[t][m];
    if (!op) throw new Error(`${method} ${t} is not documented`);
    const status = String(res.status);
    const documented = op.responses[status];
    if (!documented) throw new Error(`${method} ${t} (${op.operationId}) answered ${status}, which the document does not list: ${JSON.stringify(res.body).slice(0, 300)}`);
    this.seen.add(op.operationId);
    this.statuses.add(`${op.operationId} ${status}`);
    const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
    if (!documented.content?.[type]) throw new Error(`${op.operationId} ${status} answered ${type}, not one of ${Object.keys(documented.content ?? {}).join(', ')}`);
    if (!type.endsWith('json')) return;
    const ref = `openapi#/paths/${escape(t)}/${m}/responses/${status}/content/${escape(type)}/schema`;
    const validate = this.ajv.getSchema(ref) ?? this.ajv.compile({ $ref: ref });
    if (!validate(res.body)) {
      throw new Error(`${op.operationId} ${status} does not match its documented schema: ${(validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`).join('; ')}\nbody: ${JSON.stringify(res.body).slice(0, 600)}`);
    }
  }
}
