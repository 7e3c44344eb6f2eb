import { z } from 'zod';
import { TALK_KINDS } from '../machines/talk/kinds';
import { DEFAULT_COVERAGE_RULES } from './coverage';
import { isDuration } from './duration';
import { DEFAULT_POOL_SIZE } from './store';
import { DEADLINE_KEYS } from './deadlines';
import { DEFAULT_FREQUENCY_TRIGGER } from './frequency-trigger';

/**
 * Every setting of the process (API.md "Process and environment"). `process.env` is read here and
 * nowhere else; `main.ts` files pass the parsed config down. Invalid config stops the process with a
 * message naming the key.
 */
const durationMap = z.partialRecord(
  z.enum(DEADLINE_KEYS),
  z.strictObject({
    due: z.string().refine(isDuration, 'ISO-8601 duration of weeks, days, hours, minutes or seconds, such as PT2S'),
    escalateAfter: z.string().refine(isDuration, 'ISO-8601 duration such as PT2S').optional(),
  }),
);

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z.string().transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  }).pipe(schema);

const boolish = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const boolishDefault = (on: boolean) => boolish.default(on);
/** A comma-separated list of talk kinds (at least one). */
const talkKinds = (defaults: readonly string[]) =>
  z
    .string()
    .default(defaults.join(','))
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
    .pipe(z.array(z.enum(TALK_KINDS)).min(1, 'name at least one talk kind'));
