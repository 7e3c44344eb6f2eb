/**
 * The talks ledger (谈话台账): a talk is recorded once with who talked, to whom, the
 * topics, problems, commitments (表态) and follow-up items (整改事项). Each follow-up is an aggregate
 * with its own clock in working days (`talk.followUp`), escalating like every other and closing
 * with evidence.
 *
 * Reading: in scope as elsewhere, except that a cadre does not read a talk about himself (in its
 * `concerns`) unless he is one talked to; the one talked to reads his talk even from another org.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { commitNew } from '../commands/commit';
import { runCommand, type CommandTarget } from '../commands/run';
import { hasAnyRole, orgTree, requireInScope } from '../authz';
import { deadlinesOf } from '../deadlines/by-aggregate';
import { deadlineViews } from '../deadlines/sync';
import type { Deps } from '../deps';
import { forbidden, notFound, validationFailed, type FieldError } from '../errors';
import { dateSchema, idSchema, text } from '../schemas';
import { actorOf, isSystemUser } from '../principal';
import { cstDateOf } from '../calendar/civil-date';
import { TALK_KINDS, type FollowUpRecord, type PostKind, type TalkParty, type TalkRecord } from '../store/duty-port';
import type { DeadlineRecord, OutboxRow, User } from '../store/port';
import {
  FOLLOW_UP_COMMAND_ROLES,
  followUpCommandSchemas,
  followUpInternalEventSchemas,
  initialFollowUp,
  type FollowUpSnapshot,
} from '../../machines/talk/follow-up';
import type { Role } from '../../machines/shared/roles';
import { followUpModel } from './model';

/** Who records talks: the commission's and the committee's officials. */
export const TALK_RECORDERS: readonly Role[] = ['commissionHead', 'partySecretary', 'standingCommittee', 'supervisor', 'inspector', 'caseManager'];

const person = z.strictObject({ personId: idSchema, name: text(100), title: text(200).optional() });

export const talkRecordSchema = z
  .strictObject({
    /** The ledger (org) that holds the talk; default the recorder's org. */
    orgId: idSchema.optional(),
    kind: z.enum(TALK_KINDS),
    heldOn: dateSchema,
    talker: person,
    talkedTo: z.array(person.extend({ orgId: idSchema })).max(500).default([]),
    /** Orgs whose leaders attended (collective talks, 集体约谈). */
    attendeeOrgIds: z.array(idSchema).max(5000).default([]),
    /** Persons the talk is about without being talked to. */
    concerns: z.array(z.strictObject({ personId: idSchema, name: text(100) })).max(100).default([]),
    topics: z.array(text(500)).min(1).max(50),
    problems: z.array(text(2000)).max(100).default([]),
    commitments: z.array(z.strictObject({ personId: idSchema.optional(), text: text(2000) })).max(100).default([]),
    followUps: z
      .array(
        z.strictObject({
          text: text(2000),
          ownerPersonId: idSchema,
          ownerName: text(100),
          /** The owner's account, who then submits the evidence himself. */
          ownerUserId: idSchema.optional(),
          dueWorkingDays: z.number().int().min(1).max(250),
        }),
      )
      .max(50)
      .default([]),
    /** A 提醒谈话 that is a first-form measure of this case: counted there, not twice. */
    firstFormCaseId: idSchema.optional(),
  })
  .refine((b) => b.talkedTo.length + b.attendeeOrgIds.length > 0, { message: 'name the persons talked to or the orgs whose leaders attended', path: ['talkedTo'] })
  .meta({ id: 'TalkRecord' });

