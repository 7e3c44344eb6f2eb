import { and } from 'xstate';
import { applied, finalApproval as final, intermediateApproval, propose, rejection } from '../shared/approval-config';
import { effectParams } from './effects';

/**
 * The formal case of the lifecycle: 立案审查调查 and 审理, each with an extensible clock. Before trial
 * every actor is recorded as a participant (查审分离: none of them may review the case); in trial
 * only the assigned reviewers act, and their steps are not participation.
 */
const LIFECYCLE = '#case.lifecycle';
const pre = ['recordParticipant'] as const;
const none = [] as const;

export const investigationState = {
  description: '立案审查调查: the filed case is investigated; the period is extensible with approval.',
  initial: 'inProgress',
  states: {
    inProgress: {
      description: 'Investigation under way; an extension request stays here while it awaits approval.',
      meta: { deadline: 'investigation.report' },
      on: {
        requestExtension: {
          guard: and([
            { type: 'hasRole', params: { role: 'inspector' as const } },
            'hasNoPendingApproval',
            { type: 'extendsDeadline', params: { key: 'investigation.report' } },
            'isExtensionWithinLimit',
          ]),
          actions: propose('extension', pre),
        },
        approve: [
          { ...final('extension', undefined, undefined), actions: [{ type: 'extendDeadline', params: effectParams.extension }, 'countExtension', ...applied(pre)] },
          intermediateApproval(pre),
        ],
        reject: rejection(undefined, pre),
        submitInvestigationReport: {
          guard: and(['hasCommandRole', 'hasNoPendingApproval', 'hasValidMeasures']),
          target: `${LIFECYCLE}.trial`,
          actions: 'recordParticipant',
        },
      },
    },
  },
} as const;

export const trialState = {
  description: '审理: independent trial review by reviewers who took no part in the case (查审分离), within a month (规则 Art 55).',
  meta: { deadline: 'trial.decision' },
  initial: 'unassigned',
  states: {
    unassigned: {
      description: 'The case awaits at least two independent trial reviewers.',
      on: {
        assignTrialReviewers: {
          guard: and(['hasCommandRole', 'hasTwoTrialReviewers', 'areReviewersIndependent']),
          target: 'reviewing',
          actions: 'recordTrialReviewers',
        },
      },
    },
    reviewing: {
      description: 'The assigned reviewers examine the case; they may return it for supplement or propose a decision. A recused reviewer leaves the panel, which is completed again before any decision.',
      on: {
        assignTrialReviewers: {
          guard: and(['hasCommandRole', 'isPanelIncomplete', 'hasTwoTrialReviewers', 'areReviewersIndependent']),
          actions: 'recordTrialReviewers',
        },
        returnForSupplement: {
          guard: and(['hasCommandRole', 'isAssignedTrialReviewer', 'hasNoPendingApproval']),
          target: `${LIFECYCLE}.investigation`,
          actions: 'releaseTrialReviewers',
        },
        proposeDecision: {
          guard: and(['hasCommandRole', 'isAssignedTrialReviewer', 'isPanelComplete', 'hasNoPendingApproval', 'hasValidMeasures']),
          target: 'decisionReview',
          actions: propose('decision', none),
        },
        requestExtension: {
          guard: and([
            { type: 'hasRole', params: { role: 'trialReviewer' as const } },
            'isAssignedTrialReviewer',
            'hasNoPendingApproval',
            { type: 'extendsDeadline', params: { key: 'trial.decision' } },
            'isExtensionWithinLimit',
          ]),
          actions: propose('extension', none),
        },
        approve: [
          { ...final('extension', undefined, undefined), actions: [{ type: 'extendDeadline', params: effectParams.extension }, 'countExtension', ...applied(none)] },
          intermediateApproval(none),
        ],
        reject: rejection(undefined, none),
      },
    },
    decisionReview: {
      description: 'The proposed decision awaits the commission head, then the standing committee meeting (规则 Art 56).',
      on: {
        approve: [
          {
            ...final('decision', undefined, `${LIFECYCLE}.decided`),
            actions: [
              { type: 'recordDispositions', params: effectParams.decisionDispositions },
              'recordDecision',
              { type: 'openClock', params: { key: 'decision.announcement' as const } },
              { type: 'considerDualInvestigation', params: { on: 'decision' } },
              ...applied(none),
            ],
          },
          intermediateApproval(none),
        ],
        reject: rejection('reviewing', none),
      },
    },
  },
} as const;
