import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { User } from '../store/port';
import type { Deps } from '../deps';
import type { Authenticator } from './auth';
import { idempotentHandler, type IdempotentOptions } from './idempotency';

/** A raw response (CSV, Excel, HTML) instead of JSON. */
export interface RawBody {
  raw: true;
  contentType: string;
  body: string | Buffer;
  filename?: string;
}

export interface HandlerContext<B, Q> {
  req: Request;
  res: Response;
  deps: Deps;
  authn: Authenticator;
  /** The authenticated stored user (routes with `auth: false` get none). */
  user: User;
  body: B;
  query: Q;
  params: Record<string, string>;
}

/**
 * One route: registered on Express and described in /openapi.json from the same zod schemas.
 */
export interface RouteDef<B = unknown, Q = unknown> {
  method: 'get' | 'post' | 'put';
  path: string;
  /** The operation's name in /openapi.json and in the generated client (camelCase, unique). */
  operationId?: string;
  summary: string;
  description?: string;
  tag: string;
  auth?: boolean;
  body?: z.ZodType<B>;
  /** The body as documented, when `body` validates only an envelope (commands: a union on `type`). */
  documentedBody?: z.ZodType;
  query?: z.ZodType<Q>;
  /** The schema of the success answer (application/json). */
  response?: z.ZodType;
  status?: number;
  /** Further statuses this route really answers, with what they mean (e.g. 503 on readyz). */
  errors?: Record<number, string | { description: string; schema: z.ZodType }>;
  /** Takes an `Idempotency-Key` header (services/http/idempotency.ts). */
  idempotent?: IdempotentOptions;
  /** Marks command routes for the per-user rate limit. */
  command?: boolean;
  produces?: string[];
  handler: (ctx: HandlerContext<B, Q>) => Promise<unknown>;
}

export function route<B = unknown, Q = unknown>(def: RouteDef<B, Q>): RouteDef<B, Q> {
  if (!def.idempotent) return def;
  return { ...def, handler: idempotentHandler(def.handler as never, def.status ?? 200, def.idempotent) as RouteDef<B, Q>['handler'] };
}

export function raw(contentType: string, body: string | Buffer, filename?: string): RawBody {
  return { raw: true, contentType, body, filename };
}

export function isRaw(v: unknown): v is RawBody {
  return typeof v === 'object' && v !== null && (v as RawBody).raw === true;
}
