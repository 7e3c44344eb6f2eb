import type { WithPendingApproval } from '../shared/approval';
import type { DeadlineKey, EscalationLevel } from '../shared/deadlines';
import type { MeasureRef } from '../shared/schemas';
import type { RECUSAL_RELATIONS, ReviewKind, ReviewOutcome } from './events';

/** A 下一级党委(党组) leadership post: 主要负责人 or 班子成员 (规则 Arts 22, 33). */
export type Leadership = 'principal' | 'member';

/** A person the clue is about (API.md "Cases": `subjects`). */
export interface Subject {
  personId: string;
  name: string;
  orgId: string;
  rank: string;
  /** 党纪处分 apply to party members only. */
  partyMember: boolean;
  /** 政务处分 apply to public officials (公职人员) only. */
  publicOfficial: boolean;
  /** The subject leads a 下一级党委(党组): as its 主要负责人 or a member, with the org he leads. */
  leadership: Leadership | null;
  leadsOrgId: string | null;
}

/** Input at creation (the service registers the clue, then builds the initial snapshot). */
export interface CaseInput {
  caseId: string;
  /** The handling commission (承办机关). */
  orgId: string;
  /** The commission above it, whose approval `@upper` chain steps need (null at the top). */
  upperOrgId?: string | null;
  major: boolean;
  receivedAt: string;
  subjects: Array<Pick<Subject, 'personId' | 'name' | 'orgId' | 'rank'> & Partial<Subject>>;
  /** A real-name reporter (实名检举控告) is told of acceptance and of the result (DOMAIN.md §2). */
  realNameReporter?: boolean;
}

/** How and when a real-name reporter was told (`notifyReporter`). */
export interface ReporterNotice {
  stage: 'acceptance' | 'result';
  method: string;
  notifiedAt: string;
  recordedBy: string;
}

export type DualTrigger = 'majorFiling' | 'form3Decision' | 'judicialTransfer' | 'manual';

/** One accountability review of the 一案双查, as the case knows it from internal events. */
export interface DualReview {
  kind: ReviewKind;
  reviewId: string | null;
  state: 'opening' | 'open' | 'concluded';
  outcome?: ReviewOutcome;
}

export interface Recusal {
  userId: string;
  relation: (typeof RECUSAL_RELATIONS)[number];
  reason: string;
  recordedBy: string;
}

/** The approved decision, kept for appeals. */
export interface CaseDecision {
  measures: MeasureRef[];
  judicialTransfer: boolean;
  /** The persons transferred to the judicial organs (form 4); the others keep their measure's form. */
  transferred: string[];
  /** Approved by the standing committee: an appeal that changes it goes through the committee again. */
  byStandingCommittee: boolean;
}

export interface CaseContext extends WithPendingApproval {
  caseId: string;
  orgId: string;
  upperOrgId: string | null;
  major: boolean;
  receivedAt: string;
  subjects: Subject[];
  assignees: string[];
  /** Everyone who proposed, reported, approved, recorded or was assigned before trial (查审分离). */
  participants: string[];
  /** Trial reviewers of the current trial; released when the case returns for supplement. */
  trialReviewers: string[];
  recusals: Recusal[];
  flags: string[];
  /** Highest escalation step reported per deadline key (history: an extension that re-arms a clock does not lower it). */
  escalations: Partial<Record<string, EscalationLevel>>;
  decision: CaseDecision | null;
  /** Reopened from 暂存待查: the disposition clock counts from the reopening, not from receipt. */
  reopened: boolean;
  /** Approved extensions per clock (`investigation.report`, `trial.decision`). */
  extensions: Partial<Record<string, number>>;
  /** Clocks opened by an action and closed by a command, beside the states' (宣布, reporter feedback). */
  clocks: DeadlineKey[];
  realNameReporter: boolean;
  reporterNotices: ReporterNotice[];
  /** When the decision was announced (宣布), as recorded. */
  announcedAt: string | null;
  /** The person whose appeal is open, while in `appeal`. */
  appellant: string | null;
  /** The open appeal was filed after the case closed: deciding it closes the case again. */
  appealAfterClosing: boolean;
  dual: { trigger: DualTrigger | null; reviews: DualReview[] };
}

const EMPTY_INPUT: CaseInput = { caseId: '', orgId: '', major: false, receivedAt: '', subjects: [] };

/**
 * The context of a new case. XState's pure `transition()` builds a throwaway actor that computes an
 * initial snapshot without input; that path gets an empty case instead of an exception, which is
 * what made every pure transition slow.
 */
export function initialCaseContext(input: CaseInput | undefined): CaseContext {
  input ??= EMPTY_INPUT;
  return {
    caseId: input.caseId,
    orgId: input.orgId,
    upperOrgId: input.upperOrgId ?? null,
    major: input.major,
    receivedAt: input.receivedAt,
    subjects: input.subjects.map(subjectOf),
    assignees: [],
    participants: [],
    trialReviewers: [],
    recusals: [],
    // 规则 Art 22: a clue on a 下一级党委(党组)主要负责人 is reported to the commission above (重要线索上报).
    flags: input.subjects.some((s) => s.leadership === 'principal') ? ['reportedUpward'] : [],
    escalations: {},
    decision: null,
    reopened: false,
    extensions: {},
    clocks: input.realNameReporter ? ['reporter.acceptance'] : [],
    realNameReporter: input.realNameReporter ?? false,
    reporterNotices: [],
    announcedAt: null,
    appellant: null,
    appealAfterClosing: false,
    pendingApproval: null,
    dual: { trigger: null, reviews: [] },
  };
}

/** A subject as the machine keeps it; party membership and public office default to yes (API.md). */
export function subjectOf(s: CaseInput['subjects'][number]): Subject {
  return {
    personId: s.personId,
    name: s.name,
    orgId: s.orgId,
    rank: s.rank,
    partyMember: s.partyMember ?? true,
    publicOfficial: s.publicOfficial ?? true,
    leadership: s.leadership ?? null,
    leadsOrgId: s.leadsOrgId ?? null,
  };
}

/** Whether a subject is 主要负责人 of a 下一级党委(党组) (规则 Arts 22, 33). */
export const hasPrincipalSubject = (context: Pick<CaseContext, 'subjects'>): boolean => context.subjects.some((s) => s.leadership === 'principal');
