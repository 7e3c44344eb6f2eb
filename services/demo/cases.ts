import { registerCase, runCaseCommand } from '../cases';
import type { RegisterCaseBody } from '../cases/register';
import type { Deps } from '../deps';
import type { ReviewKind } from '../../machines';
import { openReview } from '../reviews/open';
import type { User } from '../store/port';

type Step = [userId: string, command: Record<string, unknown>];

interface DemoCase {
  title: string;
  subject: { name: string; personId: string; position: string; rank: string; orgId: string };
  category: 'political' | 'organizational' | 'integrity' | 'mass' | 'work' | 'life';
  summary: string;
  /** Days before now when the clue arrived and the steps were taken (past clocks make real overdue deadlines). */
  daysAgo: number;
  major?: boolean;
  steps: Step[];
}

const DAY = 86_400_000;
const meeting = { ref: '县纪委常委会〔2026〕8号', attendees: ['committee1', 'head1'], dissent: [] };

const assign: Step = ['manager1', { type: 'assign', inspectorIds: ['inspector1', 'inspector2'] }];
const toTalk: Step[] = [assign, ['inspector1', { type: 'proposeDisposition', method: 'talkInquiry', reason: '反映问题较笼统，拟函询' }], ['supervisor1', { type: 'approve', comment: '同意函询' }]];
const replied: Step[] = [...toTalk, ['inspector1', { type: 'recordReply', summary: '本人书面说明，否认收受礼金', receivedAt: '2026-10-20' }]];
const toVerify: Step[] = [assign, ['inspector1', { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '线索具体，可查性强' }], ['head1', { type: 'approve', comment: '同意初核' }]];
const filed: Step[] = [
  ...toVerify,
  ['inspector1', { type: 'submitVerificationReport', recommendation: 'file', findings: '初核认定部分问题属实' }],
  ['head1', { type: 'approve', comment: '拟同意立案' }],
  ['secretary1', { type: 'approve', comment: '同意立案' }],
];
const reported = (personId: string, measure: string): Step[] => [
  ...filed,
  ['inspector1', { type: 'submitInvestigationReport', findings: '经审查调查，问题属实', proposedMeasures: [{ personId, measure }] }],
];
const reviewing = (personId: string, measure: string): Step[] => [
  ...reported(personId, measure),
  ['supervisor1', { type: 'assignTrialReviewers', userIds: ['reviewer1', 'reviewer2'] }],
];
const proposed = (personId: string, measure: string, judicialTransfer = false): Step[] => [
  ...reviewing(personId, measure),
  ['reviewer1', { type: 'proposeDecision', measures: [{ personId, measure }], judicialTransfer, reason: '事实清楚，证据确凿，定性准确' }],
];
const decided = (personId: string, measure: string, judicialTransfer = false): Step[] => [
  ...proposed(personId, measure, judicialTransfer),
  ['head1', { type: 'approve', comment: '同意审理意见' }],
  ['committee1', { type: 'approve', comment: '常委会审议通过', meeting }],
];

const s = (n: number, name: string, position: string, rank: string, orgId: string) => ({ name, personId: `demo-p${n}`, position, rank, orgId });

