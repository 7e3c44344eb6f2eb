/**
 * Throughput of the pure machines as the service uses them: for every command, restore the case
 * from its stored JSON, check and take the transition, persist it back to JSON. Runs full case
 * lifecycles (clue → talk inquiry → verification → filing → trial → decision with a form-3 measure
 * → execution → close, with the 一案双查 it triggers) and prints transitions per second.
 * Run: `npx tsx bench/machines.ts [cases]`.
 */
import { DEFAULT_APPROVALS } from '../config/approvals';
import { EXTENSION_LIMITS } from '../config/deadlines';
import { DEFAULT_DUAL_INVESTIGATION } from '../config/dual-investigation';
import {
  availableCommands, createCaseMachine, fromPersisted, initialCase, stepCase, SYSTEM_ACTOR, toPersisted, type Actor, type CaseEvent, type Role,
} from '../machines';

const machine = createCaseMachine({ approvals: DEFAULT_APPROVALS, dualInvestigation: DEFAULT_DUAL_INVESTIGATION, extensions: EXTENSION_LIMITS });
const user = (id: string, role: Role): Actor => ({ id, roles: [role], orgId: 'county-1' });
const inspector = user('insp1', 'inspector');
const supervisor = user('sup', 'supervisor');
const head = user('head', 'commissionHead');
const secretary = user('sec', 'partySecretary');
const committee = user('sc', 'standingCommittee');
const reviewer = user('tr1', 'trialReviewer');
const caseManager = user('cm', 'caseManager');

const LIFECYCLE: CaseEvent[] = [
  { type: 'assign', actor: supervisor, inspectorIds: ['insp1', 'insp2'] },
  { type: 'proposeDisposition', actor: inspector, method: 'talkInquiry', reason: '线索具体' },
  { type: 'approve', actor: supervisor },
  { type: 'recordReply', actor: inspector, summary: '书面说明', receivedAt: '2026-11-20' },
  { type: 'proposeInquiryOutcome', actor: inspector, outcome: 'preliminaryVerification', reason: '说明不实' },
  { type: 'approve', actor: supervisor },
  { type: 'submitVerificationReport', actor: inspector, recommendation: 'file', findings: '核实情况' },
  { type: 'approve', actor: head },
  { type: 'approve', actor: secretary },
  { type: 'requestExtension', actor: inspector, deadlineKey: 'investigation.report', days: 90, reason: '案情复杂' },
  { type: 'approve', actor: head },
  { type: 'submitInvestigationReport', actor: inspector, findings: '查明事实', proposedMeasures: [{ personId: 'p1', measure: 'expulsion' }] },
  { type: 'assignTrialReviewers', actor: supervisor, reviewers: [{ id: 'tr1', roles: ['trialReviewer'] }, { id: 'tr2', roles: ['trialReviewer'] }] },
  { type: 'proposeDecision', actor: reviewer, measures: [{ personId: 'p1', measure: 'expulsion' }, { personId: 'p2', measure: 'admonishment' }], judicialTransfer: false, reason: '审理意见' },
  { type: 'approve', actor: head },
  { type: 'approve', actor: committee, meeting: { ref: '常委会', attendees: ['sc'], dissent: [] } },
  { type: 'review.opened', actor: SYSTEM_ACTOR, kind: 'primary', reviewId: 'r1' },
  { type: 'review.opened', actor: SYSTEM_ACTOR, kind: 'supervision', reviewId: 'r2' },
  { type: 'recordExecution', actor: caseManager, note: '已执行' },
  { type: 'close', actor: caseManager, note: '结案' },
  { type: 'review.concluded', actor: SYSTEM_ACTOR, kind: 'primary', outcome: 'responsibilityFound' },
  { type: 'review.concluded', actor: SYSTEM_ACTOR, kind: 'supervision', outcome: 'noResponsibility' },
];

/** One case from registration to `closed`, stored as JSON between commands like the service does. */
function runCase(n: number, withAvailable: boolean): number {
  const { snapshot } = initialCase(machine, {
    caseId: `case-${n}`, orgId: 'county-1', major: false, receivedAt: '2026-11-02',
    subjects: [{ personId: 'p1', name: '张某', orgId: 'town-1', rank: 'townshipDeputy' }, { personId: 'p2', name: '李某', orgId: 'town-1', rank: 'staff' }],
  });
  let stored = JSON.stringify(toPersisted(machine, snapshot));
  for (const event of LIFECYCLE) {
    const restored = fromPersisted(machine, JSON.parse(stored));
    const result = stepCase(machine, restored, event);
    if (!result.accepted) throw new Error(`case ${n}: ${event.type} refused`);
    if (withAvailable) availableCommands(machine, result.snapshot, event.actor);
    stored = JSON.stringify(toPersisted(machine, result.snapshot));
  }
  const final = fromPersisted(machine, JSON.parse(stored)).value as { lifecycle: string };
  if (final.lifecycle !== 'closed') throw new Error(`case ${n} ended in ${JSON.stringify(final)}`);
  return LIFECYCLE.length;
}

/**
 * Wall-clock and CPU-time rates: on a shared machine the wall clock also counts time spent waiting
 * for a core, so the CPU-time rate is the figure to compare across runs.
 */
function measure(label: string, cases: number, withAvailable: boolean): { wall: number; cpu: number } {
  for (let i = 0; i < Math.min(200, cases); i++) runCase(i, withAvailable); // warm-up
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let transitions = 0;
  for (let i = 0; i < cases; i++) transitions += runCase(i, withAvailable);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = { wall: transitions / seconds, cpu: transitions / cpuSeconds };
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`${label}: ${cases} cases, ${transitions} transitions in ${seconds.toFixed(2)} s wall / ${cpuSeconds.toFixed(2)} s CPU = ${fmt(rate.wall)} transitions/s (wall), ${fmt(rate.cpu)} transitions/s (CPU)`);
  return rate;
}

const cases = Number(process.argv[2] ?? 2000);
const core = measure('restore + step + persist', cases, false);
measure('restore + step + persist + availableCommands', cases, true);
const TARGET = 20_000;
const verdict = core.cpu >= TARGET / 2 ? 'ok' : 'BELOW TARGET';
console.log(`target ~${TARGET.toLocaleString('en')}/s, acceptable within 2× (≥ ${(TARGET / 2).toLocaleString('en')}/s): ${verdict} (CPU-time rate)`);
