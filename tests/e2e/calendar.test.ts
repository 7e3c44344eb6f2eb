import { clue, withOrgChart } from '../helpers/fixtures';
import { startTestSystem, type TestSystem } from '../helpers/system';

// The clock stands in December 2026, so a month-long clock runs into 2027, a year chinese-days has no data for.
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ workers: false, clock: () => new Date('2026-12-20T02:00:00Z') });
  await withOrgChart(sys);
}, 120_000);
afterAll(async () => sys.stop());

describe('calendar', () => {
  describe('GET /api/v1/calendar/:year', () => {
    it('when a deadline is counted through a year without data, then it is flagged and listed for administrators only', async () => {
      const created = await (await sys.as('registrar1')).post('/api/v1/cases', clue({ receivedAt: '2026-12-15' }));
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
});
