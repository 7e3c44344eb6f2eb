/**
 * The read side of API.md: case and review lists with their filters and paging, the inbox,
 * /openapi.json, the operations endpoints and the admin endpoints.
 */
import { startListSystem } from '../helpers/fixtures';
import { driver, expectProblem, type Driver, type View } from '../helpers/drive';
import { eventually, type TestSystem } from '../helpers/system';

let sys: TestSystem;
let d: Driver;

/** The org the list tests register into, so that their filters see only their own cases. */
const LIST_ORG = 'list-town';
/** Received today, so that only the clocks a test shortens can run out while it runs. */
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  // The reply clock runs out after a second, so that `overdue` can be observed.
  sys = await startListSystem({ id: LIST_ORG, name: '云溪县列表镇' });
  const admin = await sys.as('admin');
  expect((await admin.post('/api/v1/users', { id: 'mgr-sup', name: '兼任监督员的管理员', orgId: 'county', roles: ['caseManager', 'supervisor'] })).status).toBe(201);
  d = driver(sys);
}, 120_000); // the system starts slowly on a busy 2-core machine

afterAll(async () => {
  await sys.stop();
}, 60_000);

type Res = { status: number; headers: Record<string, string>; body: any };
const get = async (user: string, path: string): Promise<Res> => (await sys.as(user)).get(path);
const ids = (res: Res) => (res.body.items as View[]).map((v) => v.id).sort();

