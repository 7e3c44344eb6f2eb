import { WorkCalendar } from '../../../services/calendar';
import { closeDeadline, deadlineView, syncDeadlines, workingDaysLeft, type SyncDeadlinesInput } from '../../../services/deadlines/sync';
import type { DeadlineRecord } from '../../../services/store/port';

const calendar = new WorkCalendar();

function ids(): () => string {
  let n = 0;
  return () => `dl-${++n}`;
}

function input(over: Partial<SyncDeadlinesInput>): SyncDeadlinesInput {
  return {
    aggregateType: 'case', aggregateId: 'c1', orgId: 'o1', activeKeys: [], existing: [],
    now: '2026-09-25T02:00:00.000Z', calendar, newId: ids(), ...over,
  };
}

const reply: DeadlineRecord = {
  id: 'd1', aggregateType: 'case', aggregateId: 'c1', orgId: 'o1', key: 'talkInquiry.reply',
  openedAt: '2026-09-25T02:00:00.000Z', dueAt: '2026-10-22T15:59:59.999Z',
  steps: { warning: '2026-10-19T01:00:00.000Z', overdue: '2026-10-22T15:59:59.999Z', escalated: '2026-10-29T15:59:59.999Z' },
  status: 'open', escalation: 'none', calendarUncertain: false, closedAt: null,
};

describe('deadline sync', () => {
  describe('syncDeadlines', () => {
    it('when a key becomes active, then a record is opened with its plan', () => {
      const result = syncDeadlines(input({ activeKeys: ['talkInquiry.reply'] }));
      expect(result).toEqual({ opened: [{ ...reply, id: 'dl-1' }], closed: [] });
    });

    it('when several keys become active, then each gets its own record and id', () => {
      const { opened } = syncDeadlines(input({ activeKeys: ['approval', 'talkInquiry.reply', 'approval'] }));
      expect(opened.map((r) => [r.id, r.key])).toEqual([['dl-1', 'approval'], ['dl-2', 'talkInquiry.reply']]);
    });

    it('when an active key already has an open record, then nothing changes (one clock across events)', () => {
      const result = syncDeadlines(input({ activeKeys: ['talkInquiry.reply'], existing: [reply], now: '2026-10-05T02:00:00Z' }));
      expect(result).toEqual({ opened: [], closed: [] });
    });

    it('when an active key has an overdue record, then it is kept too', () => {
      const overdue = { ...reply, status: 'overdue' as const, escalation: 'overdue' as const };
      expect(syncDeadlines(input({ activeKeys: ['talkInquiry.reply'], existing: [overdue], now: '2026-10-25T02:00:00Z' })))
        .toEqual({ opened: [], closed: [] });
    });

    it('when a key is left on or before its due time, then its record is closed as met', () => {
      const now = '2026-10-22T15:59:59.999Z';
      const { closed } = syncDeadlines(input({ activeKeys: ['talkInquiry.report'], existing: [reply], now }));
      expect(closed).toEqual([{ ...reply, status: 'met', closedAt: now }]);
    });

    it('when a key is left after its due time, then its record is closed as metLate', () => {
      const now = '2026-10-22T16:00:00.000Z';
      const overdue = { ...reply, status: 'overdue' as const, escalation: 'overdue' as const };
      const { opened, closed } = syncDeadlines(input({ activeKeys: [], existing: [overdue], now }));
      expect(opened).toEqual([]);
      expect(closed).toEqual([{ ...overdue, status: 'metLate', closedAt: now }]);
    });

    it('when one key is left and another entered, then one closes and one opens', () => {
      const now = '2026-10-10T02:00:00.000Z';
      const result = syncDeadlines(input({ activeKeys: ['talkInquiry.report'], existing: [reply], now }));
      expect(result.closed.map((r) => [r.key, r.status])).toEqual([['talkInquiry.reply', 'met']]);
      expect(result.opened.map((r) => [r.key, r.openedAt, r.dueAt])).toEqual([
        ['talkInquiry.report', now, '2026-11-10T15:59:59.999Z'],
      ]);
    });

    it('when a key is entered again after its record closed, then a new record is opened', () => {
      const met = { ...reply, status: 'met' as const, closedAt: '2026-10-01T00:00:00Z' };
      const { opened, closed } = syncDeadlines(input({ activeKeys: ['talkInquiry.reply'], existing: [met] }));
      expect(opened).toHaveLength(1);
      expect(closed).toEqual([]);
    });

    it('when records of another aggregate are passed, then they are left alone', () => {
      const other = { ...reply, aggregateId: 'c2' };
      expect(syncDeadlines(input({ activeKeys: [], existing: [other] }))).toEqual({ opened: [], closed: [] });
    });

    it('when receivedAt is given, then clue.disposition counts from it', () => {
      const { opened } = syncDeadlines(input({ activeKeys: ['clue.disposition'], now: '2026-11-05T02:00:00Z', receivedAt: '2026-11-02' }));
      expect(opened[0]!.dueAt).toBe('2026-12-02T15:59:59.999Z');
    });

    it('when overrides are given, then opened records use plain durations', () => {
      const overrides = { 'talkInquiry.reply': { due: 'PT2S', escalateAfter: 'PT2S' } };
      const { opened } = syncDeadlines(input({ activeKeys: ['talkInquiry.reply'], overrides }));
      expect(opened[0]).toMatchObject({
        dueAt: '2026-09-25T02:00:02.000Z',
        steps: { overdue: '2026-09-25T02:00:02.000Z', escalated: '2026-09-25T02:00:04.000Z' },
        calendarUncertain: false,
      });
      expect(opened[0]!.steps.warning).toBeUndefined();
    });

    it('when a count crosses into an unknown year, then the opened record is flagged', () => {
      const { opened } = syncDeadlines(input({ activeKeys: ['verification.report'], now: '2026-11-20T02:00:00Z' }));
      expect(opened[0]!.calendarUncertain).toBe(true);
    });

    it('when an active key is unknown, then it throws', () => {
      expect(() => syncDeadlines(input({ activeKeys: ['nope'] }))).toThrow(/unknown deadline key/);
    });
  });

  describe('closeDeadline', () => {
    it('when closed with an offset moment equal to dueAt, then it is met', () => {
      expect(closeDeadline(reply, '2026-10-22T23:59:59.999+08:00').status).toBe('met');
    });
  });

  describe('deadlineView', () => {
    it('when viewed, then only the API fields are shown', () => {
      expect(deadlineView(reply)).toEqual({
        key: 'talkInquiry.reply', dueAt: '2026-10-22T15:59:59.999Z', status: 'open', escalation: 'none', calendarUncertain: false, workingDaysLeft: null,
      });
    });
  });
});

