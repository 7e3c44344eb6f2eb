/**
 * Who may read and act on a case, and how the API answers when not (API.md "Conventions",
 * "Errors", "Who reads what", "Payload shapes"): scope, recusal, reporter sealing, separation of
 * duties, internal events, versions, races and malformed requests.
 */
import { SignJWT } from 'jose';
import { clue, SUBJECT, withOrgChart } from '../helpers/fixtures';
import { driver, expectProblem, type Driver, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';
import { todayCst } from '../helpers/dates';

let sys: TestSystem;
let d: Driver;

/** Users the demo org chart lacks (API.md Admin: created by the admin). */
const EXTRA_USERS = [
  { id: 'townb-inspector', name: '西坪乡检查员', orgId: 'town-b', roles: ['inspector'] },
  { id: 'supervisor2', name: '第二监督员', orgId: 'county', roles: ['supervisor'] },
  { id: 'li-relative', name: '李某某本人账户', orgId: 'county', roles: ['inspector'], personId: SUBJECT.personId },
  { id: 'insp-sup', name: '兼任监督员的检查员', orgId: 'county', roles: ['inspector', 'supervisor'] },
  { id: 'head-sec', name: '兼任书记的主任', orgId: 'county', roles: ['commissionHead', 'partySecretary'] },
  { id: 'insp-rev', name: '兼任审理员的检查员', orgId: 'county', roles: ['inspector', 'trialReviewer'] },
];

beforeAll(async () => {
  sys = await startTestSystem({ workers: false });
  await withOrgChart(sys);
  const admin = await sys.as('admin');
  for (const user of EXTRA_USERS) expect((await admin.post('/api/v1/users', user)).status).toBe(201);
  d = driver(sys);
}, 120_000); // the system starts slowly on a busy 2-core machine

afterAll(async () => {
  await sys.stop();
}, 60_000);

type Res = { status: number; headers: Record<string, string>; body: any };
const get = async (user: string, path: string): Promise<Res> => (await sys.as(user)).get(path);
const post = async (user: string, path: string, body: Record<string, unknown>): Promise<Res> => (await sys.as(user)).post(path, body);
const caseCommand = (user: string, id: string, body: Record<string, unknown>) => post(user, `/api/v1/cases/${id}/commands`, body);
const PROPOSE = { type: 'proposeDisposition', method: 'talkInquiry', reason: '反映具体' };

/** The version and state as the registrar reads them (reads do not change the version). */
const versionOf = async (id: string) => {
  const v = await d.caseView(id);
  return { version: v.version, state: v.state, updatedAt: v.updatedAt };
};

/** A clue about a township official, handled at the township. */
/** A township's own case: registered on the township and handled by its discipline body (承办机关). */
const townshipClue = (orgId: string) => clue({ orgId, handlingOrgId: orgId, subjects: [{ ...SUBJECT, personId: `p-${orgId}`, orgId }] });

describe('case access', () => {
  describe('scope (404 outside it, so that existence does not leak)', () => {
    it("when a user of a sibling township reads, lists the history of or commands another township's case, then 404 each time", async () => {
      const kase = await d.register(townshipClue('town-b'));
      const before = await versionOf(kase.id);
      expectProblem(await get('towninspector', `/api/v1/cases/${kase.id}`), 404, 'not_found');
      expectProblem(await get('towninspector', `/api/v1/cases/${kase.id}/history`), 404, 'not_found');
      expectProblem(await caseCommand('towninspector', kase.id, PROPOSE), 404, 'not_found');
      expect(await versionOf(kase.id)).toEqual(before);
    });

    it('when a township user reads, lists the history of or commands a county case, then 404 each time', async () => {
      const kase = await d.register();
      expectProblem(await get('townb-inspector', `/api/v1/cases/${kase.id}`), 404, 'not_found');
      expectProblem(await get('townb-inspector', `/api/v1/cases/${kase.id}/history`), 404, 'not_found');
      expectProblem(await caseCommand('townb-inspector', kase.id, PROPOSE), 404, 'not_found');
      expect((await versionOf(kase.id)).version).toBe(kase.version);
    });

    it('when a case is out of scope, then the answer is the same as for an id that does not exist', async () => {
      const kase = await d.register(townshipClue('town-b'));
      const hidden = await get('towninspector', `/api/v1/cases/${kase.id}`);
      const missing = await get('towninspector', '/api/v1/cases/00000000-0000-4000-8000-000000000000');
      expectProblem(missing, 404, 'not_found');
      expect({ status: hidden.status, code: hidden.body.code, title: hidden.body.title }).toEqual({ status: missing.status, code: missing.body.code, title: missing.body.title });
    });

    it("when a user reads a case of their own township, or the city's commission head reads a county case, then 200", async () => {
      const township = await d.register(townshipClue('town-a'));
      expect((await get('towninspector', `/api/v1/cases/${township.id}`)).status).toBe(200);
      const county = await d.register();
      const view = await get('cityhead', `/api/v1/cases/${county.id}`);
      expect({ status: view.status, id: view.body.id }).toEqual({ status: 200, id: county.id });
      expect((await get('cityhead', `/api/v1/cases/${county.id}/history`)).status).toBe(200);
    });
  });

  describe('recusal', () => {
    it('when a supervisor recuses a user, then that user gets 403 recusal on view, history and commands', async () => {
      const kase = await d.register();
      await d.caseCmd(kase.id, 'supervisor1', { type: 'recuse', userId: 'inspector2', relation: 'closeRelative', reason: '系近亲属' });
      const before = await versionOf(kase.id);
      expectProblem(await get('inspector2', `/api/v1/cases/${kase.id}`), 403, 'forbidden', { reason: 'recusal' });
      expectProblem(await get('inspector2', `/api/v1/cases/${kase.id}/history`), 403, 'forbidden', { reason: 'recusal' });
      expectProblem(await caseCommand('inspector2', kase.id, PROPOSE), 403, 'forbidden', { reason: 'recusal' });
      expect(await versionOf(kase.id)).toEqual(before);
      // Others are not affected.
      expect((await caseCommand('inspector1', kase.id, PROPOSE)).status).toBe(200);
    });

    it('when a user declares their own recusal, then they get 403 recusal afterwards', async () => {
      const kase = await d.register();
      expect((await caseCommand('inspector1', kase.id, { type: 'recuse', userId: 'inspector1', relation: 'interest', reason: '存在利害关系' })).status).toBe(200);
      expectProblem(await get('inspector1', `/api/v1/cases/${kase.id}`), 403, 'forbidden', { reason: 'recusal' });
    });

    it('when a user is recused from cases, then GET /cases neither lists nor counts them, on any page', async () => {
      const cases = [await d.register({ title: '回避计数 recusal-count 一' }), await d.register({ title: '回避计数 recusal-count 二' })];
      for (const kase of cases) await d.caseCmd(kase.id, 'supervisor1', { type: 'recuse', userId: 'inspector2', relation: 'witness', reason: '系证人' });
      expect((await get('inspector1', '/api/v1/cases?q=recusal-count')).body).toMatchObject({ total: 2 });
      for (const query of ['q=recusal-count', 'q=recusal-count&pageSize=1&page=1', 'q=recusal-count&pageSize=1&page=2']) {
        const res = await get('inspector2', `/api/v1/cases?${query}`);
        expect({ query, items: res.body.items, total: res.body.total }).toEqual({ query, items: [], total: 0 });
      }
    });

    it("when a user's personId equals a subject's, then the user is recused without a declaration", async () => {
      const kase = await d.register();
      expectProblem(await get('li-relative', `/api/v1/cases/${kase.id}`), 403, 'forbidden', { reason: 'recusal' });
      expectProblem(await get('li-relative', `/api/v1/cases/${kase.id}/history`), 403, 'forbidden', { reason: 'recusal' });
      expectProblem(await caseCommand('li-relative', kase.id, PROPOSE), 403, 'forbidden', { reason: 'recusal' });
      expect((await versionOf(kase.id)).version).toBe(kase.version);
    });
  });

  describe('reporter sealing', () => {
    it('when the registrar and the commission head read a case, then the reporter stays sealed (they may ask) and nothing is disclosed', async () => {
      const kase = await d.register();
      for (const user of ['registrar1', 'head1']) {
        expect((await get(user, `/api/v1/cases/${kase.id}`)).body.reporter).toEqual({ sealed: true, mayDisclose: true });
      }
      const history = (await get('inspector1', `/api/v1/cases/${kase.id}/history`)).body;
      expect(history.items.filter((e: any) => e.outcome === 'disclosed')).toEqual([]);
    });

    it('when the registrar and the commission head ask for the reporter by name, then they see it, and each disclosure is in the history', async () => {
      const kase = await d.register();
      for (const user of ['registrar1', 'head1']) {
        const res = await get(user, `/api/v1/cases/${kase.id}?include=reporter`);
        expect(res.body.reporter).toMatchObject({ sealed: false, name: '张举报', contact: '13800000000', realName: true });
      }
      const history = (await get('inspector1', `/api/v1/cases/${kase.id}/history`)).body;
      expect(history.items.filter((e: any) => e.outcome === 'disclosed').map((e: any) => e.actor)).toEqual(['registrar1', 'head1']);
    });

    it('when someone else asks for the reporter by name, then 403 role, the refusal is on record and nothing is disclosed', async () => {
      const kase = await d.register();
      const res = await get('inspector1', `/api/v1/cases/${kase.id}?include=reporter`);
      expect(res.status).toBe(403);
      expect(res.body.reason).toBe('role');
      const history = (await get('inspector1', `/api/v1/cases/${kase.id}/history`)).body;
      expect(history.items.filter((e: any) => e.outcome === 'refused' && e.actor === 'inspector1' && e.action === 'read')).toHaveLength(1);
      expect(history.items.filter((e: any) => e.outcome === 'disclosed')).toEqual([]);
    });

    it('when an inspector, a supervisor or a case manager reads or lists a case, then the reporter is sealed and nothing is disclosed', async () => {
      const kase = await d.register({ title: '封存测试线索 sealing-probe' });
      for (const user of ['inspector1', 'supervisor1', 'manager1']) {
        expect((await get(user, `/api/v1/cases/${kase.id}`)).body.reporter).toEqual({ sealed: true });
      }
      const list = (await get('inspector1', '/api/v1/cases?q=sealing-probe')).body;
      expect(list.items.map((i: any) => [i.id, i.reporter])).toEqual([[kase.id, { sealed: true }]]);
      const history = (await get('inspector1', `/api/v1/cases/${kase.id}/history`)).body;
      expect(history.items.filter((e: any) => e.outcome === 'disclosed')).toEqual([]);
    });
  });

  describe('separation of duties', () => {
    it('when the proposer approves their own proposal, then 403 separation_of_duties and nothing changes', async () => {
      const kase = await d.register();
      const proposed = await d.caseCmd(kase.id, 'insp-sup', PROPOSE);
      expectProblem(await caseCommand('insp-sup', kase.id, { type: 'approve' }), 403, 'forbidden', { reason: 'separation_of_duties' });
      expect(await versionOf(kase.id)).toMatchObject({ version: proposed.version, state: 'dispositionReview' });
      expect((await caseCommand('supervisor1', kase.id, { type: 'approve' })).status).toBe(200);
    });

    it('when the approver of the first step of a chain approves the second step too, then 403 separation_of_duties', async () => {
      const kase = await d.caseIn('preliminaryVerification.reportReview', { recommendation: 'file' });
      expect((await caseCommand('head-sec', kase.id, { type: 'approve', comment: '拟同意立案' })).status).toBe(200);
      expectProblem(await caseCommand('head-sec', kase.id, { type: 'approve', comment: '同意立案' }), 403, 'forbidden', { reason: 'separation_of_duties' });
      expect((await caseCommand('secretary1', kase.id, { type: 'approve', comment: '同意立案' })).body.state).toBe('investigation.inProgress');
    });

    describe('assignTrialReviewers', () => {
      let trial: View;
      beforeAll(async () => {
        // insp-rev does the inspector's work before trial, so it took part in the case.
        trial = await driver(sys, { inspector: 'insp-rev' }).caseIn('trial.unassigned');
      }, 60_000);

      it('when a named reviewer took part in the case before trial, then 403 separation_of_duties and the case is unchanged', async () => {
        expectProblem(await caseCommand('supervisor1', trial.id, { type: 'assignTrialReviewers', userIds: ['insp-rev', 'reviewer2'] }), 403, 'forbidden', {
          reason: 'separation_of_duties',
        });
        expect(await versionOf(trial.id)).toMatchObject({ version: trial.version, state: 'trial.unassigned' });
      });

      it('when fewer than two distinct trial reviewers are named, then 400 naming userIds', async () => {
        for (const userIds of [['reviewer1'], ['reviewer1', 'reviewer1']]) {
          const res = await caseCommand('supervisor1', trial.id, { type: 'assignTrialReviewers', userIds });
          expectProblem(res, 400, 'validation_failed');
          expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'userIds' })]));
        }
        expect(await versionOf(trial.id)).toMatchObject({ version: trial.version, state: 'trial.unassigned' });
      });

      it('when a named user is not a trial reviewer, then 400 naming userIds.1', async () => {
        const res = await caseCommand('supervisor1', trial.id, { type: 'assignTrialReviewers', userIds: ['reviewer1', 'inspector2'] });
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'userIds.1' })]));
        expect(await versionOf(trial.id)).toMatchObject({ version: trial.version, state: 'trial.unassigned' });
      });

      it('when two independent trial reviewers are named, then 200 and the trial starts', async () => {
        const view = await d.caseCmd(trial.id, 'supervisor1', { type: 'assignTrialReviewers', userIds: ['reviewer1', 'reviewer2'] });
        expect(view).toMatchObject({ state: 'trial.reviewing', trialReviewers: ['reviewer1', 'reviewer2'] });
      });
    });
  });

  describe('internal events (system only)', () => {
    const EVENTS = [
      { type: 'review.opened', kind: 'primary', reviewId: 'r-1' },
      { type: 'review.concluded', kind: 'primary', outcome: 'noResponsibility' },
      { type: 'deadline.reached', key: 'clue.disposition', level: 'overdue' },
    ];

    it.each(EVENTS.map((e) => [e.type, e] as const))('when a user sends %s, then 403 system_only and nothing changes', async (_type, event) => {
      const kase = await d.register();
      for (const user of ['admin', 'head1', 'supervisor1', 'inspector1', 'registrar1']) {
        expectProblem(await caseCommand(user, kase.id, event), 403, 'forbidden', { reason: 'system_only' });
      }
      expect((await versionOf(kase.id)).version).toBe(kase.version);
    });
  });

  describe('expectedVersion', () => {
    it('when expectedVersion is stale, then 409 version_conflict and nothing changes; when current, then 200', async () => {
      const kase = await d.register();
      const assigned = await d.caseCmd(kase.id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'], expectedVersion: kase.version });
      expect(assigned.version).toBe(kase.version + 1);
      const stale = await caseCommand('inspector1', kase.id, { ...PROPOSE, expectedVersion: kase.version });
      expectProblem(stale, 409, 'version_conflict');
      expect(await versionOf(kase.id)).toEqual({ version: assigned.version, state: 'registered', updatedAt: assigned.updatedAt });
      expect((await caseCommand('inspector1', kase.id, { ...PROPOSE, expectedVersion: assigned.version })).status).toBe(200);
    });
  });

  describe('a command the state does not accept', () => {
    const CASES = [
      { state: 'registered' as const, user: 'inspector1', command: { type: 'recordReply', summary: '说明', receivedAt: todayCst() } },
      { state: 'dispositionReview' as const, user: 'supervisor1', command: { type: 'reopen', reason: '新证据' } },
      { state: 'talkInquiry.awaitingReply' as const, user: 'manager1', command: { type: 'close', note: '结案' } },
      { state: 'closed' as const, user: 'manager1', command: { type: 'assign', inspectorIds: ['inspector1'] } },
    ];

    it.each(CASES)('when $user sends $command.type in $state, then 409 command_not_allowed listing the view\'s availableCommands', async ({ state, user, command }) => {
      const kase = await d.caseIn(state);
      const res = await caseCommand(user, kase.id, command);
      expectProblem(res, 409, 'command_not_allowed');
      const view = (await get(user, `/api/v1/cases/${kase.id}`)).body;
      expect(res.body.allowedCommands).toEqual(view.availableCommands);
      expect(view.version).toBe(kase.version);
    });
  });

  describe('a race of two approvals', () => {
    it('when two supervisors approve the same disposition at once, then exactly one gets 200 and the other 409', async () => {
      const kase = await d.caseIn('dispositionReview');
      const [a, b] = await Promise.all([caseCommand('supervisor1', kase.id, { type: 'approve' }), caseCommand('supervisor2', kase.id, { type: 'approve' })]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expectProblem(loser, 409, loser.body.code);
      expect(['command_not_allowed', 'version_conflict']).toContain(loser.body.code);
      expect(await versionOf(kase.id)).toMatchObject({ version: kase.version + 1, state: 'talkInquiry.awaitingReply' });
    });
  });

  describe('malformed requests', () => {
    it('when a body is over 1 MiB, then 413 payload_too_large', async () => {
      const kase = await d.register();
      const huge = 'x'.repeat(1024 * 1024 + 1);
      expectProblem(await caseCommand('inspector1', kase.id, { ...PROPOSE, reason: huge }), 413, 'payload_too_large');
      expectProblem(await post('registrar1', '/api/v1/cases', clue({ title: huge })), 413, 'payload_too_large');
      expect((await versionOf(kase.id)).version).toBe(kase.version);
    });

    it('when a body is not valid JSON, then 400 validation_failed', async () => {
      const kase = await d.register();
      const token = await sys.token('inspector1');
      for (const raw of ['{"type": "proposeDisposition",', '{type: 1}', '[1, 2']) {
        const res = await sys.http.post(`/api/v1/cases/${kase.id}/commands`).set('authorization', `Bearer ${token}`).set('content-type', 'application/json').send(raw);
        expectProblem(res, 400, 'validation_failed');
      }
    });

    it('when the path holds a malformed %-escape or a NUL, then 400 problem, not 500', async () => {
      const token = await sys.token('inspector1');
      for (const path of ['/api/v1/cases/%E0%A4%A', '/api/v1/cases/%00', '/api/v1/cases/%00/history', '/api/v1/reviews/%E0%A4%A']) {
        expectProblem(await sys.http.get(path).set('authorization', `Bearer ${token}`), 400, 'validation_failed');
      }
      expectProblem(await sys.http.post('/api/v1/cases/%E0%A4%A/commands').set('authorization', `Bearer ${token}`).send(PROPOSE), 400, 'validation_failed');
    });

    it('when text holds a NUL or a lone surrogate, then 400 naming the field and nothing is stored', async () => {
      const kase = await d.register();
      const token = await sys.token('inspector1');
      const raw = (path: string, json: string) =>
        sys.http.post(path).set('authorization', `Bearer ${token}`).set('content-type', 'application/json').send(json);
      const nul = await caseCommand('inspector1', kase.id, { ...PROPOSE, reason: '反映\u0000具体' });
      expectProblem(nul, 400, 'validation_failed');
      expect(nul.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
      const surrogate = await raw(`/api/v1/cases/${kase.id}/commands`, '{"type":"proposeDisposition","method":"talkInquiry","reason":"a\\ud800b"}');
      expectProblem(surrogate, 400, 'validation_failed');
      expect(surrogate.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
      const title = await raw('/api/v1/cases', JSON.stringify(clue({ subjects: [{ ...SUBJECT, name: '李\u0000某' }] })));
      expectProblem(title, 400, 'validation_failed');
      expect(title.body.errors).toEqual([expect.objectContaining({ path: 'subjects.0.name' })]);
      const lone = await raw('/api/v1/cases', JSON.stringify(clue()).replace('东岭镇', '\\udc00东岭镇'));
      expectProblem(lone, 400, 'validation_failed');
      expectProblem(await get('inspector1', '/api/v1/cases?q=%00'), 400, 'validation_failed');
      expect((await versionOf(kase.id)).version).toBe(kase.version);
    });

    it('when a compressed body is corrupt, then 400 problem', async () => {
      const kase = await d.register();
      const res = await sys.http
        .post(`/api/v1/cases/${kase.id}/commands`)
        .set('authorization', `Bearer ${await sys.token('inspector1')}`)
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .send(JSON.stringify(PROPOSE));
      expectProblem(res, 400, 'validation_failed');
    });

    it('when a route is unknown, then 404 problem', async () => {
      const token = await sys.token('inspector1');
      expectProblem(await sys.http.get('/api/v1/nothing-here').set('authorization', `Bearer ${token}`), 404, 'not_found');
      expectProblem(await sys.http.get('/api/v1/nothing-here'), 404, 'not_found');
      expectProblem(await sys.http.post('/api/v1/cases/x/nothing').set('authorization', `Bearer ${token}`).send({}), 404, 'not_found');
    });

    it('when the token is missing, malformed, signed with another key or names no user, then 401 unauthenticated', async () => {
      const kase = await d.register();
      const sign = (secret: string, sub: string) =>
        new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer('ajsc-dev').setAudience('ajsc').setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(secret));
      const headers = [
        undefined,
        'Bearer',
        'Bearer not-a-jwt',
        `Basic ${Buffer.from('inspector1:x').toString('base64')}`,
        `Bearer ${await sign('another-secret-another-secret-another-secret', 'inspector1')}`,
        `Bearer ${await sign(sys.config.DEV_JWT_SECRET!, 'nobody-here')}`,
      ];
      for (const header of headers) {
        const read = sys.http.get(`/api/v1/cases/${kase.id}`);
        const write = sys.http.post(`/api/v1/cases/${kase.id}/commands`).send(PROPOSE);
        if (header) {
          read.set('authorization', header);
          write.set('authorization', header);
        }
        expectProblem(await read, 401, 'unauthenticated');
        expectProblem(await write, 401, 'unauthenticated');
      }
      expect((await versionOf(kase.id)).version).toBe(kase.version);
    });

    it('when a registration fails its schema, then 400 naming each field by dotted path', async () => {
      const res = await post('registrar1', '/api/v1/cases', clue({ subjects: [{ ...SUBJECT, name: '' }], allegations: [{ category: 'gossip', summary: '传闻' }] }));
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['subjects.0.name', 'allegations.0.category']));
      for (const e of res.body.errors) expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
    });

    it('when a command payload fails its schema or names a non-subject, then 400 naming the field by dotted path and nothing changes', async () => {
      const replied = await d.caseIn('talkInquiry.replied');
      const form = await caseCommand('inspector1', replied.id, {
        type: 'proposeInquiryOutcome', outcome: 'firstForm', reason: '说明', measures: [{ personId: SUBJECT.personId, measure: 'expulsion' }],
      });
      expectProblem(form, 400, 'validation_failed');
      expect(form.body.errors.map((e: any) => e.path)).toContain('measures.0.measure');
      expect((await versionOf(replied.id)).version).toBe(replied.version);

      const investigating = await d.caseIn('investigation.inProgress');
      const stranger = await caseCommand('inspector1', investigating.id, {
        type: 'submitInvestigationReport', findings: '查明', proposedMeasures: [{ personId: 'p-stranger', measure: 'partyWarning' }],
      });
      expectProblem(stranger, 400, 'validation_failed');
      expect(stranger.body.errors.map((e: any) => e.path)).toContain('proposedMeasures.0.personId');
      expect((await versionOf(investigating.id)).version).toBe(investigating.version);

      const missing = await caseCommand('inspector1', investigating.id, { type: 'submitInvestigationReport', proposedMeasures: [{ personId: SUBJECT.personId }] });
      expectProblem(missing, 400, 'validation_failed');
      expect(missing.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['findings', 'proposedMeasures.0.measure']));
    });

    it('when the command type is missing or unknown, then 400 naming type', async () => {
      const kase = await d.register();
      for (const body of [{}, { type: 'explode' }, { type: 42 }, { type: '__proto__' }, { type: 'toString' }]) {
        const res = await caseCommand('inspector1', kase.id, body);
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors.map((e: any) => e.path)).toContain('type');
      }
    });
  });

  describe('versions and history', () => {
    it('when a case is read, listed or refused commands, then its version and updatedAt do not change', async () => {
      const kase = await d.caseIn('dispositionReview');
      const before = await versionOf(kase.id);
      await get('supervisor1', `/api/v1/cases/${kase.id}`);
      await get('head1', `/api/v1/cases/${kase.id}/history`);
      await get('supervisor1', '/api/v1/cases');
      await caseCommand('auditor1', kase.id, { type: 'approve' }); // 403 role
      await caseCommand('inspector1', kase.id, { type: 'approve' }); // 403 separation (proposer)
      await caseCommand('supervisor1', kase.id, { type: 'recordReply', summary: '说明', receivedAt: todayCst() }); // 409
      await caseCommand('supervisor1', kase.id, { type: 'approve', expectedVersion: 1 }); // 409 version
      await caseCommand('supervisor1', kase.id, { type: 'reject' }); // 400
      expect(await versionOf(kase.id)).toEqual(before);
    });

    it('when the history is read, then it is {items, total, page, pageSize} in seq order, one hash chain including the reads', async () => {
      const kase = await d.register();
      await d.caseCmd(kase.id, 'manager1', { type: 'assign', inspectorIds: ['inspector1'] });
      await get('inspector1', `/api/v1/cases/${kase.id}`);
      const res = await get('inspector1', `/api/v1/cases/${kase.id}/history`);
      expect(res.status).toBe(200);
      const { items, total, page, pageSize } = res.body;
      expect({ total, page, pageSize: typeof pageSize }).toEqual({ total: items.length, page: 1, pageSize: 'number' });
      expect(items.map((e: any) => e.seq)).toEqual(items.map((_: unknown, i: number) => i + 1));
      expect(items.map((e: any) => [e.actor, e.action, e.outcome])).toEqual([
        ['registrar1', 'register', 'accepted'],
        ['manager1', 'assign', 'accepted'],
        ['inspector1', 'read', 'read'],
        ['inspector1', 'history', 'read'],
      ]);
      for (const e of items) expect(e).toEqual(expect.objectContaining({ seq: expect.any(Number), at: expect.any(String), from: e.from, to: e.to, hash: expect.any(String) }));
      items.slice(1).forEach((e: any, i: number) => expect(e.prevHash).toBe(items[i].hash));
    });
  });

  describe('caching', () => {
    it('when a case, its disclosed reporter, a list, an Excel export and an error are answered, then each says no-store and carries no ETag', async () => {
      const kase = await d.register();
      const answers = [
        await get('inspector1', `/api/v1/cases/${kase.id}`),
        await get('registrar1', `/api/v1/cases/${kase.id}?include=reporter`),
        await get('inspector1', '/api/v1/cases'),
        await get('inspector1', '/api/v1/cases?format=xlsx'),
        await get('inspector1', '/api/v1/cases/no-such-case'),
      ];
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 404]);
      for (const r of answers) {
        expect(r.headers['cache-control']).toBe('no-store');
        expect(r.headers.etag).toBeUndefined();
      }
    });
  });
});
