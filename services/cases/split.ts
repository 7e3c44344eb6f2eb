import { randomUUID } from 'node:crypto';
import { initialCase, type CaseEffectParams } from '../../machines';
import { deadlineStepRows } from '../queues/rows';
import { syncDeadlines } from '../deadlines/sync';
import type { Deps } from '../deps';
import type { CaseRecord, OutboxRow, StoreTx } from '../store/port';
import { caseModel, projectCase } from './model';

type RegisteredSubject = { personId: string; name: string; orgId: string; rank: string } & Record<string, unknown>;

/**
 * The `splitClue` effect (分案, issue 17 rule 16): a new case, in the same transaction as the
 * command, for the subjects that left `origin`. It keeps the clue's receipt (the same disposition
 * clock), allegations, handling commission and sealed reporter, and names its origin
 * (`data.splitFrom`); the origin's history records the new case. The reporter is told once, through
 * the origin: the new case runs no reporter clock. Statistics stay per person and case.
 */
export async function registerSplitCase(
  tx: StoreTx,
  deps: Deps,
  origin: CaseRecord,
  params: CaseEffectParams['splitClue'],
  actorId: string,
  at: string,
): Promise<OutboxRow[]> {
  const model = caseModel(deps);
  const data = origin.data as Record<string, unknown> & { subjects?: RegisteredSubject[]; receivedAt?: string };
  const leaving = new Set(params.personIds);
  const subjects = (data.subjects ?? []).filter((s) => leaving.has(s.personId));
  const id = randomUUID();
  const receivedAt = String(data.receivedAt ?? at);
  const { snapshot } = initialCase(model.machine, {
    caseId: id,
    orgId: origin.orgId,
    upperOrgId: params.upperOrgId,
    major: data.major === true,
    receivedAt,
    subjects: subjects.map((s) => ({
      personId: s.personId,
      name: s.name,
      orgId: s.orgId,
      rank: s.rank,
      partyMember: s.partyMember !== false,
      publicOfficial: s.publicOfficial !== false,
      leadership: (s.leadership as 'principal' | 'member' | null | undefined) ?? null,
      leadsOrgId: (s.leadsOrgId as string | undefined) ?? null,
    })),
    realNameReporter: false,
  });
  const base: CaseRecord = {
    ...origin,
    id,
    number: '',
    machineId: '',
    machineVersion: 0,
    snapshot: null,
    state: '',
    dualState: '',
    assignees: [],
    flags: [],
    searchText: [origin.title, ...subjects.map((s) => `${s.name} ${String(s.position ?? '')}`)].join(' ').toLowerCase(),
    data: { ...data, subjects, splitFrom: origin.id, splitReason: params.reason, registeredBy: actorId },
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const projected = projectCase(model.machine, base, snapshot, at);
  await tx.audit.append(id, { at, actor: actorId, action: 'register', outcome: 'accepted', from: null, to: projected.state, detail: { splitFrom: origin.id } });
  await tx.audit.append(origin.id, { at, actor: actorId, action: 'splitInto', outcome: 'accepted', from: origin.state, to: origin.state, detail: { caseId: id, personIds: params.personIds } });
  const { opened } = syncDeadlines({
    aggregateType: 'case',
    aggregateId: id,
    orgId: origin.orgId,
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
  await tx.cases.insertNumbered(projected, Number(at.slice(0, 4)));
  return opened.flatMap((d) => deadlineStepRows(d, at));
}
