/** Pages and the filters of the store's list reads. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CaseFilter {
  state?: string;
  /** Org ids the caller may see (own org and descendants); undefined = all. */
  orgIds?: string[];
  assignee?: string;
  /** Only cases with an overdue deadline. */
  overdue?: boolean;
  /** Only cases carrying this flag (e.g. `reportedUpward`, `suppressionRisk`). */
  flag?: string;
  /**
   * Only clues registered on one of these orgs (`data.orgId`; on records stored before the handling commission was recorded, the record's org),
   * whatever commission handles them: `GET /cases?orgId=`. `orgIds` is the handling scope.
   */
  unitOrgIds?: string[];
  /** Only cases whose 一案双查 region is in one of these states (the effects reconciler). */
  dualState?: string[];
  q?: string;
  /**
   * Leaves out the cases this user is recused from: declared (the snapshot's `context.recusals`)
   * or automatic (a subject with the user's person id or name), so totals and pages do not leak them.
   */
  visibleTo?: Viewer;
  page: number;
  pageSize: number;
}

/** Who reads a list, for the recusal filter (services/authz `isRecused`). */
export interface Viewer {
  userId: string;
  personId: string | null;
  name: string;
}

export interface ReviewFilter {
  caseId?: string;
  kind?: 'primary' | 'supervision';
  state?: string;
  orgIds?: string[];
  /** Leaves out the reviews of cases this user is recused from (as CaseFilter.visibleTo), and those he is a party to (`data.involvedPersonIds`). */
  visibleTo?: Viewer;
  page: number;
  pageSize: number;
}

/** A case number: `<orgId>-<year>-<seq>`, the sequence zero-padded to four digits. */
export function caseNumber(orgId: string, year: number, seq: number): string {
  return `${orgId}-${year}-${String(seq).padStart(4, '0')}`;
}
