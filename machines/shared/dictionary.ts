import type {
  DISPOSITION_METHODS, INQUIRY_OUTCOMES, RECUSAL_RELATIONS, REVIEW_KINDS, REVIEW_OUTCOMES, VERIFICATION_RECOMMENDATIONS,
  CaseCommandType, CaseInternalEventType,
} from '../case/events';
import type { DualTrigger } from '../case/context';
import type { EXEMPTIONS, MITIGATIONS, RESPONSIBILITIES, ReviewCommandType, ReviewInternalEventType } from '../review/events';
import type { DeadlineKey, EscalationLevel } from './deadlines';
import type { CaseMeasure, Form, ReviewMeasure } from './forms';
import type { Role } from './roles';

/**
 * The one dictionary of Chinese labels (DOMAIN.md terms) that the console, the statistics exports
 * and the notifications read. Pure data with type-only imports, so the browser bundle takes it as
 * it is. `tests/unit/machines/dictionary.test.ts` fails, naming the keys, when a state, command or
 * measure of the machines (or a code of the API's schemas) has no label here.
 */
type Labels<K extends string> = Readonly<Record<K, string>>;
type Of<T extends readonly string[]> = T[number];

/** Lifecycle states of the case machine as the API shows them (`state`), parents included. */
export const CASE_STATE_LABELS: Readonly<Record<string, string>> = {
  registered: '线索登记·待处置',
  dispositionReview: '处置意见·审批中',
  talkInquiry: '谈话函询',
  'talkInquiry.awaitingReply': '谈话函询·待回复',
  'talkInquiry.replied': '谈话函询·已回复',
  'talkInquiry.outcomeReview': '谈话函询·处置意见审批中',
  preliminaryVerification: '初步核实',
  'preliminaryVerification.inProgress': '初步核实·核查中',
  'preliminaryVerification.reportReview': '初步核实·报告审批中',
  shelved: '暂存待查',
  investigation: '立案审查调查',
  'investigation.inProgress': '立案审查调查·调查中',
  trial: '案件审理',
  'trial.unassigned': '案件审理·待指定审理人员',
  'trial.reviewing': '案件审理·审理中',
  'trial.decisionReview': '案件审理·处理意见审批中',
  decided: '已作出处理决定·待执行',
  appeal: '申诉复查中',
  executed: '已执行',
  concluded: '已了结·待一案双查办结',
  closed: '已结案',
};

/** States of the case's 一案双查 region (`dualInvestigation.state`). */
export const DUAL_STATE_LABELS: Readonly<Record<string, string>> = {
  notRequired: '未启动',
  opening: '启动中',
  open: '双查进行中',
  concluded: '双查已办结',
};

/** A review as the case records it (`dualInvestigation.reviews[].state`). */
export const DUAL_REVIEW_STATE_LABELS: Labels<'opening' | 'open' | 'concluded'> = {
  opening: '待开启',
  open: '调查中',
  concluded: '已办结',
};

/** States of the accountability review machine (问责调查). */
export const REVIEW_STATE_LABELS: Readonly<Record<string, string>> = {
  opened: '已开启·待提请启动',
  startApproval: '启动问责调查·审批中',
  investigating: '问责调查中',
  findingApproval: '调查结论·审批中',
  decided: '已作出问责决定·待执行',
  appeal: '申诉复查中',
  concluded: '已办结',
};

/**
 * The machine diagrams (console 流程图, docs/machines): each machine and the case's two parallel
 * regions as boxes, transitions taken by themselves, and a step of an approval chain.
 */
export const DIAGRAM_LABELS: Readonly<Record<string, string>> = {
  case: '案件',
  lifecycle: '案件办理',
  dualInvestigation: '一案双查',
  review: '问责调查',
  always: '自动流转',
  intermediateApproval: '逐级报批',
};

/** Commands a user sends to a case or a review (API.md), as the action panel names them. */
export const COMMAND_LABELS: Labels<CaseCommandType | ReviewCommandType> = {
  assign: '分配承办人',
  proposeDisposition: '提出处置意见',
  approve: '批准',
  reject: '退回',
  recordReply: '登记函询回复',
  proposeInquiryOutcome: '提出谈话函询处置意见',
  submitVerificationReport: '提交初步核实报告',
  reopen: '重新启用线索',
  recordAnnouncement: '登记处分决定宣布',
  notifyReporter: '告知实名举报人',
  splitClue: '分案处置',
  requestExtension: '申请延期',
  submitInvestigationReport: '提交审查调查报告并移送审理',
  assignTrialReviewers: '指定审理人员',
  returnForSupplement: '退回补充调查',
  proposeDecision: '提出审理处理意见',
  recordExecution: '登记执行情况',
  fileAppeal: '登记申诉',
  decideAppeal: '作出申诉复查决定',
  close: '结案',
  triggerDualInvestigation: '启动一案双查',
  recuse: '登记回避',
  proposeStart: '提请启动问责调查',
  submitFindings: '提交问责调查结论',
};

