import { ContractChecker, type Answer } from '../helpers/openapi';
import { clue, SUBJECT, withOrgChart } from '../helpers/fixtures';
import { eventually, startTestSystem, type TestSystem } from '../helpers/system';
import { approveAll, type View } from '../helpers/drive';

/**
 * The contract the console is built on: a major case driven from clue to closed over HTTP, every
 * answer (successes and problems, JSON and downloads) checked against /openapi.json with ajv.
 */
let sys: TestSystem;
let contract: ContractChecker;

beforeAll(async () => {
  sys = await startTestSystem({ workers: true, env: { BODY_LIMIT: '64kb', DEV_TOKEN_LIMIT_PER_MIN: '40' } });
  await withOrgChart(sys);
  contract = new ContractChecker((await sys.http.get('/openapi.json')).body);
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

/** A request as `userId` (or anonymous), its answer checked against the document. */
async function call(userId: string | null, method: 'get' | 'post' | 'put', url: string, body?: object, headers: Record<string, string> = {}): Promise<Answer> {
  let req = sys.http[method](url);
  if (userId) req = req.set('authorization', `Bearer ${await sys.token(userId)}`);
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  if (url.includes('format=xlsx')) req = req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
  const res = await (body !== undefined ? req.send(body) : req);
  const answer = { status: res.status, headers: res.headers as Record<string, string>, body: res.body && Object.keys(res.body).length ? res.body : res.text };
  contract.check(method, url, answer);
  if (body !== undefined && res.status < 300) contract.checkRequest(method, url, body);
  return answer;
}

async function ok(userId: string, method: 'post', url: string, body: object): Promise<any> {
  const res = await call(userId, method, url, body);
  if (res.status >= 300) throw new Error(`${userId} ${method} ${url} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const caseCmd = (id: string, userId: string, body: object) => ok(userId, 'post', `/api/v1/cases/${id}/commands`, body);
const reviewCmd = (id: string, userId: string, body: object) => ok(userId, 'post', `/api/v1/reviews/${id}/commands`, body);

describe('/openapi.json', () => {
  describe('the contract, checked on live answers', () => {
    it('when a major case goes from clue to closed over HTTP, then every answer matches the document', async () => {
      expect((await call(null, 'get', '/healthz')).status).toBe(200);
      expect((await call(null, 'get', '/readyz')).status).toBe(200);
      expect((await call(null, 'get', '/metrics')).status).toBe(200);
      expect((await call(null, 'post', '/api/v1/auth/dev-token', { userId: 'nobody-here' })).status).toBe(404);
      expect((await call(null, 'get', '/api/v1/inbox')).status).toBe(401);

      const created = await call('registrar1', 'post', '/api/v1/cases', clue({ major: true }), { 'Idempotency-Key': 'contract-register-1' });
      expect(created.status).toBe(201);
      const id = (created.body as any).id as string;
      expect((await call('registrar1', 'post', '/api/v1/cases', { ...clue(), subjects: [] })).status).toBe(400);
      expect((await call('registrar1', 'post', '/api/v1/cases', clue({ title: '另一线索' }), { 'Idempotency-Key': 'contract-register-1' })).status).toBe(422);
      expect((await call('registrar1', 'post', '/api/v1/cases', clue({ title: 'x'.repeat(70_000) }))).status).toBe(413);

      expect((await call('registrar1', 'get', '/api/v1/cases?pageSize=5')).status).toBe(200);
      expect((await call('registrar1', 'get', `/api/v1/cases/${id}`)).status).toBe(200);
      expect((await call('registrar1', 'get', '/api/v1/cases/no-such-case')).status).toBe(404);
      // 403 with a reason, 409 with the allowed commands.
      expect((await call('registrar1', 'post', `/api/v1/cases/${id}/commands`, { type: 'assign', inspectorIds: ['inspector1'] })).status).toBe(403);
      expect((await call('manager1', 'post', `/api/v1/cases/${id}/commands`, { type: 'close', note: '结案' })).status).toBe(409);

      await caseCmd(id, 'manager1', { type: 'assign', inspectorIds: ['inspector1', 'inspector2'] });
      await caseCmd(id, 'inspector1', { type: 'proposeDisposition', method: 'preliminaryVerification', reason: '反映问题具体，可查性强' });
      await caseCmd(id, 'head1', { type: 'approve', comment: '同意初核' });
      await caseCmd(id, 'inspector1', { type: 'submitVerificationReport', recommendation: 'file', findings: '初步核实，收受礼金问题属实' });
      expect((await call('head1', 'get', '/api/v1/inbox')).status).toBe(200);
      await caseCmd(id, 'head1', { type: 'approve', comment: '拟同意立案' });
      await caseCmd(id, 'secretary1', { type: 'approve', comment: '同意立案' });

      const opened = await eventually(async () => {
        const v = (await call('registrar1', 'get', `/api/v1/cases/${id}`)).body as any;
        return v.dualInvestigation.state === 'open' ? v : null;
      });
      const measures = [{ personId: SUBJECT.personId, measure: 'partySeriousWarning' }];
      await caseCmd(id, 'inspector1', { type: 'submitInvestigationReport', findings: '查明收受礼金3万元', proposedMeasures: measures });
      await caseCmd(id, 'supervisor1', { type: 'assignTrialReviewers', userIds: ['reviewer1', 'reviewer2'] });
      await caseCmd(id, 'reviewer1', { type: 'proposeDecision', measures, judicialTransfer: false, reason: '事实清楚，证据确凿' });
      await caseCmd(id, 'head1', { type: 'approve', comment: '同意' });
      await caseCmd(id, 'committee1', { type: 'approve', meeting: { ref: '常委会〔2026〕12号', attendees: ['committee1', 'head1'], dissent: [] } });
      await caseCmd(id, 'inspector1', { type: 'recordExecution', note: '已宣布并执行' });
      await caseCmd(id, 'manager1', { type: 'close', note: '结案' });

      const reviews = opened.dualInvestigation.reviews as Array<{ id: string; kind: string }>;
      const [primary, supervision] = ['primary', 'supervision'].map((k) => reviews.find((r) => r.kind === k)!.id);
      expect((await call('head1', 'get', `/api/v1/reviews?caseId=${id}`)).status).toBe(200);
      expect((await call('head1', 'get', `/api/v1/reviews/${primary}`)).status).toBe(200);
      // A review command with an Idempotency-Key, sent twice: applied once, the same answer twice.
      const start = { type: 'proposeStart', reason: '一案双查：倒查党委主体责任' };
      const started = await call('inspector1', 'post', `/api/v1/reviews/${primary}/commands`, start, { 'Idempotency-Key': 'contract-review-start' });
      const repeated = await call('inspector1', 'post', `/api/v1/reviews/${primary}/commands`, start, { 'Idempotency-Key': 'contract-review-start' });
      expect(repeated.headers['idempotent-replayed']).toBe('true');
      expect(repeated.body).toEqual(started.body);
      expect((await call('inspector1', 'post', `/api/v1/reviews/${primary}/commands`, { ...start, reason: '另一理由' }, { 'Idempotency-Key': 'contract-review-start' })).status).toBe(422);
      // Each proposal is approved down the whole chain its view reports (API.md "Reviews").
      await approveAll(reviewCmd, started.body as View);
      const findings = await reviewCmd(primary, 'inspector2', {
        type: 'submitFindings',
        responsibilityFound: true,
        parties: [{ name: '赵书记', personId: 'p-zhao', position: '东岭镇党委书记', responsibility: 'mainLeadership' }],
        proposedMeasures: [{ target: 'p-zhao', measure: 'admonishment' }],
      });
      await approveAll(reviewCmd, findings as View);
      await reviewCmd(primary, 'inspector1', { type: 'recordExecution', note: '已诫勉谈话' });
      expect((await call('head1', 'get', `/api/v1/reviews/${primary}/history`)).status).toBe(200);
      await approveAll(reviewCmd, (await reviewCmd(supervision, 'inspector1', { type: 'proposeStart', reason: '一案双查：倒查纪委监督责任' })) as View);
      await approveAll(reviewCmd, (await reviewCmd(supervision, 'inspector2', { type: 'submitFindings', responsibilityFound: false, parties: [], proposedMeasures: [] })) as View);

      await eventually(async () => ((await call('registrar1', 'get', `/api/v1/cases/${id}`)).body as any).state === 'closed');
      expect((await call('registrar1', 'get', `/api/v1/cases/${id}/history`)).status).toBe(200);

      expect((await call('inspector1', 'get', '/api/v1/inbox?pageSize=5')).status).toBe(200);
      const page = (await call('inspector1', 'get', '/api/v1/notifications?pageSize=2')).body as any;
      expect(page.total).toBeGreaterThan(0);
      expect((await call('inspector1', 'post', '/api/v1/notifications/read', { ids: [page.items[0].id] })).status).toBe(200);
      expect((await call('inspector1', 'post', '/api/v1/notifications/read', { all: true })).status).toBe(200);
      expect((await call('inspector1', 'post', '/api/v1/notifications/read', {})).status).toBe(400);

      for (const report of ['four-forms', 'dual-investigation', 'deadlines']) {
        expect((await call('head1', 'get', `/api/v1/stats/${report}`)).status).toBe(200);
      }
      expect((await call('head1', 'get', '/api/v1/stats/four-forms?format=csv')).status).toBe(200);
      expect((await call('head1', 'get', '/api/v1/stats/deadlines?format=xlsx')).status).toBe(200);
      expect((await call('auditor1', 'get', '/api/v1/audit/verify')).status).toBe(200);
      expect((await call('countyadmin', 'get', '/api/v1/orgs')).status).toBe(200);
      expect((await call('countyadmin', 'get', '/api/v1/users')).status).toBe(200);
      expect((await call('countyadmin', 'get', '/api/v1/calendar/2026')).status).toBe(200);
      expect((await call('registrar1', 'get', '/api/v1/calendar/2026')).status).toBe(200);
    }, 240_000);

    it('when the dev-token limit is passed, then its 429 is documented too', async () => {
      let last: Answer | undefined;
      for (let i = 0; i < 45 && last?.status !== 429; i++) last = await call(null, 'post', '/api/v1/auth/dev-token', { userId: 'registrar1' });
      expect(last?.status).toBe(429);
    });

    it('when the case was driven, then every operation of the console contract was seen', () => {
      const expected = [
        'issueDevToken', 'registerCase', 'listCases', 'getCase', 'getCaseHistory', 'sendCaseCommand', 'listReviews', 'getReview', 'getReviewHistory', 'sendReviewCommand',
        'getInbox', 'listNotifications', 'markNotificationsRead', 'verifyAudit', 'getHealth', 'getReadiness', 'getMetrics',
        'getFourFormsStats', 'getDualInvestigationStats', 'getDeadlineStats', 'listOrgs', 'listUsers', 'getCalendarYear',
      ];
      expect(expected.filter((op) => !contract.seen.has(op))).toEqual([]);
      for (const s of ['sendReviewCommand 422', 'registerCase 201', 'registerCase 400', 'registerCase 413', 'registerCase 422', 'sendCaseCommand 403', 'sendCaseCommand 409', 'getCase 404', 'issueDevToken 404', 'issueDevToken 429']) {
        expect(contract.statuses).toContain(s);
      }
    });
  });
});