export const talkListQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  orgId: idSchema.optional(),
  kind: z.enum(TALK_KINDS).optional(),
  personId: idSchema.optional(),
  /** Only the talks in which the caller was talked to (any org). */
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const followUpListQuery = z.strictObject({
  talkId: idSchema.optional(),
  state: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

const partyView = z.object({ personId: z.string(), name: z.string(), post: z.string().nullable(), title: z.string().nullable(), orgId: z.string() });

export const followUpViewSchema = z
  .object({
    id: z.string(),
    talkId: z.string(),
    orgId: z.string(),
    text: z.string(),
    owner: z.object({ personId: z.string(), name: z.string(), userId: z.string().nullable() }),
    dueWorkingDays: z.number(),
    state: z.string(),
    version: z.number(),
    evidence: z.object({ text: z.string(), by: z.string(), at: z.string() }).nullable(),
    returned: z.array(z.object({ text: z.string(), by: z.string(), at: z.string(), comment: z.string(), returnedBy: z.string() })),
    escalation: z.string().nullable(),
    deadlines: z.array(z.object({ key: z.string(), dueAt: z.string(), status: z.string(), escalation: z.string(), calendarUncertain: z.boolean() })),
    availableCommands: z.array(z.string()),
  })
  .meta({ id: 'FollowUp' });

export const talkViewSchema = z
  .object({
    id: z.string(),
    orgId: z.string(),
    kind: z.enum(TALK_KINDS),
    heldOn: z.string(),
    talker: partyView,
    talkedTo: z.array(partyView),
    attendeeOrgIds: z.array(z.string()),
    concerns: z.array(z.object({ personId: z.string(), name: z.string() })),
    topics: z.array(z.string()),
    problems: z.array(z.string()),
    commitments: z.array(z.object({ personId: z.string().nullable(), text: z.string() })),
    firstFormCaseId: z.string().nullable(),
    recordedBy: z.string(),
    recordedAt: z.string(),
    followUps: z.array(followUpViewSchema),
  })
  .meta({ id: 'Talk' });

export const talkListViewSchema = z
  .object({ items: z.array(talkViewSchema.omit({ followUps: true })), total: z.number(), page: z.number(), pageSize: z.number() })
  .meta({ id: 'TalkList' });

export const followUpListViewSchema = z
  .object({ items: z.array(followUpViewSchema), total: z.number(), page: z.number(), pageSize: z.number() })
  .meta({ id: 'FollowUpList' });

type FollowUpView = z.output<typeof followUpViewSchema>;

/** The post a person held on a date, as the map has it. */
async function postOn(deps: Deps, personId: string, at: string): Promise<{ post: PostKind | null; orgId: string | null; title: string | null }> {
  const held = await deps.store.duty.posts.list({ personId, at });
  const first = held.find((p) => p.post === 'secretary') ?? held.find((p) => p.post === 'disciplineHead') ?? held[0];
  return first ? { post: first.post, orgId: first.orgId, title: first.title } : { post: null, orgId: null, title: null };
}

/** Records a talk and opens its follow-up items with their clocks, in one transaction. */
export async function recordTalk(deps: Deps, user: User, body: z.output<typeof talkRecordSchema>): Promise<Record<string, unknown>> {
  if (!hasAnyRole(user, TALK_RECORDERS)) throw forbidden('role', `recording a talk needs one of the roles: ${TALK_RECORDERS.join(', ')}`);
  const tree = await orgTree(deps.store);
  const orgId = body.orgId ?? user.orgId;
  if (!tree.get(orgId)) throw validationFailed([{ path: 'orgId', message: `org ${orgId} does not exist` }]);
  requireInScope(tree, user, orgId, `org ${orgId}`);
  const now = deps.clock();
  const issues: FieldError[] = [];
  if (body.heldOn > cstDateOf(now.toISOString())) issues.push({ path: 'heldOn', message: 'must not be in the future' });
  body.talkedTo.forEach((p, i) => !tree.get(p.orgId) && issues.push({ path: `talkedTo.${i}.orgId`, message: `org ${p.orgId} does not exist` }));
  body.attendeeOrgIds.forEach((id, i) => !tree.get(id) && issues.push({ path: `attendeeOrgIds.${i}`, message: `org ${id} does not exist` }));
  for (const [i, f] of body.followUps.entries()) {
    if (f.ownerUserId && !(await deps.store.users.get(f.ownerUserId))) issues.push({ path: `followUps.${i}.ownerUserId`, message: `user ${f.ownerUserId} does not exist` });
  }
  if (body.firstFormCaseId && body.kind !== 'reminder') issues.push({ path: 'firstFormCaseId', message: 'only a 提醒谈话 (reminder) is also a first-form measure' });
  else if (body.firstFormCaseId) {
    // The case whose measure it is: one the recorder may read (its four forms count the measure once, there).
    const linked = await deps.store.cases.get(body.firstFormCaseId);
    if (!linked || !tree.contains(user.orgId, linked.orgId)) issues.push({ path: 'firstFormCaseId', message: `case ${body.firstFormCaseId} does not exist` });
  }
  if (issues.length) throw validationFailed(issues);

  const at = now.toISOString();
  const talkerPost = await postOn(deps, body.talker.personId, body.heldOn);
  const talker: TalkParty = { personId: body.talker.personId, name: body.talker.name, post: talkerPost.post, title: body.talker.title ?? talkerPost.title, orgId: talkerPost.orgId ?? orgId };
  const talkedTo: TalkParty[] = [];
  for (const p of body.talkedTo) {
    const held = await postOn(deps, p.personId, body.heldOn);
    talkedTo.push({ personId: p.personId, name: p.name, post: held.post, title: p.title ?? held.title, orgId: p.orgId });
  }
  const talk: TalkRecord = {
    id: randomUUID(),
    orgId,
    kind: body.kind,
    heldOn: body.heldOn,
    year: Number(body.heldOn.slice(0, 4)),
    talker,
    talkedTo,
    talkedPersonIds: [...new Set(talkedTo.map((p) => p.personId))],
    attendeeOrgIds: [...new Set(body.attendeeOrgIds)],
    concerns: body.concerns,
    topics: body.topics,
    problems: body.problems,
    commitments: body.commitments.map((c) => ({ personId: c.personId ?? null, text: c.text })),
    firstFormCaseId: body.firstFormCaseId ?? null,
    recordedBy: user.id,
    recordedAt: at,
  };

  const model = followUpModel(deps);
  const created: Array<{ record: FollowUpRecord; deadlines: DeadlineRecord[] }> = [];
  const items: Array<{ base: FollowUpRecord; snapshot: FollowUpSnapshot; policies: Deps['policy']['deadlines'] }> = [];
  for (const f of body.followUps) {
    const id = randomUUID();
    const responsibleUserIds = [...new Set([f.ownerUserId, user.id].filter((u): u is string => !!u))];
    const snapshot = initialFollowUp(model.machine, { followUpId: id, talkId: talk.id, responsibleUserIds });
    const base: FollowUpRecord = {
      id,
      orgId,
      machineId: '',
      machineVersion: 0,
      snapshot: null,
      state: '',
      version: 1,
      talkId: talk.id,
      ownerPersonId: f.ownerPersonId,
      assignees: responsibleUserIds,
      data: { text: f.text, ownerName: f.ownerName, ownerUserId: f.ownerUserId ?? null, dueWorkingDays: f.dueWorkingDays },
      createdAt: at,
      updatedAt: at,
    };
    const policy = deps.policy.deadlines['talk.followUp'];
    // Each item's own period in working days.
    items.push({ base, snapshot, policies: { ...deps.policy.deadlines, 'talk.followUp': { ...policy, period: { unit: 'workingDays', amount: f.dueWorkingDays } } } });
  }

  const outbox = await deps.store.transaction(async (tx) => {
    created.length = 0; // a transaction run again starts afresh
    await tx.duty.talks.insert(talk);
    await tx.audit.append(talk.id, {
      at,
      actor: user.id,
      action: 'recordTalk',
      outcome: 'accepted',
      from: null,
      to: 'recorded',
      detail: { kind: talk.kind, heldOn: talk.heldOn, talker: talk.talker.personId, talkedTo: talk.talkedPersonIds, followUps: items.map((i) => i.base.id) },
    });
    const rows: OutboxRow[] = [];
    for (const item of items) {
      const committed = await commitNew(tx, deps, {
        model,
        base: item.base,
        snapshot: item.snapshot,
        actorId: user.id,
        action: 'openFollowUp',
        detail: { talkId: talk.id },
        now: at,
        policies: item.policies,
        insert: async (t, record) => {
          await t.duty.followUps.insert(record);
          return record;
        },
      });
      created.push({ record: committed.record, deadlines: committed.deadlines });
      rows.push(...committed.outbox);
    }
    return rows;
  });
  deps.wake(outbox);
  return talkView(deps, user, talk, created.map((c) => ({ record: c.record, snapshot: model.restore(c.record), deadlines: c.deadlines })));
}

/** A talk `user` may read (404 otherwise, so that existence does not leak). */
async function loadTalkFor(deps: Deps, user: User, id: string): Promise<TalkRecord> {
  const talk = await deps.store.duty.talks.get(id);
  if (!talk) throw notFound(`talk ${id}`);
  if (isSystemUser(user)) return talk;
  const talkedTo = !!user.personId && talk.talkedPersonIds.includes(user.personId);
  if (talkedTo) return talk;
  const tree = await orgTree(deps.store);
  requireInScope(tree, user, talk.orgId, `talk ${id}`);
  if (user.personId && talk.concerns.some((c) => c.personId === user.personId)) throw notFound(`talk ${id}`);
  return talk;
}

export async function getTalk(deps: Deps, user: User, id: string): Promise<Record<string, unknown>> {
  const talk = await loadTalkFor(deps, user, id);
  await deps.store.audit.append(id, { at: deps.clock().toISOString(), actor: user.id, action: 'read', outcome: 'read', from: 'recorded', to: 'recorded' });
  const page = await deps.store.duty.followUps.list({ talkId: id, page: 1, pageSize: 50 });
  const model = followUpModel(deps);
  const ds = await deadlinesOf(deps.store, 'followUp', page.items.map((f) => f.id));
  return talkView(deps, user, talk, page.items.map((record) => ({ record, snapshot: model.restore(record), deadlines: ds.get(record.id) ?? [] })));
}

function talkFields(talk: TalkRecord) {
  const { talkedPersonIds: _p, year: _y, ...rest } = talk;
  return rest;
}

function talkView(deps: Deps, user: User, talk: TalkRecord, followUps: Array<{ record: FollowUpRecord; snapshot: FollowUpSnapshot; deadlines: DeadlineRecord[] }>) {
  return { ...talkFields(talk), followUps: followUps.map((f) => followUpView(deps, user, f.record, f.snapshot, f.deadlines)) };
}

export async function listTalks(deps: Deps, user: User, query: z.output<typeof talkListQuery>): Promise<Record<string, unknown>> {
  const paging = { page: query.page, pageSize: query.pageSize };
  if (query.mine) {
    if (!user.personId) return { items: [], total: 0, ...paging };
    const page = await deps.store.duty.talks.list({ talkedPersonId: user.personId, year: query.year, kind: query.kind, ...paging });
    return { ...page, items: page.items.map(talkFields) };
  }
  const tree = await orgTree(deps.store);
  if (query.orgId) requireInScope(tree, user, query.orgId, `org ${query.orgId}`);
  const page = await deps.store.duty.talks.list({
    orgIds: tree.subtree(query.orgId ?? user.orgId),
    year: query.year,
    kind: query.kind,
    talkedPersonId: query.personId,
    hiddenFromPersonId: user.personId ?? undefined,
    ...paging,
  });
  return { ...page, items: page.items.map(talkFields) };
}

function followUpView(deps: Deps, user: User, record: FollowUpRecord, snapshot: FollowUpSnapshot, deadlines: DeadlineRecord[]): FollowUpView {
  const { context } = snapshot;
  return {
    id: record.id,
    talkId: record.talkId,
    orgId: record.orgId,
    text: String(record.data.text),
    owner: { personId: record.ownerPersonId, name: String(record.data.ownerName), userId: (record.data.ownerUserId as string | null) ?? null },
    dueWorkingDays: Number(record.data.dueWorkingDays),
    state: record.state,
    version: record.version,
    evidence: context.evidence,
    returned: context.returned,
    escalation: context.escalation,
    deadlines: deadlineViews(deadlines, { calendar: deps.calendar, now: deps.clock() }),
    availableCommands: followUpModel(deps).availableCommands(snapshot, actorOf(user)),
  };
}

interface LoadedFollowUp {
  record: FollowUpRecord;
  snapshot: FollowUpSnapshot;
}

/** In scope, or responsible for it (an owner in another org). */
async function loadFollowUpFor(deps: Deps, user: User, id: string, known?: FollowUpRecord): Promise<LoadedFollowUp> {
  const record = known ?? (await deps.store.duty.followUps.get(id));
  if (!record) throw notFound(`follow-up ${id}`);
  if (!isSystemUser(user) && !record.assignees.includes(user.id)) {
    requireInScope(await orgTree(deps.store), user, record.orgId, `follow-up ${id}`);
  }
  return { record, snapshot: followUpModel(deps).restore(record) };
}

function followUpTarget(deps: Deps): CommandTarget<FollowUpRecord, FollowUpSnapshot, LoadedFollowUp> {
  return {
    model: followUpModel(deps),
    commands: followUpCommandSchemas,
    internal: followUpInternalEventSchemas,
    rules: FOLLOW_UP_COMMAND_ROLES,
    load: loadFollowUpFor,
    payloadIssues: () => [],
    view: async (d, user, loaded, deadlines) => followUpView(d, user, loaded.record, loaded.snapshot, deadlines),
  };
}

/** `POST /follow-ups/:id/commands`. */
export function runFollowUpCommand(deps: Deps, user: User, id: string, body: unknown): Promise<Record<string, unknown>> {
  return runCommand(deps, followUpTarget(deps), user, id, body);
}

export async function getFollowUp(deps: Deps, user: User, id: string): Promise<FollowUpView> {
  const { record, snapshot } = await loadFollowUpFor(deps, user, id);
  return followUpView(deps, user, record, snapshot, await deps.store.deadlines.listByAggregate('followUp', id));
}

export async function listFollowUps(deps: Deps, user: User, query: z.output<typeof followUpListQuery>): Promise<Record<string, unknown>> {
  const tree = await orgTree(deps.store);
  const page = await deps.store.duty.followUps.list({ ...query, orgIds: tree.subtree(user.orgId) });
  const model = followUpModel(deps);
  const ds = await deadlinesOf(deps.store, 'followUp', page.items.map((f) => f.id));
  return { ...page, items: page.items.map((r) => followUpView(deps, user, r, model.restore(r), ds.get(r.id) ?? [])) };
}
