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
  },
  // 谈话函询 of a 下一级党委(党组)主要负责人: the commission head, then the same-level party secretary.
  talkInquiryPrincipal: ['commissionHead', 'partySecretary'],
  // Opening 初核 (as a disposition or from a 谈话函询 outcome): the commission head (规则 Art 33) …
  openVerification: ['commissionHead'],
  // … and the same-level party secretary when the subject is a 下一级党委(党组)主要负责人 (Art 33).
  openVerificationPrincipal: ['commissionHead', 'partySecretary'],
  inquiryOutcome: ['supervisor'],
  // 立案: commission head 审批, then the same-level party secretary 批准 (规则 Art 38).
  verificationReport: {
    file: ['commissionHead', 'partySecretary'],
    close: ['commissionHead'],
    reminderTalk: ['commissionHead'],
    shelve: ['commissionHead'],
    transfer: ['commissionHead'],
  },
  // One extension at the own commission; any further one also needs the upper-level commission's
  // head (2017 试行 Art 28 "90+90", DOMAIN.md §5; limits in config/deadlines EXTENSION_LIMITS).
  extension: ['commissionHead'],
  furtherExtension: ['commissionHead', 'commissionHead@upper'],
  // The standing committee's approval records the meeting (规则 Art 56).
  decision: ['commissionHead', 'standingCommittee'],
  // 组织处理 (停职检查、免职、降职…): the commission recommends, the party committee decides (DOMAIN.md §7).
  decisionOrgHandling: ['commissionHead', 'standingCommittee', 'partyCommittee'],
  reviewStart: ['commissionHead'],
  // 问责条例 Art 9: a 党组织 directly led by the same-level party committee → its secretary approves.
  reviewStartPartyLed: ['commissionHead', 'partySecretary'],
  reviewFindings: ['commissionHead'],
  // Art 12: 检查/通报/诫勉 with the same-level party committee's (secretary's) approval …
  reviewFindingsSecretary: ['commissionHead', 'partySecretary'],
  // … 组织调整 only proposed by the commission: the party committee decides (in a meeting).
  reviewFindingsPartyCommittee: ['commissionHead', 'partyCommittee'],
};
