import { WorkCalendar } from '../../../services/calendar';
import { getCalendarYear, putCalendarYear } from '../../../services/deadlines/calendar-year';
import { AppError } from '../../../services/errors';
import type { CalendarYear, Store } from '../../../services/store/port';
import type { Policy } from '../../../services/policy';

// Only the `calendars` table of the store is touched; the store adapters have their own contract suite.
function deps() {
  const rows = new Map<number, CalendarYear>();
  const calendars: Store['calendars'] = {
    get: async (year) => rows.get(year) ?? null,
    put: async (cal) => void rows.set(cal.year, cal),
    list: async () => [...rows.values()],
  };
  // No deadline is running: storing a year has nothing to count again (tests/e2e/calendar.test.ts has that).
  const deadlines = { listActive: async () => [] } as unknown as Store['deadlines'];
  return { rows, store: { calendars, deadlines } as Store, calendar: new WorkCalendar(), clock: () => new Date('2026-12-01T02:00:00Z'), policy: {} as Policy, wake: () => undefined };
}

describe('calendar admin', () => {
  describe('PUT /api/v1/calendar/:year', () => {
    it('when an admin stores 2027, then it is stored, applied to the calendar and answered', async () => {
      const d = deps();
      const body = { holidays: ['2027-01-01'], workdays: [] };
      const answer = await putCalendarYear(d, 2027, body);
      expect(answer).toEqual({
        year: 2027, origin: 'override', holidays: ['2027-01-01'], workdays: [], known: true, updatedAt: '2026-12-01T02:00:00.000Z',
        replanned: { replanned: 0, stillUncertain: 0 },
      });
      expect(d.rows.get(2027)).toEqual({ year: 2027, ...body, updatedAt: '2026-12-01T02:00:00.000Z' });
      expect(d.calendar.addWorkingDays('2026-12-28', 5)).toEqual({ date: '2027-01-05', uncertain: false });
    });

    it('when the body has a date outside the year, then it answers validation_failed naming the field and stores nothing', async () => {
      const d = deps();
      const error = await putCalendarYear(d, 2027, { holidays: ['2026-10-01'], workdays: [] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('validation_failed');
      expect((error as AppError).extra.errors).toEqual([{ path: 'holidays.0', message: '2026-10-01 is not in 2027' }]);
      expect(d.rows.size).toBe(0);
      expect(d.calendar.knowsYear(2027)).toBe(false);
    });
  });

  describe('GET /api/v1/calendar/:year', () => {
    it('when the year comes from the package, then it is known and has no update time', async () => {
      const answer = await getCalendarYear(deps(), 2026);
      expect(answer).toMatchObject({ year: 2026, origin: 'chinese-days', known: true, updatedAt: null });
      expect(answer.workdays).toContain('2026-10-10');
    });

    it('when the year is unknown, then it says so', async () => {
      expect(await getCalendarYear(deps(), 2027)).toEqual({ year: 2027, origin: 'none', holidays: [], workdays: [], known: false, updatedAt: null });
    });

    it('when another process stored the year, then the stored data is answered', async () => {
      const d = deps();
      d.rows.set(2027, { year: 2027, holidays: ['2027-01-01'], workdays: [], updatedAt: '2026-11-30T00:00:00.000Z' });
      expect(await getCalendarYear(d, 2027)).toMatchObject({ origin: 'override', holidays: ['2027-01-01'], known: true, updatedAt: '2026-11-30T00:00:00.000Z' });
    });
  });
});
