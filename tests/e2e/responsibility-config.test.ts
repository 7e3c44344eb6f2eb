/**
 * The coverage rules and the trigger thresholds are local practice, set in the environment
 * (COVERAGE_*, FREQUENCY_TRIGGER_*): a system started with other values behaves by them — in the
 * coverage view, the duty sweep's reminders and escalations, the frequency trigger and the level
 * report — where the documented defaults, run on the same data, would not. Settable clock.
 */
import type { Job } from 'bullmq';
import { DEFAULT_COVERAGE_RULES } from '../../config/coverage';
import { DEFAULT_FREQUENCY_TRIGGER } from '../../config/frequency-trigger';
import { frequencyTrigger } from '../../services/accountability';
import { orgTree } from '../../services/authz';
import { coverageSweep, loadObligations } from '../../services/talks/coverage';
import { dutyProcessor } from '../../workers/duty';
import { withOrgChart } from '../helpers/fixtures';
import { driver, type View } from '../helpers/drive';
import { startTestSystem, type TestSystem } from '../helpers/system';

let now = new Date('2026-06-15T02:00:00Z');
let sys: TestSystem;

const ENV = {
  // A collective talk covers the head's yearly talk; 10 days for the integrity talk; reminders from June; no year-end escalation.
  COVERAGE_HEAD_ANNUAL_KINDS: 'individualInterview,collectiveResponsibility',
  COVERAGE_PRE_APPOINTMENT_WITHIN_DAYS: '10',
  COVERAGE_REMINDER_FROM_MONTH: '6',
  COVERAGE_ESCALATE_UNTIL_MONTH: '0',
  // Two sanctioned cases are enough.
  FREQUENCY_TRIGGER_SANCTIONED_CASES: '2',
};

const WU = { personId: 'p-wu', name: '吴正' };
/** One run of the duty worker's processor (what a `sweep` job does), on the system's deps and clock. */
const sweep = () => dutyProcessor(sys.deps, [frequencyTrigger])({ name: 'sweep' } as Job);
const statusOf = (list: Array<{ rule: string; talked: { personId: string }; status: string }>) =>
  Object.fromEntries(list.map((o) => [`${o.rule}:${o.talked.personId}`, o.status]));

beforeAll(async () => {
  sys = await startTestSystem({ workers: false, clock: () => now, env: ENV });
  await withOrgChart(sys);
  const head = await sys.as('head1');
  for (const p of [
    { orgId: 'county', post: 'disciplineHead', personId: 'p-wu', personName: '吴正', from: '2025-01-01' },
    { orgId: 'town-a', post: 'secretary', personId: 'p-ta', personName: '唐安', from: '2025-01-01' },
    { orgId: 'town-b', post: 'secretary', personId: 'p-tb', personName: '田博', from: '2025-01-01' },
    { orgId: 'town-b', post: 'member', personId: 'p-new', personName: '新乙', from: '2026-05-20' },
  ]) {
    expect((await head.post('/api/v1/responsibility/posts', p)).status).toBe(201);
  }
  const res = await head.post('/api/v1/talks', { kind: 'collectiveResponsibility', heldOn: '2026-03-02', talker: WU, attendeeOrgIds: ['town-a'], topics: ['传导压力'] });
  expect(res.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await sys.stop();
}, 60_000);

describe('coverage rules from the environment', () => {
  it('when the view is read, then the configured talk kinds and integrity-talk period decide, where the defaults would not', async () => {
    const view = (await (await sys.as('head1')).get('/api/v1/talks/coverage?year=2026&orgId=county')).body;
    expect(statusOf(view.obligations)).toEqual({ 'headAnnual:p-ta': 'done', 'headAnnual:p-tb': 'due', 'preAppointment:p-new': 'overdue' });
    expect(view.obligations.find((o: View) => o.rule === 'preAppointment').dueOn).toBe('2026-05-30');
    const defaults = await loadObligations(sys.deps.store, await orgTree(sys.deps.store), 2026, '2026-06-15' as never, DEFAULT_COVERAGE_RULES);
    expect(statusOf(defaults)).toEqual({ 'headAnnual:p-ta': 'due', 'headAnnual:p-tb': 'due', 'preAppointment:p-new': 'due' });
  });

  it('when the sweep runs in June, then it reminds (reminder month 6) and escalates the late integrity talk; the defaults would send nothing', async () => {
    expect(await coverageSweep(sys.deps, now, DEFAULT_COVERAGE_RULES)).toEqual({ reminded: 0, escalated: 0, notifications: 0 });
    const run = await sweep();
    expect(run.coverage).toMatchObject({ reminded: 1, escalated: 1 });
    const notes = await sys.deps.store.notifications.listForUser('head1', 100);
    expect(notes.filter((n) => n.kind === 'coverageReminder').map((n) => n.body)).toEqual([expect.stringContaining('田博')]);
  });

  it('when the year is over and escalation is off (0), then the uncovered obligation stays overdue; the defaults would escalate it', async () => {
    now = new Date('2027-01-05T02:00:00Z');
    try {
      expect((await sweep()).coverage.escalated).toBe(0);
      const view = (await (await sys.as('head1')).get('/api/v1/talks/coverage?year=2026&orgId=county')).body;
      expect(statusOf(view.obligations)['headAnnual:p-tb']).toBe('overdue');
      // By the defaults both secretaries' talks are uncovered (a collective talk does not count) and escalate.
      expect((await coverageSweep(sys.deps, now, DEFAULT_COVERAGE_RULES)).escalated).toBe(2);
    } finally {
      now = new Date('2026-06-15T02:00:00Z');
    }
  });

  it('when the level report is read, then its talk coverage follows the configured rules', async () => {
    const report = (await (await sys.as('head1')).get('/api/v1/stats/pressure-by-level?year=2026&orgId=county')).body;
    const township = report.levels.find((r: View) => r.level === 'township');
    // 唐安 covered by the collective talk (configured kinds); 田博 not; 新乙's integrity talk late.
    expect(township.talks).toEqual({ obligations: 3, done: 1, rate: 33.3 });
  });
});

describe('frequency trigger thresholds from the environment', () => {
  it('when a township has two sanctioned cases, then the configured threshold (2) proposes a 一案双查 where the default (3) would not', async () => {
    const d = driver(sys);
    for (let i = 0; i < 2; i++) await d.caseIn('decided', { clue: { receivedAt: '2026-06-01' } });
    // The next day's sweep (its window ends at the sweep, exclusive).
    now = new Date('2026-06-16T02:00:00Z');
    expect(await frequencyTrigger(sys.deps, now, DEFAULT_FREQUENCY_TRIGGER)).toEqual({ proposed: 0 });
    expect((await sweep()).proposed).toBe(1);
    const inbox = (await (await sys.as('head1')).get('/api/v1/inbox')).body;
    expect(inbox.proposals).toHaveLength(1);
    expect(inbox.proposals[0].rule).toContain('阈值2件');
    expect(inbox.proposals[0].cases).toHaveLength(2);
  }, 180_000);
});
