import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { User } from '../store/port';
import type { Deps } from '../deps';
import type { Authenticator } from './auth';

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
  summary: string;
  tag: string;
  auth?: boolean;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  response?: z.ZodType;
  status?: number;
  /** Marks command routes for the per-user rate limit. */
  command?: boolean;
  produces?: string[];
  handler: (ctx: HandlerContext<B, Q>) => Promise<unknown>;
}

export function route<B = unknown, Q = unknown>(def: RouteDef<B, Q>): RouteDef<B, Q> {
  return def;
}

export function raw(contentType: string, body: string | Buffer, filename?: string): RawBody {
  return { raw: true, contentType, body, filename };
}

export function isRaw(v: unknown): v is RawBody {
  return typeof v === 'object' && v !== null && (v as RawBody).raw === true;
}