describe('read and admin API', () => {
  describe('GET /api/v1/cases', () => {
    const c: Record<'registered' | 'assigned' | 'investigation' | 'trial' | 'awaiting', View> = {} as never;

    beforeAll(async () => {
      const inOrg = { clue: { orgId: LIST_ORG, receivedAt: today() } };
      [c.registered, c.assigned, c.investigation, c.trial, c.awaiting] = await Promise.all([
        d.caseIn('registered', { clue: { ...inOrg.clue, title: '列表测试 Alpha-Probe 线索' } }),
        d.caseIn('registered', inOrg).then((v) => d.caseCmd(v.id, 'manager1', { type: 'assign', inspectorIds: ['inspector2'] })),
        d.caseIn('investigation.inProgress', inOrg),
        d.caseIn('trial.unassigned', inOrg),
        d.caseIn('talkInquiry.awaitingReply', inOrg),
      ]);
    }, 60_000);

    const all = () => Object.values(c).map((v) => v.id).sort();

    it('when listed by org, then the answer is {items, total, page, pageSize} of case views', async () => {
      const res = await get('registrar1', `/api/v1/cases?orgId=${LIST_ORG}`);
      expect(res.status).toBe(200);
      expect({ total: res.body.total, page: res.body.page, pageSize: res.body.pageSize }).toEqual({ total: 5, page: 1, pageSize: 20 });
      expect(ids(res)).toEqual(all());
      for (const item of res.body.items) expect(item).toEqual(expect.objectContaining({ id: expect.any(String), state: expect.any(String), version: expect.any(Number), availableCommands: expect.any(Array) }));
    });

    it('when filtered by a state prefix, then only cases in that state or its sub-states are listed', async () => {
      const byState = async (state: string) => ids(await get('registrar1', `/api/v1/cases?orgId=${LIST_ORG}&state=${state}`));
      expect(await byState('investigation')).toEqual([c.investigation.id]);
      expect(await byState('trial')).toEqual([c.trial.id]);
      expect(await byState('trial.unassigned')).toEqual([c.trial.id]);
      expect(await byState('trial.reviewing')).toEqual([]);
      expect(await byState('talkInquiry')).toEqual([c.awaiting.id]);
      expect(await byState('registered')).toEqual([c.registered.id, c.assigned.id].sort());
    });

    it('when filtered by an org in scope, then its cases are listed; out of scope, then 404', async () => {
      expect(ids(await get('cityhead', `/api/v1/cases?orgId=${LIST_ORG}`))).toEqual(all());
      expectProblem(await get('towninspector', `/api/v1/cases?orgId=${LIST_ORG}`), 404, 'not_found');
      expectProblem(await get('towninspector', '/api/v1/cases?orgId=county'), 404, 'not_found');
      const own = await get('towninspector', '/api/v1/cases?pageSize=200');
      expect(own.body.items.filter((v: View) => v.orgId !== 'town-a')).toEqual([]);
    });

    it('when filtered by assignee, then only the cases that user is assigned to', async () => {
      expect(ids(await get('registrar1', `/api/v1/cases?orgId=${LIST_ORG}&assignee=inspector2`))).toEqual([c.assigned.id]);
    });

    it('when searched with q, then the matching cases, regardless of case', async () => {
      expect(ids(await get('registrar1', '/api/v1/cases?q=alpha-probe'))).toEqual([c.registered.id]);
      expect(ids(await get('registrar1', '/api/v1/cases?q=ALPHA-PROBE'))).toEqual([c.registered.id]);
      expect(ids(await get('registrar1', '/api/v1/cases?q=%E5%88%97%E8%A1%A8%E6%B5%8B%E8%AF%95'))).toEqual([c.registered.id]); // 列表测试
      expect((await get('registrar1', '/api/v1/cases?q=no-such-words-anywhere')).body).toMatchObject({ items: [], total: 0 });
    });

    it('when filtered by overdue=true, then only cases with an overdue deadline', async () => {
      const overdue = await eventually(async () => {
        const res = await get('registrar1', `/api/v1/cases?orgId=${LIST_ORG}&overdue=true`);
        return res.body.total > 0 ? res : null;
      }, 15_000);
      expect(ids(overdue)).toEqual([c.awaiting.id]);
      expect(overdue.body.items[0].deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'talkInquiry.reply', status: 'overdue' })]));
      // The case records the step (deadline.reached, a change of its own) soon after: the paging
      // test below needs the list's order to hold still.
      await eventually(async () => ((await get('registrar1', `/api/v1/cases/${c.awaiting.id}`)).body.version > c.awaiting.version ? true : null), 15_000);
    });

    it('when paged, then pages partition the list and report page and pageSize', async () => {
      const pages = await Promise.all([1, 2, 3].map((page) => get('registrar1', `/api/v1/cases?orgId=${LIST_ORG}&pageSize=2&page=${page}`)));
      expect(pages.map((p) => [p.body.items.length, p.body.total, p.body.page, p.body.pageSize])).toEqual([
        [2, 5, 1, 2],
        [2, 5, 2, 2],
        [1, 5, 3, 2],
      ]);
      expect(pages.flatMap(ids).sort()).toEqual(all());
    });

    it('when the query is invalid, then 400 naming the parameter', async () => {
      for (const [query, path] of [['pageSize=0', 'pageSize'], ['page=abc', 'page'], ['overdue=maybe', 'overdue']]) {
        const res = await get('registrar1', `/api/v1/cases?${query}`);
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors.map((e: any) => e.path)).toContain(path);
      }
    });
  });

  describe('GET /api/v1/reviews', () => {
    let kase: View;
    beforeAll(async () => {
      kase = await d.openDualInvestigation((await d.caseIn('registered', { clue: { orgId: LIST_ORG, receivedAt: today() } })).id);
    }, 60_000);

    it('when filtered by caseId, kind and state, then the matching reviews as {items, total, page, pageSize}', async () => {
      const res = await get('registrar1', `/api/v1/reviews?caseId=${kase.id}`);
      expect(res.status).toBe(200);
      expect({ total: res.body.total, page: res.body.page, pageSize: res.body.pageSize }).toEqual({ total: 2, page: 1, pageSize: 20 });
      expect(res.body.items.map((r: View) => [r.caseId, r.kind, r.state]).sort()).toEqual([
        [kase.id, 'primary', 'opened'],
        [kase.id, 'supervision', 'opened'],
      ]);
      const primary = await get('registrar1', `/api/v1/reviews?caseId=${kase.id}&kind=primary`);
      expect(primary.body.items.map((r: View) => [r.kind, r.target])).toEqual([['primary', 'partyCommittee']]);
      expect((await get('registrar1', `/api/v1/reviews?caseId=${kase.id}&state=opened`)).body.total).toBe(2);
      expect((await get('registrar1', `/api/v1/reviews?caseId=${kase.id}&state=investigating`)).body).toMatchObject({ items: [], total: 0 });
    });

    it('when a user is recused from the case, then its reviews are neither listed, readable nor in their inbox', async () => {
      const recusedCase = await d.openDualInvestigation((await d.caseIn('registered', { clue: { orgId: LIST_ORG, receivedAt: today() } })).id);
      await d.caseCmd(recusedCase.id, 'supervisor1', { type: 'recuse', userId: 'cityhead', relation: 'interest', reason: '存在利害关系' });
      const review = recusedCase.dualInvestigation.reviews[0].id as string;
      await d.reviewCmd(review, 'inspector1', { type: 'proposeStart', reason: '一案双查' });
      expect((await get('head1', '/api/v1/inbox')).body.approvals.map((a: any) => a.id)).toContain(review);
      expect((await get('cityhead', '/api/v1/inbox')).body.approvals.map((a: any) => a.id)).not.toContain(review);
      expect((await get('cityhead', `/api/v1/reviews?caseId=${recusedCase.id}`)).body).toMatchObject({ items: [], total: 0 });
      expectProblem(await get('cityhead', `/api/v1/reviews/${review}`), 403, 'forbidden', { reason: 'recusal' });
      // Paged through, the list counts exactly what it shows: the recused case's reviews are not in the total.
      const seen: any[] = [];
      let total = -1;
      for (let page = 1; page === 1 || seen.length < total; page++) {
        const body = (await get('cityhead', `/api/v1/reviews?pageSize=3&page=${page}`)).body;
        total = body.total;
        if (body.items.length === 0) break;
        seen.push(...body.items);
      }
      expect(seen.length).toBe(total);
      expect(seen.filter((r) => r.caseId === recusedCase.id)).toEqual([]);
      expect((await get('head1', `/api/v1/reviews?caseId=${recusedCase.id}`)).body.total).toBe(2);
    });

    it('when a user outside the scope lists or reads the reviews, then they see none and get 404', async () => {
      expect((await get('towninspector', `/api/v1/reviews?caseId=${kase.id}`)).body).toMatchObject({ items: [], total: 0 });
      expectProblem(await get('towninspector', `/api/v1/reviews/${kase.dualInvestigation.reviews[0].id}`), 404, 'not_found');
    });
  });

  describe('GET /api/v1/inbox', () => {
    it('when a proposal awaits approval, then it is in the next approver\'s approvals, not the proposer\'s, and the approver is notified', async () => {
      const kase = await d.register();
      await d.caseCmd(kase.id, 'mgr-sup', { type: 'proposeDisposition', method: 'talkInquiry', reason: '反映具体' });
      const approver = (await get('supervisor1', '/api/v1/inbox')).body;
      expect(Object.keys(approver).sort()).toEqual(['approvals', 'assigned', 'notificationPage', 'notifications', 'overdue', 'proposals']);
      expect(approver.approvals).toEqual(expect.arrayContaining([expect.objectContaining({ aggregate: 'case', id: kase.id })]));
      expect(approver.notifications).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'approvalRequested', aggregateId: kase.id })]));
      for (const user of ['mgr-sup', 'inspector1', 'head1']) {
        expect((await get(user, '/api/v1/inbox')).body.approvals.map((a: any) => a.id)).not.toContain(kase.id);
      }
      await d.caseCmd(kase.id, 'supervisor1', { type: 'approve' });
      expect((await get('supervisor1', '/api/v1/inbox')).body.approvals.map((a: any) => a.id)).not.toContain(kase.id);
      const proposer = (await get('mgr-sup', '/api/v1/inbox')).body;
      // Workers may add deadline notices for the same case meanwhile (its clue clock can be overdue), so look it up.
      expect(proposer.notifications).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'proposalApproved', aggregateId: kase.id })]));
    });

    it('when notifications accumulate, then they are listed newest first', async () => {
      const { notifications } = (await get('supervisor1', '/api/v1/inbox')).body;
      expect(notifications.length).toBeGreaterThan(1);
      const times = notifications.map((n: any) => n.createdAt);
      expect(times).toEqual([...times].sort().reverse());
    });

    it('when a user is assigned to a case, then it is in their assigned list', async () => {
      const kase = await d.register();
      expect((await get('inspector2', '/api/v1/inbox')).body.assigned.map((a: any) => a.id)).not.toContain(kase.id);
      await d.caseCmd(kase.id, 'manager1', { type: 'assign', inspectorIds: ['inspector2'] });
      expect((await get('inspector2', '/api/v1/inbox')).body.assigned).toEqual(expect.arrayContaining([expect.objectContaining({ aggregate: 'case', id: kase.id })]));
    });

    it('when a deadline is overdue, then it is in the overdue list of the assignee and of the supervisors in scope, not of others or the recused', async () => {
      const kase = await d.caseIn('talkInquiry.awaitingReply');
      await d.caseCmd(kase.id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
      await d.caseCmd(kase.id, 'supervisor1', { type: 'recuse', userId: 'mgr-sup', relation: 'interest', reason: '存在利害关系' });
      const entry = expect.objectContaining({ aggregate: 'case', id: kase.id, key: 'talkInquiry.reply', status: 'overdue' });
      await eventually(async () => (await get('inspector1', '/api/v1/inbox')).body.overdue.some((o: any) => o.id === kase.id), 15_000);
      expect((await get('inspector1', '/api/v1/inbox')).body.overdue).toEqual(expect.arrayContaining([entry]));
      expect((await get('supervisor1', '/api/v1/inbox')).body.overdue).toEqual(expect.arrayContaining([entry]));
      expect((await get('inspector2', '/api/v1/inbox')).body.overdue.map((o: any) => o.id)).not.toContain(kase.id);
      // A supervisor recused from the case does not hear of it either.
      expect((await get('mgr-sup', '/api/v1/inbox')).body.overdue.map((o: any) => o.id)).not.toContain(kase.id);
      expect((await get('towninspector', '/api/v1/inbox')).body.overdue.map((o: any) => o.id)).not.toContain(kase.id);
    });
  });

  describe('GET /openapi.json', () => {
    it('when fetched, then it is OpenAPI 3.1 describing the case routes', async () => {
      const res = await sys.http.get('/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\.1\./);
      expect(res.body.paths['/api/v1/cases']).toEqual(expect.objectContaining({ get: expect.any(Object), post: expect.any(Object) }));
      expect(res.body.paths['/api/v1/cases/{id}']).toEqual(expect.objectContaining({ get: expect.any(Object) }));
      expect(res.body.paths['/api/v1/cases/{id}/history']).toEqual(expect.objectContaining({ get: expect.any(Object) }));
      expect(res.body.paths['/api/v1/cases/{id}/commands']).toEqual(expect.objectContaining({ post: expect.any(Object) }));
      expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/reviews', '/api/v1/inbox', '/api/v1/orgs', '/api/v1/users']));
    });
  });

  describe('operations endpoints', () => {
    it('when /healthz and /readyz are asked, then 200 without a token', async () => {
      expect((await sys.http.get('/healthz')).status).toBe(200);
      const ready = await sys.http.get('/readyz');
      expect(ready.status).toBe(200);
    });

    it('when /metrics is scraped, then the command, outbox, queue and deadline series are exposed', async () => {
      await d.register();
      const res = await sys.http.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      for (const name of ['ajsc_commands_total', 'ajsc_command_duration_seconds', 'ajsc_outbox_lag_seconds', 'ajsc_queue_jobs', 'ajsc_deadlines']) {
        expect(res.text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
      }
      expect(res.text).toMatch(/^ajsc_commands_total\{[^}]*outcome="accepted"[^}]*\} [1-9]/m);
      expect(res.text).toMatch(/^ajsc_command_duration_seconds_count\{[^}]*\} [1-9]/m);
      // The deadline gauges are the store's counts at the scrape.
      const counts = await sys.deps.store.deadlines.countActive();
      expect(counts.open).toBeGreaterThan(0);
      expect(res.text).toMatch(new RegExp(`^ajsc_deadlines\\{status="open"\\} ${counts.open}$`, 'm'));
      expect(res.text).toMatch(new RegExp(`^ajsc_deadlines\\{status="overdue"\\} ${counts.overdue}$`, 'm'));
    });
  });

  describe('admin endpoints', () => {
    describe('POST and GET /api/v1/orgs', () => {
      it('when the admin creates an org, then 201 and it is listed; a duplicate id is 400', async () => {
        const admin = await sys.as('admin');
        const org = { id: 'village-1', name: '东岭镇一村', level: 'village', parentId: 'town-a' };
        const created = await admin.post('/api/v1/orgs', org);
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject(org);
        expectProblem(await admin.post('/api/v1/orgs', { ...org, name: '重复' }), 400, 'validation_failed');
        const list = await admin.get('/api/v1/orgs');
        expect(list.body).toMatchObject({ total: expect.any(Number), page: 1, pageSize: expect.any(Number) });
        expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining(org)]));
      });

      it('when a user who is not an admin creates an org, then 403 role', async () => {
        for (const user of ['head1', 'registrar1', 'auditor1']) {
          expectProblem(await (await sys.as(user)).post('/api/v1/orgs', { name: '不应创建', level: 'village', parentId: 'town-a' }), 403, 'forbidden', { reason: 'role' });
        }
      });

      it('when an org body fails its schema, then 400 naming the field', async () => {
        const res = await (await sys.as('admin')).post('/api/v1/orgs', { name: '坏', level: 'galaxy', parentId: 'town-a' });
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors.map((e: any) => e.path)).toContain('level');
      });
    });

    describe('POST and GET /api/v1/users', () => {
      it('when the admin creates a user, then 201 and it is listed; a duplicate id is 400', async () => {
        const admin = await sys.as('admin');
        const user = { id: 'new-inspector', name: '新检查员', orgId: 'county', roles: ['inspector'], personId: 'p-new' };
        const created = await admin.post('/api/v1/users', user);
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject(user);
        expectProblem(await admin.post('/api/v1/users', { ...user, name: '重复' }), 400, 'validation_failed');
        expectProblem(await admin.post('/api/v1/users', { ...user, id: 'registrar1' }), 400, 'validation_failed');
        const list = await admin.get('/api/v1/users');
        expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'new-inspector', roles: ['inspector'] })]));
        // The new user can act at once.
        expect((await (await sys.as('new-inspector')).get('/api/v1/inbox')).status).toBe(200);
      });

      it('when a user who is not an admin creates a user, then 403 role', async () => {
        for (const user of ['head1', 'supervisor1']) {
          expectProblem(await (await sys.as(user)).post('/api/v1/users', { name: '冒充', orgId: 'county', roles: ['admin'] }), 403, 'forbidden', { reason: 'role' });
        }
      });

      it('when a role is unknown, then 400 naming roles.0', async () => {
        const res = await (await sys.as('admin')).post('/api/v1/users', { name: '坏', orgId: 'county', roles: ['wizard'] });
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors.map((e: any) => e.path)).toContain('roles.0');
      });
    });

    describe('PUT and GET /api/v1/calendar/:year', () => {
      it('when the admin sets a year, then GET answers it; other users may read but not set it', async () => {
        const year = { holidays: ['2027-10-01', '2027-10-04'], workdays: ['2027-09-26'] };
        const put = await (await sys.as('admin')).put('/api/v1/calendar/2027', year);
        expect(put.status).toBe(200);
        const got = await (await sys.as('inspector1')).get('/api/v1/calendar/2027');
        expect(got.status).toBe(200);
        expect(got.body).toMatchObject({ year: 2027, holidays: year.holidays, workdays: year.workdays });
        expectProblem(await (await sys.as('head1')).put('/api/v1/calendar/2027', { holidays: [], workdays: [] }), 403, 'forbidden', { reason: 'role' });
        expect((await (await sys.as('inspector1')).get('/api/v1/calendar/2027')).body.holidays).toEqual(year.holidays);
      });

      it('when a date is not a date, then 400 naming it', async () => {
        const res = await (await sys.as('admin')).put('/api/v1/calendar/2027', { holidays: ['2027-02-30'], workdays: [] });
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors.map((e: any) => e.path)).toContain('holidays.0');
      });
    });
  });
});
