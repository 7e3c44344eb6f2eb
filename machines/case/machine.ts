import { and, setup } from 'xstate';
import { applied, assertApprovalChains, finalApproval as final, intermediateApproval, propose, rejection } from '../shared/approval-config';
import type { StateMeta } from '../shared/deadlines';
import type { MachinePolicy } from '../shared/policy';
import { caseActions } from './actions';
import { initialCaseContext, type CaseContext, type CaseInput } from './context';
import { dualInvestigationRegion } from './dual-region';
import { investigationState, trialState } from './investigation-and-trial';
import { effectParams } from './effects';
import type { CaseEvent } from './events';
import { caseGuards } from './guards';

export const CASE_MACHINE_ID = 'case';
export const CASE_MACHINE_VERSION = 2;

const LIFECYCLE = '#case.lifecycle';
/** Before trial every actor takes part in the case (查审分离: none of them may review it later). */
const pre = ['recordParticipant'] as const;

function caseSetup(policy: MachinePolicy) {
  return setup({
    types: { context: {} as CaseContext, events: {} as CaseEvent, input: {} as CaseInput, meta: {} as StateMeta },
    guards: caseGuards(policy),
    actions: caseActions(policy),
  });
}

/** Builds the case machine (parallel: `lifecycle` and `dualInvestigation`) for a policy. */
function buildCaseMachine(policy: MachinePolicy) {
  return caseSetup(policy).createMachine({
    id: CASE_MACHINE_ID,
    type: 'parallel',
    context: ({ input }) => initialCaseContext(input),
    on: {
      assign: { guard: and(['hasCommandRole', 'isCaseOpen']), actions: 'assignInspectors' },
      recuse: { guard: and(['isSelfOrOverseer', 'isNotYetRecused']), actions: 'recordRecusal' },
      'deadline.reached': { guard: 'isSystemActor', actions: 'recordEscalation' },
      recordAnnouncement: { guard: and(['hasCommandRole', 'isAnnouncementDue']), actions: 'recordAnnouncement' },
      notifyReporter: { guard: and(['hasCommandRole', 'hasReporterNoticeDue', 'isReporterNoticeDue']), actions: 'recordReporterNotice' },
    },
    states: {
      lifecycle: {
        description: 'The statutory procedure of the clue and case (DOMAIN.md §2–§7).',
        initial: 'registered',
        states: {
          registered: {
            description: '问题线索 registered: a disposition (处置意见) is due within a month of receipt (规则 Art 21).',
            meta: { deadline: 'clue.disposition' },
            on: {
              proposeDisposition: { guard: 'hasCommandRole', target: 'dispositionReview', actions: propose('disposition', pre) },
              // 分案: subjects needing another disposition leave for a case of their own (per-subject handling).
              splitClue: {
                guard: and(['hasCommandRole', 'hasSeveralSubjects', 'isValidSplit']),
                actions: [{ type: 'splitClue', params: effectParams.split }, 'removeSplitSubjects', 'recordParticipant'],
              },
            },
          },
          dispositionReview: {
            description: 'The proposed disposition (谈话函询 / 初步核实 / 暂存待查 / 予以了结) awaits its approval chain.',
            on: {
              approve: [
                { ...final('disposition', { method: 'talkInquiry' }, 'talkInquiry'), actions: applied(pre) },
                { ...final('disposition', { method: 'preliminaryVerification' }, 'preliminaryVerification'), actions: applied(pre) },
                { ...final('disposition', { method: 'shelve' }, 'shelved'), actions: applied(pre) },
                { ...final('disposition', { method: 'close' }, 'concluded'), actions: applied(pre) },
                intermediateApproval(pre),
              ],
              reject: rejection('registered', pre),
            },
          },
          talkInquiry: {
            description: '谈话函询: talk or written inquiry, the reply, then the report with a proposed outcome (规则 Art 30).',
            initial: 'awaitingReply',
            states: {
              awaitingReply: {
                description: 'The subject has been talked to or written to; the written reply is awaited.',
                meta: { deadline: 'talkInquiry.reply' },
                on: { recordReply: { guard: 'hasCommandRole', target: 'replied', actions: 'recordParticipant' } },
              },
              replied: {
                description: 'The reply is in: the report and proposed outcome are due within a month.',
                meta: { deadline: 'talkInquiry.report' },
                on: {
                  proposeInquiryOutcome: { guard: and(['hasCommandRole', 'hasValidInquiryMeasures']), target: 'outcomeReview', actions: propose('inquiryOutcome', pre) },
                },
              },
              outcomeReview: {
                description: 'The proposed outcome awaits approval.',
                on: {
                  approve: [
                    { ...final('inquiryOutcome', { outcome: 'acceptedClosed' }, `${LIFECYCLE}.concluded`), actions: applied(pre) },
                    {
                      ...final('inquiryOutcome', { outcome: 'firstForm' }, `${LIFECYCLE}.concluded`),
                      actions: [{ type: 'recordDispositions', params: effectParams.inquiryDispositions }, ...applied(pre)],
                    },
                    { ...final('inquiryOutcome', { outcome: 'repeatInquiry' }, 'awaitingReply'), actions: applied(pre) },
                    { ...final('inquiryOutcome', { outcome: 'preliminaryVerification' }, `${LIFECYCLE}.preliminaryVerification`), actions: applied(pre) },
                    intermediateApproval(pre),
                  ],
                  reject: rejection('replied', pre),
                },
              },
            },
          },
          preliminaryVerification: {
            description: '初步核实: fact-finding, ending in a report with a recommendation (规则 Arts 32–35).',
            initial: 'inProgress',
            states: {
              inProgress: {
                description: 'The verification team works; its report is due.',
                meta: { deadline: 'verification.report' },
                on: { submitVerificationReport: { guard: 'hasCommandRole', target: 'reportReview', actions: propose('verificationReport', pre) } },
              },
              reportReview: {
                description: 'The report awaits approval; filing (立案) needs the commission head, then the party secretary (规则 Art 38).',
                on: {
                  approve: [
                    {
                      ...final('verificationReport', { recommendation: 'file' }, `${LIFECYCLE}.investigation`),
                      actions: [{ type: 'considerDualInvestigation', params: { on: 'filing' } }, ...applied(pre)],
                    },
                    { ...final('verificationReport', { recommendation: 'close' }, `${LIFECYCLE}.concluded`), actions: applied(pre) },
                    { ...final('verificationReport', { recommendation: 'transfer' }, `${LIFECYCLE}.concluded`), actions: applied(pre) },
                    {
                      ...final('verificationReport', { recommendation: 'reminderTalk' }, `${LIFECYCLE}.concluded`),
                      actions: [{ type: 'recordDispositions', params: effectParams.reminderTalkDispositions }, ...applied(pre)],
                    },
                    { ...final('verificationReport', { recommendation: 'shelve' }, `${LIFECYCLE}.shelved`), actions: applied(pre) },
                    intermediateApproval(pre),
                  ],
                  reject: rejection('inProgress', pre),
                },
              },
            },
          },
          shelved: {
            description: '暂存待查: parked until new evidence; rechecked periodically and reopenable (the disposition clock then counts from the reopening).',
            meta: { deadline: 'shelved.recheck' },
            on: { reopen: { guard: 'hasCommandRole', target: 'registered', actions: ['recordParticipant', 'markReopened'] } },
          },
          investigation: investigationState,
          trial: trialState,
          decided: {
            description: 'The decision is made; its execution is reported within six months (处分条例 Arts 41–42).',
            meta: { deadline: 'execution.report' },
            on: {
              // Execution reported: the decision was announced too, its 宣布 clock stops.
              recordExecution: { guard: 'hasCommandRole', target: 'executed', actions: { type: 'closeClock', params: { key: 'decision.announcement' as const } } },
              fileAppeal: { guard: and(['hasCommandRole', 'isSanctionedPerson']), target: 'appeal', actions: 'recordAppeal' },
            },
          },
          appeal: {
            description: '申诉: a sanctioned person appealed (also after closing); the deciding body answers within a month.',
            meta: { deadline: 'appeal.decision' },
            on: {
              decideAppeal: [
                {
                  // An appeal filed after closing: the dispositions change as decided and the case closes again.
                  guard: and(['hasCommandRole', 'isCompetentForAppeal', 'hasValidAppealMeasures', 'isAppealAfterClosing']),
                  target: 'closed',
                  actions: [{ type: 'recordAppealDecision', params: effectParams.appealDecision }, 'applyAppealDecision', 'clearAppealAfterClosing'],
                },
                {
                  guard: and(['hasCommandRole', 'isCompetentForAppeal', 'hasValidAppealMeasures']),
                  target: 'decided',
                  actions: [{ type: 'recordAppealDecision', params: effectParams.appealDecision }, 'applyAppealDecision'],
                },
              ],
            },
          },
          executed: {
            description: 'Execution reported; the case may be closed or still appealed.',
            on: {
              fileAppeal: { guard: and(['hasCommandRole', 'isSanctionedPerson']), target: 'appeal', actions: 'recordAppeal' },
              close: { guard: 'hasCommandRole', target: 'concluded' },
            },
          },
          concluded: {
            description: "The case's own work is done; it closes once no 一案双查 review is still running.",
            always: { guard: 'isDualInvestigationSettled', target: 'closed' },
          },
          closed: {
            description: 'Closed and archived; a real-name reporter is told of the result within 15 working days. A sanctioned party member may still appeal.',
            entry: 'openReporterResultClock',
            on: {
              fileAppeal: { guard: and(['hasCommandRole', 'isSanctionedPerson']), target: 'appeal', actions: ['recordAppeal', 'markAppealAfterClosing'] },
            },
          },
        },
      },
      dualInvestigation: dualInvestigationRegion,
    },
  });
}

export type CaseMachine = ReturnType<typeof buildCaseMachine>;

const machines = new WeakMap<MachinePolicy, CaseMachine>();
const policies = new WeakMap<CaseMachine, MachinePolicy>();

/** The policy a case machine was built from (payload checks that need its limits). */
export function policyOf(machine: CaseMachine): MachinePolicy | undefined {
  return policies.get(machine);
}

/** The case machine for a policy, built once per policy object. */
export function createCaseMachine(policy: MachinePolicy): CaseMachine {
  let machine = machines.get(policy);
  if (!machine) {
    assertApprovalChains(policy);
    machine = buildCaseMachine(policy);
    machines.set(policy, machine);
    policies.set(machine, policy);
  }
  return machine;
}

