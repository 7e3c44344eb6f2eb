/**
 * One mongoose model per collection, with the indexes the services query by declared in the
 * schemas (created at start-up by `Model.init()`). Ids are strings in `_id`; times are Dates except
 * the audit `at`, which the hash covers as the caller's exact string.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Doc } from './docs';

const { Mixed } = Schema.Types;

/** No `__v` (the port has its own `version`), empty objects kept (`data: {}` is a value). */
const options = { versionKey: false, minimize: false, strict: true, autoCreate: true } as const;

function schema(definition: Record<string, unknown>, collection: string) {
  return new Schema(definition, { ...options, collection });
}

const aggregate = {
  _id: { type: String, required: true },
  orgId: { type: String, required: true },
  machineId: { type: String, required: true },
  machineVersion: { type: Number, required: true },
  snapshot: { type: Mixed, required: true },
  state: { type: String, required: true },
  version: { type: Number, required: true },
  assignees: { type: [String], default: undefined },
  data: { type: Mixed },
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
};

function defineSchemas() {
  const orgs = schema({ _id: String, name: String, level: String, parentId: String, partyCommittee: String, disciplineBody: String, createdAt: Date }, 'orgs');
  orgs.index({ parentId: 1 });

  const users = schema({ _id: String, name: String, orgId: String, roles: { type: [String], default: undefined }, personId: String, createdAt: Date }, 'users');
  users.index({ orgId: 1 });
  users.index({ roles: 1 });

  const cases = schema(
    { ...aggregate, number: String, title: String, dualState: String, flags: { type: [String], default: undefined }, searchText: String, reporterSealed: String },
    'cases',
  );
  cases.index({ orgId: 1, state: 1 });
  cases.index({ updatedAt: -1 });
  cases.index({ assignees: 1 });
  // The effects reconciler lists the cases whose 一案双查 is not settled (opening, open): few of all.
  cases.index({ dualState: 1 }, { partialFilterExpression: { dualState: { $in: ['opening', 'open'] } } });

  const reviews = schema({ ...aggregate, caseId: { type: String, required: true }, kind: { type: String, required: true }, target: String }, 'reviews');
  reviews.index({ caseId: 1, kind: 1 }, { unique: true });
  reviews.index({ orgId: 1, state: 1 });
  reviews.index({ updatedAt: -1 });

  const dispositions = schema(
    { _id: String, caseId: String, reviewId: String, personId: String, personName: String, rank: String, orgId: String, orgLevel: String, measure: String, form: Number, decidedAt: Date, revokedAt: Date },
    'dispositions',
  );
  dispositions.index({ decidedAt: 1, orgId: 1 });
  dispositions.index({ caseId: 1 });

  const deadlines = schema(
    {
      _id: String, aggregateType: String, aggregateId: String, orgId: String, key: String, openedAt: Date, dueAt: Date,
      steps: { type: Mixed }, status: String, escalation: String, calendarUncertain: Boolean, closedAt: Date,
    },
    'deadlines',
  );
  deadlines.index({ aggregateType: 1, aggregateId: 1 });
  deadlines.index({ status: 1 });

  const auditEvents = schema(
    { stream: String, seq: Number, at: String, actor: String, action: String, outcome: String, from: String, to: String, detail: { type: Mixed }, prevHash: String, hash: String },
    'audit_events',
  );
  auditEvents.index({ stream: 1, seq: 1 }, { unique: true });

  const auditHeads = schema({ _id: String, seq: Number, hash: String, lockedAt: Date }, 'audit_heads');

  const outbox = schema({ _id: String, queue: String, name: String, data: { type: Mixed }, createdAt: Date, runAt: Date, deliveredAt: Date }, 'outbox');
  // MongoDB partial indexes cannot say "deliveredAt is null": lead with it instead.
  outbox.index({ deliveredAt: 1, createdAt: 1 });

  const notifications = schema(
    { _id: String, userId: String, kind: String, title: String, body: String, aggregateType: String, aggregateId: String, createdAt: Date, readAt: Date },
    'notifications',
  );
  notifications.index({ userId: 1, createdAt: -1 });

  const calendars = schema({ _id: Number, holidays: [String], workdays: [String], updatedAt: Date }, 'calendars');

  const caseNumbers = schema({ orgId: String, year: Number, seq: Number }, 'case_numbers');
  caseNumbers.index({ orgId: 1, year: 1 }, { unique: true });

  const schemaMigrations = schema({ _id: String, appliedAt: Date }, 'schema_migrations');

  // Idempotency-Key records (migration 0003): `_id` is `{userId, key}`.
  const idempotencyKeys = schema(
    { _id: { type: Mixed }, fingerprint: String, status: Number, aggregateType: String, aggregateId: String, response: { type: Mixed }, createdAt: Date },
    'idempotency_keys',
  );

  return { orgs, users, cases, reviews, dispositions, deadlines, auditEvents, auditHeads, outbox, notifications, calendars, caseNumbers, schemaMigrations, idempotencyKeys };
}

/** Loosely typed on purpose: every read is decoded through `records.ts`, which is the real check. */
export type AnyModel = Model<Doc>;
export type Models = { [K in keyof ReturnType<typeof defineSchemas>]: AnyModel };

/** The models on one connection (models are per connection, so several stores can coexist). */
export function defineModels(conn: Connection): Models {
  const schemas = defineSchemas();
  const models = {} as Models;
  for (const [name, s] of Object.entries(schemas)) {
    models[name as keyof Models] = conn.model<Doc>(name, s) as unknown as AnyModel;
  }
  return models;
}
