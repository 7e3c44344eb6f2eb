/**
 * The typed API client: openapi-fetch over the generated paths (api/schema.d.ts), with the session
 * token and the same problem handling as `api()`. `call()` answers the data or throws ApiError.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { clearToken, getToken } from '../auth/session';
import { ApiError, UNAUTHENTICATED_EVENT, type Problem } from './client';
import type { paths } from './schema';

const auth: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) {
      clearToken();
      window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    }
    return response;
  },
};

export const client = createClient<paths>({ baseUrl: '' });
client.use(auth);

/** The data of an openapi-fetch answer, or its problem thrown as ApiError. */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (!response.ok || data === undefined) {
    const problem = (error && typeof error === 'object' ? error : { detail: String(error ?? response.statusText) }) as Partial<Problem>;
    throw new ApiError({ ...problem, status: response.status });
  }
  return data;
}
