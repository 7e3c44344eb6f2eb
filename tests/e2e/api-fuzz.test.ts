/**
 * Property-based fuzzing of the command routes (API.md "Errors", "Payload shapes"): whatever the
 * body, the API never answers 5xx, every error is a problem+json document whose code matches its
 * status, and a case's version changes exactly when a command is answered 200.
 */
import fc from 'fast-check';
import { clue, SUBJECT, withOrgChart } from '../helpers/fixtures';
import { driver, MEETING, type CaseState } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';
import { todayCst } from '../helpers/dates';

let sys: TestSystem;
const caseIds: string[] = [];
/** The version each case was last seen at, by the observer (reads do not change it). */
const seen = new Map<string, number>();
/** Statuses answered to fuzzed commands, so that a property cannot pass by refusing everything. */
const statuses = new Map<number, number>();

/** Users who send commands: every demo role, the root admin and users out of scope. */
const SENDERS = [
  'registrar1', 'manager1', 'inspector1', 'inspector2', 'reviewer1', 'reviewer2', 'supervisor1', 'head1',
  'secretary1', 'committee1', 'auditor1', 'countyadmin', 'cityhead', 'towninspector', 'admin',
];
/** Reads versions; never a sender and never named in a payload, so never recused. */
const OBSERVER = 'fuzz-observer';
const START_STATES: CaseState[] = ['registered', 'dispositionReview', 'talkInquiry.replied', 'preliminaryVerification.reportReview', 'trial.reviewing', 'decided'];

/** API.md "Errors": the status of each code. */
const STATUS_OF: Record<string, number> = {
  validation_failed: 400, unauthenticated: 401, forbidden: 403, not_found: 404,
  command_not_allowed: 409, version_conflict: 409, payload_too_large: 413, rate_limited: 429,
};
const REASONS = ['role', 'scope', 'recusal', 'separation_of_duties', 'system_only'];

beforeAll(async () => {
  sys = await startTestSystem({ workers: false });
  await withOrgChart(sys);
  expect((await (await sys.as('admin')).post('/api/v1/users', { id: OBSERVER, name: '观察员', orgId: 'county', roles: ['auditor'] })).status).toBe(201);
  const d = driver(sys);
  for (const view of await Promise.all(START_STATES.map((s) => d.caseIn(s)))) {
    caseIds.push(view.id);
    seen.set(view.id, view.version);
  }
  // Tokens up front: the dev-token route has its own rate limit.
  for (const user of [...SENDERS, OBSERVER]) await sys.token(user);
}, 120_000); // the system starts slowly on a busy 2-core machine

afterAll(async () => {
  await sys.stop();
}, 60_000);

type Res = { status: number; headers: Record<string, string>; body: any };

async function postRaw(user: string, path: string, raw: string): Promise<Res> {
  return sys.http.post(path).set('authorization', `Bearer ${await sys.token(user)}`).set('content-type', 'application/json').send(raw);
}

function expectWellFormed(res: Res): void {
  expect(res.status).toBeLessThan(500);
  if (res.status < 400) return;
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const { type, title, status, code, detail } = res.body ?? {};
  expect({ type: typeof type, title: typeof title, status, code: STATUS_OF[code], detail: typeof detail }).toEqual({
    type: 'string', title: 'string', status: res.status, code: res.status, detail: 'string',
  });
  if (code === 'forbidden') expect(REASONS).toContain(res.body.reason);
  if (code === 'validation_failed' && res.body.errors) {
    for (const e of res.body.errors) expect({ path: typeof e.path, message: typeof e.message }).toEqual({ path: 'string', message: 'string' });
  }
  if (code === 'command_not_allowed') expect(Array.isArray(res.body.allowedCommands)).toBe(true);
}

/** Sends a command and checks the version rule against what the observer reads afterwards. */
async function commandAndCheck(caseId: string, user: string, raw: string): Promise<void> {
  const before = seen.get(caseId)!;
  const res = await postRaw(user, `/api/v1/cases/${caseId}/commands`, raw);
  expectWellFormed(res);
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const view = await (await sys.as(OBSERVER)).get(`/api/v1/cases/${caseId}`);
  expect(view.status).toBe(200);
  const after = view.body.version as number;
  if (res.status === 200) {
    expect(after).toBeGreaterThan(before);
    expect(res.body.version).toBe(after);
  } else {
    expect({ status: res.status, version: after }).toEqual({ status: res.status, version: before });
  }
  seen.set(caseId, after);
}

/** Strings of any UTF-16 code units: NUL, control characters, lone surrogates included. */
const anyString = fc.string({ unit: 'binary' });
const anyJson = fc.jsonValue({ stringUnit: 'binary' });
/** Text a store may not keep or a reader may trip on. */
const hostileText = fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\u202e反向', '\uffff', ' ', 'x'.repeat(10_001), '');

