/**
 * The store port's part for passing responsibility down: the responsibility map
 * (主体责任清单, 一岗双责), the talks ledger (谈话台账) and its follow-up items, rectifications after a
 * case (以案促改), the 一案双查 proposals of the frequency trigger, and the coverage notices the
 * yearly worker sends. Both adapters implement it (sql: migration 0005_responsibility; mongo).
 */
import type { AggregateBase, AggregateRepo, Page } from './port';

/** 第一责任人 (党委书记), 班子成员 (分管), 纪委书记/纪检组长 (监督责任). */
export const POSTS = ['secretary', 'member', 'disciplineHead'] as const;
export type PostKind = (typeof POSTS)[number];

/**
 * One holding of a post by a person in an org, from `from` to `to` (civil dates, `to` exclusive of
 * nothing: the last day held). Appointments are inserted; a departure sets `to` once and never
 * again (the record of who held what when is never overwritten).
 */
export interface PostRecord {
  id: string;
  orgId: string;
  post: PostKind;
  personId: string;
  personName: string;
  /** The title as written (e.g. 党委副书记、镇长), shown to officials. */
  title: string | null;
  /** Units (org ids) in this member's portfolio (分管). */
  portfolioOrgIds: string[];
  /** Departments in the portfolio as written (e.g. 农业农村办). */
  portfolioDepartments: string[];
  /** YYYY-MM-DD. */
  from: string;
  /** YYYY-MM-DD, the last day held; null while held. */
  to: string | null;
  appointedBy: string;
  recordedAt: string;
  endedBy: string | null;
  endedRecordedAt: string | null;
  endReason: string | null;
}

export interface PostFilter {
  orgIds?: string[];
  personId?: string;
  post?: PostKind;
  /** Held on this date (YYYY-MM-DD): from ≤ at and (to is null or to ≥ at). */
  at?: string;
  /** Held on some day of [from, to] (YYYY-MM-DD, inclusive). */
  overlapping?: { from: string; to: string };
  /** Portfolio holds one of these org ids. */
  coversOrgIds?: string[];
}

export interface PostEnd {
  to: string;
  endedBy: string;
  endedRecordedAt: string;
  endReason: string | null;
}

import { TALK_KINDS, type TalkKind } from '../../machines/talk/kinds';
export { TALK_KINDS, type TalkKind };

export interface TalkParty {
  personId: string;
  name: string;
  /** The post held when talked to (as the map had it, or as written). */
  post: PostKind | null;
  title: string | null;
  orgId: string;
}

