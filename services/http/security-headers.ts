/**
 * helmet's security headers, computed once: helmet's middleware builds the same headers for every
 * request, so it is run once at start-up against a recording response and the result is set on each
 * response as it is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(options: Parameters<typeof helmet>[0]): RequestHandler {
  const headers: Array<[string, string | string[]]> = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, Array.isArray(value) ? [...value] : String(value)]);
      return recorder;
    },
    removeHeader() {},
  };
  let called = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {
    called = true;
  });
  // helmet's middleware is synchronous; if a version ever is not, run it per request.
  if (!called) return helmet(options) as unknown as RequestHandler;
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
