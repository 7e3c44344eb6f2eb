import type { UserRole } from './roles';

/**
 * Policy the machines read (defaults in config/approvals.ts and config/dual-investigation.ts).
 * Machines are built from a policy (`createCaseMachine(policy)`) so that they never import config.
 */
/**
 * One step of an approval chain: a role, approved by a holder in the case's scope; `role@upper`: a
 * holder of the role in the commission above the handling one (上一级纪委, e.g. a further extension).
 * `partyCommittee`: the same-level party committee (党委) decides in a meeting; its secretary records
 * the approval on the committee's behalf, with the meeting record (问责条例 Art 12; 组织处理).
 */
export type ChainStep = UserRole | `${UserRole}@upper` | 'partyCommittee';

export interface ApprovalPolicy {
  /** Disposition proposals other than opening 初核 (which is `openVerification`). */
  disposition: Record<'talkInquiry' | 'shelve' | 'close', ChainStep[]>;
  /** 谈话函询 of a subject who is 下一级党委(党组)主要负责人 (DOMAIN.md §3). */
  talkInquiryPrincipal: ChainStep[];
  /** Opening 初核, as a disposition or as a 谈话函询 outcome: one rule whatever the path (规则 Art 33). */
  openVerification: ChainStep[];
  /** Opening 初核 on a 下一级党委(党组)主要负责人: the same-level party secretary approves (Art 33). */
  openVerificationPrincipal: ChainStep[];
  /** 谈话函询 outcomes other than opening 初核. */
  inquiryOutcome: ChainStep[];
  verificationReport: Record<'file' | 'close' | 'reminderTalk' | 'shelve' | 'transfer', ChainStep[]>;
  /** Extensions within the own commission's allowance (`ExtensionPolicy.atOwnLevel`). */
  extension: ChainStep[];
  /** Any extension beyond it: only with the upper-level commission's approval. */
  furtherExtension: ChainStep[];
  decision: ChainStep[];
  /** A decision with 组织处理 measures: the commission recommends, the party committee decides. */
  decisionOrgHandling: ChainStep[];
  reviewStart: ChainStep[];
  /** Starting a 问责 of a party organisation directly led by the same-level party committee (Art 9). */
  reviewStartPartyLed: ChainStep[];
  reviewFindings: ChainStep[];
  /** 检查/通报/诫勉 on a party organisation led by the same-level committee, or its cadres (Art 12). */
  reviewFindingsSecretary: ChainStep[];
  /** 组织调整 (or 改组): only proposed by the commission, decided by the party committee (Art 12). */
  reviewFindingsPartyCommittee: ChainStep[];
}

/** Extensions of the 审查调查 and 审理 clocks (DOMAIN.md §5: 2017 rule, unconfirmed for 2019). */
export interface ExtensionPolicy {
  /** Longest single extension, in days. */
  maxDays: number;
  /** Extensions per clock the own commission may approve; any further one needs the upper level. */
  atOwnLevel: number;
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
  extensions: ExtensionPolicy;
}
