/**
 * The bearer token lives in sessionStorage only (never in a URL, never in localStorage): closing the
 * tab ends the session. The user id is the token's `sub` claim; roles come from the stored user.
 */
const KEY = 'ajsc.token';

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

/** The `sub` claim of a JWT (not verified here: the server verifies every request). */
export function subjectOf(token: string): string | null {
  try {
    const part = token.split('.')[1];
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : null;
  } catch {
    return null;
  }
}
