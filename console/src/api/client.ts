import { clearToken, getToken } from '../auth/session';

/** An application/problem+json answer (docs/api.md "Errors"). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
  allowedCommands?: string[];
  reason?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string | undefined {
    return this.problem.code;
  }
}

export const API_BASE = '/api/v1';

/** Fired when the server no longer accepts the token: the shell goes back to the login page. */
export const UNAUTHENTICATED_EVENT = 'ajsc:unauthenticated';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  /** Sent without the session token (login). */
  anonymous?: boolean;
  token?: string;
  signal?: AbortSignal;
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function authHeaders(opts: RequestOptions): Record<string, string> {
  const token = opts.token ?? (opts.anonymous ? null : getToken());
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Problem;
    return { ...body, status: res.status };
  } catch {
    return { status: res.status, detail: text.slice(0, 200) || res.statusText };
  }
}

/** One JSON request to the API; a non-2xx answer throws an ApiError carrying the problem. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(opts), ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(withQuery(`${API_BASE}${path}`, opts.query), {
    method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    signal: opts.signal,
  });
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401 && !opts.anonymous) {
      clearToken();
      window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    }
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Downloads a file answer (CSV, XLSX) with the session token, then saves it under its name. */
export async function download(path: string, query: RequestOptions['query'], fallbackName: string): Promise<void> {
  const res = await fetch(withQuery(`${API_BASE}${path}`, query), { headers: authHeaders({}) });
  if (!res.ok) throw new ApiError(await problemOf(res));
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  saveBlob(await res.blob(), name ? decodeURIComponent(name) : fallbackName);
}

export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A fresh key per form submission: a double click or a retry registers once (Idempotency-Key). */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