/** A talk as recorded in the ledger. Talks are recorded once and not edited. */
export interface TalkRecord {
  id: string;
  /** The org whose ledger holds the talk (the talker's org). */
  orgId: string;
  kind: TalkKind;
  /** YYYY-MM-DD. */
  heldOn: string;
  year: number;
  talker: TalkParty;
  /** Persons talked to. */
  talkedTo: TalkParty[];
  /** Person ids of `talkedTo`, for filters. */
  talkedPersonIds: string[];
  /** Orgs whose leaders attended (collective talks), for scope and coverage. */
  attendeeOrgIds: string[];
  /** Persons the talk is about without being talked to (e.g. a subordinate whose problems were raised). */
  concerns: Array<{ personId: string; name: string }>;
  topics: string[];
  problems: string[];
  commitments: Array<{ personId: string | null; text: string }>;
  /** For a 提醒谈话 that is also a first-form measure: the case it belongs to (not counted twice). */
  firstFormCaseId: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface TalkFilter {
  orgIds?: string[];
  year?: number;
  kind?: TalkKind;
  /** Talks about this person (talked to). */
  talkedPersonId?: string;
  talkerPersonId?: string;
  /** Leaves out the talks about this person (in `concerns`) in which he is not one talked to. */
  hiddenFromPersonId?: string;
  page: number;
  pageSize: number;
}

/** The columns the coverage view needs of a talk (no texts). */
export interface TalkFact {
  id: string;
  /** The ledger that holds it. */
  orgId: string;
  kind: TalkKind;
  heldOn: string;
  talkerPersonId: string;
  talkedPersonIds: string[];
  attendeeOrgIds: string[];
}

/**
 * One obligation of talk coverage to match against the ledger (services/talks/coverage.ts): a talk
 * covers it when held in [from, to] (YYYY-MM-DD, inclusive) by one of `talkerPersonIds` (anyone
 * when null) with `personId` among those talked to, or `orgId` (when not null) among the orgs
 * whose leaders attended.
 */
export interface CoverageRequest {
  talkerPersonIds: string[] | null;
  personId: string;
  orgId: string | null;
  from: string;
  to: string;
}

/** Coverage requests over the talks of `years` of `kinds`. */
export interface CoverageMatchQuery {
  years: number[];
  kinds: TalkKind[];
  requests: CoverageRequest[];
}

/** The first talk (by `heldOn`, then `id`) that covers a request. */
export interface CoveringTalk {
  talkId: string;
  heldOn: string;
}

/** A follow-up item (整改事项) of a talk: an aggregate with its own clock. */
export interface FollowUpRecord extends AggregateBase {
  talkId: string;
  ownerPersonId: string;
  /** Users told about its clock (the owner's account if any, the talker's). */
  assignees: string[];
  data: Record<string, unknown>;
}

export interface FollowUpFilter {
  talkId?: string;
  orgIds?: string[];
  state?: string;
  page: number;
  pageSize: number;
}

/** A rectification (以案促改) of a unit after a case or a review. */
export interface RectificationRecord extends AggregateBase {
  sourceType: 'case' | 'review';
  sourceId: string;
  /** The unit that rectifies. */
  unitOrgId: string;
  assignees: string[];
  data: Record<string, unknown>;
}

export interface RectificationFilter {
  orgIds?: string[];
  /** Unit orgs. */
  unitOrgIds?: string[];
  state?: string;
  /** The case or review the rectification follows. */
  sourceId?: string;
  page: number;
  pageSize: number;
}

/** A 一案双查 proposed by the frequency trigger, waiting for the commission head. */
export interface DualProposalRecord {
  id: string;
  /** The unit whose leadership is to be reviewed. */
  unitOrgId: string;
  /** The commission that decides (the unit's parent or itself). */
  orgId: string;
  /** Window the rule counted (e.g. `filed:2026-01-01..2026-12-31`): one proposal per unit and window. */
  windowKey: string;
  rule: string;
  caseIds: string[];
  status: 'open' | 'opened' | 'dismissed';
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  /** The review opened from it. */
  reviewId: string | null;
}

/** One reminder or escalation the coverage worker sent (one per obligation, year and kind). */
export interface CoverageNotice {
  /** `<year>:<kind>:<obligation key>`. */
  id: string;
  year: number;
  kind: 'reminder' | 'escalated';
  obligation: string;
  orgId: string;
  at: string;
}

export interface DutyRepos {
  posts: {
    insert(post: PostRecord): Promise<void>;
    get(id: string): Promise<PostRecord | null>;
    /** Records the departure iff the post is still held; returns the updated record, or null if it was not. */
    end(id: string, end: PostEnd): Promise<PostRecord | null>;
    list(filter: PostFilter): Promise<PostRecord[]>;
  };
  talks: {
    insert(talk: TalkRecord): Promise<void>;
    get(id: string): Promise<TalkRecord | null>;
    list(filter: TalkFilter): Promise<Page<TalkRecord>>;
    /** The talks of a year (kinds, dates, who, whom), for coverage. */
    facts(filter: { year: number; kinds?: TalkKind[] }): Promise<TalkFact[]>;
  };
  followUps: AggregateRepo<FollowUpRecord, FollowUpFilter>;
  rectifications: AggregateRepo<RectificationRecord, RectificationFilter> & {
    getBySource(sourceType: 'case' | 'review', sourceId: string): Promise<RectificationRecord | null>;
  };
  proposals: {
    /** False when a proposal for the unit and window exists already. */
    insert(p: DualProposalRecord): Promise<boolean>;
    get(id: string): Promise<DualProposalRecord | null>;
    /** Compare-and-set on `status`: decides iff still open. */
    decide(id: string, decided: Pick<DualProposalRecord, 'status' | 'decidedBy' | 'decidedAt' | 'decisionReason' | 'reviewId'>): Promise<boolean>;
    list(filter: { orgIds?: string[]; status?: DualProposalRecord['status'] }): Promise<DualProposalRecord[]>;
  };
  coverageNotices: {
    /** Inserts those not yet sent; returns the ids inserted now. */
    insertNew(rows: CoverageNotice[]): Promise<string[]>;
    list(year: number): Promise<CoverageNotice[]>;
  };
}
