/**
 * The talks ledger (issue 18 §2) through the HTTP API, on a settable clock (2026-06-15, whatever
 * day the suite runs): recording talks with the posts filled in from the map, follow-up items with
 * their own working-day clocks closing with evidence, who reads which talk, and the yearly
 * coverage view.
 */
import { withOrgChart } from '../helpers/fixtures';
import { expectProblem, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
let now = new Date('2026-06-15T02:00:00Z'); // a Monday, 10:00 in China

const CADRES = [
  // The township secretaries and a county cadre, with accounts of their own.
  { id: 'ta-user', name: '唐安', orgId: 'town-a', roles: ['inspector'], personId: 'p-ta' },
  { id: 'tb-user', name: '田博', orgId: 'town-b', roles: ['inspector'], personId: 'p-tb' },
  { id: 'concerned-user', name: '甘某', orgId: 'county', roles: ['inspector'], personId: 'p-gan' },
];

const POSTS: Array<Record<string, unknown>> = [
  { orgId: 'county', post: 'secretary', personId: 'p-zheng', personName: '郑国栋', from: '2025-01-01' },
  { orgId: 'county', post: 'disciplineHead', personId: 'p-wu', personName: '吴正', title: '县纪委书记、监委主任', from: '2025-01-01' },
  { orgId: 'county', post: 'member', personId: 'p-sun', personName: '孙西', portfolioOrgIds: ['town-a'], from: '2025-01-01' },
  { orgId: 'town-a', post: 'secretary', personId: 'p-ta', personName: '唐安', title: '东岭镇党委书记', from: '2025-01-01' },
  { orgId: 'town-a', post: 'disciplineHead', personId: 'p-da', personName: '丁安', from: '2025-01-01' },
  { orgId: 'town-b', post: 'secretary', personId: 'p-tb', personName: '田博', from: '2025-01-01' },
  { orgId: 'town-b', post: 'disciplineHead', personId: 'p-db', personName: '丁博', from: '2025-01-01' },
  { orgId: 'town-c', post: 'secretary', personId: 'p-tc', personName: '田川', from: '2025-01-01' },
  { orgId: 'town-c', post: 'disciplineHead', personId: 'p-dc', personName: '丁川', from: '2025-01-01' },
  // Appointed this year: one with an integrity talk before taking office, one without.
  { orgId: 'town-c', post: 'member', personId: 'p-new1', personName: '新甲', from: '2026-05-01' },
  { orgId: 'town-b', post: 'member', personId: 'p-new2', personName: '新乙', from: '2026-06-01' },
];

const WU = { personId: 'p-wu', name: '吴正' };
const talk = (over: Record<string, unknown>) => ({ kind: 'individualInterview', heldOn: '2026-03-10', talker: WU, topics: ['落实全面从严治党主体责任'], ...over });

async function record(body: Record<string, unknown>, user = 'head1'): Promise<View> {
  const res = await (await sys.as(user)).post('/api/v1/talks', body);
  if (res.status !== 201) throw new Error(`record talk → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let individual: View;
let aboutGan: View;

beforeAll(async () => {
  sys = await startTestSystem({ workers: false, clock: () => now });
  await withOrgChart(sys);
  const admin = await sys.as('admin');
  for (const u of CADRES) expect((await admin.post('/api/v1/users', u)).status).toBe(201);
  const head = await sys.as('head1');
  for (const p of POSTS) expect((await head.post('/api/v1/responsibility/posts', p)).status).toBe(201);

  individual = await record(
    talk({
      talkedTo: [{ personId: 'p-ta', name: '唐安', orgId: 'town-a' }],
      problems: ['镇村两级“三资”监管薄弱'],
      commitments: [{ personId: 'p-ta', text: '三个月内完成村级财务清理' }],
      followUps: [{ text: '完成村级财务专项清理并报送结果', ownerPersonId: 'p-ta', ownerName: '唐安', ownerUserId: 'ta-user', dueWorkingDays: 10 }],
    }),
  );
  // The county's collective talk (not a 约谈): opens the members' portfolio talks.
  await record(talk({ kind: 'collectiveResponsibility', heldOn: '2026-03-01', talker: { personId: 'p-zheng', name: '郑国栋' }, attendeeOrgIds: ['town-a', 'town-b', 'town-c'] }));
  // 集体约谈 of 西坪乡's leaders: covers its secretary and discipline head.
  await record(talk({ kind: 'collectiveInterview', heldOn: '2026-04-20', attendeeOrgIds: ['town-b'] }));
  // 孙西 talks with 唐安 before the collective talk (does not count), with 丁安 after it.
  await record(talk({ kind: 'heartToHeart', heldOn: '2026-02-01', talker: { personId: 'p-sun', name: '孙西' }, talkedTo: [{ personId: 'p-ta', name: '唐安', orgId: 'town-a' }] }));
  await record(talk({ kind: 'heartToHeart', heldOn: '2026-04-01', talker: { personId: 'p-sun', name: '孙西' }, talkedTo: [{ personId: 'p-da', name: '丁安', orgId: 'town-a' }] }));
  await record(talk({ kind: 'preAppointmentIntegrity', heldOn: '2026-05-28', talker: { personId: 'p-zheng', name: '郑国栋' }, talkedTo: [{ personId: 'p-new2', name: '新乙', orgId: 'town-b' }] }));
  // A talk with 唐安 about a county cadre (甘某), who is not talked to.
  aboutGan = await record(talk({ kind: 'reminder', heldOn: '2026-05-05', talkedTo: [{ personId: 'p-ta', name: '唐安', orgId: 'town-a' }], concerns: [{ personId: 'p-gan', name: '甘某' }] }));
}, 180_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

describe('recording a talk', () => {
  it('when a talk is recorded, then the posts come from the map on the day and the follow-up runs on its own working-day clock', () => {
    expect(individual.talker).toMatchObject({ personId: 'p-wu', post: 'disciplineHead', title: '县纪委书记、监委主任', orgId: 'county' });
    expect(individual.talkedTo).toEqual([{ personId: 'p-ta', name: '唐安', post: 'secretary', title: '东岭镇党委书记', orgId: 'town-a' }]);
    const [f] = individual.followUps;
    expect(f.state).toBe('open.inProgress');
    // 10 working days from Monday 2026-06-15, across the Dragon Boat holiday (06-19).
    // Read on the day of the talk: all ten working days are still ahead.
    expect(f.deadlines).toEqual([{ key: 'talk.followUp', dueAt: '2026-06-30T15:59:59.999Z', status: 'open', escalation: 'none', calendarUncertain: false, workingDaysLeft: 10 }]);
    expect(f.availableCommands).toEqual(['submitEvidence']);
  });

  it('when the input is bad, then 400 names the field and nothing is recorded', async () => {
    const head = await sys.as('head1');
    const before = (await head.get('/api/v1/talks?year=2026&pageSize=200')).body.total;
    const bad: Array<[Record<string, unknown>, string]> = [
      [talk({ heldOn: '2026-06-16', talkedTo: [{ personId: 'p-ta', name: '唐安', orgId: 'town-a' }] }), 'heldOn'],
      [talk({}), 'talkedTo'],
      [talk({ kind: 'chat', talkedTo: [{ personId: 'p-ta', name: '唐安', orgId: 'town-a' }] }), 'kind'],
      [talk({ talkedTo: [{ personId: 'p-ta', name: '唐安', orgId: 'town-a' }], firstFormCaseId: 'c1' }), 'firstFormCaseId'],
      [talk({ talkedTo: [{ personId: 'p-ta', name: '唐安', orgId: 'town-a' }], followUps: [{ text: '整改', ownerPersonId: 'p-ta', ownerName: '唐安', dueWorkingDays: 0 }] }), 'followUps.0.dueWorkingDays'],
    ];
    for (const [body, path] of bad) {
      const res = await head.post('/api/v1/talks', body);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: View) => e.path)).toContain(path);
    }
    expect((await head.get('/api/v1/talks?year=2026&pageSize=200')).body.total).toBe(before);
  });

  it('when an auditor records a talk, then 403 for the role', async () => {
    expectProblem(await (await sys.as('auditor1')).post('/api/v1/talks', talk({ talkedTo: [{ personId: 'p-ta', name: '唐安', orgId: 'town-a' }] })), 403, 'forbidden', { reason: 'role' });
  });
});

describe('who reads a talk', () => {
  it('when the one talked to reads his talk from another org, then 200; a cadre of a sibling township gets 404', async () => {
    expect((await (await sys.as('ta-user')).get(`/api/v1/talks/${individual.id}`)).status).toBe(200);
    expectProblem(await (await sys.as('tb-user')).get(`/api/v1/talks/${individual.id}`), 404, 'not_found');
    const mine = await (await sys.as('ta-user')).get('/api/v1/talks?mine=true&pageSize=200');
    expect(mine.body.items.map((t: View) => t.id)).toEqual(expect.arrayContaining([individual.id, aboutGan.id]));
  });

  it('when a cadre reads a talk about himself in which he was not talked to, then 404 and the ledger leaves it out; others in scope read it', async () => {
    expectProblem(await (await sys.as('concerned-user')).get(`/api/v1/talks/${aboutGan.id}`), 404, 'not_found');
    const listed = await (await sys.as('concerned-user')).get('/api/v1/talks?year=2026&pageSize=200');
    expect(listed.body.items.map((t: View) => t.id)).not.toContain(aboutGan.id);
    expect(listed.body.items.map((t: View) => t.id)).toContain(individual.id);
    expect((await (await sys.as('inspector1')).get(`/api/v1/talks/${aboutGan.id}`)).status).toBe(200);
  });

  it('when a talk is read, then the read is an event of its audit chain', async () => {
    await (await sys.as('inspector1')).get(`/api/v1/talks/${individual.id}`);
    const chain = await sys.deps.store.audit.list(individual.id);
    expect(chain[0]).toMatchObject({ action: 'recordTalk', actor: 'head1', outcome: 'accepted' });
    expect(chain.some((e) => e.action === 'read' && e.actor === 'inspector1')).toBe(true);
  });
});

describe('follow-up items', () => {
  it('when someone neither responsible nor an overseer sends evidence, then 403; the owner sends it and the recorder accepts it, then it closes on time', async () => {
    const id = individual.followUps[0].id;
    const path = `/api/v1/follow-ups/${id}/commands`;
    expectProblem(await (await sys.as('inspector2')).post(path, { type: 'submitEvidence', text: '已完成' }), 403, 'forbidden', { reason: 'role' });
    const sent = await (await sys.as('ta-user')).post(path, { type: 'submitEvidence', text: '清理报告及问题台账已报县纪委' });
    expect(sent.status).toBe(200);
    expect(sent.body.state).toBe('open.evidenceSubmitted');
    expectProblem(await (await sys.as('ta-user')).post(path, { type: 'acceptEvidence' }), 403, 'forbidden');
    const closed = await (await sys.as('head1')).post(path, { type: 'acceptEvidence' });
    expect(closed.status).toBe(200);
    expect(closed.body.state).toBe('closed');
    expect(closed.body.deadlines[0].status).toBe('met');
    expect(closed.body.evidence).toMatchObject({ text: '清理报告及问题台账已报县纪委', by: 'ta-user' });
  });

  it('when a follow-up command has no evidence text, then 400 on text', async () => {
    const t = await record(
      talk({ heldOn: '2026-06-01', talkedTo: [{ personId: 'p-tc', name: '田川', orgId: 'town-c' }], followUps: [{ text: '整改', ownerPersonId: 'p-tc', ownerName: '田川', dueWorkingDays: 5 }] }),
    );
    const res = await (await sys.as('head1')).post(`/api/v1/follow-ups/${t.followUps[0].id}/commands`, { type: 'submitEvidence' });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors[0].path).toBe('text');
  });
});

describe('coverage', () => {
  const statusOf = (view: View) => Object.fromEntries(view.obligations.map((o: View) => [`${o.rule}:${o.talked.personId}`, o.status]));

  it('when the year is under way, then each obligation is done, due or overdue as the ledger shows', async () => {
    const res = await (await sys.as('head1')).get('/api/v1/talks/coverage?year=2026&orgId=county');
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe('2026-06-15');
    expect(statusOf(res.body)).toEqual({
      // The head's 约谈: 唐安 individually, 西坪乡's two leaders collectively; the collective talk does not count.
      'headAnnual:p-ta': 'done',
      'headAnnual:p-da': 'due',
      'headAnnual:p-tb': 'done',
      'headAnnual:p-db': 'done',
      'headAnnual:p-tc': 'done',
      'headAnnual:p-dc': 'due',
      // 孙西's talk with 唐安 came before the collective talk.
      'memberPortfolio:p-ta': 'due',
      'memberPortfolio:p-da': 'done',
      'preAppointment:p-new1': 'overdue',
      'preAppointment:p-new2': 'done',
    });
    expect(res.body.byRule.headAnnual).toMatchObject({ total: 6, done: 4, due: 2, rate: 66.7 });
  });

  it('when the year is over, then what is left uncovered is overdue', async () => {
    now = new Date('2027-01-05T02:00:00Z');
    try {
      const res = await (await sys.as('head1')).get('/api/v1/talks/coverage?year=2026&orgId=county&status=overdue');
      expect(res.body.obligations.map((o: View) => `${o.rule}:${o.talked.personId}`).sort()).toEqual([
        'headAnnual:p-da',
        'headAnnual:p-dc',
        'memberPortfolio:p-ta',
        'preAppointment:p-new1',
      ]);
    } finally {
      now = new Date('2026-06-15T02:00:00Z');
    }
  });

  it('when a township user reads the county coverage, then 404; his own township shows only its obligations', async () => {
    expectProblem(await (await sys.as('towninspector')).get('/api/v1/talks/coverage?year=2026&orgId=county'), 404, 'not_found');
    const own = await (await sys.as('towninspector')).get('/api/v1/talks/coverage?year=2026');
    expect(own.status).toBe(200);
    expect(new Set(own.body.obligations.map((o: View) => o.orgId))).toEqual(new Set());
    expectProblem(await (await sys.as('head1')).get('/api/v1/talks/coverage?year=twenty'), 400, 'validation_failed');
  });
});

describe('上热中温下冷 by org level', () => {
  it('when the level report is read, then the talk coverage lands at the level of the leaders talked to', async () => {
    const res = await (await sys.as('head1')).get('/api/v1/stats/pressure-by-level?year=2026&orgId=county');
    expect(res.status).toBe(200);
    const byLevel = Object.fromEntries(res.body.levels.map((r: View) => [r.level, r]));
    expect(res.body.levels.map((r: View) => r.level)).toEqual(['province', 'prefecture', 'county', 'township', 'village']);
    expect(byLevel.county).toMatchObject({ levelName: '县级', orgs: 1, talks: { obligations: 0, done: 0, rate: null } });
    // Township leaders: 6 annual 约谈, 2 portfolio talks, 2 appointments; 6 done.
    expect(byLevel.township).toMatchObject({ levelName: '乡级', orgs: 3, talks: { obligations: 10, done: 6, rate: 60 } });
  });

  it('when it is downloaded, then CSV and XLSX carry the Chinese table', async () => {
    const head = await sys.as('head1');
    const csv = await head.get('/api/v1/stats/pressure-by-level?year=2026&orgId=county&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain('谈话覆盖率（%）');
    expect(csv.text).toContain('乡级');
    const xlsx = await head.get('/api/v1/stats/pressure-by-level?year=2026&orgId=county&format=xlsx').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expectProblem(await head.get('/api/v1/stats/pressure-by-level?year=2026&format=pdf'), 400, 'validation_failed');
  });
});
