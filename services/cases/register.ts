import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { initialCase, type CaseContext } from '../../machines';
import { cachedWithRole, isRecused, orgTree, requireInScope, requireRole, type OrgTree } from '../authz';
import { commitAndWake, commitNew } from '../commands/commit';
import { webhookRow } from '../queues/rows';
import type { Deps } from '../deps';
import { forbidden, validationFailed } from '../errors';
import type { caseRegisterSchema } from './schemas';
import { actorOf } from '../principal';
import type { CaseRecord, Notification, OutboxRow, StoreTx, User } from '../store/port';
import { caseModel } from './model';
import { caseView } from './view';

export type RegisterCaseBody = z.output<typeof caseRegisterSchema>;

const REGISTRARS = ['registrar', 'caseManager', 'inspector'] as const;

/** Registers a clue (问题线索): a new case in `registered` with its disposition clock running. */
export async function registerCase(deps: Deps, user: User, body: RegisterCaseBody): Promise<Record<string, unknown>> {
  requireRole(user, REGISTRARS, 'registering a clue');
  const tree = await orgTree(deps.store);
  requireInScope(tree, user, body.orgId, `org ${body.orgId}`);
  const handlingOrgId = handlingOrgOf(tree, user, body);
  const unknownOrgs = body.subjects.flatMap((s, i) => [
    ...(tree.get(s.orgId) ? [] : [{ path: `subjects.${i}.orgId`, message: `unknown org ${s.orgId}` }]),
    ...(s.leadsOrgId && !tree.get(s.leadsOrgId) ? [{ path: `subjects.${i}.leadsOrgId`, message: `unknown org ${s.leadsOrgId}` }] : []),
  ]);
  if (unknownOrgs.length) throw validationFailed(unknownOrgs);
  if (isRecused(user, { recusals: [], subjects: body.subjects })) throw forbidden('recusal', 'you cannot register a clue about yourself');

  const model = caseModel(deps);
  const now = deps.clock();
  const at = now.toISOString();
  const id = randomUUID();
  const receivedAt = body.receivedAt;
  if (Date.parse(receivedAt.length === 10 ? `${receivedAt}T00:00:00+08:00` : receivedAt) > now.getTime() + 86_400_000) {
    throw validationFailed([{ path: 'receivedAt', message: 'must not be in the future' }]);
  }
  const { snapshot } = initialCase(model.machine, {
    caseId: id,
    orgId: handlingOrgId,
    upperOrgId: tree.parentOf(handlingOrgId)?.id ?? null,
    major: body.major,
    realNameReporter: body.reporter?.realName === true,
    receivedAt,
    subjects: body.subjects.map((s) => ({
      personId: s.personId,
      name: s.name,
      orgId: s.orgId,
      rank: s.rank,
      partyMember: s.partyMember,
      publicOfficial: s.publicOfficial,
      leadership: s.leadership ?? null,
      leadsOrgId: s.leadsOrgId ?? (s.leadership ? s.orgId : null),
    })),
  });

  const upperOrgId = tree.parentOf(handlingOrgId)?.id ?? null;
  const committed = await commitAndWake(deps, async (tx) => {
    const year = Number(at.slice(0, 4));
    const base: CaseRecord = {
      id,
      // The record's org is the handling commission (承办机关): it scopes access, numbers the case
      // and is escalated above; `data.orgId` keeps the org the clue is registered on.
      orgId: handlingOrgId,
      number: '', // drawn by insertNumbered
      title: body.title,
      machineId: '',
      machineVersion: 0,
      snapshot: null,
      state: '',
      dualState: '',
      assignees: [],
      flags: [],
      searchText: searchTextOf(body),
      reporterSealed: body.reporter ? deps.sealer.seal(body.reporter) : null,
      data: {
        orgId: body.orgId,
        source: body.source,
        receivedAt,
        major: body.major,
        subjects: body.subjects,
        allegations: body.allegations,
        // When the facts happened: the responsibility map as of then names the leaders.
        ...(body.factsAt ? { factsAt: body.factsAt } : {}),
        registeredBy: user.id,
      },
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const flags = model.project(base, snapshot, at).flags;
    const notices = await reportUpward(deps, tx, { id, title: body.title, upperOrgId, flags, at });
    return commitNew(tx, deps, {
      model,
      base,
      snapshot,
      actorId: user.id,
      action: 'register',
      now: at,
      outbox: notices,
      // The org's case-number counter stays locked from here to the COMMIT, and concurrent
      // registrations in the org queue on it (the writes before leave with this statement).
      insert: async (t, record) => ({ ...record, number: await t.cases.insertNumbered(record, year) }),
    });
  });
  deps.metrics.commands.inc({ aggregate: 'case', type: 'register', outcome: 'accepted' });
  return caseView({
    record: committed.record,
    context: snapshot.context as CaseContext,
    deadlines: committed.deadlines,
    dispositions: [],
    reviews: [],
    availableCommands: model.availableCommands(snapshot, actorOf(user)),
    clocks: { calendar: deps.calendar, now: deps.clock() },
  });
}

/**
 * 规则 Art 22 (重要问题线索上报): a clue on a 下一级党委(党组)主要负责人 (flag `reportedUpward`) is
 * reported to the commission above the handling one: its commission heads get a notice, and the
 * case is in its list `GET /cases?flag=reportedUpward`.
 */
async function reportUpward(
  deps: Deps,
  tx: StoreTx,
  c: { id: string; title: string; upperOrgId: string | null; flags: string[]; at: string },
): Promise<OutboxRow[]> {
  if (!c.upperOrgId || !c.flags.includes('reportedUpward')) return [];
  const heads = await cachedWithRole(deps.store, 'commissionHead', [c.upperOrgId], tx);
  const notices: Notification[] = heads.map((u) => ({
    id: randomUUID(),
    userId: u.id,
    kind: 'clueReportedUpward',
    title: `【线索上报】${c.title}`,
    body: `下级纪委监委受理了反映下一级党委（党组）主要负责人的问题线索「${c.title}」，按规定报送备案，请掌握。`,
    aggregateType: 'case',
    aggregateId: c.id,
    createdAt: c.at,
    readAt: null,
  }));
  if (notices.length) await tx.notifications.insertMany(notices);
  return deps.config.NOTIFY_WEBHOOK_URL ? notices.map((n) => webhookRow(n, c.at)) : [];
}

/**
 * The handling commission (承办机关): `handlingOrgId`, by default the registering
 * user's org. It is in the user's scope, and the clue's org is at or below it (its jurisdiction).
 */
function handlingOrgOf(tree: OrgTree, user: User, body: RegisterCaseBody): string {
  const handlingOrgId = body.handlingOrgId ?? user.orgId;
  if (body.handlingOrgId !== undefined) {
    if (!tree.get(handlingOrgId)) throw validationFailed([{ path: 'handlingOrgId', message: `unknown org ${handlingOrgId}` }]);
    requireInScope(tree, user, handlingOrgId, `org ${handlingOrgId}`);
  }
  if (!tree.contains(handlingOrgId, body.orgId)) {
    throw validationFailed([{ path: 'handlingOrgId', message: `承办机关 ${handlingOrgId} 对 ${body.orgId} 无管辖权：线索所在单位须为承办机关本级或下级` }]);
  }
  return handlingOrgId;
}

function searchTextOf(body: RegisterCaseBody): string {
  return [body.title, ...body.subjects.map((s) => `${s.name} ${s.position ?? ''}`), ...body.allegations.map((a) => a.summary)].join(' ').toLowerCase();
}

