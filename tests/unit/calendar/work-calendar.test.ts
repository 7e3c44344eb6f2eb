import { CalendarDataError, WorkCalendar } from '../../../services/calendar';

// A made-up 2027 arrangement: the real one is not published yet, so only tests may assume one.
const fictional2027 = { year: 2027, holidays: ['2027-01-01', '2027-02-26'], workdays: ['2027-02-20'] };

describe('WorkCalendar', () => {
  const calendar = new WorkCalendar();

  describe('knowsYear', () => {
    it('when the year is in the chinese-days data, then it is known', () => {
      expect(calendar.knowsYear(2004)).toBe(true);
      expect(calendar.knowsYear(2026)).toBe(true);
    });

    it('when the year is outside the package data and has no override, then it is unknown', () => {
      expect(calendar.knowsYear(2003)).toBe(false);
      expect(calendar.knowsYear(2027)).toBe(false);
    });

    it('when an override year is set, then it is known', () => {
      expect(new WorkCalendar({ years: [fictional2027] }).knowsYear(2027)).toBe(true);
    });
  });

  describe('isWorkday', () => {
    it('when the day is in the National Day holiday 2026, then it is not a workday', () => {
      for (let d = 1; d <= 7; d += 1) expect(calendar.isWorkday(`2026-10-0${d}`)).toBe(false);
      expect(calendar.isWorkday('2026-10-08')).toBe(true);
    });

    it('when the day is a make-up weekend day (调休), then it is a workday', () => {
      expect(calendar.isWorkday('2026-09-20')).toBe(true); // Sunday
      expect(calendar.isWorkday('2026-10-10')).toBe(true); // Saturday
      expect(calendar.isWorkday('2026-10-11')).toBe(false);
    });

    it('when the day is in Spring Festival 2026, then weekdays are off and the two make-up Saturdays are worked', () => {
      expect(calendar.isWorkday('2026-02-13')).toBe(true);
      expect(calendar.isWorkday('2026-02-14')).toBe(true);
      for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23']) {
        expect(calendar.isWorkday(d)).toBe(false);
      }
      expect(calendar.isWorkday('2026-02-24')).toBe(true);
      expect(calendar.isWorkday('2026-02-28')).toBe(true);
    });

    it('when the year is unknown, then Mon–Fri are workdays', () => {
      expect(calendar.isWorkday('2027-01-01')).toBe(true); // a Friday; surely a holiday, but unpublished
      expect(calendar.isWorkday('2027-01-02')).toBe(false);
    });

    it('when an override replaces a year, then only its data counts for that year', () => {
      const cal = new WorkCalendar({ years: [{ year: 2026, holidays: ['2026-03-02'], workdays: [] }] });
      expect(cal.isWorkday('2026-03-02')).toBe(false);
      expect(cal.isWorkday('2026-10-01')).toBe(true); // the package's holiday is gone with its year
      expect(cal.isWorkday('2026-10-10')).toBe(false);
    });

    it('when the process time zone is west of UTC, then answers do not change', () => {
      const saved = process.env.TZ;
      process.env.TZ = 'America/New_York';
      try {
        expect(calendar.isWorkday('2026-10-10')).toBe(true);
        expect(calendar.isWorkday('2026-10-11')).toBe(false);
        expect(calendar.addWorkingDays('2026-09-25', 15).date).toBe('2026-10-22');
      } finally {
        process.env.TZ = saved;
        if (saved === undefined) delete process.env.TZ;
      }
    });
  });

  describe('addWorkingDays', () => {
    it('when counting 15 working days after 2026-09-25, then it is 2026-10-22 (holiday skipped, make-up Saturday counted)', () => {
      expect(calendar.addWorkingDays('2026-09-25', 15)).toEqual({ date: '2026-10-22', uncertain: false });
    });

    it('when counting 1 working day after a Friday, then it is the Monday', () => {
      expect(calendar.addWorkingDays('2026-03-06', 1).date).toBe('2026-03-09');
    });

    it('when counting back, then the start day is excluded too', () => {
      expect(calendar.addWorkingDays('2026-03-09', -1).date).toBe('2026-03-06');
      expect(calendar.addWorkingDays('2026-10-08', -1).date).toBe('2026-09-30');
      // Not symmetric with the forward count: 2026-09-25 is itself a holiday (中秋), so it is skipped.
      expect(calendar.addWorkingDays('2026-10-22', -15).date).toBe('2026-09-24');
    });

    it('when counting 0, then it answers the date itself', () => {
      expect(calendar.addWorkingDays('2026-10-03', 0)).toEqual({ date: '2026-10-03', uncertain: false });
    });

    it('when counting across Spring Festival 2026, then the make-up Saturday counts and the holiday does not', () => {
      expect(calendar.addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
      expect(calendar.addWorkingDays('2026-02-14', 1).date).toBe('2026-02-24');
      expect(calendar.addWorkingDays('2026-02-12', 5).date).toBe('2026-02-26');
    });

    it('when the count crosses into 2027 without data, then the result counts weekdays and is uncertain', () => {
      expect(calendar.addWorkingDays('2026-12-28', 5)).toEqual({ date: '2027-01-04', uncertain: true });
    });

    it('when the count ends on 2026-12-31, then it is certain', () => {
      expect(calendar.addWorkingDays('2026-12-28', 3)).toEqual({ date: '2026-12-31', uncertain: false });
    });

    it('when the count crosses into 2027 with an override, then the override is used and it is certain', () => {
      const cal = new WorkCalendar({ years: [fictional2027] });
      expect(cal.addWorkingDays('2026-12-28', 5)).toEqual({ date: '2027-01-05', uncertain: false });
    });

    it('when the length is not an integer, then it throws', () => {
      expect(() => calendar.addWorkingDays('2026-03-06', 1.5)).toThrow(/integer/);
    });
  });

  describe('addDays', () => {
    it('when the last day is a holiday, then the period ends on the next working day', () => {
      expect(calendar.addDays('2026-07-03', 90)).toEqual({ date: '2026-10-08', uncertain: false });
    });

    it('when the last day is a make-up Saturday, then it stays', () => {
      expect(calendar.addDays('2026-10-01', 9).date).toBe('2026-10-10');
    });

    it('when extendToWorkday is off for the call, then the natural day is the end', () => {
      expect(calendar.addDays('2026-07-03', 90, { extendToWorkday: false })).toEqual({ date: '2026-10-01', uncertain: false });
    });

    it('when the calendar is built with extendToWorkday false, then that is the default', () => {
      const cal = new WorkCalendar({ extendToWorkday: false });
      expect(cal.addDays('2026-07-03', 90).date).toBe('2026-10-01');
      expect(cal.addDays('2026-07-03', 90, { extendToWorkday: true }).date).toBe('2026-10-08');
    });

    it('when the last day falls in an unknown year, then it is uncertain', () => {
      expect(calendar.addDays('2026-12-01', 31)).toEqual({ date: '2027-01-01', uncertain: true });
    });
  });

  describe('addMonths', () => {
    it('when Jan 31 2026 + 1 month, then Feb 28 (a make-up Saturday, so no extension)', () => {
      expect(calendar.addMonths('2026-01-31', 1)).toEqual({ date: '2026-02-28', uncertain: false });
    });

    it('when Jan 31 2028 + 1 month, then the leap day Feb 29, uncertain (2028 unpublished)', () => {
      expect(calendar.addMonths('2028-01-31', 1)).toEqual({ date: '2028-02-29', uncertain: true });
    });

    it('when Feb 29 2028 + 12 months, then Feb 28 2029', () => {
      expect(calendar.addMonths('2028-02-29', 12, { extendToWorkday: false }).date).toBe('2029-02-28');
    });

    it('when Aug 31 2026 + 6 months, then Feb 28 2027, a Sunday, extended to Monday Mar 1 and uncertain', () => {
      expect(calendar.addMonths('2026-08-31', 6)).toEqual({ date: '2027-03-01', uncertain: true });
      expect(calendar.addMonths('2026-08-31', 6, { extendToWorkday: false })).toEqual({ date: '2027-02-28', uncertain: false });
    });

    it('when the corresponding day is in a holiday block, then the period ends after it', () => {
      expect(calendar.addMonths('2026-09-03', 1).date).toBe('2026-10-08');
    });
  });

  describe('addPeriod', () => {
    it('when given a policy period, then it dispatches on the unit', () => {
      expect(calendar.addPeriod('2026-09-25', { unit: 'workingDays', amount: 15 }).date).toBe('2026-10-22');
      expect(calendar.addPeriod('2026-07-03', { unit: 'days', amount: 90 }).date).toBe('2026-10-08');
      expect(calendar.addPeriod('2026-01-31', { unit: 'months', amount: 1 }).date).toBe('2026-02-28');
    });
  });

  describe('setYear', () => {
    it('when a year is set at run time, then it replaces the previous data', () => {
      const cal = new WorkCalendar();
      cal.setYear(2027, fictional2027);
      expect(cal.isWorkday('2027-02-20')).toBe(true);
      cal.setYear(2027, { holidays: [], workdays: [] });
      expect(cal.isWorkday('2027-02-20')).toBe(false);
      expect(cal.overrideYears()).toEqual([2027]);
    });

    it('when a year is set after its days were counted, then the remembered answers by day number follow the new data', () => {
      const cal = new WorkCalendar();
      const day = Date.UTC(2027, 1, 20) / 86_400_000; // 2027-02-20, a Saturday
      const friday = Date.UTC(2027, 1, 19) / 86_400_000;
      expect(cal.isWorkdayNumber(day)).toBe(false);
      expect(cal.addWorkingDays('2027-02-19', 1).date).toBe('2027-02-22');
      cal.setYear(2027, fictional2027);
      expect(cal.isWorkdayNumber(day)).toBe(true);
      expect(cal.isWorkdayNumber(friday)).toBe(true);
      expect(cal.addWorkingDays('2027-02-19', 1).date).toBe('2027-02-20');
    });

    it('when a date lies outside the year, then it throws naming the source and the field', () => {
      const cal = new WorkCalendar();
      expect(() => cal.setYear(2027, { holidays: ['2026-12-31'], workdays: [] }, 'PUT /calendar/2027')).toThrow(
        /PUT \/calendar\/2027[\s\S]*holidays\.0: 2026-12-31 is not in 2027/,
      );
    });

    it('when a date is both holiday and workday, then it throws', () => {
      const error = captureError(() => new WorkCalendar().setYear(2027, { holidays: ['2027-02-20'], workdays: ['2027-02-20'] }));
      expect(error).toBeInstanceOf(CalendarDataError);
      expect((error as CalendarDataError).issues).toEqual([
        { path: 'workdays.0', message: '2027-02-20 is listed both as holiday and as workday' },
      ]);
    });

    it('when a workday is a weekday or a date is not real, then it throws', () => {
      const cal = new WorkCalendar();
      expect(() => cal.setYear(2027, { holidays: [], workdays: ['2027-02-19'] })).toThrow(/2027-02-19 is a weekday/);
      expect(() => cal.setYear(2027, { holidays: ['2027-02-30'], workdays: [] })).toThrow(/real date/);
    });
  });

  describe('year', () => {
    it('when asked for a package year, an override year and an unknown year, then it names the origin', () => {
      const cal = new WorkCalendar({ years: [fictional2027] });
      const y2026 = cal.year(2026);
      expect(y2026.origin).toBe('chinese-days');
      expect(y2026.workdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
      expect(y2026.holidays).toContain('2026-10-07');
      expect(cal.year(2027)).toEqual({ ...fictional2027, origin: 'override' });
      expect(cal.year(2030)).toEqual({ year: 2030, origin: 'none', holidays: [], workdays: [] });
    });
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}
