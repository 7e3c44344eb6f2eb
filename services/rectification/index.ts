/**
 * Rectification after a case (以案促改). Opened inside the transaction that decides a
 * case with a sanction (党纪/政务处分) or approves 问责 findings with responsibility found, for the unit
 * concerned (the subject's org; the reviewed unit), once per case or review. Commands go through
 * the common pipeline; statistics by org and level.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  RECTIFICATION_COMMAND_ROLES,
  RECTIFICATION_MACHINE_VERSION,
  createRectificationMachine,
  explainRectificationRefusal,
  initialRectification,
  persistRectification,
  rectificationCommandSchemas,
  rectificationCommands,
  rectificationInternalEventSchemas,
  restoreRectification,
  stepRectification,
  type RectificationMachine,
  type RectificationSnapshot,
} from '../../machines/rectification/machine';
import { activeDeadlineKeys } from '../../machines/shared/deadlines';
import { isGovernmentSanction, isPartySanction } from '../../machines/shared/forms';
import { dotted } from '../../machines/shared/state-value';
import { readHistory } from '../audit/history';
import type { AggregateModel } from '../commands/model';
import { commitNew } from '../commands/commit';
import { runCommand, type CommandTarget } from '../commands/run';
import { orgTree, requireInScope } from '../authz';
import { deadlinesOf } from '../deadlines/by-aggregate';
import { deadlineViews } from '../deadlines/sync';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { deadlineViewSchema } from '../deadlines/view-schema';
import { dateSchema, idSchema } from '../schemas';
import { actorOf, isSystemUser } from '../principal';
import type { RectificationRecord } from '../store/duty-port';
import { StoreDataError, type AggregateBase, type CaseRecord, type DeadlineRecord, type DispositionRecord, type OutboxRow, type ReviewRecord, type StoreTx, type User } from '../store/port';

type Model = AggregateModel<RectificationRecord, RectificationSnapshot> & { machine: RectificationMachine };
const models = new WeakMap<Deps['clock'], Model>();

export function rectificationModel(deps: Pick<Deps, 'clock'>): Model {
  const hit = models.get(deps.clock);
  if (hit) return hit;
  const machine = createRectificationMachine(() => deps.clock().toISOString());
  const model: Model = {
    type: 'rectification',
    machine,
    repo: (tx: StoreTx) => tx.duty.rectifications,
    restore: (record) => {
      try {
        return restoreRectification(machine, { machineId: record.machineId, machineVersion: record.machineVersion, snapshot: record.snapshot as never });
      } catch (err) {
        throw new StoreDataError(`rectification ${record.id}: stored snapshot cannot be restored: ${(err as Error).message}`, `rectifications/${record.id}`);
      }
    },
    step: (snapshot, event) => stepRectification(machine, snapshot, event as never),
    explainRefusal: (snapshot, event) => explainRectificationRefusal(snapshot, event),
    availableCommands: (snapshot, actor) => rectificationCommands(snapshot, actor),
    deadlineKeys: (snapshot) => activeDeadlineKeys(snapshot),
    project: (record, snapshot, now) => project(machine, record, snapshot, now),
    receivedAt: () => undefined,
  };
  models.set(deps.clock, model);
  return model;
}

function project(machine: RectificationMachine, record: RectificationRecord, snapshot: RectificationSnapshot, now: string): RectificationRecord {
  const persisted = persistRectification(machine, snapshot);
  return {
    ...record,
    machineId: persisted.machineId,
    machineVersion: persisted.machineVersion ?? RECTIFICATION_MACHINE_VERSION,
    snapshot: persisted.snapshot,
    state: dotted(snapshot.value),
    updatedAt: now,
  };
}

/** Who answers for a unit's rectification (写整改方案、报告). */
const RESPONSIBLE_ROLES = ['partySecretary', 'commissionHead'] as const;

/** A case disposition that is a sanction (党纪处分 or 政务处分), or a judicial transfer (form 4). */
const isSanction = (d: Pick<DispositionRecord, 'measure' | 'form'>) => isPartySanction(d.measure) || isGovernmentSanction(d.measure) || d.form === 4;

/**
 * Called by the effects of a decision, in its transaction: opens the rectification of the unit
 * concerned when the decision calls for one. Returns the outbox rows of its clocks (none if not opened).
 */