/** Internal events of the workers (they appear in the history, never as buttons). */
export const INTERNAL_EVENT_LABELS: Labels<CaseInternalEventType | ReviewInternalEventType> = {
  'review.opened': '问责调查已开启',
  'review.concluded': '问责调查已办结',
  'deadline.reached': '时限预警/督办',
};

/** Case measures (四种形态, 党纪处分, 政务处分, 组织处理) and accountability (问责) measures. */
export const MEASURE_LABELS: Labels<CaseMeasure | ReviewMeasure> = {
  reminderTalk: '谈话提醒',
  warningTalk: '警示谈话',
  criticismEducation: '批评教育',
  orderedSelfCriticism: '责令检查',
  circularCriticism: '通报批评',
  admonishment: '诫勉',
  partyWarning: '党内警告',
  partySeriousWarning: '党内严重警告',
  removalFromPartyPost: '撤销党内职务',
  probation: '留党察看',
  expulsion: '开除党籍',
  govWarning: '政务警告',
  govDemerit: '政务记过',
  govMajorDemerit: '政务记大过',
  govDemotion: '政务降级',
  govRemoval: '政务撤职',
  govDismissal: '开除公职',
  suspensionForInspection: '停职检查',
  lateralTransfer: '平职调整',
  orderedResignation: '责令辞职',
  dismissalFromPost: '免职',
  demotion: '降职',
  earlyRetirement: '办理提前退休',
  inspection: '检查',
  circular: '通报',
  reorganisation: '改组',
  orgAdjustment: '组织调整',
  disciplinarySanction: '纪律处分',
};

/** The kinds of measure, for grouping pickers and report rows. */
export const MEASURE_GROUPS: ReadonlyArray<{ key: string; label: string; measures: ReadonlyArray<CaseMeasure | ReviewMeasure> }> = [
  { key: 'firstForm', label: '第一种形态', measures: ['reminderTalk', 'warningTalk', 'criticismEducation', 'orderedSelfCriticism', 'circularCriticism', 'admonishment'] },
  { key: 'partySanction', label: '党纪处分', measures: ['partyWarning', 'partySeriousWarning', 'removalFromPartyPost', 'probation', 'expulsion'] },
  { key: 'governmentSanction', label: '政务处分', measures: ['govWarning', 'govDemerit', 'govMajorDemerit', 'govDemotion', 'govRemoval', 'govDismissal'] },
  {
    key: 'organisational',
    label: '组织处理',
    measures: ['suspensionForInspection', 'lateralTransfer', 'orderedResignation', 'dismissalFromPost', 'demotion', 'earlyRetirement'],
  },
  { key: 'accountability', label: '问责', measures: ['inspection', 'circular', 'reorganisation', 'admonishment', 'orgAdjustment', 'disciplinarySanction'] },
];

/** 四种形态. */
export const FORM_LABELS: Readonly<Record<Form, string>> = { 1: '第一种形态', 2: '第二种形态', 3: '第三种形态', 4: '第四种形态' };

export const ROLE_LABELS: Labels<Role> = {
  registrar: '信访举报登记人员',
  caseManager: '案件监督管理人员',
  inspector: '承办人员',
  trialReviewer: '案件审理人员',
  supervisor: '分管领导',
  commissionHead: '纪委书记',
  partySecretary: '同级党委书记',
  standingCommittee: '纪委常委会',
  auditor: '审计核验人员',
  admin: '系统管理员',
  system: '系统',
};

