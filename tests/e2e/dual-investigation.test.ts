/**
 * 一案双查 end to end (API.md "一案双查 trigger", "Reviews"; ARCHITECTURE.md §2, §5): every trigger
 * opens both reviews once, jobs run twice change nothing, a worker that dies in the middle of
 * `openReview` loses nothing (BullMQ's stalled-job recovery re-runs it), and a crash between the
 * commit and the relay only delays the reviews. Real HTTP app, PGlite, Redis and workers throughout.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Store } from '../../services/store/port';
import { createWorkers, type Workers } from '../../workers';
import { createDispatch } from '../../services/queues/tell';
import { reviewsProcessor } from '../../workers/reviews';
import { approveAll, driver, MEETING, type Driver, type View } from '../helpers/drive';
import { SUBJECT, withOrgChart } from '../helpers/fixtures';
import { eventually, startTestSystem, TEST_REDIS_URL, type TestSystem } from '../helpers/system';

/** The subject's unit (东岭镇): its party committee answers for 主体责任, its discipline body for 监督责任. */
const EXPECTED_REVIEWS = [
  { kind: 'primary', target: 'partyCommittee', targetOrgId: SUBJECT.orgId, targetName: '中共东岭镇委员会', state: 'opened' },
  { kind: 'supervision', target: 'disciplineBody', targetOrgId: SUBJECT.orgId, targetName: '东岭镇纪委', state: 'opened' },
];
const SECOND_SUBJECT = { name: '王某某', personId: 'p-wang', position: '东岭镇财政所所长', rank: 'staff', orgId: 'town-a', partyMember: true };

let sys: TestSystem;
let d: Driver;

beforeAll(async () => {
  sys = await startTestSystem({ workers: true });
  await withOrgChart(sys);
  d = driver(sys);
}, 120_000);

afterAll(async () => {
  await sys.stop();
});