/** About twenty cases spread over the lifecycle; a few overdue, one major case with both reviews open. */
const CASES: DemoCase[] = [
  { title: '东岭镇农技站站长违规发放补贴问题', subject: s(1, '钱某', '东岭镇农技站站长', 'staff', 'town-a'), category: 'mass', summary: '优亲厚友发放农业补贴', daysAgo: 2, steps: [] },
  { title: '西坪乡某村干部侵占集体资金问题', subject: s(2, '孙某', '西坪乡林场村党支部书记', 'other', 'town-b'), category: 'integrity', summary: '截留村集体土地补偿款', daysAgo: 75, steps: [] },
  { title: '南川镇副镇长公款吃喝问题', subject: s(3, '周某', '南川镇副镇长', 'townshipDeputy', 'town-c'), category: 'integrity', summary: '违规公款宴请', daysAgo: 40, steps: [assign] },
  { title: '县住建局干部吃拿卡要问题', subject: s(4, '吴某', '县住建局科员', 'staff', 'county'), category: 'mass', summary: '办理审批吃拿卡要', daysAgo: 5, steps: [assign, ['inspector1', { type: 'proposeDisposition', method: 'talkInquiry', reason: '拟函询' }]] },
  { title: '东岭镇党委委员违规经商问题', subject: s(5, '郑某', '东岭镇党委委员', 'townshipDeputy', 'town-a'), category: 'integrity', summary: '亲属经商，本人入股', daysAgo: 45, steps: toTalk },
  { title: '西坪乡乡长形式主义问题', subject: s(6, '王某', '西坪乡乡长', 'townshipChief', 'town-b'), category: 'work', summary: '脱贫攻坚数据造假', daysAgo: 20, steps: replied },
  { title: '南川镇站所负责人违规收礼问题', subject: s(7, '冯某', '南川镇财政所所长', 'staff', 'town-c'), category: 'integrity', summary: '节日收受礼金', daysAgo: 15, steps: [...replied, ['inspector1', { type: 'proposeInquiryOutcome', outcome: 'acceptedClosed', reason: '反映不实，予以采信了结' }]] },
  { title: '县教育局干部反映不实了结件', subject: s(8, '陈某', '县教育局副局长', 'countyDeputy', 'county'), category: 'work', summary: '被反映违规招聘', daysAgo: 30, steps: [...replied, ['inspector1', { type: 'proposeInquiryOutcome', outcome: 'acceptedClosed', reason: '反映不实' }], ['supervisor1', { type: 'approve', comment: '同意了结' }]] },
  { title: '东岭镇干部工作作风问题（第一种形态）', subject: s(9, '褚某', '东岭镇党政办主任', 'staff', 'town-a'), category: 'work', summary: '工作推诿扯皮', daysAgo: 25, steps: [...replied, ['inspector1', { type: 'proposeInquiryOutcome', outcome: 'firstForm', measures: [{ personId: 'demo-p9', measure: 'criticismEducation' }], reason: '问题轻微，批评教育' }], ['supervisor1', { type: 'approve', comment: '同意' }]] },
  { title: '县水利局工程款问题初核', subject: s(10, '卫某', '县水利局局长', 'countyChief', 'county'), category: 'integrity', summary: '插手工程项目', daysAgo: 80, steps: toVerify },
  { title: '西坪乡扶贫资金问题初核报告', subject: s(11, '蒋某', '西坪乡副乡长', 'townshipDeputy', 'town-b'), category: 'mass', summary: '挪用扶贫资金', daysAgo: 10, steps: [...toVerify, ['inspector1', { type: 'submitVerificationReport', recommendation: 'file', findings: '挪用资金属实' }]] },
  { title: '南川镇土地流转问题暂存待查', subject: s(12, '沈某', '南川镇国土所所长', 'staff', 'town-c'), category: 'integrity', summary: '土地流转中收受好处', daysAgo: 60, steps: [assign, ['inspector1', { type: 'proposeDisposition', method: 'shelve', reason: '待审计结果' }], ['supervisor1', { type: 'approve', comment: '同意暂存' }]] },
  { title: '县交通局干部受贿案', subject: s(13, '韩某', '县交通局副局长', 'countyDeputy', 'county'), category: 'integrity', summary: '收受工程老板财物', daysAgo: 12, steps: filed },
  { title: '东岭镇党委书记严重违纪案（一案双查）', subject: s(14, '杨某', '东岭镇党委书记', 'townshipChief', 'town-a'), category: 'integrity', summary: '长期收受贿赂，不正之风蔓延', daysAgo: 9, major: true, steps: filed },
  { title: '县林业局违规审批案', subject: s(15, '朱某', '县林业局股长', 'staff', 'county'), category: 'work', summary: '违规审批林木采伐', daysAgo: 35, steps: reviewing('demo-p15', 'partyWarning') },
  { title: '西坪乡财政所挪用公款案', subject: s(16, '秦某', '西坪乡财政所会计', 'staff', 'town-b'), category: 'integrity', summary: '挪用公款', daysAgo: 30, steps: proposed('demo-p16', 'partySeriousWarning') },
  { title: '南川镇副书记违规兼职取酬案', subject: s(17, '尤某', '南川镇党委副书记', 'townshipDeputy', 'town-c'), category: 'integrity', summary: '违规兼职取酬', daysAgo: 28, steps: decided('demo-p17', 'partyWarning') },
  { title: '县卫健局干部违规收受红包案', subject: s(18, '许某', '县卫健局科长', 'staff', 'county'), category: 'integrity', summary: '收受红包礼金', daysAgo: 50, steps: [...decided('demo-p18', 'partySeriousWarning'), ['inspector1', { type: 'recordExecution', note: '已宣布执行' }]] },
  { title: '东岭镇站所长申诉案', subject: s(19, '何某', '东岭镇农经站站长', 'staff', 'town-a'), category: 'integrity', summary: '虚报冒领', daysAgo: 40, steps: [...decided('demo-p19', 'probation'), ['manager1', { type: 'fileAppeal', personId: 'demo-p19', reason: '本人对处分决定不服' }]] },
  { title: '县发改委干部涉嫌职务犯罪案', subject: s(20, '吕某', '县发改委副主任', 'countyDeputy', 'county'), category: 'integrity', summary: '涉嫌受贿犯罪', daysAgo: 55, steps: [...decided('demo-p20', 'expulsion', true), ['inspector1', { type: 'recordExecution', note: '已开除党籍并移送检察机关' }], ['manager1', { type: 'close', note: '结案' }]] },
];

