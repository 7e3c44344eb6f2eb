import { needsMeeting } from '../shared/approval';
import { hasRole } from '../shared/roles';
import type { MeasureRef } from '../shared/schemas';
import { formOf, isGovernmentSanction, isPartySanction } from '../shared/forms';
import type { CaseContext, Subject } from './context';
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

const personLabel = (s: Subject) => `${s.name}（${s.personId}）`;

/**
 * 党纪处分 only on party members, 政务处分 only on public officials (DOMAIN.md §7, §14): the error
 * names the measure and the person.
 */
export function sanctionFitIssues(context: CaseContext, measures: readonly MeasureRef[] | undefined, path: string): PayloadIssue[] {
  const byId = new Map(context.subjects.map((s) => [s.personId, s]));
  return (measures ?? []).flatMap((m, i) => {
    const subject = byId.get(m.personId);
    if (!subject) return [];
    if (isPartySanction(m.measure) && !subject.partyMember) {
      return [{ path: `${path}.${i}.measure`, message: `党纪处分 ${m.measure} 只适用于党员：${personLabel(subject)}不是党员` }];
    }
    if (isGovernmentSanction(m.measure) && !subject.publicOfficial) {
      return [{ path: `${path}.${i}.measure`, message: `政务处分 ${m.measure} 只适用于公职人员：${personLabel(subject)}不是公职人员` }];
    }
    return [];
  });
}

/** Measures name subjects, and each sanction fits its person. */
export function measureIssues(context: CaseContext, measures: readonly MeasureRef[] | undefined, path: string): PayloadIssue[] {
  return [...subjectIssues(context, measures, path), ...sanctionFitIssues(context, measures, path)];
}

/**
 * 移送司法机关 is per person (DOMAIN.md §10): with several persons in the decision, name the ones
 * transferred; each has a measure of his own in it (党纪政务处分 first, then transfer: 党内监督条例 Art 37).
 */
export function transferIssues(event: Pick<CaseEventOf<'proposeDecision'>, 'measures' | 'judicialTransfer' | 'transferredPersonIds'>): PayloadIssue[] {
  const listed = event.transferredPersonIds;
  if (!event.judicialTransfer) {
    return listed?.length ? [{ path: 'transferredPersonIds', message: '只在 judicialTransfer 为 true 时指明移送司法机关的人员' }] : [];
  }
  const persons = new Set((event.measures ?? []).map((m) => m.personId));
  if (!listed) return persons.size <= 1 ? [] : [{ path: 'transferredPersonIds', message: '决定涉及多人：请指明移送司法机关的人员' }];
  return listed.flatMap((p, i) =>
    persons.has(p) ? [] : [{ path: `transferredPersonIds.${i}`, message: `${p} 在决定中没有处理措施：先给予处分，再移送司法机关` }]);
}

/** The persons a decision transfers to the judicial organs (validated by `transferIssues`). */
export function transferredOf(payload: { measures?: readonly MeasureRef[]; judicialTransfer?: boolean; transferredPersonIds?: readonly string[] }): string[] {
  if (!payload.judicialTransfer) return [];
  return [...new Set(payload.transferredPersonIds ?? (payload.measures ?? []).map((m) => m.personId))];
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

/** An appeal decision that changes a decision the standing committee approved (revoked, modified). */
export const changesCommitteeDecision = (context: CaseContext, event: Pick<CaseEventOf<'decideAppeal'>, 'outcome'>): boolean =>
  (event.outcome === 'modified' || event.outcome === 'revoked') && (context.decision?.byStandingCommittee ?? false);

/**
 * `modified` gives the appellant's new measures (fitting him as a decision's would); `upheld` and
 * `revoked` give none. Changing a standing-committee decision records the committee's meeting.
 */
export function appealDecisionIssues(context: CaseContext, event: CaseEventOf<'decideAppeal'>): PayloadIssue[] {
  const measures = event.measures ?? [];
  // A committee member deciding gives the meeting; anyone else is refused for role (`isCompetentForAppeal`).
  const meeting: PayloadIssue[] = changesCommitteeDecision(context, event) && hasRole(event.actor, 'standingCommittee') && !event.meeting
    ? [{ path: 'meeting', message: '申诉决定改变常委会批准的处理决定，须经常委会审议：请给出 meeting（会议记录、出席人员、不同意见）' }]
    : [];
  if (event.outcome === 'modified' && !measures.length) return [{ path: 'measures', message: 'a modified decision needs its measures' }, ...meeting];
  if (event.outcome !== 'modified' && measures.length) return [{ path: 'measures', message: 'measures are given only with outcome modified' }, ...meeting];
  const notAppellant = measures.flatMap((m, i) =>
    m.personId === context.appellant ? [] : [{ path: `measures.${i}.personId`, message: `${m.personId} is not the appellant` }]);
  return [...notAppellant, ...sanctionFitIssues(context, measures, 'measures'), ...meeting];
}

/** `splitClue` names distinct subjects of the case and leaves at least one on it. */
export function splitIssues(context: CaseContext, event: CaseEventOf<'splitClue'>): PayloadIssue[] {
  const subjects = new Set(context.subjects.map((s) => s.personId));
  const ids = event.personIds ?? [];
  const issues = ids.flatMap((p, i) => (subjects.has(p) ? [] : [{ path: `personIds.${i}`, message: `${p} is not a subject of the case` }]));
  if (new Set(ids).size !== ids.length) issues.push({ path: 'personIds', message: 'each person is named once' });
  if (context.subjects.every((s) => ids.includes(s.personId))) issues.push({ path: 'personIds', message: '分案后原线索须至少保留一名被反映人' });
  return issues;
}

/** A user is recused once. */
export function recusalIssues(context: CaseContext, event: CaseEventOf<'recuse'>): PayloadIssue[] {
  return context.recusals.some((r) => r.userId === event.userId) ? [{ path: 'userId', message: `${event.userId} is already recused` }] : [];
}

/** The standing committee approves in a meeting. */
export function meetingIssues(context: CaseContext, event: CaseEventOf<'approve'>): PayloadIssue[] {
  return needsMeeting(context.pendingApproval) && !event.meeting ? [{ path: 'meeting', message: 'the standing committee (or the party committee) approves in a meeting: give meeting' }] : [];
}

/** Context-dependent payload checks per event type (state-dependent ones are in `payloadIssues`). */
export const CASE_PAYLOAD_CHECKS: { [T in CaseEvent['type']]?: (context: CaseContext, event: CaseEventOf<T>) => PayloadIssue[] } = {
  approve: meetingIssues,
  proposeInquiryOutcome: inquiryMeasureIssues,
  submitInvestigationReport: (context, event) => measureIssues(context, event.proposedMeasures, 'proposedMeasures'),
  assignTrialReviewers: (context, event) => [...reviewerIssues(event), ...independenceIssues(context, event)],
  proposeDecision: (context, event) => [...measureIssues(context, event.measures, 'measures'), ...transferIssues(event)],
  fileAppeal: appellantIssues,
  decideAppeal: appealDecisionIssues,
  recuse: recusalIssues,
  splitClue: splitIssues,
};