/** Text of any code units, often with a hostile fragment in it. */
const arbitraryText = fc.oneof(anyString, fc.tuple(anyString, hostileText, anyString).map((parts) => parts.join('')));

/** Any JSON text, including top-level scalars and text that is not JSON at all. */
const anyJsonText = fc.oneof(
  fc.anything().map((v) => {
    try {
      return JSON.stringify(v) ?? 'null';
    } catch {
      return 'null';
    }
  }),
  fc.json({ stringUnit: 'binary' }),
  fc.dictionary(anyString, anyJson).map((o) => JSON.stringify(o)),
  anyString,
);

const pick = <T>(items: readonly T[]) => fc.nat({ max: items.length - 1 }).map((i) => items[i]);

/** A valid payload for each command and internal event (API.md tables); the fuzzer then breaks it. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  assign: { inspectorIds: ['inspector1', 'inspector2'] },
  proposeDisposition: { method: 'talkInquiry', reason: '反映具体' },
  approve: { comment: '同意', meeting: MEETING },
  reject: { comment: '不同意' },
  recordReply: { summary: '书面说明', receivedAt: todayCst() },
  proposeInquiryOutcome: { outcome: 'firstForm', measures: [{ personId: SUBJECT.personId, measure: 'admonishment' }], reason: '说明' },
  submitVerificationReport: { recommendation: 'file', findings: '初核属实' },
  reopen: { reason: '新证据' },
  requestExtension: { deadlineKey: 'trial.decision', days: 30, reason: '复杂' },
  submitInvestigationReport: { findings: '查明', proposedMeasures: [{ personId: SUBJECT.personId, measure: 'partyWarning' }] },
  assignTrialReviewers: { userIds: ['reviewer1', 'reviewer2'] },
  returnForSupplement: { reason: '补充' },
  proposeDecision: { measures: [{ personId: SUBJECT.personId, measure: 'expulsion' }], judicialTransfer: false, reason: '清楚' },
  recordExecution: { note: '已执行' },
  fileAppeal: { personId: SUBJECT.personId, reason: '过重' },
  decideAppeal: { outcome: 'modified', measures: [{ personId: SUBJECT.personId, measure: 'partyWarning' }] },
  close: { note: '结案' },
  triggerDualInvestigation: { reason: '一案双查' },
  recuse: { userId: 'inspector2', relation: 'witness', reason: '证人' },
  'review.opened': { kind: 'primary', reviewId: 'r-fuzz' },
  'review.concluded': { kind: 'supervision', outcome: 'noResponsibility' },
  'deadline.reached': { key: 'clue.disposition', level: 'escalated' },
};
const TYPES = Object.keys(TEMPLATES);
/** Senders the "who" columns of API.md allow for each type, so that enough commands are accepted. */
const PLAUSIBLE: Record<string, string[]> = {
  assign: ['manager1', 'supervisor1'], proposeDisposition: ['inspector1'], approve: ['supervisor1', 'head1', 'secretary1', 'committee1'],
  reject: ['supervisor1', 'head1', 'secretary1', 'committee1'], recordReply: ['inspector1'], proposeInquiryOutcome: ['inspector1'],
  submitVerificationReport: ['inspector1'], reopen: ['manager1'], requestExtension: ['inspector1', 'reviewer1'], submitInvestigationReport: ['inspector1'],
  assignTrialReviewers: ['supervisor1'], returnForSupplement: ['reviewer1'], proposeDecision: ['reviewer1'], recordExecution: ['inspector1'],
  fileAppeal: ['manager1'], decideAppeal: ['committee1'], close: ['manager1'], triggerDualInvestigation: ['head1'], recuse: ['supervisor1'],
  'review.opened': ['head1'], 'review.concluded': ['supervisor1'], 'deadline.reached': ['admin'],
};
/** A type and its sender: mostly one the contract allows, sometimes anyone. */
const typeAndSender = fc
  .tuple(pick(TYPES), fc.nat(), fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: pick(SENDERS) }))
  .map(([type, i, anyone]) => ({ type, user: anyone ?? PLAUSIBLE[type][i % PLAUSIBLE[type].length] }));

type Mutation =
  | { kind: 'none' }
  | { kind: 'drop'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'expectedVersion'; value: unknown }
  | { kind: 'type'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 7, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: fc.oneof(anyJson, hostileText) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), key: anyString, value: anyJson }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expectedVersion' as const), value: fc.oneof(fc.integer({ min: -2, max: 20 }), anyJson) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('type' as const), value: anyJson }) },
);