/** Why a 403 was answered (`reason`): a short tag and the sentence the console shows. */
export const FORBIDDEN_REASON_LABELS: Labels<'role' | 'scope' | 'recusal' | 'separation_of_duties' | 'system_only'> = {
  role: '越权',
  scope: '超出管辖范围',
  recusal: '回避',
  separation_of_duties: '职责分离',
  system_only: '系统操作',
};
export const FORBIDDEN_REASON_EXPLANATIONS: Labels<keyof typeof FORBIDDEN_REASON_LABELS> = {
  role: '越权：您的角色无此职责，不能执行该操作。',
  scope: '超出管辖范围：该案件不属于您所在单位及下级单位。',
  recusal: '回避：您已被登记回避本案，不能查看或办理。',
  separation_of_duties: '职责分离：提出人或已审批人不得再次审批，参与过办案的人员不得参与审理。',
  system_only: '系统操作：该事件只能由系统后台任务发出。',
};

/** `code` of a problem+json answer. */
export const ERROR_CODE_LABELS: Readonly<Record<string, string>> = {
  validation_failed: '填写有误',
  unauthenticated: '未登录或登录已过期',
  forbidden: '无权操作',
  not_found: '未找到',
  command_not_allowed: '当前状态不能执行该操作',
  version_conflict: '案件已被他人更新，请刷新后重试',
  payload_too_large: '提交内容过大',
  rate_limited: '操作过于频繁，请稍后再试',
  idempotency_key_reused: '重复提交的请求内容不一致',
  not_ready: '服务暂不可用',
  internal: '系统内部错误',
};

/** Statutory clocks (`deadlines[].key`), as config/deadlines.ts names them. */
export const DEADLINE_LABELS: Labels<DeadlineKey> = {
  'clue.disposition': '问题线索处置意见',
  approval: '审批',
  'talkInquiry.reply': '函询回复',
  'talkInquiry.report': '谈话函询情况报告',
  'verification.report': '初步核实报告',
  'investigation.report': '审查调查',
  'trial.decision': '审理',
  'execution.report': '处分执行情况报告',
  'appeal.decision': '申诉复查',
  'review.report': '问责调查报告',
  'shelved.recheck': '暂存待查线索复查',
  'decision.announcement': '处分决定宣布',
  'reporter.acceptance': '告知实名举报人受理情况',
  'reporter.result': '向实名举报人反馈办理结果',
  'talk.followUp': '谈话整改事项',
  'rectification.plan': '以案促改整改方案',
  'rectification.report': '以案促改整改完成情况报告',
  'rectification.acceptance': '以案促改整改验收',
};

/** Escalation steps and their colours (蓝 warning, 黄 overdue, 红 escalated). */
export const ESCALATION_LABELS: Labels<'none' | EscalationLevel> = { none: '正常', warning: '临期预警', overdue: '已超期', escalated: '已督办上报' };
export const ESCALATION_COLOURS: Labels<'none' | EscalationLevel> = { none: 'default', warning: 'blue', overdue: 'gold', escalated: 'red' };
export const DEADLINE_STATUS_LABELS: Labels<'open' | 'overdue' | 'met' | 'metLate'> = { open: '进行中', overdue: '已逾期', met: '按期办结', metLate: '逾期办结' };

export const DISPOSITION_METHOD_LABELS: Labels<Of<typeof DISPOSITION_METHODS>> = {
  talkInquiry: '谈话函询',
  preliminaryVerification: '初步核实',
  shelve: '暂存待查',
  close: '予以了结',
};
export const INQUIRY_OUTCOME_LABELS: Labels<Of<typeof INQUIRY_OUTCOMES>> = {
  acceptedClosed: '采信了结',
  firstForm: '运用第一种形态处理',
  repeatInquiry: '再次谈话函询',
  preliminaryVerification: '转初步核实',
};
export const VERIFICATION_RECOMMENDATION_LABELS: Labels<Of<typeof VERIFICATION_RECOMMENDATIONS>> = {
  file: '拟立案审查调查',
  close: '予以了结',
  reminderTalk: '谈话提醒',
  shelve: '暂存待查',
  transfer: '移送有关党组织处理',
};
export const RECUSAL_RELATION_LABELS: Labels<Of<typeof RECUSAL_RELATIONS>> = { closeRelative: '近亲属', witness: '证人', interest: '利害关系', other: '其他可能影响公正办理的关系' };
export const APPEAL_OUTCOME_LABELS: Labels<'upheld' | 'modified' | 'revoked'> = { upheld: '维持原决定', modified: '变更原决定', revoked: '撤销原决定' };

