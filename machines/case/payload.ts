import { needsMeeting } from '../shared/approval';
import { hasRole } from '../shared/roles';
import type { MeasureRef } from '../shared/schemas';
import { formOf } from '../shared/forms';
import type { CaseContext } from './context';
import type { CaseEvent, CaseEventOf } from './events';

/**
 * Payload checks that need the case (its subjects, decision, participants). The machine's guards
 * use them; `payloadIssues` reports them so the service can answer with the failing field.
 */
export interface PayloadIssue {
  path: string;
  message: string;
}

/** Every measure names a subject of the case. */
export function subjectIssues(context: CaseContext, measures: readonly MeasureRef[] | undefined, path: string): PayloadIssue[] {
  const subjects = new Set(context.subjects.map((s) => s.personId));
  return (measures ?? []).flatMap((m, i) =>
    subjects.has(m.personId) ? [] : [{ path: `${path}.${i}.personId`, message: `${m.personId} is not a subject of the case` }],
  );
}

/** `firstForm` carries form-1 measures on subjects; the other outcomes carry none. */
export function inquiryMeasureIssues(context: CaseContext, event: CaseEventOf<'proposeInquiryOutcome'>): PayloadIssue[] {
  const measures = event.measures ?? [];
  if (event.outcome !== 'firstForm') return measures.length ? [{ path: 'measures', message: 'measures are given only with outcome firstForm' }] : [];
  if (!measures.length) return [{ path: 'measures', message: 'firstForm needs at least one measure' }];
  const notFormOne = measures.flatMap((m, i) => (isFormOne(m.measure) ? [] : [{ path: `measures.${i}.measure`, message: 'not a form-1 measure' }]));
  return [...notFormOne, ...subjectIssues(context, measures, 'measures')];
}

function isFormOne(measure: string): boolean {
  try {
    return formOf(measure) === 1;
  } catch {
    return false;
  }
}

/** At least two distinct users holding the trialReviewer role. */
export function reviewerIssues(event: CaseEventOf<'assignTrialReviewers'>): PayloadIssue[] {
  const reviewers = event.reviewers ?? [];
  const issues = reviewers.flatMap((r, i) => (hasRole({ id: r.id, roles: r.roles, orgId: '' }, 'trialReviewer') ? [] : [{ path: `userIds.${i}`, message: `${r.id} is not a trial reviewer` }]));
  if (new Set(reviewers.map((r) => r.id)).size < 2) issues.push({ path: 'userIds', message: 'at least two distinct trial reviewers are needed' });
  return issues;
}

/** 查审分离: no reviewer took part in the case before trial or is recused from it. */
export function independenceIssues(context: CaseContext, event: CaseEventOf<'assignTrialReviewers'>): PayloadIssue[] {
  const excluded = new Set([...context.participants, ...context.recusals.map((r) => r.userId)]);
  return (event.reviewers ?? []).flatMap((r, i) => (excluded.has(r.id) ? [{ path: `userIds.${i}`, message: `${r.id} took part in the case or is recused` }] : []));
}

/** Only a person with a measure in the decision appeals. */
export function appellantIssues(context: CaseContext, event: CaseEventOf<'fileAppeal'>): PayloadIssue[] {
  const sanctioned = context.decision?.measures.some((m) => m.personId === event.personId) ?? false;
  return sanctioned ? [] : [{ path: 'personId', message: `${event.personId} has no measure in the decision` }];
}

/** `modified` gives the appellant's new measures; `upheld` and `revoked` give none. */
export function appealDecisionIssues(context: CaseContext, event: CaseEventOf<'decideAppeal'>): PayloadIssue[] {
  const measures = event.measures ?? [];
  if (event.outcome === 'modified' && !measures.length) return [{ path: 'measures', message: 'a modified decision needs its measures' }];
  if (event.outcome !== 'modified' && measures.length) return [{ path: 'measures', message: 'measures are given only with outcome modified' }];
  return measures.flatMap((m, i) =>
    m.personId === context.appellant ? [] : [{ path: `measures.${i}.personId`, message: `${m.personId} is not the appellant` }]);
}

/** A user is recused once. */
export function recusalIssues(context: CaseContext, event: CaseEventOf<'recuse'>): PayloadIssue[] {
  return context.recusals.some((r) => r.userId === event.userId) ? [{ path: 'userId', message: `${event.userId} is already recused` }] : [];
}

/** The standing committee approves in a meeting. */
export function meetingIssues(context: CaseContext, event: CaseEventOf<'approve'>): PayloadIssue[] {
  return needsMeeting(context.pendingApproval) && !event.meeting ? [{ path: 'meeting', message: 'the standing committee approves in a meeting: give meeting' }] : [];
}

/** Context-dependent payload checks per event type (state-dependent ones are in `payloadIssues`). */
export const CASE_PAYLOAD_CHECKS: { [T in CaseEvent['type']]?: (context: CaseContext, event: CaseEventOf<T>) => PayloadIssue[] } = {
  approve: meetingIssues,
  proposeInquiryOutcome: inquiryMeasureIssues,
  submitInvestigationReport: (context, event) => subjectIssues(context, event.proposedMeasures, 'proposedMeasures'),
  assignTrialReviewers: (context, event) => [...reviewerIssues(event), ...independenceIssues(context, event)],
  proposeDecision: (context, event) => subjectIssues(context, event.measures, 'measures'),
  fileAppeal: appellantIssues,
  decideAppeal: appealDecisionIssues,
  recuse: recusalIssues,
};
