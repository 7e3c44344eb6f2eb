import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { initialCase, type CaseContext } from '../../machines';
import { deadlineStepRows } from '../aggregates/deadline-jobs';
import { isRecused, orgTree, requireInScope, requireRole } from '../authz';
import { syncDeadlines } from '../deadlines/sync';
import type { Deps } from '../deps';
import { forbidden, validationFailed } from '../errors';
import type { caseRegisterSchema } from '../http/schemas';
import { actorOf } from '../principal';
import type { CaseRecord, User } from '../store/port';
import { caseModel, projectCase } from './model';
import { caseView } from './view';

export type RegisterCaseBody = z.output<typeof caseRegisterSchema>;

const REGISTRARS = ['registrar', 'caseManager', 'inspector'] as const;

/** Registers a clue (问题线索): a new case in `registered` with its disposition clock running. */
export async function registerCase(deps: Deps, user: User, body: RegisterCaseBody): Promise<Record<string, unknown>> {
  requireRole(user, REGISTRARS, 'registering a clue');
  const tree = await orgTree(deps.store);
  requireInScope(tree, user, body.orgId, `org ${body.orgId}`);
  const unknownOrgs = body.subjects.flatMap((s, i) => (tree.get(s.orgId) ? [] : [{ path: `subjects.${i}.orgId`, message: `unknown org ${s.orgId}` }]));
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
    orgId: body.orgId,
    major: body.major,
    receivedAt,
    subjects: body.subjects.map((s) => ({ personId: s.personId, name: s.name, orgId: s.orgId, rank: s.rank })),
  });

  const record = await deps.store.transaction(async (tx) => {
    const year = Number(at.slice(0, 4));
    const base: CaseRecord = {
      id,
      orgId: body.orgId,
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
        source: body.source,
        receivedAt,
        major: body.major,
        subjects: body.subjects,
        allegations: body.allegations,
        registeredBy: user.id,
      },
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const projected = projectCase(model.machine, base, snapshot, at);
    await tx.audit.append(id, { at, actor: user.id, action: 'register', outcome: 'accepted', from: null, to: projected.state });
    const { opened } = syncDeadlines({
      aggregateType: 'case',
      aggregateId: id,
      orgId: body.orgId,
      activeKeys: model.deadlineKeys(snapshot),
      existing: [],
      now: at,
      receivedAt,
      calendar: deps.calendar,
      overrides: deps.policy.overrides,
      policies: deps.policy.deadlines,
      newId: randomUUID,
    });
    for (const d of opened) await tx.deadlines.insert(d);
    const rows = opened.flatMap((d) => deadlineStepRows(d, at));
    if (rows.length) await tx.outbox.insert(rows);
    // Last: the org's case-number counter stays locked from here to the COMMIT, and concurrent
    // registrations in the org queue on it (the writes above leave with this statement).
    const created = { ...projected, number: await tx.cases.insertNumbered(projected, year) };
    return { created, deadlines: opened, outbox: rows };
  });
  deps.wake(record.outbox);
  deps.metrics.commands.inc({ aggregate: 'case', type: 'register', outcome: 'accepted' });
  return caseView({
    record: record.created,
    context: snapshot.context as CaseContext,
    deadlines: record.deadlines,
    dispositions: [],
    reviews: [],
    availableCommands: model.availableCommands(snapshot, actorOf(user)),
  });
}

function searchTextOf(body: RegisterCaseBody): string {
  return [body.title, ...body.subjects.map((s) => `${s.name} ${s.position ?? ''}`), ...body.allegations.map((a) => a.summary)].join(' ').toLowerCase();
}