function mutate(body: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  const keys = Object.keys(out);
  switch (m.kind) {
    case 'drop':
      delete out[keys[m.at % keys.length]];
      break;
    case 'replace':
      out[keys[m.at % keys.length]] = m.value;
      break;
    case 'add':
      out[m.key] = m.value;
      break;
    case 'expectedVersion':
      out.expectedVersion = m.value;
      break;
    case 'type':
      out.type = m.value;
      break;
  }
  return out;
}


describe('command API under fuzzing', () => {
  describe('POST /api/v1/cases/:id/commands (fuzzed)', () => {
    it('when the body is arbitrary JSON or not JSON at all, then never 5xx, errors are problems, and the version changes only on 200', async () => {
      await fc.assert(
        fc.asyncProperty(pick(caseIds), pick(SENDERS), anyJsonText, async (caseId, user, raw) => commandAndCheck(caseId, user, raw)),
        { numRuns: 40 },
      );
    });

    it('when a command is near-valid (a known type with a mutated payload), then never 5xx, errors are problems, and the version changes only on 200', async () => {
      await fc.assert(
        fc.asyncProperty(pick(caseIds), typeAndSender, mutation, async (caseId, { type, user }, m) =>
          commandAndCheck(caseId, user, JSON.stringify(mutate({ type, ...TEMPLATES[type] }, m)))),
        { numRuns: 90 },
      );
      // Refused by the payload, the actor and the state (acceptances are counted after the next property).
      expect([400, 403, 409].filter((status) => !statuses.get(status))).toEqual([]);
    });

    it('when a command accepted in every state (recuse by a supervisor) carries arbitrary text, then never 5xx and the version changes only on 200', async () => {
      let n = 0;
      // Users that exist (a recusal naming no user is a 400) and that nobody else in this file uses.
      const at = new Date().toISOString();
      for (let i = 1; i <= 30; i++) await sys.deps.store.users.insert({ id: `fuzz-${i}`, name: `回避测试${i}`, orgId: 'county', roles: ['inspector'], personId: null, createdAt: at });
      await fc.assert(
        fc.asyncProperty(pick(caseIds), arbitraryText, async (caseId, reason) =>
          commandAndCheck(caseId, 'supervisor1', JSON.stringify({ type: 'recuse', userId: `fuzz-${++n}`, relation: 'other', reason }))),
        { numRuns: 30 },
      );
      // So that the version rule was checked on accepted commands too.
      expect(statuses.get(200)).toBeGreaterThan(0);
    });
  });

  describe('POST /api/v1/cases (fuzzed)', () => {
    const registrars = ['registrar1', 'manager1', 'inspector1', 'towninspector', 'head1'];
    const nested = fc.oneof(
      fc.record({ at: fc.constantFrom('subjects', 'allegations'), key: anyString, value: anyJson }),
      fc.record({
        at: fc.constantFrom('subjects', 'allegations'),
        key: fc.constantFrom('name', 'personId', 'rank', 'orgId', 'category', 'summary'),
        value: fc.oneof(anyJson, hostileText),
      }),
    );

    it('when a registration is arbitrary or a mutated clue, then never 5xx, errors are problems, and 201 is a registered case at version 1', async () => {
      const body = fc.oneof(
        anyJsonText,
        mutation.map((m) => JSON.stringify(mutate(clue(), m))),
        nested.map(({ at, key, value }) => {
          const c = clue() as Record<string, any>;
          c[at] = [{ ...c[at][0], [key]: value }];
          return JSON.stringify(c);
        }),
      );
      await fc.assert(
        fc.asyncProperty(pick(registrars), body, async (user, raw) => {
          const res = await postRaw(user, '/api/v1/cases', raw);
          expectWellFormed(res);
          expect(res.status === 201 || res.status >= 400).toBe(true);
          if (res.status === 201) expect(res.body).toMatchObject({ state: 'registered', version: 1 });
        }),
        { numRuns: 30 },
      );
    });

    it('when a valid clue carries arbitrary text in one of its text fields, then never 5xx, and 201 keeps the text as sent', async () => {
      const FIELDS: Array<(c: any, text: string) => void> = [
        (c, t) => (c.title = t),
        (c, t) => (c.subjects[0].name = t),
        (c, t) => (c.subjects[0].position = t),
        (c, t) => (c.allegations[0].summary = t),
        (c, t) => (c.reporter.contact = t),
      ];
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: FIELDS.length - 1 }), arbitraryText, async (field, text) => {
          const body = clue({ subjects: [{ ...SUBJECT }], allegations: [{ category: 'integrity', summary: '收受礼金' }], reporter: { name: '张举报', contact: '138', realName: true } });
          FIELDS[field](body, text);
          const res = await postRaw('registrar1', '/api/v1/cases', JSON.stringify(body));
          expectWellFormed(res);
          if (res.status === 201 && field === 0) expect(res.body.title).toBe(text.trim());
        }),
        { numRuns: 30 },
      );
    });
  });
});
