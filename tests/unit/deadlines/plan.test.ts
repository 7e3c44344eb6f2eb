import { DEFAULT_DEADLINES } from '../../../config/deadlines';
import { WorkCalendar } from '../../../services/calendar';
import { extendDeadline, planDeadline } from '../../../services/deadlines/plan';
import type { DeadlineRecord } from '../../../services/store/port';

const calendar = new WorkCalendar();
// Fictional 2027 data: the real arrangement is not published yet.
const with2027 = new WorkCalendar({ years: [{ year: 2027, holidays: ['2027-01-01'], workdays: [] }] });

describe('deadline plan', () => {
  describe('planDeadline', () => {
    it('when talkInquiry.reply opens on 2026-09-25, then it is due at the end of 2026-10-22 CST with the three steps', () => {
      const plan = planDeadline({ key: 'talkInquiry.reply', openedAt: '2026-09-25T02:00:00Z', calendar });
      expect(plan).toEqual({
        dueAt: '2026-10-22T15:59:59.999Z',
        steps: {
          warning: '2026-10-19T01:00:00.000Z', // 09:00 CST, 3 working days before the due day
          overdue: '2026-10-22T15:59:59.999Z',
          escalated: '2026-10-29T15:59:59.999Z', // end of the 5th working day after
        },
        calendarUncertain: false,
      });
    });

    it('when the opening moment is after 16:00 UTC, then counting starts from the next CST date', () => {
      const plan = planDeadline({ key: 'talkInquiry.reply', openedAt: '2026-09-24T16:30:00Z', calendar });
      expect(plan.dueAt).toBe('2026-10-22T15:59:59.999Z');
    });

    it('when clue.disposition has a receivedAt date, then the month counts from receipt', () => {
      const plan = planDeadline({ key: 'clue.disposition', openedAt: '2026-11-05T02:00:00Z', receivedAt: '2026-11-02', calendar });
      expect(plan.dueAt).toBe('2026-12-02T15:59:59.999Z');
      expect(plan.steps.warning).toBe('2026-11-27T01:00:00.000Z');
      expect(plan.steps.escalated).toBe('2026-12-09T15:59:59.999Z');
    });

    it('when receivedAt is a moment, then its CST date is used', () => {
      const plan = planDeadline({ key: 'clue.disposition', openedAt: '2026-11-05T02:00:00Z', receivedAt: '2026-11-01T17:00:00Z', calendar });
      expect(plan.dueAt).toBe('2026-12-02T15:59:59.999Z');
    });

    it('when clue.disposition has no receivedAt, then it counts from opening and a Saturday end moves to Monday', () => {
      const plan = planDeadline({ key: 'clue.disposition', openedAt: '2026-11-05T02:00:00Z', calendar });
      expect(plan.dueAt).toBe('2026-12-07T15:59:59.999Z');
    });

    it('when receivedAt is given for a key counted from entry, then it is ignored', () => {
      const plan = planDeadline({ key: 'talkInquiry.reply', openedAt: '2026-09-25T02:00:00Z', receivedAt: '2026-01-01', calendar });
      expect(plan.dueAt).toBe('2026-10-22T15:59:59.999Z');
    });

    it('when a 90-day period ends in the National Day holiday, then it ends on the next working day', () => {
      const plan = planDeadline({ key: 'investigation.report', openedAt: '2026-07-03T02:00:00Z', calendar });
      expect(plan).toEqual({
        dueAt: '2026-10-08T15:59:59.999Z',
        steps: {
          warning: '2026-09-28T01:00:00.000Z',
          overdue: '2026-10-08T15:59:59.999Z',
          escalated: '2026-10-14T15:59:59.999Z', // the make-up Saturday 10-10 counts
        },
        calendarUncertain: false,
      });
    });

    it('when the calendar does not extend to working days, then the period ends on the holiday', () => {
      const plain = new WorkCalendar({ extendToWorkday: false });
      const plan = planDeadline({ key: 'investigation.report', openedAt: '2026-07-03T02:00:00Z', calendar: plain });
      expect(plan.dueAt).toBe('2026-10-01T15:59:59.999Z');
      expect(plan.steps.escalated).toBe('2026-10-13T15:59:59.999Z');
    });

    it('when the due day falls in 2027 without data, then the plan is set and flagged uncertain', () => {
      const plan = planDeadline({ key: 'verification.report', openedAt: '2026-11-20T02:00:00Z', calendar });
      expect(plan.dueAt).toBe('2027-01-20T15:59:59.999Z');
      expect(plan.calendarUncertain).toBe(true);
    });

    it('when a 2027 override exists, then the same plan is certain', () => {
      const plan = planDeadline({ key: 'verification.report', openedAt: '2026-11-20T02:00:00Z', calendar: with2027 });
      expect(plan.calendarUncertain).toBe(false);
    });

    it('when only the escalated step reaches into 2027, then the plan is uncertain', () => {
      const plan = planDeadline({ key: 'approval', openedAt: '2026-12-18T02:00:00Z', calendar });
      expect(plan.dueAt).toBe('2026-12-25T15:59:59.999Z');
      expect(plan.steps.warning).toBe('2026-12-22T01:00:00.000Z');
      expect(plan.steps.escalated).toBe('2027-01-01T15:59:59.999Z');
      expect(plan.calendarUncertain).toBe(true);
      expect(planDeadline({ key: 'approval', openedAt: '2026-12-18T02:00:00Z', calendar: with2027 }).steps.escalated)
        .toBe('2027-01-04T15:59:59.999Z');
    });

    it('when a policy map is passed, then it replaces the defaults', () => {
      const policies = { ...DEFAULT_DEADLINES, 'talkInquiry.reply': { ...DEFAULT_DEADLINES['talkInquiry.reply'], period: { unit: 'workingDays' as const, amount: 1 } } };
      const plan = planDeadline({ key: 'talkInquiry.reply', openedAt: '2026-03-06T02:00:00Z', calendar, policies });
      expect(plan.dueAt).toBe('2026-03-09T15:59:59.999Z');
    });

    it('when the warning would fall before the deadline opened, then no warning step is planned', () => {
      const policies = { ...DEFAULT_DEADLINES, approval: { ...DEFAULT_DEADLINES.approval, period: { unit: 'workingDays' as const, amount: 2 } } };
      const plan = planDeadline({ key: 'approval', openedAt: '2026-03-09T02:00:00Z', calendar, policies });
      expect(plan.steps).toEqual({ overdue: '2026-03-11T15:59:59.999Z', escalated: '2026-03-18T15:59:59.999Z' });
    });

    it('when the escalation timing is passed, then it replaces the defaults', () => {
      const plan = planDeadline({
        key: 'talkInquiry.reply', openedAt: '2026-09-25T02:00:00Z', calendar,
        escalation: { warningWorkingDaysBefore: 1, escalateWorkingDaysAfter: 1 },
      });
      expect(plan.steps.warning).toBe('2026-10-21T01:00:00.000Z');
      expect(plan.steps.escalated).toBe('2026-10-23T15:59:59.999Z');
    });

    it('when an override is set for the key, then plain durations apply, without warning and certain', () => {
      const overrides = { 'talkInquiry.reply': { due: 'PT2S', escalateAfter: 'PT3S' } };
      const plan = planDeadline({ key: 'talkInquiry.reply', openedAt: '2027-06-01T00:00:00.000Z', calendar, overrides });
      expect(plan).toEqual({
        dueAt: '2027-06-01T00:00:02.000Z',
        steps: { overdue: '2027-06-01T00:00:02.000Z', escalated: '2027-06-01T00:00:05.000Z' },
        calendarUncertain: false,
      });
    });

    it('when an override has no escalateAfter, then escalation follows after another `due`', () => {
      const overrides = { approval: { due: 'PT1H' } };
      const plan = planDeadline({ key: 'approval', openedAt: '2026-10-01T00:00:00Z', calendar, overrides });
      expect(plan.steps.escalated).toBe('2026-10-01T02:00:00.000Z');
    });

    it('when an override is set for another key, then the policy applies', () => {
      const overrides = { approval: { due: 'PT2S' } };
      const plan = planDeadline({ key: 'talkInquiry.reply', openedAt: '2026-09-25T02:00:00Z', calendar, overrides });
      expect(plan.dueAt).toBe('2026-10-22T15:59:59.999Z');
    });

    it('when an override duration is invalid, then it throws', () => {
      const overrides = { approval: { due: 'P1M' } };
      expect(() => planDeadline({ key: 'approval', openedAt: '2026-10-01T00:00:00Z', calendar, overrides })).toThrow(/P1M/);
    });

    it('when the key is unknown, then it throws', () => {
      expect(() => planDeadline({ key: 'nope', openedAt: '2026-10-01T00:00:00Z', calendar })).toThrow(/unknown deadline key "nope"/);
    });
  });

  describe('extendDeadline', () => {
    const investigation: DeadlineRecord = {
      id: 'd1', aggregateType: 'case', aggregateId: 'c1', orgId: 'o1', key: 'investigation.report',
      openedAt: '2026-07-03T02:00:00.000Z', dueAt: '2026-10-08T15:59:59.999Z',
      steps: { warning: '2026-09-28T01:00:00.000Z', overdue: '2026-10-08T15:59:59.999Z', escalated: '2026-10-14T15:59:59.999Z' },
      status: 'open', escalation: 'warning', calendarUncertain: false, closedAt: null,
    };

    it('when an investigation is extended by 30 days, then it ends on the next working day and steps are re-planned', () => {
      expect(extendDeadline(investigation, 30, calendar)).toEqual({
        dueAt: '2026-11-09T15:59:59.999Z', // 11-07 is a Saturday
        steps: { warning: '2026-11-04T01:00:00.000Z', overdue: '2026-11-09T15:59:59.999Z', escalated: '2026-11-16T15:59:59.999Z' },
        status: 'open',
        escalation: 'none',
        calendarUncertain: false,
      });
    });

    it('when a trial decision is extended, then it is accepted', () => {
      const trial = { ...investigation, key: 'trial.decision' as const };
      expect(extendDeadline(trial, 1, calendar).dueAt).toBe('2026-10-09T15:59:59.999Z');
    });

    it('when the key is not extensible, then it throws', () => {
      const reply = { ...investigation, key: 'talkInquiry.reply' as const };
      expect(() => extendDeadline(reply, 30, calendar)).toThrow(/talkInquiry.reply cannot be extended/);
    });

    it('when the deadline is closed, then it throws', () => {
      expect(() => extendDeadline({ ...investigation, status: 'met' }, 30, calendar)).toThrow(/closed/);
    });

    it('when days is not a positive integer, then it throws', () => {
      expect(() => extendDeadline(investigation, 0, calendar)).toThrow(/≥ 1/);
      expect(() => extendDeadline(investigation, 2.5, calendar)).toThrow(/≥ 1/);
    });

    it('when an overdue deadline is extended at a moment before the new warning, then it is open again', () => {
      const overdue = { ...investigation, status: 'overdue' as const, escalation: 'overdue' as const };
      const fields = extendDeadline(overdue, 30, calendar, { now: '2026-10-09T02:00:00Z' });
      expect(fields.status).toBe('open');
      expect(fields.escalation).toBe('none');
    });

    it('when the new warning time has already passed, then the warning stays taken', () => {
      const overdue = { ...investigation, status: 'overdue' as const, escalation: 'escalated' as const };
      const fields = extendDeadline(overdue, 30, calendar, { now: '2026-11-05T02:00:00Z' });
      expect(fields.status).toBe('open');
      expect(fields.escalation).toBe('warning');
    });

    it('when the record was uncertain, then the extension stays uncertain', () => {
      expect(extendDeadline({ ...investigation, calendarUncertain: true }, 30, calendar).calendarUncertain).toBe(true);
    });

    it('when the extension reaches into 2027, then it is uncertain', () => {
      expect(extendDeadline(investigation, 90, calendar)).toMatchObject({ dueAt: '2027-01-06T15:59:59.999Z', calendarUncertain: true });
    });
  });
});
