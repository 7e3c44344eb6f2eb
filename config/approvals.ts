import type { ApprovalPolicy } from '../machines/shared/policy';

export type { ApprovalPolicy };

/**
 * Approval chains (API.md "Approval chains"). Chains name roles, not orgs: an approver acts within
 * their scope. The proposer never approves their own proposal.
 */
export const DEFAULT_APPROVALS: ApprovalPolicy = {
  disposition: {
    talkInquiry: ['supervisor'],
    shelve: ['supervisor'],
    close: ['supervisor'],
    preliminaryVerification: ['commissionHead'],
  },
  inquiryOutcome: ['supervisor'],
  // 立案: commission head 审批, then the same-level party secretary 批准 (规则 Art 38).
  verificationReport: {
    file: ['commissionHead', 'partySecretary'],
    close: ['commissionHead'],
    reminderTalk: ['commissionHead'],
    shelve: ['commissionHead'],
    transfer: ['commissionHead'],
  },
  extension: ['commissionHead'],
  // The standing committee's approval records the meeting (规则 Art 56).
  decision: ['commissionHead', 'standingCommittee'],
  reviewStart: ['commissionHead'],
  reviewFindings: ['commissionHead'],
};
