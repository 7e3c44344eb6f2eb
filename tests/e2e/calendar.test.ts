import { clue, withOrgChart } from '../helpers/fixtures';
import { startTestSystem, type TestSystem } from '../helpers/system';
import { deadlineStepJobId } from '../../services/queues/rows';
import { reconcile } from '../../workers/reconciler';

// The clock stands in December 2026, so a month-long clock runs into 2027, a year chinese-days has no data for.
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ workers: false, clock: () => new Date('2026-12-20T02:00:00Z') });
  await withOrgChart(sys);
}, 120_000);
afterAll(async () => sys.stop());

/** An anonymous reporter: no reporter clock, so the clue's disposition clock is the case's only one. */
const ANONYMOUS = { realName: false };

describe('calendar', () => {
  describe('GET /api/v1/calendar/:year', () => {
    it('when a deadline is counted through a year without data, then it is flagged and listed for administrators only', async () => {
      const created = await (await sys.as('registrar1')).post('/api/v1/cases', clue({ receivedAt: '2026-12-15', reporter: ANONYMOUS }));
      expect(created.status).toBe(201);
      expect(created.body.deadlines).toEqual([expect.objectContaining({ key: 'clue.disposition', calendarUncertain: true })]);

      const asAdmin = (await (await sys.as('countyadmin')).get('/api/v1/calendar/2027')).body;
      expect(asAdmin).toMatchObject({ year: 2027, known: false });
      expect(asAdmin.uncertainDeadlines).toEqual([expect.objectContaining({ aggregate: 'case', id: created.body.id, key: 'clue.disposition' })]);

      const asInspector = (await (await sys.as('inspector1')).get('/api/v1/calendar/2027')).body;
      expect(asInspector).toMatchObject({ year: 2027, known: false });
      expect(asInspector.uncertainDeadlines).toBeUndefined();
    });
  });

  describe('PUT /api/v1/calendar/:year', () => {
    /** A CST moment as the store keeps it (UTC ISO). */
    const cst = (moment: string) => new Date(moment).toISOString();

    it('when the year is stored, then its running uncertain deadlines are counted again, unflagged, and get new step jobs', async () => {
      const created = await (await sys.as('registrar1')).post('/api/v1/cases', clue({ receivedAt: '2026-12-16', reporter: ANONYMOUS }));
      const [before] = await sys.deps.store.deadlines.listByAggregate('case', created.body.id);
      // Due 2027-01-16 (a Saturday) → Monday the 18th; escalated five working days later, on the 25th.
      expect(before).toMatchObject({ calendarUncertain: true, dueAt: cst('2027-01-18T23:59:59.999+08:00') });
      expect(before.steps.escalated).toBe(cst('2027-01-25T23:59:59.999+08:00'));

      // An extended clock (its due day is not what the policy gives from its opening) keeps its due day.
      const extended = { ...before, id: `${before.id}-x`, key: 'investigation.report' as const, dueAt: cst('2027-01-15T23:59:59.999+08:00'), steps: { overdue: cst('2027-01-15T23:59:59.999+08:00'), escalated: cst('2027-01-22T23:59:59.999+08:00') } };
      await sys.deps.store.deadlines.insert(extended);

      // 18 and 19 January 2027 declared holidays: due moves to the 20th, escalated to the 27th.
      const admin = await sys.as('countyadmin');
      const put = await admin.put('/api/v1/calendar/2027', { holidays: ['2027-01-01', '2027-01-18', '2027-01-19'], workdays: [] });
      expect(put.status).toBe(200);
      expect(put.body.replanned).toEqual({ replanned: 3, stillUncertain: 1 });
      expect(await sys.deps.store.deadlines.get(extended.id)).toMatchObject({
        dueAt: extended.dueAt,
        calendarUncertain: true,
        steps: { overdue: extended.dueAt, escalated: cst('2027-01-26T23:59:59.999+08:00') },
      });

      const [after] = await sys.deps.store.deadlines.listByAggregate('case', created.body.id);
      expect(after).toMatchObject({ id: before.id, calendarUncertain: false, status: 'open', escalation: 'none', dueAt: cst('2027-01-20T23:59:59.999+08:00') });
      expect(after.steps.escalated).toBe(cst('2027-01-27T23:59:59.999+08:00'));
      // The reconciler gives the clock the alarm of its moved next step.
      await reconcile(sys.deps, sys.queues!);
      const job = await sys.queues!.deadlines.getJob(deadlineStepJobId(after.id, 'warning', after.steps.warning!));
      expect(await job?.getState()).toBe('delayed');
      // One alarm per clock: the later steps get theirs when the one before is taken.
      expect(await sys.queues!.deadlines.getJob(deadlineStepJobId(after.id, 'overdue', after.steps.overdue!))).toBeUndefined();
      expect((await admin.get('/api/v1/calendar/2027')).body.uncertainDeadlines).toEqual([expect.objectContaining({ key: 'investigation.report' })]);

      // A clock the first PUT missed (opened while it ran), still on the weekday-only count …
      const missed = { ...before, id: `${before.id}-m` };
      await sys.deps.store.deadlines.insert(missed);
      // … is counted again by the next PUT; the extended clock stays uncertain, its steps as they were.
      expect((await admin.put('/api/v1/calendar/2027', { holidays: ['2027-01-01', '2027-01-18', '2027-01-19'], workdays: [] })).body.replanned).toEqual({ replanned: 2, stillUncertain: 1 });
      expect(await sys.deps.store.deadlines.get(missed.id)).toMatchObject({ calendarUncertain: false, dueAt: after.dueAt, steps: after.steps });
    });
  });

  describe('working days overdue (after the PUTs above, which the counts there depend on)', () => {
    it('when a clock fell due on a Friday and today is the Sunday nine days later, then the inbox and the case view count it 5 working days overdue, not 9 days', async () => {
      const created = await (await sys.as('registrar1')).post('/api/v1/cases', clue({ receivedAt: '2026-12-15', reporter: ANONYMOUS }));
      const [opened] = await sys.deps.store.deadlines.listByAggregate('case', created.body.id);
      const due = new Date('2026-12-11T23:59:59.999+08:00').toISOString();
      await sys.deps.store.deadlines.update({ ...opened, dueAt: due, status: 'overdue', escalation: 'overdue', calendarUncertain: false, steps: { overdue: due } });

      const inbox = (await (await sys.as('supervisor1')).get('/api/v1/inbox')).body;
      expect(inbox.overdue.filter((o: any) => o.id === created.body.id)).toEqual([
        { aggregate: 'case', id: created.body.id, key: 'clue.disposition', dueAt: due, status: 'overdue', escalation: 'overdue', workingDaysLeft: -5 },
      ]);
      const view = (await (await sys.as('supervisor1')).get(`/api/v1/cases/${created.body.id}`)).body;
      expect(view.deadlines).toEqual([expect.objectContaining({ key: 'clue.disposition', workingDaysLeft: -5 })]);
    });
  });
});