/** Proposals awaiting an approval chain (`pendingApproval.kind`). */
export const PROPOSAL_LABELS: Readonly<Record<string, string>> = {
  disposition: '问题线索处置意见',
  inquiryOutcome: '谈话函询处置意见',
  verificationReport: '初步核实报告',
  extension: '延期申请',
  furtherExtension: '再次延期申请（报上一级纪委批准）',
  openVerification: '初步核实启动',
  openVerificationPrincipal: '初步核实启动（下一级党委主要负责人，报同级党委主要负责人批准）',
  talkInquiryPrincipal: '谈话函询方案（下一级党委主要负责人，报同级党委主要负责人批准）',
  decision: '审理处理意见',
  reviewStart: '问责调查启动',
  reviewFindings: '问责调查结论',
  decisionOrgHandling: '审理处理意见（含组织处理）',
  reviewStartPartyLed: '问责调查启动（同级党委领导的党组织）',
  reviewFindingsSecretary: '问责调查结论（报同级党委书记批准）',
  reviewFindingsPartyCommittee: '问责调查结论（提请党委决定）',
};

export const REVIEW_KIND_LABELS: Labels<Of<typeof REVIEW_KINDS>> = { primary: '主体责任', supervision: '监督责任' };
export const REVIEW_OUTCOME_LABELS: Labels<Of<typeof REVIEW_OUTCOMES>> = { noResponsibility: '无责任', exempted: '免予问责', responsibilityFound: '认定有责任' };
export const RESPONSIBILITY_LABELS: Labels<Of<typeof RESPONSIBILITIES>> = {
  comprehensiveLeadership: '全面领导责任',
  mainLeadership: '主要领导责任',
  importantLeadership: '重要领导责任',
  supervision: '监督责任',
};
export const EXEMPTION_LABELS: Labels<Of<typeof EXEMPTIONS>> = {
  reformExploration: '改革探索、先行先试中的失误（容错免责）',
  objectionRecorded: '集体决策时明确提出不同意见',
  forceMajeure: '不可抗力或难以预见',
};
export const MITIGATION_LABELS: Labels<Of<typeof MITIGATIONS>> = { lighter: '从轻', reduced: '减轻' };
export const DUAL_TRIGGER_LABELS: Labels<DualTrigger> = {
  majorFiling: '重大案件立案',
  form3Decision: '作出第三种形态处理',
  judicialTransfer: '移送司法机关',
  manual: '人工启动',
};
export const FLAG_LABELS: Readonly<Record<string, string>> = { suppressionRisk: '压案不查风险' };

/** Codes of the registration form (services/http/schemas.ts). */
export const SOURCE_LABELS: Readonly<Record<string, string>> = {
  petition: '信访举报',
  inspectionTour: '巡视巡察移交',
  audit: '审计移交',
  supervision: '监督检查发现',
  transfer: '有关单位移交',
  other: '其他',
};
export const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  political: '政治纪律',
  organizational: '组织纪律',
  integrity: '廉洁纪律',
  mass: '群众纪律',
  work: '工作纪律',
  life: '生活纪律',
};
export const RANK_LABELS: Readonly<Record<string, string>> = {
  provinceChief: '省部级正职',
  provinceDeputy: '省部级副职',
  bureauChief: '厅局级正职',
  bureauDeputy: '厅局级副职',
  countyChief: '县处级正职',
  countyDeputy: '县处级副职',
  townshipChief: '乡科级正职',
  townshipDeputy: '乡科级副职',
  staff: '一般干部',
  other: '其他人员',
};
/** The bulletins' rank buckets of 处分 by rank (DOMAIN.md §10), as services/stats/four-forms.ts groups ranks. */
export const RANK_BUCKET_LABELS: Readonly<Record<string, string>> = {
  provincial: '省部级',
  bureau: '厅局级',
  county: '县处级',
  township: '乡科级',
  staff: '一般干部',
  other: '其他',
};
export const ORG_LEVEL_LABELS: Readonly<Record<string, string>> = { province: '省级', prefecture: '地级', county: '县级', township: '乡级', village: '村（社区）' };

/** `action` of audit events: the commands and internal events above, and these. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  register: '登记问题线索',
  open: '开启问责调查',
  read: '查阅',
  history: '查阅操作日志',
  listCases: '查询案件台账',
  appoint: '登记任职',
  depart: '登记离任',
  recordTalk: '登记谈话',
  openFollowUp: '建立谈话整改事项',
  openRectification: '启动以案促改',
};
export const AUDIT_OUTCOME_LABELS: Labels<'accepted' | 'refused' | 'read' | 'disclosed'> = { accepted: '已执行', refused: '被拒绝', read: '查阅', disclosed: '披露举报人身份' };

/** Notification topics (`notifications[].kind`). */
export const NOTIFICATION_TOPIC_LABELS: Labels<'approvalRequested' | 'proposalApproved' | 'proposalRejected'> = {
  approvalRequested: '待审批',
  proposalApproved: '已批准',
  proposalRejected: '已退回',
};

