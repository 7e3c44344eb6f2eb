/**
 * The follow-up item of a talk (machines/talk/follow-up.ts): evidence, acceptance, return, the
 * clock's key while open, escalation only from the system, and who may do what.
 */
import { activeDeadlineKeys } from '../../../machines/shared/deadlines';
import {
  createFollowUpMachine,
  explainFollowUpRefusal,
  followUpCommands,
  initialFollowUp,
  persistFollowUp,
  restoreFollowUp,
  stepFollowUp,
  type FollowUpSnapshot,
} from '../../../machines/talk/follow-up';
import { SYSTEM_ACTOR, type Actor } from '../../../machines/shared/roles';
import { dotted } from '../../../machines/shared/state-value';

const machine = createFollowUpMachine(() => '2026-05-06T02:00:00.000Z');
const owner: Actor = { id: 'owner', roles: ['inspector'], orgId: 'town-a' };
const talker: Actor = { id: 'talker', roles: ['partySecretary'], orgId: 'county' };
const stranger: Actor = { id: 'stranger', roles: ['inspector'], orgId: 'county' };
const head: Actor = { id: 'head', roles: ['commissionHead'], orgId: 'county' };

const fresh = () => initialFollowUp(machine, { followUpId: 'f1', talkId: 't1', responsibleUserIds: ['owner', 'talker'] });
const send = (s: FollowUpSnapshot, event: Record<string, unknown> & { type: string; actor: Actor }) => stepFollowUp(machine, s, event as never);

describe('follow-up machine', () => {
  it('when opened, then it is in progress with the talk.followUp clock running', () => {
    const s = fresh();
    expect(dotted(s.value)).toBe('open.inProgress');
    expect(activeDeadlineKeys(s)).toEqual(['talk.followUp']);
  });

  it('when the owner submits evidence and the talker accepts it, then it closes and the clock stops', () => {
    const submitted = send(fresh(), { type: 'submitEvidence', text: '已召开专题民主生活会并形成整改台账', actor: owner });
    expect(submitted.accepted).toBe(true);
    expect(dotted(submitted.snapshot.value)).toBe('open.evidenceSubmitted');
    expect(submitted.snapshot.context.evidence).toEqual({ text: '已召开专题民主生活会并形成整改台账', by: 'owner', at: '2026-05-06T02:00:00.000Z' });
    expect(activeDeadlineKeys(submitted.snapshot)).toEqual(['talk.followUp']);
    const closed = send(submitted.snapshot, { type: 'acceptEvidence', actor: talker });
    expect(closed.accepted).toBe(true);
    expect(dotted(closed.snapshot.value)).toBe('closed');
    expect(activeDeadlineKeys(closed.snapshot)).toEqual([]);
  });

  it('when evidence is returned, then the item is in progress again with the returned evidence kept', () => {
    const submitted = send(fresh(), { type: 'submitEvidence', text: '已整改', actor: owner }).snapshot;
    const returned = send(submitted, { type: 'returnEvidence', comment: '材料不完整，请补充会议记录', actor: talker });
    expect(dotted(returned.snapshot.value)).toBe('open.inProgress');
    expect(returned.snapshot.context.evidence).toBeNull();
    expect(returned.snapshot.context.returned).toEqual([{ text: '已整改', by: 'owner', at: '2026-05-06T02:00:00.000Z', comment: '材料不完整，请补充会议记录', returnedBy: 'talker' }]);
  });

  it('when the one who submitted the evidence accepts it, then it is refused for separation of duties', () => {
    const submitted = send(fresh(), { type: 'submitEvidence', text: '已整改', actor: talker }).snapshot;
    const event = { type: 'acceptEvidence', actor: talker };
    expect(send(submitted, event).accepted).toBe(false);
    expect(explainFollowUpRefusal(submitted, event)).toBe('separation_of_duties');
    expect(send(submitted, { type: 'acceptEvidence', actor: owner }).accepted).toBe(true);
  });

  it('when someone neither responsible nor an overseer acts, then it is refused for the role; an overseer may act', () => {
    const s = fresh();
    const event = { type: 'submitEvidence', text: '已整改', actor: stranger };
    expect(send(s, event).accepted).toBe(false);
    expect(explainFollowUpRefusal(s, event)).toBe('role');
    expect(followUpCommands(s, stranger)).toEqual([]);
    expect(followUpCommands(s, owner)).toEqual(['submitEvidence']);
    expect(send(s, { type: 'submitEvidence', text: '已整改', actor: head }).accepted).toBe(true);
  });

  it('when accepting before any evidence, then the command is not allowed in this state', () => {
    const event = { type: 'acceptEvidence', actor: talker };
    expect(send(fresh(), event).accepted).toBe(false);
    expect(explainFollowUpRefusal(fresh(), event)).toBe('command_not_allowed');
  });

  it('when the clock reaches a step, then only the system records it and the level only rises', () => {
    const s = fresh();
    expect(send(s, { type: 'deadline.reached', key: 'talk.followUp', level: 'overdue', actor: owner }).accepted).toBe(false);
    const overdue = send(s, { type: 'deadline.reached', key: 'talk.followUp', level: 'overdue', actor: SYSTEM_ACTOR }).snapshot;
    const late = send(overdue, { type: 'deadline.reached', key: 'talk.followUp', level: 'warning', actor: SYSTEM_ACTOR }).snapshot;
    expect(late.context.escalation).toBe('overdue');
    expect(explainFollowUpRefusal(s, { type: 'deadline.reached', actor: owner })).toBe('system_only');
  });

  it('when persisted and restored, then the state and context survive', () => {
    const submitted = send(fresh(), { type: 'submitEvidence', text: '已整改', actor: owner }).snapshot;
    const back = restoreFollowUp(machine, JSON.parse(JSON.stringify(persistFollowUp(machine, submitted))));
    expect(dotted(back.value)).toBe('open.evidenceSubmitted');
    expect(back.context).toEqual(submitted.context);
  });
});