export async function openRectificationFor(
  tx: StoreTx,
  deps: Deps,
  source: { type: 'case' | 'review'; aggregate: AggregateBase },
  dispositions: Array<Pick<DispositionRecord, 'measure' | 'form' | 'orgId'>>,
  now: string,
): Promise<OutboxRow[]> {
  let unitOrgId: string;
  if (source.type === 'case') {
    const sanctioned = dispositions.filter(isSanction);
    if (sanctioned.length === 0) return [];
    unitOrgId = sanctioned[0].orgId;
  } else {
    // The review's findings were approved with responsibility found (it records dispositions only then).
    unitOrgId = String((source.aggregate as ReviewRecord).data.targetOrgId ?? source.aggregate.orgId);
  }
  if (await tx.duty.rectifications.getBySource(source.type, source.aggregate.id)) return [];
  const model = rectificationModel(deps);
  const unit = await tx.orgs.get(unitOrgId);
  // The unit's own accounts write its plan and report: its party secretaries and commission heads,
  // in the order they were created (as the user list has them).
  const holders = (await Promise.all(RESPONSIBLE_ROLES.map((role) => tx.users.withRole(role, [unitOrgId])))).flat();
  const responsible = [...new Map(holders.map((u) => [u.id, u])).values()]
    .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1))
    .map((u) => u.id);
  const id = randomUUID();
  const snapshot = initialRectification(model.machine, { rectificationId: id, responsibleUserIds: responsible });
  const caseTitle = source.type === 'case' ? (source.aggregate as CaseRecord).title : null;
  const base: RectificationRecord = {
    id,
    orgId: source.aggregate.orgId,
    machineId: '',
    machineVersion: 0,
    snapshot: null,
    state: '',
    version: 1,
    sourceType: source.type,
    sourceId: source.aggregate.id,
    unitOrgId,
    assignees: [...new Set([...responsible, ...((source.aggregate as { assignees?: string[] }).assignees ?? [])])],
    data: { unitName: unit?.name ?? unitOrgId, unitLevel: unit?.level ?? null, caseTitle, openedBecause: source.type === 'case' ? 'sanction' : 'responsibilityFound' },
    createdAt: now,
    updatedAt: now,
  };
  // Opened inside the decision's own step: its clocks' step jobs go out with that step's rows.
  const { outbox } = await commitNew(tx, deps, {
    model,
    base,
    snapshot,
    actorId: 'system',
    action: 'openRectification',
    detail: { sourceType: source.type, sourceId: source.aggregate.id, unitOrgId },
    now,
    nested: true,
    insert: async (t, record) => {
      await t.duty.rectifications.insert(record);
      return record;
    },
  });
  return outbox;
}

interface Loaded {
  record: RectificationRecord;
  snapshot: RectificationSnapshot;
}

/** In the commission's scope, or one of the unit's responsible accounts. */
async function loadFor(deps: Deps, user: User, id: string, known?: RectificationRecord): Promise<Loaded> {
  const record = known ?? (await deps.store.duty.rectifications.get(id));
  if (!record) throw notFound(`rectification ${id}`);
  if (!isSystemUser(user) && !record.assignees.includes(user.id)) requireInScope(await orgTree(deps.store), user, record.orgId, `rectification ${id}`);
  return { record, snapshot: rectificationModel(deps).restore(record) };
}

