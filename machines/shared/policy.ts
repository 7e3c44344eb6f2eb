import type { UserRole } from './roles';

/**
 * Policy the machines read (defaults in config/approvals.ts and config/dual-investigation.ts).
 * Machines are built from a policy (`createCaseMachine(policy)`) so that they never import config.
 */
export interface ApprovalPolicy {
  disposition: Record<'talkInquiry' | 'preliminaryVerification' | 'shelve' | 'close', UserRole[]>;
  inquiryOutcome: UserRole[];
  verificationReport: Record<'file' | 'close' | 'reminderTalk' | 'shelve' | 'transfer', UserRole[]>;
  extension: UserRole[];
  decision: UserRole[];
  reviewStart: UserRole[];
  reviewFindings: UserRole[];
}

/**
 * 一案双查 triggers (API.md, DOMAIN.md §9). National wording is only "重大腐败案件 / 不正之风长期滋生蔓延";
 * thresholds are local choices, so each trigger can be switched off.
 */
export interface DualInvestigationPolicy {
  /** Filing (立案) approved on a case marked `major`. */
  onMajorFiling: boolean;
  /** A decision with any form-3 measure. */
  onForm3Decision: boolean;
  /** A decision with `judicialTransfer` (form 4). */
  onJudicialTransfer: boolean;
  /** `triggerDualInvestigation` by a commission head. */
  manual: boolean;
}

export interface MachinePolicy {
  approvals: ApprovalPolicy;
  dualInvestigation: DualInvestigationPolicy;
}
