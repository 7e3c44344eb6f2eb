import { and, setup } from 'xstate';
import { applied, assertApprovalChains, finalApproval as final, intermediateApproval, propose, rejection } from '../shared/approval-config';
import type { StateMeta } from '../shared/deadlines';
import type { MachinePolicy } from '../shared/policy';
import { reviewActions } from './actions';
import { reviewEffectParams } from './effects';
import { reviewGuards } from './guards';
import { initialReviewContext, type ReviewContext, type ReviewInput } from './context';
import type { ReviewEvent } from './events';

export const REVIEW_MACHINE_ID = 'review';
export const REVIEW_MACHINE_VERSION = 2;

const none = [] as const;

/** Builds the accountability review machine (问责, 问责条例 2019 Arts 9–12) for a policy. */
function buildReviewMachine(policy: MachinePolicy) {
  return setup({
    types: { context: {} as ReviewContext, events: {} as ReviewEvent, input: {} as ReviewInput, meta: {} as StateMeta },
    guards: reviewGuards(),
    actions: reviewActions(policy),
  }).createMachine({
    id: REVIEW_MACHINE_ID,
    context: ({ input }) => initialReviewContext(input),
    initial: 'opened',
    on: { 'deadline.reached': { guard: 'isSystemActor', actions: 'recordEscalation' } },
    states: {
      opened: {
        description: 'Created by the 一案双查 worker; starting the review needs approval (问责条例 Art 9).',
        on: { proposeStart: { guard: 'hasCommandRole', target: 'startApproval', actions: propose('reviewStart', none) } },
      },
      startApproval: {
        description: 'The proposal to start the review awaits approval.',
        on: {
          approve: [{ ...final('reviewStart', undefined, 'investigating'), actions: applied(none) }, intermediateApproval(none)],
          reject: rejection('opened', none),
        },
      },
      investigating: {
        description: 'The review team investigates the responsibility of the party committee or discipline body (Art 10).',
        meta: { deadline: 'review.report' },
        on: {
          submitFindings: { guard: and(['hasCommandRole', 'hasConsistentFindings']), target: 'findingApproval', actions: propose('reviewFindings', none) },
        },
      },
      findingApproval: {
        description: 'The findings await approval; without responsibility, or exempted (Art 17), the review concludes.',
        on: {
          approve: [
            {
              guard: and([{ type: 'isFinalApprovalOf', params: { kind: 'reviewFindings' } }, 'findingsConcludeReview']),
              target: 'concluded',
              actions: ['recordFindings', ...applied(none)],
            },
            {
              ...final('reviewFindings', undefined, 'decided'),
              actions: [{ type: 'recordDispositions', params: reviewEffectParams.findingsDispositions }, 'recordFindings', ...applied(none)],
            },
            intermediateApproval(none),
          ],
          reject: rejection('investigating', none),
        },
      },
      decided: {
        description: 'Accountability measures decided (Art 12); their execution is reported.',
        meta: { deadline: 'execution.report' },
        on: {
          recordExecution: { guard: 'hasCommandRole', target: 'concluded' },
          fileAppeal: { guard: and(['hasCommandRole', 'isSanctionedPerson']), target: 'appeal', actions: 'recordAppeal' },
        },
      },
      appeal: {
        description: 'A person held accountable appealed; the deciding body answers.',
        meta: { deadline: 'appeal.decision' },
        on: {
          decideAppeal: {
            guard: and(['hasCommandRole', 'hasValidAppealMeasures']),
            target: 'decided',
            actions: [{ type: 'recordAppealDecision', params: reviewEffectParams.appealDecision }, 'applyAppealDecision'],
          },
        },
      },
      concluded: {
        description: 'Concluded; the case learns the outcome through `review.concluded`.',
        entry: { type: 'reviewConcluded', params: reviewEffectParams.concluded },
      },
    },
  });
}

export type ReviewMachine = ReturnType<typeof buildReviewMachine>;

const machines = new WeakMap<MachinePolicy, ReviewMachine>();

/** The review machine for a policy, built once per policy object. */
export function createReviewMachine(policy: MachinePolicy): ReviewMachine {
  let machine = machines.get(policy);
  if (!machine) {
    assertApprovalChains(policy);
    machine = buildReviewMachine(policy);
    machines.set(policy, machine);
  }
  return machine;
}