describe('workingDaysLeft', () => {
  const at = (cst: string) => new Date(`${cst}+08:00`);
  const due = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();

  it('when read fifteen working days before the due day across the National Day holiday, then 15', () => {
    expect(workingDaysLeft(calendar, at('2026-09-25T10:00:00'), due('2026-10-22'))).toBe(15);
  });

  it('when read on the due day, then 0; two working days after it (a weekend between), then -2', () => {
    expect(workingDaysLeft(calendar, at('2026-10-22T09:00:00'), due('2026-10-22'))).toBe(0);
    expect(workingDaysLeft(calendar, at('2026-10-26T09:00:00'), due('2026-10-22'))).toBe(-2);
  });

  it('when the day in China differs from the UTC day (23:30 CST), then the Chinese day counts', () => {
    // 2026-10-21 23:30 CST is still the 21st in China (15:30 UTC): one working day left.
    expect(workingDaysLeft(calendar, at('2026-10-21T23:30:00'), due('2026-10-22'))).toBe(1);
  });

  it('when the view is of a closed clock or built without a calendar, then null', () => {
    const base = { key: 'talkInquiry.reply', dueAt: due('2026-10-22'), status: 'met', escalation: 'none', calendarUncertain: false, closedAt: due('2026-10-20'), openedAt: due('2026-10-01') } as any;
    expect(deadlineView(base, { calendar, now: at('2026-10-21T10:00:00') }).workingDaysLeft).toBeNull();
    expect(deadlineView({ ...base, status: 'open', closedAt: null }).workingDaysLeft).toBeNull();
    expect(deadlineView({ ...base, status: 'open', closedAt: null }, { calendar, now: at('2026-10-21T10:00:00') }).workingDaysLeft).toBe(1);
  });
});
