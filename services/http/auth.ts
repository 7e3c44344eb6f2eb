import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../../config/schema';
import { AppError } from '../errors';

const DEV_ISSUER = 'ajsc-dev';
const DEV_AUDIENCE = 'ajsc';

/** Verifies bearer tokens and (in dev mode) issues them. Algorithms, issuer and audience are pinned. */
export interface Authenticator {
  readonly mode: 'dev' | 'jwt';
  /** Returns the `sub` claim of a valid token, or throws 401. */
  verify(token: string): Promise<string>;
  /** Dev mode only. */
  issue?(userId: string): Promise<string>;
}

/** Verified tokens kept at most this long (and never past their `exp`). */
export const VERIFIED_TOKEN_TTL_MS = 10 * 60_000;

/**
 * Remembers the tokens it verified, each until its `exp` (at most VERIFIED_TOKEN_TTL_MS): a user's
 * requests carry the same token for hours, and checking its signature again on each costs more than
 * the rest of the request's authentication. A token that failed is not remembered.
 */
export function rememberVerified(verify: (token: string) => Promise<Verified>, now: () => number = Date.now): (token: string) => Promise<string> {
  const verified = new LRUCache<string, { sub: string; until: number }>({ max: 10_000 });
  return async (token) => {
    const hit = verified.get(token);
    if (hit !== undefined && now() < hit.until) return hit.sub;
    const { sub, exp } = await verify(token);
    const until = Math.min(now() + VERIFIED_TOKEN_TTL_MS, exp === undefined ? Infinity : exp * 1000);
    if (until > now()) verified.set(token, { sub, until });
    else verified.delete(token);
    return sub;
  };
}

export function createAuthenticator(config: Config, devSecret?: string): Authenticator {
  if (config.AUTH_MODE === 'dev') {
    if (config.NODE_ENV === 'production') throw new Error('dev auth refuses to run with NODE_ENV=production');
    const key = new TextEncoder().encode(config.DEV_JWT_SECRET ?? devSecret ?? randomBytes(32).toString('hex'));
    return {
      mode: 'dev',
      verify: rememberVerified((token) => verifyWith(token, key, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['HS256'] })),
      issue: (userId) =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(userId)
          .setIssuer(DEV_ISSUER)
          .setAudience(DEV_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('12h')
          .sign(key),
    };
  }
  const issuer = config.JWT_ISSUER!;
  const audience = config.JWT_AUDIENCE!;
  if (config.JWT_JWKS_URL) {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.JWT_JWKS_URL));
    return { mode: 'jwt', verify: rememberVerified((token) => verifyWith(token, jwks, { issuer, audience, algorithms: ['RS256', 'ES256'] })) };
  }
  const secret = new TextEncoder().encode(config.JWT_SECRET!);
  return { mode: 'jwt', verify: rememberVerified((token) => verifyWith(token, secret, { issuer, audience, algorithms: ['HS256'] })) };
}

export interface Verified {
  sub: string;
  /** Seconds since the epoch, when the token has one. */
  exp?: number;
}

async function verifyWith(
  token: string,
  key: Uint8Array | JWTVerifyGetKey,
  opts: { issuer: string; audience: string; algorithms: string[] },
): Promise<Verified> {
  try {
    const { payload } = typeof key === 'function' ? await jwtVerify(token, key, opts) : await jwtVerify(token, key, opts);
    if (typeof payload.sub !== 'string' || !payload.sub) throw new Error('no sub');
    return { sub: payload.sub, exp: payload.exp };
  } catch {
    throw new AppError('unauthenticated', 'the bearer token is missing, invalid or expired');
  }
}

/** The token of an `Authorization: Bearer …` header, or 401. */
export function bearerToken(header: string | undefined): string {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) throw new AppError('unauthenticated', 'an Authorization: Bearer token is required');
  return m[1];
}