export const rectificationViewSchema = z
  .object({
    id: z.string(),
    orgId: z.string(),
    sourceType: z.enum(['case', 'review']),
    sourceId: z.string(),
    unitOrgId: z.string(),
    unitName: z.string(),
    caseTitle: z.string().nullable(),
    state: z.string(),
    version: z.number(),
    rounds: z.number(),
    plan: z.object({ text: z.string(), measures: z.array(z.string()), by: z.string(), at: z.string() }).nullable(),
    reports: z.array(z.object({ text: z.string(), by: z.string(), at: z.string(), returned: z.object({ comment: z.string(), by: z.string() }).nullable() })),
    acceptance: z.object({ comment: z.string().nullable(), by: z.string(), at: z.string() }).nullable(),
    meetings: z.array(z.object({ heldOn: z.string(), attendees: z.number(), summary: z.string(), by: z.string() })),
    escalation: z.string().nullable(),
    deadlines: z.array(deadlineViewSchema),
    availableCommands: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Rectification' });

type View = z.output<typeof rectificationViewSchema>;

function view(deps: Deps, user: User, record: RectificationRecord, snapshot: RectificationSnapshot, deadlines: DeadlineRecord[]): View {
  const c = snapshot.context;
  return {
    id: record.id,
    orgId: record.orgId,
    sourceType: record.sourceType,
    sourceId: record.sourceId,
    unitOrgId: record.unitOrgId,
    unitName: String(record.data.unitName ?? record.unitOrgId),
    caseTitle: (record.data.caseTitle as string | null) ?? null,
    state: record.state,
    version: record.version,
    rounds: c.reports.length,
    plan: c.plan,
    reports: c.reports,
    acceptance: c.acceptance,
    meetings: c.meetings,
    escalation: c.escalation,
    deadlines: deadlineViews(deadlines, { calendar: deps.calendar, now: deps.clock() }),
    availableCommands: rectificationModel(deps).availableCommands(snapshot, actorOf(user)),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

function target(deps: Deps): CommandTarget<RectificationRecord, RectificationSnapshot, Loaded> {
  return {
    model: rectificationModel(deps),
    commands: rectificationCommandSchemas,
    internal: rectificationInternalEventSchemas,
    rules: RECTIFICATION_COMMAND_ROLES,
    load: loadFor,
    payloadIssues: () => [],
    view: async (d, user, loaded, deadlines) => view(d, user, loaded.record, loaded.snapshot, deadlines),
  };
}

export function runRectificationCommand(deps: Deps, user: User, id: string, body: unknown): Promise<Record<string, unknown>> {
  return runCommand(deps, target(deps), user, id, body);
}

/** GET /rectifications/:id/history: its audit chain, once the caller may read it. */
export async function rectificationHistory(deps: Deps, user: User, id: string): Promise<Record<string, unknown>> {
  const { record } = await loadFor(deps, user, id);
  return readHistory(deps, user, id, record.state);
}

export async function getRectification(deps: Deps, user: User, id: string): Promise<View> {
  const { record, snapshot } = await loadFor(deps, user, id);
  return view(deps, user, record, snapshot, await deps.store.deadlines.listByAggregate('rectification', id));
}

export const rectificationListQuery = z.strictObject({
  state: z.string().max(100).optional(),
  sourceId: idSchema.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const rectificationListSchema = z
  .object({ items: z.array(rectificationViewSchema), total: z.number(), page: z.number(), pageSize: z.number() })
  .meta({ id: 'RectificationList' });

export async function listRectifications(deps: Deps, user: User, query: z.output<typeof rectificationListQuery>): Promise<z.output<typeof rectificationListSchema>> {
  const tree = await orgTree(deps.store);
  const page = await deps.store.duty.rectifications.list({ orgIds: tree.subtree(user.orgId), state: query.state, sourceId: query.sourceId, page: query.page, pageSize: query.pageSize });
  const items = page.items;
  const model = rectificationModel(deps);
  const ds = await deadlinesOf(deps.store, 'rectification', items.map((r) => r.id));
  return { ...page, items: items.map((r) => view(deps, user, r, model.restore(r), ds.get(r.id) ?? [])) };
}

export const rectificationStatsQuery = z
  .strictObject({ from: dateSchema.optional(), to: dateSchema.optional(), orgId: idSchema.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

const statRow = z.object({ opened: z.number(), completed: z.number(), completedOnTime: z.number(), overdue: z.number(), inProgress: z.number() });
export const rectificationStatsSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    total: statRow,
    byLevel: z.array(statRow.extend({ level: z.string() })),
    byOrg: z.array(statRow.extend({ orgId: z.string(), orgName: z.string(), level: z.string() })),
  })
  .meta({ id: 'RectificationStats' });

export type RectificationStats = z.output<typeof rectificationStatsSchema>;
type Row = z.output<typeof statRow>;
const empty = (): Row => ({ opened: 0, completed: 0, completedOnTime: 0, overdue: 0, inProgress: 0 });

/** Rectifications opened in [from, to] by unit org and level: completed (on time or not), overdue, in progress. */
export async function rectificationStats(deps: Deps, user: User, query: z.output<typeof rectificationStatsQuery>): Promise<RectificationStats> {
  const tree = await orgTree(deps.store);
  const root = query.orgId ?? user.orgId;
  requireInScope(tree, user, root, `org ${root}`);
  const scope = tree.subtree(root);
  const all: RectificationRecord[] = [];
  for (let page = 1; ; page++) {
    const p = await deps.store.duty.rectifications.list({ unitOrgIds: scope, page, pageSize: 200 });
    all.push(...p.items);
    if (p.items.length < 200) break;
  }
  const opened = all.filter((r) => (!query.from || r.createdAt.slice(0, 10) >= query.from) && (!query.to || r.createdAt.slice(0, 10) <= query.to));
  const ds = await deadlinesOf(deps.store, 'rectification', opened.map((r) => r.id));
  const total = empty();
  const byLevel = new Map<string, Row>();
  const byOrg = new Map<string, Row>();
  for (const r of opened) {
    const level = tree.get(r.unitOrgId)?.level ?? 'county';
    const late = (ds.get(r.id) ?? []).some((d) => d.status === 'overdue' || d.status === 'metLate');
    const done = r.state === 'accepted';
    for (const row of [total, get(byLevel, level), get(byOrg, r.unitOrgId)]) {
      row.opened++;
      if (done) row.completed++;
      if (done && !late) row.completedOnTime++;
      if (late) row.overdue++;
      if (!done) row.inProgress++;
    }
  }
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    total,
    byLevel: [...byLevel].map(([level, row]) => ({ level, ...row })),
    byOrg: [...byOrg].map(([orgId, row]) => ({ orgId, orgName: tree.get(orgId)?.name ?? orgId, level: tree.get(orgId)?.level ?? 'county', ...row })),
  };
}

function get(map: Map<string, Row>, key: string): Row {
  let row = map.get(key);
  if (!row) map.set(key, (row = empty()));
  return row;
}
