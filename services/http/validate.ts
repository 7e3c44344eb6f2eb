import type { z } from 'zod';
import { validationFailed, type FieldError } from '../errors';

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