const count = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const C = DEFAULT_COVERAGE_RULES;
const T = DEFAULT_FREQUENCY_TRIGGER;

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('Node environment; production forces AUTH_MODE=jwt'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP listen port'),
    HOST: z.string().default('127.0.0.1').describe('HTTP listen address'),
    MONGODB_URI: z.string().optional().describe('Use MongoDB (replica set) as the store'),
    DATABASE_URL: z.string().optional().describe('Use PostgreSQL as the store'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(DEFAULT_POOL_SIZE).describe('PostgreSQL connections per process'),
    DATA_DIR: z.string().default('./data').describe('PGlite files and the private Redis, when no other store is configured'),
    REDIS_URL: z.string().optional().describe('BullMQ connection; default redis://127.0.0.1:6379, else a private redis-server'),
    REDIS_PROBE_PORT: z.coerce.number().int().min(1).max(65535).default(6379).describe('Port on 127.0.0.1 probed for a local Redis when REDIS_URL is unset'),
    AUTH_MODE: z.enum(['dev', 'jwt']).optional().describe('dev issues tokens for stored users; jwt verifies bearer JWTs'),
    JWT_SECRET: z.string().min(32).optional().describe('HS256 secret for AUTH_MODE=jwt (≥ 32 chars)'),
    JWT_JWKS_URL: z.string().url().optional().describe('JWKS URL for AUTH_MODE=jwt (RS256/ES256)'),
    JWT_ISSUER: z.string().optional().describe('Required iss claim'),
    JWT_AUDIENCE: z.string().optional().describe('Required aud claim'),
    DEV_JWT_SECRET: z.string().min(32).optional().describe('Secret that signs dev-mode tokens; kept in DATA_DIR/dev-jwt.key when unset'),
    AUDIT_HASH: z.enum(['sm3', 'sha256']).default('sm3').describe('Hash of the audit chain'),
    REPORTER_KEY: z
      .string()
      .regex(/^[0-9a-fA-F]{32}$/, '32 hex digits (SM4 key)')
      .optional()
      .describe('SM4 key sealing reporter identities at rest (required in production; kept in DATA_DIR/reporter.key in dev)'),
    DEADLINE_OVERRIDES: jsonOf(durationMap).optional().describe('Replace deadline policies with plain durations (demos, tests)'),
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).default(15000).describe('Deadline reconciler period'),
    OUTBOX_RETENTION_MS: z.coerce.number().int().min(0).default(3_600_000).describe('How long delivered outbox rows are kept before the purge deletes them'),
    OUTBOX_PURGE_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000).describe('Outbox purge period (each run deletes in batches of 1000, at most 50 batches)'),
    RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(1200).describe('Commands per user per minute'),
    DEV_TOKEN_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(60).describe('Dev tokens per IP per minute'),
    BODY_LIMIT: z.string().default('1mb').describe('Largest accepted request body'),
    NOTIFY_WEBHOOK_URL: z.string().url().optional().describe('Optional webhook receiving notifications (HMAC-signed)'),
    NOTIFY_WEBHOOK_SECRET: z.string().optional().describe('HMAC-SHA256 key for the webhook signature'),
    SEED_DEMO: boolish.optional().describe('Seed demo data on an empty store at start (default: on, except with NODE_ENV=production)'),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v, ctx) => {
        const origins = v.split(',').map((o) => o.trim()).filter(Boolean);
        for (const o of origins) {
          if (!/^https?:\/\/[^/\s]+$/.test(o)) ctx.addIssue({ code: 'custom', message: `not an origin (scheme://host[:port], no path): ${o}` });
        }
        return origins;
      })
      .describe('Origins allowed to call the API from a browser (comma-separated; none by default)'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino level'),
    QUEUE_PREFIX: z.string().default('ajsc').describe('BullMQ key prefix (one per deployment or test run)'),
    // Talk coverage (config/coverage.ts): local practice, the defaults restate the commission's speeches.
    COVERAGE_HEAD_ANNUAL: boolishDefault(C.headAnnual.enabled).describe("Local practice: the discipline head 约谈 each year the secretary and discipline head of each org below (on)"),
    COVERAGE_HEAD_ANNUAL_KINDS: talkKinds(C.headAnnual.kinds).describe(`Local practice: talk kinds that cover the head's yearly 约谈 (${C.headAnnual.kinds.join(',')})`),
    COVERAGE_MEMBER_PORTFOLIO: boolishDefault(C.memberPortfolio.enabled).describe('Local practice: each committee member talks each year with the leaders of the units in his portfolio (on)'),
    COVERAGE_MEMBER_PORTFOLIO_KINDS: talkKinds(C.memberPortfolio.kinds).describe(`Local practice: talk kinds that cover a member's portfolio talk (${C.memberPortfolio.kinds.join(',')})`),
    COVERAGE_MEMBER_AFTER_COLLECTIVE: boolishDefault(C.memberPortfolio.afterCollective).describe("Local practice: a member's portfolio talks count only after the org's 责任传导集体谈话 of the year (on)"),
    COVERAGE_PRE_APPOINTMENT: boolishDefault(C.preAppointment.enabled).describe('Local practice: an appointment creates a 任前廉政谈话 obligation (on)'),
    COVERAGE_PRE_APPOINTMENT_WITHIN_DAYS: count(0, 366, C.preAppointment.withinDays).describe(`Local practice: days after the appointment by which the 任前廉政谈话 is due (${C.preAppointment.withinDays})`),
    COVERAGE_PRE_APPOINTMENT_EARLIEST_DAYS_BEFORE: count(0, 366, C.preAppointment.earliestDaysBefore).describe(
      `Local practice: days before the appointment from which a 任前廉政谈话 counts (${C.preAppointment.earliestDaysBefore})`,
    ),
    COVERAGE_REMINDER_FROM_MONTH: count(1, 12, C.reminderFromMonth).describe(`Local practice: month from which the yearly obligations still due are reminded (${C.reminderFromMonth}, the fourth quarter)`),
    COVERAGE_ESCALATE_UNTIL_MONTH: count(0, 12, C.escalateUntilMonth).describe(
      `Local practice: last month of the next year in which a year's uncovered obligations escalate to the commission above (${C.escalateUntilMonth}; 0: no year-end escalation)`,
    ),
    // The 一案双查 frequency trigger (config/frequency-trigger.ts): local practice, no national numbers.
    FREQUENCY_TRIGGER: boolishDefault(T.enabled).describe('Local practice: propose a 一案双查 of a unit whose serious violations recur (严重违纪问题频发) (on)'),
    FREQUENCY_TRIGGER_WINDOW_DAYS: count(1, 3660, T.windowDays).describe(`Local practice: days counted back from each sweep (${T.windowDays})`),
    FREQUENCY_TRIGGER_SANCTIONED_CASES: count(1, 1000, T.sanctionedCases).describe(`Local practice: cases of one unit with a sanction (form 2+) in the window that trigger (${T.sanctionedCases})`),
    FREQUENCY_TRIGGER_SERIOUS_SANCTIONS: count(1, 1000, T.seriousSanctions).describe(`Local practice: person-times in forms 3–4 of one unit in the window that trigger (${T.seriousSanctions})`),
    FREQUENCY_TRIGGER_MAJOR_CASE: boolishDefault(T.majorCaseTriggers).describe('Local practice: one major case (重大腐败案件) with a sanction triggers on its own (on)'),
  })
  .transform((c) => ({
    ...c,
    AUTH_MODE: c.AUTH_MODE ?? (c.NODE_ENV === 'production' ? 'jwt' : 'dev'),
    // Demo data is fictional: never written into a production store unless asked for by name.
    SEED_DEMO: c.SEED_DEMO ?? c.NODE_ENV !== 'production',
  }))
  .superRefine((c, ctx) => {
    if (c.AUTH_MODE === 'dev' && c.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['AUTH_MODE'], message: 'dev auth refuses to run with NODE_ENV=production' });
    }
    if (c.AUTH_MODE === 'jwt' && !c.JWT_SECRET && !c.JWT_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'AUTH_MODE=jwt needs JWT_SECRET or JWT_JWKS_URL' });
    }
    if (c.NODE_ENV === 'production' && !c.REPORTER_KEY) {
      ctx.addIssue({ code: 'custom', path: ['REPORTER_KEY'], message: 'production needs REPORTER_KEY (32 hex digits) to seal reporter identities' });
    }
    if (c.AUTH_MODE === 'jwt' && (!c.JWT_ISSUER || !c.JWT_AUDIENCE)) {
      ctx.addIssue({ code: 'custom', path: ['JWT_ISSUER'], message: 'AUTH_MODE=jwt needs JWT_ISSUER and JWT_AUDIENCE' });
    }
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError whose message names every bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Keys and descriptions, for the README's configuration table. */
export function describeConfig(): Array<{ key: string; description: string }> {
  const shape = (configSchema as any).in?.shape ?? (configSchema as any)._def?.in?._def?.schema?.shape ?? {};
  return Object.entries(shape).map(([key, s]: [string, any]) => ({ key, description: s.description ?? '' }));
}