async function reviewsOf(s: TestSystem, caseId: string): Promise<View> {
  const res = await (await s.as('registrar1')).get(`/api/v1/reviews?caseId=${caseId}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function waitForDualState(s: TestSystem, caseId: string, state: string): Promise<View> {
  const dd = driver(s);
  return eventually(async () => {
    const v = await dd.caseView(caseId);
    return v.dualInvestigation.state === state ? v : null;
  }, 15_000);
}

/** Both reviews exist once, target the subject's unit, and the case knows them (state `open`). */
async function expectBothReviewsOpen(s: TestSystem, caseId: string, trigger: string): Promise<View> {
  const view = await waitForDualState(s, caseId, 'open');
  expect(view.dualInvestigation.trigger).toBe(trigger);
  const reviews = await reviewsOf(s, caseId);
  expect(reviews.total).toBe(2);
  const items = [...reviews.items].sort((a: View, b: View) => a.kind.localeCompare(b.kind));
  expect(items).toEqual(EXPECTED_REVIEWS.map((r) => expect.objectContaining({ ...r, caseId })));
  expect(view.dualInvestigation.reviews.map((r: View) => [r.kind, r.id])).toEqual(items.map((r: View) => [r.kind, r.id]));
  return view;
}

/** Nothing about 一案双查 happened: no outbox row reached the reviews queue, no review, `notRequired`. */
async function expectNoReviews(caseId: string): Promise<void> {
  await sys.workers!.relay.flush();
  const jobs = await sys.queues!.reviews.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized']);
  expect(jobs.filter((j) => j.data.caseId === caseId)).toEqual([]);
  expect((await reviewsOf(sys, caseId)).total).toBe(0);
  expect((await d.caseView(caseId)).dualInvestigation).toMatchObject({ state: 'notRequired', trigger: null });
}

/** Drives a case to `trial.reviewing` and has the decision approved with `measures`. */
async function decide(measures: Array<{ personId: string; measure: string }>, judicialTransfer: boolean, clue?: Record<string, unknown>): Promise<View> {
  const c = await d.caseIn('trial.reviewing', { clue });
  await d.caseCmd(c.id, 'reviewer1', { type: 'proposeDecision', measures, judicialTransfer, reason: '事实清楚，证据确凿' });
  await d.caseCmd(c.id, 'head1', { type: 'approve', comment: '同意' });
  const view = await d.caseCmd(c.id, 'committee1', { type: 'approve', comment: '常委会审议通过', meeting: MEETING });
  expect(view.state).toBe('decided');
  return view;
}

async function approveFiling(caseId: string): Promise<View> {
  await d.caseCmd(caseId, 'head1', { type: 'approve', comment: '拟同意立案' });
  const view = await d.caseCmd(caseId, 'secretary1', { type: 'approve', comment: '同意立案' });
  expect(view.state).toBe('investigation.inProgress');
  return view;
}

/** Waits until `job` has finished and returns its return value; a failed job fails the test. */
async function completed(s: TestSystem, job: Job): Promise<any> {
  const state = await eventually(async () => {
    const st = await job.getState();
    return st === 'completed' || st === 'failed' ? st : null;
  }, 15_000);
  const fresh = (await s.queues!.reviews.getJob(job.id!))!;
  expect({ id: job.id, state, failedReason: fresh.failedReason }).toEqual({ id: job.id, state: 'completed', failedReason: undefined });
  return fresh.returnvalue;
}

async function acceptedHistory(caseId: string): Promise<View[]> {
  const res = await (await sys.as('registrar1')).get(`/api/v1/cases/${caseId}/history`);
  expect(res.status).toBe(200);
  return res.body.items.filter((e: View) => e.outcome === 'accepted');
}

async function concludeWithoutResponsibility(reviewId: string): Promise<void> {
  // Each proposal goes down the whole chain its view reports (a township's committee: the county's secretary too).
  await approveAll(d.reviewCmd, await d.reviewCmd(reviewId, 'inspector1', { type: 'proposeStart', reason: '一案双查：倒查责任' }));
  const rv = await approveAll(d.reviewCmd, await d.reviewCmd(reviewId, 'inspector2', { type: 'submitFindings', responsibilityFound: false, parties: [], proposedMeasures: [] }));
  expect(rv.state).toBe('concluded');
}

describe('一案双查 (workers/reviews, end to end)', () => {
  describe('approve (filing)', () => {
    it('when filing is approved on a major case, then a primary and a supervision review open once each and the case is open', async () => {
      const c = await d.caseIn('preliminaryVerification.reportReview', { clue: { major: true } });
      const view = await approveFiling(c.id);
      expect(view.dualInvestigation.state).toBe('opening');
      await expectBothReviewsOpen(sys, c.id, 'majorFiling');
    });

    it('when filing is approved on a case that is not major, then no review opens', async () => {
      const c = await d.caseIn('preliminaryVerification.reportReview');
      const view = await approveFiling(c.id);
      expect(view.dualInvestigation.state).toBe('notRequired');
      await expectNoReviews(c.id);
    });
  });

  describe('approve (decision)', () => {
    it('when a decision with a form-3 measure is approved, then both reviews open once each', async () => {
      const view = await decide([{ personId: SUBJECT.personId, measure: 'removalFromPartyPost' }], false);
      expect(view.dispositions).toEqual([expect.objectContaining({ measure: 'removalFromPartyPost', form: 3 })]);
      await expectBothReviewsOpen(sys, view.id, 'form3Decision');
    });

    it('when a decision with a judicial transfer is approved, then both reviews open once each', async () => {
      const view = await decide([{ personId: SUBJECT.personId, measure: 'partySeriousWarning' }], true);
      expect(view.dispositions).toEqual([expect.objectContaining({ measure: 'partySeriousWarning', form: 4 })]);
      await expectBothReviewsOpen(sys, view.id, 'judicialTransfer');
    });

    it('when a decision has only form-1 and form-2 measures, then no review opens', async () => {
      const measures = [
        { personId: SUBJECT.personId, measure: 'admonishment' },
        { personId: SECOND_SUBJECT.personId, measure: 'partyWarning' },
      ];
      const view = await decide(measures, false, { subjects: [SUBJECT, SECOND_SUBJECT] });
      expect(view.dispositions.map((x: View) => x.form).sort()).toEqual([1, 2]);
      await expectNoReviews(view.id);
    });
  });

  describe('triggerDualInvestigation', () => {
    it('when a commission head triggers it, then both reviews open once each', async () => {
      const c = await d.caseIn('registered');
      const view = await d.caseCmd(c.id, 'head1', { type: 'triggerDualInvestigation', reason: '一案双查' });
      expect(view.dualInvestigation.state).toBe('opening');
      await expectBothReviewsOpen(sys, c.id, 'manual');
    });
  });

  describe('openReview and reviewConcluded jobs', () => {
    it('when every job of a 双查 runs a second time, then the reviews, the case and its audit chain do not change', async () => {
      const c = await d.caseIn('registered');
      const opened = await d.openDualInvestigation(c.id);
      const reviewIds = opened.dualInvestigation.reviews.map((r: View) => r.id as string);
      for (const id of reviewIds) await concludeWithoutResponsibility(id);
      const before = await waitForDualState(sys, c.id, 'concluded');
      const historyBefore = await acceptedHistory(c.id);
      const reviewsBefore = await reviewsOf(sys, c.id);

      const queue = sys.queues!.reviews;
      const again = [
        await queue.add('openReview', { caseId: c.id, kind: 'primary' }),
        await queue.add('openReview', { caseId: c.id, kind: 'supervision' }),
        ...(await Promise.all(reviewIds.map((reviewId: string) => queue.add('reviewConcluded', { reviewId, caseId: c.id })))),
      ];
      const results = [];
      for (const job of again) results.push(await completed(sys, job));
      expect(results.slice(0, 2)).toEqual(reviewIds.map((reviewId: string) => ({ reviewId })));

      const after = await d.caseView(c.id);
      expect(after).toMatchObject({ state: before.state, version: before.version, flags: before.flags });
      expect(after.dualInvestigation).toEqual(before.dualInvestigation);
      expect(await acceptedHistory(c.id)).toEqual(historyBefore);
      expect(await reviewsOf(sys, c.id)).toEqual(reviewsBefore);
      const verify = await (await sys.as('auditor1')).get('/api/v1/audit/verify');
      expect(verify.body).toMatchObject({ ok: true });
    });

    it('when a job names a case that does not exist, then it fails for good (no retry) and nothing is written', async () => {
      const process = reviewsProcessor(sys.deps);
      const job = { name: 'openReview', data: { caseId: 'no-such-case', kind: 'primary' }, timestamp: Date.now() } as unknown as Job;
      await expect(process(job)).rejects.toBeInstanceOf(UnrecoverableError);
      await expect(process(job)).rejects.toThrow('case no-such-case does not exist');
      expect(await sys.deps.store.reviews.getByCaseAndKind('no-such-case', 'primary')).toBeNull();
    });
  });

  describe('openReview job', () => {
    it('when the worker stops in the middle of it, then BullMQ retries the stalled job and each review exists once', async () => {
      const s = await startTestSystem();
      const stopping: Array<() => Promise<unknown>> = [];
      try {
        await withOrgChart(s);
        const prefix = s.config.QUEUE_PREFIX;
        // Relay, deadlines and reconciler; the reviews queue gets the workers of this test only.
        const background = createWorkers(s.deps, { connection: s.redis, prefix, dispatch: createDispatch(s.deps) });
        stopping.push(() => background.close());

        // A worker that commits the first review, then hangs before telling the case, as a process
        // that dies there would. One job at a time, so the other kind waits in the queue.
        let stuck!: () => void;
        const isStuck = new Promise<void>((resolve) => (stuck = resolve));
        // Connection options (not a shared client), so that the worker owns its connections and a
        // forced close drops them all.
        const crashing = new Worker('reviews', reviewsProcessor({ ...s.deps, store: hangAfterFirstTransaction(s.deps.store, () => stuck()) }), {
          connection: connectionOptions(TEST_REDIS_URL),
          prefix,
          concurrency: 1,
          lockDuration: 1000,
          stalledInterval: 500,
        });
        // A dead process reports nothing; without a listener its connection errors would be thrown.
        crashing.on('error', () => undefined);
        stopping.push(() => crashing.close(true));
        const active = new Promise<Job>((resolve) => crashing.on('active', resolve));

        const c = await driver(s).caseIn('registered');
        await driver(s).caseCmd(c.id, 'head1', { type: 'triggerDualInvestigation', reason: '一案双查' });
        const job = await active;
        await isStuck;
        const kind = job.data.kind as 'primary' | 'supervision';
        const createdBeforeCrash = await s.deps.store.reviews.getByCaseAndKind(c.id, kind);
        expect(createdBeforeCrash).not.toBeNull();
        expect((await driver(s).caseView(c.id)).dualInvestigation.state).toBe('opening');

        // The process dies: no more lock renewal, its connections gone, the job still `active`.
        await crashing.close(true);
        expect(await s.queues!.reviews.getJobState(job.id!)).toBe('active');

        const stalled: string[] = [];
        const recovering = new Worker('reviews', reviewsProcessor(s.deps), { connection: s.redis, prefix, stalledInterval: 500 });
        stopping.unshift(() => recovering.close());
        recovering.on('stalled', (jobId) => stalled.push(jobId));

        await waitForDualState(s, c.id, 'open');
        expect(stalled).toContain(job.id);
        const retried = (await s.queues!.reviews.getJob(job.id!))!;
        expect({ state: await retried.getState(), stalledCounter: retried.stalledCounter, returnvalue: retried.returnvalue }).toEqual({
          state: 'completed',
          stalledCounter: 1,
          returnvalue: { reviewId: createdBeforeCrash!.id },
        });
        const reviews = await reviewsOf(s, c.id);
        expect(reviews.total).toBe(2);
        expect(reviews.items.map((r: View) => r.kind).sort()).toEqual(['primary', 'supervision']);
        expect(reviews.items.find((r: View) => r.kind === kind).id).toBe(createdBeforeCrash!.id);
      } finally {
        for (const stop of stopping) await stop().catch(() => undefined);
        await s.stop();
      }
    });
  });

  describe('outbox relay', () => {
    it('when the process stops between the commit and the relay, then a relay started later delivers the rows once and both reviews open once', async () => {
      const s = await startTestSystem();
      let workers: Workers | undefined;
      try {
        await withOrgChart(s);
        const sd = driver(s);
        const c = await sd.caseIn('preliminaryVerification.reportReview', { clue: { major: true } });
        await sd.caseCmd(c.id, 'head1', { type: 'approve', comment: '拟同意立案' });
        const approved = await sd.caseCmd(c.id, 'secretary1', { type: 'approve', comment: '同意立案' });
        expect(approved.dualInvestigation.state).toBe('opening');

        const pendingRows = async () =>
          (await s.deps.store.outbox.listUndelivered(1000)).filter((r) => r.queue === 'reviews' && r.data.caseId === c.id);
        const rows = await pendingRows();
        expect(rows.map((r) => [r.name, r.data.kind]).sort()).toEqual([
          ['openReview', 'primary'],
          ['openReview', 'supervision'],
        ]);
        expect(await s.queues!.reviews.getJobCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0 });
        expect((await reviewsOf(s, c.id)).total).toBe(0);

        workers = createWorkers(s.deps, {
          connection: s.redis,
          prefix: s.config.QUEUE_PREFIX,
          dispatch: createDispatch(s.deps),
          reviewsProcessor: reviewsProcessor(s.deps),
        });
        await expectBothReviewsOpen(s, c.id, 'majorFiling');
        await workers.relay.flush();

        expect(await pendingRows()).toEqual([]);
        const jobs = (await s.queues!.reviews.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'])).filter((j) => j.data.caseId === c.id);
        expect(jobs.map((j) => j.id).sort()).toEqual(rows.map((r) => r.id).sort());
        expect(await Promise.all(jobs.map((j) => j.getState()))).toEqual(['completed', 'completed']);
        expect(jobs.map((j) => j.attemptsMade)).toEqual([1, 1]);
      } finally {
        await workers?.close();
        await s.stop();
      }
    });
  });
});

/** ioredis options of a `redis://host:port/db` URL. */
function connectionOptions(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0), maxRetriesPerRequest: null };
}

/**
 * The store as a worker process sees it until it dies: the first transaction commits, every later
 * one never starts (nothing is left half-written and PGlite's single connection stays free).
 */
function hangAfterFirstTransaction(store: Store, onHang: () => void): Store {
  let transactions = 0;
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'transaction') {
        return <T>(fn: Parameters<Store['transaction']>[0]): Promise<T> => {
          if (transactions++ === 0) return target.transaction(fn) as Promise<T>;
          onHang();
          return new Promise<T>(() => undefined);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
