/**
 * The one error type (STYLE.md habit 4). Routes and use-cases throw AppError; the single Express
 * error handler writes it as application/problem+json. Anything else is a 500 without internals.
 */
import type { z } from 'zod';

export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'command_not_allowed'
  | 'version_conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'idempotency_key_reused'
  | 'internal';

export type ForbiddenReason = 'role' | 'scope' | 'recusal' | 'separation_of_duties' | 'system_only';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  command_not_allowed: 409,
  version_conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  idempotency_key_reused: 422,
  internal: 500,
};

const TITLE: Record<ErrorCode, string> = {
  validation_failed: 'Validation failed',
  unauthenticated: 'Unauthenticated',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  command_not_allowed: 'Command not allowed',
  version_conflict: 'Version conflict',
  payload_too_large: 'Payload too large',
  rate_limited: 'Too many requests',
  idempotency_key_reused: 'Idempotency-Key reused',
  internal: 'Internal error',
};

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly extra: { reason?: ForbiddenReason; errors?: FieldError[]; allowedCommands?: string[] } = {},
  ) {
    super(detail);
    this.status = STATUS[code];
    this.title = TITLE[code];
  }

  get reason(): ForbiddenReason | undefined {
    return this.extra.reason;
  }

  toProblem(): Record<string, unknown> {
    return {
      type: `urn:ajsc:error:${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      detail: this.message,
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
      ...(this.extra.allowedCommands ? { allowedCommands: this.extra.allowedCommands } : {}),
      ...(this.extra.reason ? { reason: this.extra.reason } : {}),
    };
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const forbidden = (reason: ForbiddenReason, detail: string) => new AppError('forbidden', detail, { reason });
export const validationFailed = (errors: FieldError[], detail = 'the request does not match its schema') =>
  new AppError('validation_failed', detail, { errors });

/** zod issues as API.md's `errors: [{path, message}]` with dotted paths (`subjects.0.name`). */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** Parses `input` or throws 400 validation_failed naming each field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, detail?: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationFailed(fieldErrors(r.error), detail);
  return r.data;
}
