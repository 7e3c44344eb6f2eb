import {
  cstDateOf,
  cstMoment,
  endOfCstDay,
  isCivilDate,
  isMoment,
  toCivilDate,
} from '../../../services/calendar';
import { dayNumber, fromDayNumber, plusDays, plusMonths, weekdayOf } from '../../../services/calendar/civil-date';

describe('civil-date', () => {
  describe('isCivilDate', () => {
    it('when a real YYYY-MM-DD date is given, then it is accepted', () => {
      expect(isCivilDate('2028-02-29')).toBe(true);
    });

    it('when the day does not exist or the form is loose, then it is refused', () => {
      expect(isCivilDate('2027-02-29')).toBe(false);
      expect(isCivilDate('2026-02-30')).toBe(false);
      expect(isCivilDate('2026-2-3')).toBe(false);
      expect(isCivilDate('2026-10-01T00:00:00Z')).toBe(false);
    });
  });

  describe('cstDateOf', () => {
    it('when a UTC moment is 16:00 or later, then its CST date is the next day', () => {
      expect(cstDateOf('2026-09-30T16:00:00Z')).toBe('2026-10-01');
      expect(cstDateOf('2026-09-30T15:59:59.999Z')).toBe('2026-09-30');
    });

    it('when the moment carries an offset, then the offset is honoured', () => {
      expect(cstDateOf('2026-10-01T00:30:00+08:00')).toBe('2026-10-01');
      expect(cstDateOf('2026-09-30T12:00:00-05:00')).toBe('2026-10-01');
    });

    it('when the moment has no offset, then it is refused rather than read in the local zone', () => {
      expect(() => cstDateOf('2026-10-01T10:00:00')).toThrow(/offset/);
      expect(isMoment('2026-10-01T10:00:00')).toBe(false);
    });
  });

  describe('toCivilDate', () => {
    it('when given a date or a moment, then it answers the CST date', () => {
      expect(toCivilDate('2026-11-02')).toBe('2026-11-02');
      expect(toCivilDate('2026-11-01T17:00:00Z')).toBe('2026-11-02');
    });
  });

  describe('cstMoment', () => {
    it('when asked for 09:00 CST, then it answers 01:00 UTC of the same date', () => {
      expect(cstMoment('2026-10-19', 9)).toBe('2026-10-19T01:00:00.000Z');
    });
  });

  describe('endOfCstDay', () => {
    it('when asked for a date, then it answers 23:59:59.999+08:00 as UTC', () => {
      expect(endOfCstDay('2026-10-22')).toBe('2026-10-22T15:59:59.999Z');
      expect(endOfCstDay('2027-01-01')).toBe('2027-01-01T15:59:59.999Z');
    });
  });

  describe('plusMonths', () => {
    it('when the target month has no corresponding day, then it answers the month end', () => {
      expect(plusMonths('2026-01-31', 1)).toBe('2026-02-28');
      expect(plusMonths('2028-01-31', 1)).toBe('2028-02-29');
      expect(plusMonths('2028-02-29', 12)).toBe('2029-02-28');
      expect(plusMonths('2026-03-31', -1)).toBe('2026-02-28');
      expect(plusMonths('2026-12-15', 1)).toBe('2027-01-15');
    });
  });

  describe('plusDays', () => {
    it('when days cross a month and a leap day, then natural days are counted', () => {
      expect(plusDays('2028-02-28', 1)).toBe('2028-02-29');
      expect(plusDays('2026-07-03', 90)).toBe('2026-10-01');
      expect(weekdayOf('2026-10-10')).toBe(6);
    });
  });

  describe('dayNumber', () => {
    it('when a date is asked for again, then the answer is the same, and a date that does not exist is refused every time', () => {
      expect(dayNumber('1970-01-02')).toBe(1);
      for (let i = 0; i < 2; i++) {
        expect(dayNumber('2026-10-01')).toBe(20727);
        expect(fromDayNumber(dayNumber('2028-02-29'))).toBe('2028-02-29');
        expect(() => dayNumber('2026-02-30')).toThrow(/not a calendar date/);
        expect(() => dayNumber('2026-2-3')).toThrow(/not a calendar date/);
      }
    });

    it('when more dates are asked for than are kept, then every answer is still right', () => {
      for (let n = 0; n < 10_000; n += 1) expect(dayNumber(fromDayNumber(n))).toBe(n);
    });
  });
});
