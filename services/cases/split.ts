import { randomUUID } from 'node:crypto';
import { initialCase, type CaseEffectParams } from '../../machines';
import { commitNew } from '../commands/commit';
import type { Deps } from '../deps';
import type { CaseRecord, OutboxRow, StoreTx } from '../store/port';
import { caseModel } from './model';

type RegisteredSubject = { personId: string; name: string; orgId: string; rank: string } & Record<string, unknown>;

/**
 * The `splitClue` effect (分案): a new case, in the same transaction as the
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
  // The origin's history records the split; its outbox rows go with the origin's step.
  await tx.audit.append(origin.id, { at, actor: actorId, action: 'splitInto', outcome: 'accepted', from: origin.state, to: origin.state, detail: { caseId: id, personIds: params.personIds } });
  const { outbox } = await commitNew(tx, deps, {
    model,
    base,
    snapshot,
    actorId,
    action: 'register',
    detail: { splitFrom: origin.id },
    now: at,
    nested: true,
    insert: async (t, record) => ({ ...record, number: await t.cases.insertNumbered(record, Number(at.slice(0, 4))) }),
  });
  return outbox;
}
