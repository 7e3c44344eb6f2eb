/**
 * Drizzle table definitions for typed queries. The DDL of record is the committed SQL in
 * `migrations/` (collations, partial and GIN indexes are declared there); keep both in step.
 */
import { boolean, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const orgs = pgTable('orgs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  level: text('level').notNull(),
  parentId: text('parent_id'),
  partyCommittee: text('party_committee'),
  disciplineBody: text('discipline_body'),
  createdAt: ts('created_at').notNull(),
});

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  orgId: text('org_id').notNull(),
  roles: jsonb('roles').notNull(),
  personId: text('person_id'),
  createdAt: ts('created_at').notNull(),
});

/** Columns both aggregates share (AggregateBase). */
const aggregateColumns = () => ({
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  machineId: text('machine_id').notNull(),
  machineVersion: integer('machine_version').notNull(),
  snapshot: jsonb('snapshot').notNull(),
  state: text('state').notNull(),
  version: integer('version').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * Migration 0008 adds generated columns the list filters on (`recused_user_ids`, `subject_names`,
 * `subject_person_ids`, `unit_org_id`, see aggregates.ts `caseWhere`); they are left out here so that
 * no read fetches them and no write names them (PostgreSQL derives them).
 */
export const cases = pgTable('cases', {
  ...aggregateColumns(),
  number: text('number').notNull(),
  title: text('title').notNull(),
  dualState: text('dual_state').notNull(),
  assignees: jsonb('assignees').notNull(),
  flags: jsonb('flags').notNull(),
  searchText: text('search_text').notNull(),
  reporterSealed: text('reporter_sealed'),
  data: jsonb('data').notNull(),
});

export const reviews = pgTable('reviews', {
  ...aggregateColumns(),
  caseId: text('case_id').notNull(),
  kind: text('kind').notNull(),
  target: text('target').notNull(),
  assignees: jsonb('assignees').notNull(),
  data: jsonb('data').notNull(),
});

export const dispositions = pgTable('dispositions', {
  id: text('id').primaryKey(),
  caseId: text('case_id').notNull(),
  reviewId: text('review_id'),
  personId: text('person_id').notNull(),
  personName: text('person_name'),
  rank: text('rank').notNull(),
  orgId: text('org_id').notNull(),
  orgLevel: text('org_level').notNull(),
  measure: text('measure').notNull(),
  form: smallint('form').notNull(),
  decidedAt: ts('decided_at').notNull(),
  revokedAt: ts('revoked_at'),
});

export const deadlines = pgTable('deadlines', {
  id: text('id').primaryKey(),
  aggregateType: text('aggregate_type').notNull(),
  aggregateId: text('aggregate_id').notNull(),
  orgId: text('org_id').notNull(),
  key: text('key').notNull(),
  openedAt: ts('opened_at').notNull(),
  dueAt: ts('due_at').notNull(),
  steps: jsonb('steps').notNull(),
  status: text('status').notNull(),
  escalation: text('escalation').notNull(),
  calendarUncertain: boolean('calendar_uncertain').notNull(),
  closedAt: ts('closed_at'),
});

export const auditEvents = pgTable('audit_events', {
  stream: text('stream').notNull(),
  seq: integer('seq').notNull(),
  at: text('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  outcome: text('outcome').notNull(),
  fromState: text('from_state'),
  toState: text('to_state'),
  detail: jsonb('detail'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

export const auditHeads = pgTable('audit_heads', {
  stream: text('stream').primaryKey(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
});

export const outbox = pgTable('outbox', {
  id: text('id').primaryKey(),
  queue: text('queue').notNull(),
  name: text('name').notNull(),
  data: jsonb('data').notNull(),
  createdAt: ts('created_at').notNull(),
  runAt: ts('run_at'),
  deliveredAt: ts('delivered_at'),
});

export const notifications = pgTable('notifications', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull(),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  aggregateType: text('aggregate_type'),
  aggregateId: text('aggregate_id'),
  createdAt: ts('created_at').notNull(),
  readAt: ts('read_at'),
});

export const calendars = pgTable('calendars', {
  year: integer('year').primaryKey(),
  holidays: jsonb('holidays').notNull(),
  workdays: jsonb('workdays').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const caseNumbers = pgTable('case_numbers', {
  orgId: text('org_id').notNull(),
  year: integer('year').notNull(),
  seq: integer('seq').notNull(),
});

export const schemaMigrations = pgTable('schema_migrations', {
  version: text('version').primaryKey(),
  name: text('name').notNull(),
  checksum: text('checksum').notNull(),
  appliedAt: ts('applied_at').notNull(),
});
