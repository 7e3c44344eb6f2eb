/**
 * Issue 18's story end to end, through the HTTP app on a settable clock (never today's date), with
 * the real duty worker (workers/duty.ts) on real Redis under the system's own prefix:
 *
 * a county (云溪县) with three townships; appointments over two years (2025, 2026: a new secretary in
 * 南川镇, a new member overseeing 东岭镇); the commission head's collective talk and his individual
 * 约谈 with two of the three township secretaries; coverage shows the third as due, reminds him in
 * the fourth quarter and escalates after the year end; 东岭镇 accumulates sanctioned cases, the
 * trigger proposes a 一案双查 to the commission head's inbox, he opens it, and the primary review
 * suggests the township secretary and the member overseeing it when the facts happened (not the one
 * appointed after); a decided case's rectification is reported and accepted; the 上热中温下冷
 * report shows the levels.
 */
import { QueueEvents, type Job } from 'bullmq';
import { frequencyTrigger } from '../../services/accountability';
import { startDutyWorker, type DutyWorker } from '../../workers/duty';
import { withOrgChart } from '../helpers/fixtures';
import { driver, type Driver, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';

let now = new Date('2025-01-06T02:00:00Z'); // 10:00 in China
const at = (iso: string) => {
  now = new Date(iso);
};

let sys: TestSystem;
let d: Driver;
let duty: DutyWorker;
let events: QueueEvents;
let eventsConnection: ReturnType<TestSystem['redis']['duplicate']>;

const WU = { personId: 'p-wu', name: '吴正' }; // the county commission's head (纪委书记)
const TOWNS = { 'town-a': '云溪县东岭镇', 'town-b': '云溪县西坪乡', 'town-c': '云溪县南川镇' } as const;

async function post(user: string, url: string, body: Record<string, unknown>, status = 201): Promise<View> {
  const res = await (await sys.as(user)).post(url, body);
  if (res.status !== status) throw new Error(`POST ${url} as ${user} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
async function get(user: string, url: string): Promise<View> {
  const res = await (await sys.as(user)).get(url);
  if (res.status !== 200) throw new Error(`GET ${url} as ${user} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
const appoint = (body: Record<string, unknown>) => post('head1', '/api/v1/responsibility/posts', body);
const talk = (body: Record<string, unknown>) => post('head1', '/api/v1/talks', { topics: ['落实全面从严治党主体责任'], ...body });

/** One sweep of the duty queue at the current clock, through Redis and the worker. */
async function sweep(): Promise<View> {
  const job: Job = await duty.sweepNow();
  return job.waitUntilFinished(events, 30_000);
}

/** Coverage of the county's 2026 obligations as `rule:personId` → status. */
async function coverage2026(): Promise<Record<string, string>> {
  const view = await get('head1', '/api/v1/talks/coverage?year=2026&orgId=county');
  return Object.fromEntries(view.obligations.map((o: View) => [`${o.rule}:${o.talked.personId}`, o.status]));
}

beforeAll(async () => {
  sys = await startTestSystem({ workers: false, clock: () => now });
  await withOrgChart(sys);
  d = driver(sys);
  duty = startDutyWorker(sys.deps, { connection: sys.redis, prefix: sys.config.QUEUE_PREFIX, schedule: false, tasks: [frequencyTrigger] });
  eventsConnection = sys.redis.duplicate();
  events = new QueueEvents('duty', { connection: eventsConnection, prefix: sys.config.QUEUE_PREFIX });
  await events.waitUntilReady();

  // Year one (recorded in January 2025): the county's leaders and the three townships' leaders.
  at('2025-01-06T02:00:00Z');
  await appoint({ orgId: 'county', post: 'secretary', personId: 'p-zheng', personName: '郑国栋', title: '县委书记', from: '2025-01-01' });
  await appoint({ orgId: 'county', post: 'disciplineHead', ...{ personId: WU.personId, personName: WU.name }, title: '县纪委书记、监委主任', from: '2025-01-01' });
  await appoint({ orgId: 'county', post: 'member', personId: 'p-sun', personName: '孙西', title: '县委常委、组织部部长', portfolioOrgIds: ['town-a'], from: '2025-01-01' });
  await appoint({ orgId: 'town-a', post: 'secretary', personId: 'p-ta', personName: '唐安', title: '东岭镇党委书记', from: '2025-01-01' });
  await appoint({ orgId: 'town-a', post: 'disciplineHead', personId: 'p-da', personName: '丁安', title: '东岭镇纪委书记', from: '2025-01-01' });
  await appoint({ orgId: 'town-b', post: 'secretary', personId: 'p-tb', personName: '田博', title: '西坪乡党委书记', from: '2025-01-01' });
  await appoint({ orgId: 'town-b', post: 'disciplineHead', personId: 'p-db', personName: '丁博', from: '2025-01-01' });
  const oldC = await appoint({ orgId: 'town-c', post: 'secretary', personId: 'p-lc', personName: '老川', title: '南川镇党委书记', from: '2025-01-01' });
  await appoint({ orgId: 'town-c', post: 'disciplineHead', personId: 'p-dc', personName: '丁川', from: '2025-01-01' });

  // Year two, recorded in June 2026: 南川镇 gets a new secretary, 东岭镇 a new overseeing member.
  at('2026-06-15T02:00:00Z');
  await post('head1', `/api/v1/responsibility/posts/${oldC.id}/departure`, { to: '2026-02-28', reason: '调任' }, 200);
  await appoint({ orgId: 'town-c', post: 'secretary', personId: 'p-tc', personName: '田川', title: '南川镇党委书记', from: '2026-03-01' });
  const sun = (await get('head1', '/api/v1/responsibility/posts?orgId=county')).items.find((p: View) => p.personId === 'p-sun');
  await post('head1', `/api/v1/responsibility/posts/${sun.id}/departure`, { to: '2026-03-31', reason: '交流任职' }, 200);
  await appoint({ orgId: 'county', post: 'member', personId: 'p-zhou', personName: '周中', title: '县委常委、副县长', portfolioOrgIds: ['town-a'], from: '2026-04-01' });
  // Both newcomers had their 任前廉政谈话.
  await talk({ kind: 'preAppointmentIntegrity', heldOn: '2026-02-25', talker: WU, talkedTo: [{ personId: 'p-tc', name: '田川', orgId: 'town-c' }] });
  await talk({ kind: 'preAppointmentIntegrity', heldOn: '2026-03-27', talker: WU, talkedTo: [{ personId: 'p-zhou', name: '周中', orgId: 'county' }] });
  // The commission head's collective talk with the three townships, then 约谈 with two of the three secretaries.
  await talk({ kind: 'collectiveResponsibility', heldOn: '2026-03-02', talker: WU, attendeeOrgIds: Object.keys(TOWNS) });
  await talk({ kind: 'individualInterview', heldOn: '2026-03-10', talker: WU, talkedTo: [{ personId: 'p-ta', name: '唐安', orgId: 'town-a' }], problems: ['“三资”监管薄弱'] });
  await talk({ kind: 'individualInterview', heldOn: '2026-03-12', talker: WU, talkedTo: [{ personId: 'p-tb', name: '田博', orgId: 'town-b' }] });
}, 180_000);

afterAll(async () => {
  await events?.close();
  await duty?.queue.obliterate({ force: true }).catch(() => undefined);
  await duty?.close();
  eventsConnection?.disconnect();
  await sys?.stop();
}, 60_000);

describe('the responsibility story of a county', () => {
  const caseIds: string[] = [];
  let primaryReview: View;

  it('when the year is under way, then the two secretaries talked to are covered and the third is due; the appointees had their integrity talks', async () => {
    const status = await coverage2026();
    expect({ a: status['headAnnual:p-ta'], b: status['headAnnual:p-tb'], c: status['headAnnual:p-tc'] }).toEqual({ a: 'done', b: 'done', c: 'due' });
    // The collective talk is not a 约谈: the discipline heads are still due.
    expect(status['headAnnual:p-da']).toBe('due');
    // Appointments of 2026 created their 任前廉政谈话 obligations, met; the 2025 secretary's left 南川镇.
    expect({ tc: status['preAppointment:p-tc'], zhou: status['preAppointment:p-zhou'] }).toEqual({ tc: 'done', zhou: 'done' });
    expect(status['headAnnual:p-lc']).toBeUndefined();
  });

  it('when 东岭镇 accumulates sanctioned cases and the duty worker sweeps, then a 一案双查 of its leadership is proposed, and nothing is reminded before the fourth quarter', async () => {
    for (const factsAt of ['2026-01-20', '2026-02-10', '2026-02-20']) {
      const c = await d.caseIn('decided', { clue: { receivedAt: '2026-05-20', factsAt } });
      caseIds.push(c.id);
    }
    // The next day's sweep (the window ends at the sweep, exclusive).
    at('2026-06-16T02:00:00Z');
    const run = await sweep();
    expect(run.coverage).toEqual({ reminded: 0, escalated: 0, notifications: 0 });
    expect(run.proposed).toBe(1);
  }, 180_000);

  it('when the commission head opens his inbox, then the proposal is there with the cases behind it; no one else has it', async () => {
    const inbox = await get('head1', '/api/v1/inbox');
    expect(inbox.proposals).toHaveLength(1);
    const [item] = inbox.proposals;
    expect(item).toMatchObject({ unitOrgId: 'town-a', unitName: TOWNS['town-a'], availableCommands: ['open', 'dismiss'] });
    expect(item.rule).toContain('3件案件给予处分');
    expect([...item.caseIds].sort()).toEqual([...caseIds].sort());
    expect(item.cases.map((c: View) => c.id).sort()).toEqual([...caseIds].sort());
    expect(item.cases.every((c: View) => c.state === 'decided' && /^\S+/.test(c.number) && c.title.length > 0)).toBe(true);
    expect(inbox.notifications.some((n: View) => n.kind === 'dualProposal' && n.title.includes('东岭镇'))).toBe(true);
    expect((await get('inspector1', '/api/v1/inbox')).proposals).toEqual([]);
    expect((await get('cityhead', '/api/v1/inbox')).proposals).toEqual([]);
  });

  it('when he opens it, then the primary review suggests the township secretary and the member overseeing it when the facts happened, not the one appointed after', async () => {
    const { proposals } = await get('head1', '/api/v1/inbox');
    const opened = await post('head1', `/api/v1/dual-proposals/${proposals[0].id}/open`, { reason: '东岭镇严重违纪问题频发，启动一案双查' }, 200);
    expect(opened.status).toBe('opened');
    const views = await Promise.all(opened.reviewIds.map((id: string) => d.reviewView(id, 'inspector1')));
    primaryReview = views.find((v) => v.kind === 'primary')!;
    const supervision = views.find((v) => v.kind === 'supervision')!;
    // Read on the latest facts of the cases behind it (2026-02-20): 孙西 oversaw 东岭镇 then; 周中 came on 2026-04-01.
    expect(primaryReview.suggestedParties).toMatchObject({ asOf: '2026-02-20', asOfSource: 'reviewFactsAt' });
    expect(primaryReview.suggestedParties.parties.map((p: View) => [p.name, p.responsibility])).toEqual([
      ['唐安', 'mainLeadership'],
      ['孙西', 'mainLeadership'],
    ]);
    expect(primaryReview.suggestedParties.parties.map((p: View) => p.name)).not.toContain('周中');
    expect(supervision.suggestedParties.parties.map((p: View) => p.name)).toEqual(['丁安']);
    expect((await get('head1', '/api/v1/inbox')).proposals).toEqual([]);
  });

  it('when the review starts, then it goes through the approval chain of 问责条例 Art 9 like any other', async () => {
    const proposed = await d.reviewCmd(primaryReview.id, 'inspector1', { type: 'proposeStart', reason: '一案双查' });
    expect(proposed.state).toBe('startApproval');
    // 东岭镇's committee is led directly by the county committee: its secretary approves after the commission head.
    expect(proposed.pendingApproval.chain).toEqual(['commissionHead', 'partySecretary']);
    const started = await d.approvePending('review', primaryReview.id);
    expect(started.state).toBe('investigating');
  });

  it('when a decided case’s rectification is planned, reported and accepted, then it is accepted on time', async () => {
    const list = await get('supervisor1', `/api/v1/rectifications?sourceId=${caseIds[0]}`);
    expect(list.items.map((r: View) => [r.unitOrgId, r.state])).toEqual([['town-a', 'planDue']]);
    const id = list.items[0].id;
    const cmd = (user: string, body: Record<string, unknown>) => post(user, `/api/v1/rectifications/${id}/commands`, body, 200);
    await cmd('inspector1', { type: 'submitPlan', text: '东岭镇以案促改整改方案', measures: ['修订“三资”管理制度'] });
    expect((await cmd('inspector1', { type: 'submitReport', text: '整改完成情况报告' })).state).toBe('acceptance');
    const accepted = await cmd('supervisor1', { type: 'acceptReport', comment: '验收通过' });
    expect(accepted).toMatchObject({ state: 'accepted', rounds: 1 });
    expect(accepted.deadlines.every((x: View) => x.status === 'met')).toBe(true);
  });

  it('when the fourth quarter comes, then the sweep reminds of the third secretary, once', async () => {
    at('2026-10-15T02:00:00Z');
    const run = await sweep();
    expect(run.coverage.reminded).toBeGreaterThanOrEqual(1);
    expect(run.coverage.escalated).toBe(0);
    expect(run.proposed).toBe(0);
    const view = await get('head1', '/api/v1/talks/coverage?year=2026&orgId=county&status=due');
    const third = view.obligations.find((o: View) => o.rule === 'headAnnual' && o.talked.personId === 'p-tc');
    expect(third).toMatchObject({ status: 'due', reminded: true, talker: { personId: 'p-wu' } });
    const notes = (await sys.deps.store.notifications.listForUser('head1', 200)).filter((n) => n.kind === 'coverageReminder' && n.body.includes('田川'));
    expect(notes).toHaveLength(1);
    expect((await sweep()).coverage.reminded).toBe(0);
  });

  it('when the year is over, then the third is overdue, and the sweep escalates it to the commission above', async () => {
    at('2027-01-05T02:00:00Z');
    expect((await coverage2026())['headAnnual:p-tc']).toBe('overdue');
    const run = await sweep();
    expect(run.coverage.escalated).toBeGreaterThanOrEqual(1);
    // The cases behind the opened proposal are under review: they do not propose again in the new year.
    expect(run.proposed).toBe(0);
    const status = await coverage2026();
    expect({ a: status['headAnnual:p-ta'], b: status['headAnnual:p-tb'], c: status['headAnnual:p-tc'] }).toEqual({ a: 'done', b: 'done', c: 'escalated' });
    const up = (await sys.deps.store.notifications.listForUser('cityhead', 200)).filter((n) => n.kind === 'coverageEscalated' && n.body.includes('田川'));
    expect(up).toHaveLength(1);
    expect(up[0].title).toContain('2026年度');
    expect((await sweep()).coverage.escalated).toBe(0);
  });

  it('when the 上热中温下冷 report of 2026 is read, then each level shows the pressure that reached it', async () => {
    const report = await get('cityhead', '/api/v1/stats/pressure-by-level?year=2026&orgId=city');
    expect(report.levels.map((r: View) => r.level)).toEqual(['province', 'prefecture', 'county', 'township', 'village']);
    const by = Object.fromEntries(report.levels.map((r: View) => [r.level, r]));
    expect(by.prefecture).toMatchObject({ levelName: '地级', orgs: 1 });
    expect(by.county).toMatchObject({ levelName: '县级', orgs: 1 });
    // Three cases of 东岭镇's subject, each a 严重警告 (form 2); their rectifications by the township's level.
    expect(by.township).toMatchObject({ levelName: '乡级', orgs: 3, fourForms: { form1: 0, form2: 3, form3: 0, form4: 0, total: 3 } });
    expect(by.township.rectifications).toEqual({ opened: 3, completed: 1, rate: 33.3 });
    // Township leaders: 6 head's 约谈 (2 done) and 东岭镇's two leaders in 周中's portfolio (none done); 田川's integrity talk done.
    expect(by.township.talks).toMatchObject({ obligations: 9, done: 3 });
    // The county's 任前廉政谈话 (周中) is at the county level.
    expect(by.county.talks).toMatchObject({ obligations: 1, done: 1 });
    // The clues were registered with the county commission.
    expect(by.county.clues.disposalClocks).toBe(3);
    const csv = await (await sys.as('cityhead')).get('/api/v1/stats/pressure-by-level?year=2026&orgId=city&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('乡级');
  });
});