/** Responsibility map posts (主体责任清单). */
export const POST_LABELS: Labels<'secretary' | 'member' | 'disciplineHead'> = {
  secretary: '党委（党组）书记·第一责任人',
  member: '班子成员·一岗双责',
  disciplineHead: '纪委书记（纪检组长）·监督责任',
};
/** Talk kinds (谈话台账). */
export const TALK_KIND_LABELS: Labels<
  'collectiveResponsibility' | 'collectiveInterview' | 'individualInterview' | 'integrityInterview' | 'preAppointmentIntegrity' | 'heartToHeart' | 'reminder'
> = {
  collectiveResponsibility: '责任传导集体谈话',
  collectiveInterview: '集体约谈',
  individualInterview: '个别约谈',
  integrityInterview: '廉政约谈',
  preAppointmentIntegrity: '任前廉政谈话',
  heartToHeart: '谈心谈话',
  reminder: '提醒谈话',
};
/** States of a talk's follow-up item (整改事项). */
export const FOLLOW_UP_STATE_LABELS: Readonly<Record<string, string>> = {
  open: '整改中',
  'open.inProgress': '整改中',
  'open.evidenceSubmitted': '已提交整改材料·待审核',
  closed: '已销号',
};
/** States of a rectification (以案促改). */
export const RECTIFICATION_STATE_LABELS: Readonly<Record<string, string>> = {
  planDue: '待报送整改方案',
  reportDue: '整改中·待报送完成情况',
  acceptance: '待验收',
  accepted: '已验收',
};
/** Commands on follow-up items and rectifications. */
export const DUTY_COMMAND_LABELS: Readonly<Record<string, string>> = {
  submitEvidence: '提交整改材料',
  acceptEvidence: '审核通过并销号',
  returnEvidence: '退回整改材料',
  submitPlan: '报送整改方案',
  submitReport: '报送整改完成情况报告',
  acceptReport: '验收通过',
  returnReport: '退回整改报告',
  recordWarningMeeting: '登记警示教育会',
};
/** What opened a rectification (`sourceType`). */
export const RECTIFICATION_SOURCE_LABELS: Labels<'case' | 'review'> = { case: '案件处理决定', review: '问责调查认定有责任' };
/** The measures of the 上热中温下冷 report (GET /stats/pressure-by-level), as the console charts them. */
export const PRESSURE_MEASURE_LABELS: Labels<'form1Share' | 'talksRate' | 'rectificationRate' | 'cluesShare' | 'escalationsReceived'> = {
  form1Share: '第一种形态占比（%）',
  talksRate: '谈话覆盖率（%）',
  rectificationRate: '整改完成率（%）',
  cluesShare: '线索一个月内处置率（%）',
  escalationsReceived: '收到督办上报（次）',
};
/** Talk coverage rules and statuses (谈话全覆盖). */
export const COVERAGE_RULE_LABELS: Labels<'headAnnual' | 'memberPortfolio' | 'preAppointment'> = {
  headAnnual: '纪委主要负责人年度约谈下级党委、纪委主要负责人',
  memberPortfolio: '班子成员按分工与分管单位领导干部谈话',
  preAppointment: '任前廉政谈话',
};
export const COVERAGE_STATUS_LABELS: Labels<'done' | 'waiting' | 'due' | 'overdue' | 'escalated'> = {
  done: '已完成',
  waiting: '待集体谈话后开展',
  due: '应谈未谈',
  overdue: '逾期未谈',
  escalated: '逾期未谈·已督办上报',
};

/** The label of `key` in `labels`, or the key itself when it has none (never an empty cell). */
export function labelOf(labels: Readonly<Record<string, string>>, key: string | null | undefined): string {
  if (key === null || key === undefined) return '';
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : key;
}

/** A history entry's action: a command, an internal event, or one of the service's own actions. */
export function auditActionLabel(action: string): string {
  return labelOf({ ...AUDIT_ACTION_LABELS, ...DUTY_COMMAND_LABELS, ...INTERNAL_EVENT_LABELS, ...COMMAND_LABELS }, action);
}
