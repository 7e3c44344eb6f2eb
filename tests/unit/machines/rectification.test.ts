/**
 * The rectification machine (以案促改, machines/rectification/machine.ts): plan, report, acceptance,
 * a returned report coming back for another round, the clocks of each step, and who may act.
 */
import { activeDeadlineKeys } from '../../../machines/shared/deadlines';
import {
  createRectificationMachine,
  explainRectificationRefusal,
  initialRectification,
  persistRectification,
  rectificationCommands,
  restoreRectification,
  stepRectification,
  type RectificationSnapshot,
} from '../../../machines/rectification/machine';
import { SYSTEM_ACTOR, type Actor } from '../../../machines/shared/roles';
import { dotted } from '../../../machines/shared/state-value';

const machine = createRectificationMachine(() => '2026-07-01T02:00:00.000Z');
const unit: Actor = { id: 'town-secretary', roles: ['partySecretary'], orgId: 'town-a' };
const inspector: Actor = { id: 'inspector1', roles: ['inspector'], orgId: 'county' };
const supervisor: Actor = { id: 'supervisor1', roles: ['supervisor'], orgId: 'county' };
const auditor: Actor = { id: 'auditor1', roles: ['auditor'], orgId: 'county' };

const fresh = () => initialRectification(machine, { rectificationId: 'r1', responsibleUserIds: ['town-secretary'] });
const send = (s: RectificationSnapshot, e: Record<string, unknown> & { type: string; actor: Actor }) => stepRectification(machine, s, e as never);
const ok = (s: RectificationSnapshot, e: Record<string, unknown> & { type: string; actor: Actor }) => {
  const r = send(s, e);
  if (!r.accepted) throw new Error(`${e.type} refused in ${dotted(s.value)}`);
  return r.snapshot;
};

describe('rectification machine', () => {
  it('when opened, then the plan is due on its clock', () => {
    expect(dotted(fresh().value)).toBe('planDue');
    expect(activeDeadlineKeys(fresh())).toEqual(['rectification.plan']);
  });

  it('when plan, report and acceptance follow, then each step runs its own clock and it ends accepted', () => {
    const planned = ok(fresh(), { type: 'submitPlan', text: '整改方案', measures: ['健全村级财务制度'], actor: unit });
    expect(activeDeadlineKeys(planned)).toEqual(['rectification.report']);
    const reported = ok(planned, { type: 'submitReport', text: '整改完成情况报告', actor: unit });
    expect(activeDeadlineKeys(reported)).toEqual(['rectification.acceptance']);
    const accepted = ok(reported, { type: 'acceptReport', comment: '验收合格', actor: supervisor });
    expect(dotted(accepted.value)).toBe('accepted');
    expect(activeDeadlineKeys(accepted)).toEqual([]);
    expect(accepted.context.acceptance).toEqual({ comment: '验收合格', by: 'supervisor1', at: '2026-07-01T02:00:00.000Z' });
  });

  it('when the report is returned, then it is due again and the next report is checked afresh', () => {
    const reported = ok(ok(fresh(), { type: 'submitPlan', text: '方案', actor: unit }), { type: 'submitReport', text: '第一次报告', actor: unit });
    const returned = ok(reported, { type: 'returnReport', comment: '整改不到位', actor: supervisor });
    expect(dotted(returned.value)).toBe('reportDue');
    expect(activeDeadlineKeys(returned)).toEqual(['rectification.report']);
    const again = ok(returned, { type: 'submitReport', text: '第二次报告', actor: unit });
    expect(again.context.reports.map((r) => [r.text, r.returned?.comment ?? null])).toEqual([
      ['第一次报告', '整改不到位'],
      ['第二次报告', null],
    ]);
  });

  it('when someone outside the unit and the commission acts, or the reporter accepts his own report, then it is refused with the reason', () => {
    expect(explainRectificationRefusal(fresh(), { type: 'submitPlan', actor: auditor })).toBe('role');
    expect(rectificationCommands(fresh(), auditor)).toEqual([]);
    const bySupervisor = { ...supervisor, roles: ['supervisor', 'inspector'] as const } as Actor;
    const reported = ok(ok(fresh(), { type: 'submitPlan', text: '方案', actor: unit }), { type: 'submitReport', text: '报告', actor: bySupervisor });
    expect(send(reported, { type: 'acceptReport', actor: bySupervisor }).accepted).toBe(false);
    expect(explainRectificationRefusal(reported, { type: 'acceptReport', actor: bySupervisor })).toBe('separation_of_duties');
    expect(explainRectificationRefusal(reported, { type: 'acceptReport', actor: unit })).toBe('role');
    expect(explainRectificationRefusal(fresh(), { type: 'acceptReport', actor: supervisor })).toBe('command_not_allowed');
  });

  it('when a warning-education meeting is recorded at any step, then it is kept and the state does not change', () => {
    const s = ok(fresh(), { type: 'recordWarningMeeting', heldOn: '2026-07-10', attendees: 56, summary: '召开警示教育大会', actor: inspector });
    expect(dotted(s.value)).toBe('planDue');
    expect(s.context.meetings).toEqual([{ heldOn: '2026-07-10', attendees: 56, summary: '召开警示教育大会', by: 'inspector1' }]);
  });

  it('when a clock escalates, then only the system records it; a restored snapshot keeps everything', () => {
    expect(send(fresh(), { type: 'deadline.reached', key: 'rectification.plan', level: 'overdue', actor: unit }).accepted).toBe(false);
    const s = ok(fresh(), { type: 'deadline.reached', key: 'rectification.plan', level: 'escalated', actor: SYSTEM_ACTOR });
    const back = restoreRectification(machine, JSON.parse(JSON.stringify(persistRectification(machine, s))));
    expect(back.context.escalation).toBe('escalated');
    expect(dotted(back.value)).toBe('planDue');
  });
});