/** Drives each demo case through real commands, with a clock set back so that real clocks run late. */
export async function seedDemoCases(deps: Deps): Promise<void> {
  const users = new Map((await deps.store.users.list()).map((u) => [u.id, u]));
  const user = (id: string): User => {
    const u = users.get(id);
    if (!u) throw new Error(`demo user ${id} is missing`);
    return u;
  };
  const now = deps.clock().getTime();
  for (const c of CASES) {
    let t = now - c.daysAgo * DAY;
    // Each step a little later than the previous one, all in the past.
    const past: Deps = { ...deps, clock: () => new Date((t += 60_000)) };
    const receivedAt = new Date(now - c.daysAgo * DAY).toISOString().slice(0, 10);
    const view = await registerCase(past, user('registrar1'), {
      title: c.title,
      orgId: 'county',
      source: 'petition',
      receivedAt,
      subjects: [{ ...c.subject, rank: c.subject.rank as RegisterCaseBody['subjects'][number]['rank'], partyMember: true, publicOfficial: true, leadership: null }],
      allegations: [{ category: c.category, summary: c.summary }],
      reporter: { name: '实名举报人', contact: '1390000' + String(c.subject.personId.slice(6)).padStart(4, '0'), realName: true },
      major: c.major ?? false,
    });
    for (const [userId, command] of c.steps) {
      await runCaseCommand(past, user(userId), String(view.id), command);
      await openRequestedReviews(past, String(view.id));
    }
  }
}

/**
 * The 一案双查 reviews a step has just requested, opened at once on the demo's clock, as the workers
 * open them within a second of the trigger (they are not started yet while the demo is seeded, and
 * on the real clock they would open them weeks after the backdated trigger). The workers' own job
 * finds them made and does nothing more.
 */
async function openRequestedReviews(past: Deps, caseId: string): Promise<void> {
  const record = await past.store.cases.get(caseId);
  const dual = (record?.snapshot as { context?: { dual?: { reviews?: Array<{ kind: ReviewKind; reviewId: string | null }> } } } | undefined)?.context?.dual;
  for (const review of dual?.reviews ?? []) {
    if (review.reviewId === null) await openReview(past, caseId, review.kind, record!.updatedAt);
  }
}
