/**
 * Talk coverage and the 上热中温下冷 counts aggregated in the database (services/store/sql/coverage.ts)
 * give the same answers as the straightforward computation over the rows read into the process
 * (services/talks/coverage.ts `obligations`, `firstCoveringIn`; the level report without `stats`),
 * on a small map and ledger with the edge cases: a post ending mid-year (the former discipline head's
 * talk counts), a leader covered twice and on one day by two talks (the first, by id), talks of the
 * year before and after, a collective talk that members' talks must follow, an org without one
 * (waiting), a 任前廉政谈话 of a December appointment held in January, and one held before the
 * appointment. PGlite always, PostgreSQL when it answers.
 */
import type { Deps } from '../../../services/deps';
import { orgTree } from '../../../services/authz';
import { levelReport } from '../../../services/responsibility/levels';
import { coverageView, firstCoveringIn, loadObligations, obligations } from '../../../services/talks/coverage';
import { DEFAULT_COVERAGE_RULES } from '../../../config/coverage';
import type { CoverageMatchQuery, PostRecord, TalkKind, TalkRecord } from '../../../services/store/duty-port';
import type { DeadlineRecord, Org, Store, User } from '../../../services/store/port';
import type { RectificationRecord } from '../../../services/store/duty-port';
import { pgliteHarness, postgresAnswers, postgresHarness, type MakeHarness, type StoreHarness } from '../../helpers/store';

const at = '2026-01-01T00:00:00.000Z';
const org = (id: string, level: Org['level'], parentId: string | null): Org => ({ id, name: `单位${id}`, level, parentId, partyCommittee: null, disciplineBody: null, createdAt: at });
const ORGS = [org('c', 'county', null), org('t1', 'township', 'c'), org('t2', 'township', 'c'), org('t3', 'township', 'c'), org('v1', 'village', 't1')];

const post = (id: string, orgId: string, kind: PostRecord['post'], personId: string, from: string, to: string | null = null, portfolioOrgIds: string[] = []): PostRecord => ({
  id, orgId, post: kind, personId, personName: `姓名${personId}`, title: null, portfolioOrgIds, portfolioDepartments: [], from, to,
  appointedBy: 'admin', recordedAt: at, endedBy: to ? 'admin' : null, endedRecordedAt: to ? at : null, endReason: null,
});

const POSTS = [
  post('c-sec', 'c', 'secretary', 'cs', '2024-01-01'),
  // The discipline head changes mid-year: the former's talks count for the new one's obligations.
  post('c-head-1', 'c', 'disciplineHead', 'h1', '2024-01-01', '2026-06-30'),
  post('c-head-2', 'c', 'disciplineHead', 'h2', '2026-07-01'),
  post('c-m1', 'c', 'member', 'm1', '2024-01-01', null, ['t1', 't2']),
  // A member who left in May; his successor oversees t3 from June.
  post('c-m2', 'c', 'member', 'm2', '2024-01-01', '2026-05-31', ['t3']),
  post('c-m3', 'c', 'member', 'm3', '2026-06-01', null, ['t3']),
  post('t1-sec-old', 't1', 'secretary', 't1s-old', '2023-01-01', '2026-04-30'),
  post('t1-sec-new', 't1', 'secretary', 't1s', '2026-05-01'),
  post('t1-head', 't1', 'disciplineHead', 't1d', '2024-01-01'),
  // t1 has no collective talk in 2026: its member's obligations wait for it.
  post('t1-m', 't1', 'member', 't1m', '2024-01-01', null, ['v1']),
  post('t2-sec', 't2', 'secretary', 't2s', '2024-01-01'),
  // Appointed in December: the 任前廉政谈话 may be held in January.
  post('t2-head', 't2', 'disciplineHead', 't2d', '2026-12-10'),
  post('t3-sec', 't3', 'secretary', 't3s', '2024-01-01'),
  post('t3-head', 't3', 'disciplineHead', 't3d', '2024-01-01'),
  post('v1-sec', 'v1', 'secretary', 'v1s', '2024-01-01'),
];

const talk = (id: string, orgId: string, kind: TalkKind, heldOn: string, talker: string, talked: string[], attendeeOrgIds: string[] = []): TalkRecord => ({
  id, orgId, kind, heldOn, year: Number(heldOn.slice(0, 4)),
  talker: { personId: talker, name: `姓名${talker}`, post: null, title: null, orgId },
  talkedTo: talked.map((p) => ({ personId: p, name: `姓名${p}`, post: null, title: null, orgId })), talkedPersonIds: talked,
  attendeeOrgIds, concerns: [], topics: ['主体责任'], problems: [], commitments: [], firstFormCaseId: null, recordedBy: 'x', recordedAt: at,
});

const TALKS = [
  talk('k-prev', 'c', 'individualInterview', '2025-11-10', 'h1', ['t2s']), // the year before: does not count
  talk('k-next', 'c', 'individualInterview', '2027-02-01', 'h2', ['t2s']), // the year after: does not count
  talk('k-h1-t1d', 'c', 'individualInterview', '2026-03-01', 'h1', ['t1d']), // by the former head: counts
  talk('k-h2-t1d', 'c', 'integrityInterview', '2026-08-01', 'h2', ['t1d']), // covered again later
  talk('k-b-tie', 'c', 'collectiveInterview', '2026-09-01', 'h2', [], ['t3']), // t3's leaders attend
  talk('k-a-tie', 'c', 'individualInterview', '2026-09-01', 'h2', ['t3s']), // same day: the first by id wins
  talk('k-heart-wrong-kind', 'c', 'heartToHeart', '2026-02-01', 'h2', ['t2d']), // not a kind the head rule counts
  talk('k-collective', 'c', 'collectiveResponsibility', '2026-02-01', 'cs', [], ['t1', 't2', 't3']),
  talk('k-m1-early', 'c', 'heartToHeart', '2026-01-15', 'm1', ['t1d']), // before the collective talk: does not count
  talk('k-m1-two', 'c', 'heartToHeart', '2026-04-01', 'm1', ['t2d', 't2s', 't2s']), // two (and one twice) in one talk
  talk('k-m1-t1s-old', 'c', 'reminder', '2026-03-01', 'm1', ['t1s-old']), // a leader no longer in office at the year end
  talk('k-m2-t3s', 'c', 'heartToHeart', '2026-03-01', 'm2', ['t3s']), // the former member's talk: not his successor's
  talk('k-m3-t3d', 'c', 'heartToHeart', '2026-07-01', 'm3', ['t3d']),
  talk('k-t1m-v1s', 't1', 'heartToHeart', '2026-05-01', 't1m', ['v1s']), // t1 had no collective talk: waiting
  talk('k-t1d-v1s', 't1', 'individualInterview', '2026-10-01', 't1d', ['v1s']),
  talk('k-pre-t1s', 't1', 'preAppointmentIntegrity', '2026-04-25', 'cs', ['t1s']), // before the appointment, within 30 days
  talk('k-pre-t2d', 't2', 'preAppointmentIntegrity', '2027-01-05', 'cs', ['t2d']), // January, for a December appointment
  talk('k-pre-m3-late', 'c', 'preAppointmentIntegrity', '2026-08-15', 'cs', ['m3']), // 75 days after: too late
];

const rectification = (id: string, unitOrgId: string, state: string, createdAt: string): RectificationRecord => ({
  id, orgId: 'c', machineId: 'rectification', machineVersion: 1, snapshot: {}, state, version: 1, createdAt, updatedAt: createdAt,
  sourceType: 'case', sourceId: `case-${id}`, unitOrgId, assignees: [], data: {},
});

const deadline = (id: string, orgId: string, key: DeadlineRecord['key'], dueAt: string, status: DeadlineRecord['status'], escalation: DeadlineRecord['escalation']): DeadlineRecord => ({
  id, aggregateType: 'case', aggregateId: `case-${id}`, orgId, key, openedAt: '2025-12-01T00:00:00.000Z', dueAt, steps: {}, status, escalation, calendarUncertain: false, closedAt: null,
});

const user = (orgId: string): User => ({ id: 'u', name: '审查', orgId, roles: ['commissionHead'], personId: null, createdAt: at });

/** The same store without its database-side statistics: the services compute from the rows. */
const withoutStats = (store: Store): Store => Object.create(store, { stats: { value: undefined } }) as Store;

function describeCoverage(name: string, make: MakeHarness): void {
  describe(`talk coverage in the database (${name})`, () => {
    let h: StoreHarness;
    let store: Store;

    beforeAll(async () => {
      h = await make({ auditHash: 'sha256' });
      store = h.store;
      await store.transaction(async (tx) => {
        for (const o of ORGS) await tx.orgs.insert(o);
        for (const p of POSTS) await tx.duty.posts.insert(p);
        for (const t of TALKS) await tx.duty.talks.insert(t);
        await tx.duty.rectifications.insert(rectification('r1', 't1', 'accepted', '2026-03-01T00:00:00.000Z'));
        await tx.duty.rectifications.insert(rectification('r2', 't1', 'reporting.awaitingReport', '2026-05-01T00:00:00.000Z'));
        await tx.duty.rectifications.insert(rectification('r3', 'v1', 'accepted', '2025-12-31T15:59:59.000Z')); // 2025 in China time
        await tx.deadlines.insert(deadline('d1', 't2', 'clue.disposition', '2026-02-01T00:00:00.000Z', 'met', 'none'));
        await tx.deadlines.insert(deadline('d2', 't2', 'clue.disposition', '2026-03-01T00:00:00.000Z', 'metLate', 'escalated'));
        await tx.deadlines.insert(deadline('d3', 't3', 'clue.disposition', '2026-03-01T00:00:00.000Z', 'open', 'none'));
        await tx.deadlines.insert(deadline('d4', 'v1', 'clue.disposition', '2027-03-01T00:00:00.000Z', 'met', 'escalated')); // due the next year
      });
    }, 60_000);

    afterAll(async () => {
      await h.dispose();
    });

    it('when the obligations are matched in the database, then they equal those matched over the talks read into the process, on every day of the year', async () => {
      const tree = await orgTree(store);
      for (const asOf of ['2026-01-10', '2026-03-15', '2026-10-01', '2026-12-31', '2027-01-20'] as const) {
        const [posts, facts, next, notices] = await Promise.all([
          store.duty.posts.list({ overlapping: { from: '2026-01-01', to: '2026-12-31' } }),
          store.duty.talks.facts({ year: 2026 }),
          store.duty.talks.facts({ year: 2027, kinds: ['preAppointmentIntegrity'] }),
          store.duty.coverageNotices.list(2026),
        ]);
        const expected = obligations({ year: 2026, asOf, tree, posts, facts: [...facts, ...next], notices, rules: DEFAULT_COVERAGE_RULES });
        expect(expected.length).toBeGreaterThan(10);
        expect(await loadObligations(store, tree, 2026, asOf)).toEqual(expected);
        expect(await loadObligations(withoutStats(store), tree, 2026, asOf)).toEqual(expected);
      }
    });

    it('when the year has ended, then each edge case has the status and the talk the rules give it', async () => {
      const list = await loadObligations(store, await orgTree(store), 2026, '2027-01-20');
      const of = (key: string) => {
        const o = list.find((x) => x.key === key);
        return o && [o.status, o.doneBy?.talkId ?? null];
      };
      expect(of('headAnnual:c:t1:t1d')).toEqual(['done', 'k-h1-t1d']); // the former head's, the first of two
      expect(of('headAnnual:c:t1:t1s')).toEqual(['overdue', null]);
      expect(of('headAnnual:c:t1:t1s-old')).toBeUndefined(); // no longer in office
      expect(of('headAnnual:c:t2:t2s')).toEqual(['overdue', null]); // talks of 2025 and 2027 do not count
      expect(of('headAnnual:c:t2:t2d')).toEqual(['overdue', null]); // a heart-to-heart talk does not count for 约谈
      expect(of('headAnnual:c:t3:t3s')).toEqual(['done', 'k-a-tie']); // same day: the first by id
      expect(of('headAnnual:c:t3:t3d')).toEqual(['done', 'k-b-tie']); // attended the collective 约谈
      expect(of('headAnnual:t1:v1:v1s')).toEqual(['done', 'k-t1d-v1s']);
      expect(of('memberPortfolio:m1:t1:t1d')).toEqual(['overdue', null]); // talked to before the collective talk
      expect(of('memberPortfolio:m1:t2:t2s')).toEqual(['done', 'k-m1-two']);
      expect(of('memberPortfolio:m1:t2:t2d')).toEqual(['done', 'k-m1-two']);
      expect(of('memberPortfolio:m3:t3:t3s')).toEqual(['overdue', null]); // his predecessor's talk is not his
      expect(of('memberPortfolio:m3:t3:t3d')).toEqual(['done', 'k-m3-t3d']);
      expect(of('memberPortfolio:t1m:v1:v1s')).toEqual(['overdue', null]);
      expect(of('preAppointment:t1-sec-new')).toEqual(['done', 'k-pre-t1s']);
      expect(of('preAppointment:t2-head')).toEqual(['done', 'k-pre-t2d']);
      expect(of('preAppointment:c-m3')).toEqual(['overdue', null]);
      const waiting = await loadObligations(store, await orgTree(store), 2026, '2026-10-01');
      expect(waiting.find((o) => o.key === 'memberPortfolio:t1m:v1:v1s')?.status).toBe('waiting');
    });

    it('when requests are matched in the database, then each gets the first covering talk of its kinds, years and dates, as over the rows', async () => {
      const facts = [...(await store.duty.talks.facts({ year: 2025 })), ...(await store.duty.talks.facts({ year: 2026 })), ...(await store.duty.talks.facts({ year: 2027 }))];
      const queries: CoverageMatchQuery[] = [
        {
          years: [2026],
          kinds: ['individualInterview', 'integrityInterview', 'collectiveInterview'],
          requests: [
            { talkerPersonIds: ['h1', 'h2'], personId: 't1d', orgId: 't1', from: '2026-01-01', to: '2026-12-31' },
            { talkerPersonIds: ['h2'], personId: 't1d', orgId: 't1', from: '2026-01-01', to: '2026-12-31' },
            { talkerPersonIds: ['h2'], personId: 't1d', orgId: null, from: '2026-08-02', to: '2026-12-31' },
            { talkerPersonIds: [], personId: 't1d', orgId: 't1', from: '2026-01-01', to: '2026-12-31' },
            { talkerPersonIds: ['h2'], personId: 'nobody', orgId: 't3', from: '2026-01-01', to: '2026-12-31' },
            { talkerPersonIds: null, personId: 't3s', orgId: 't3', from: '2026-01-01', to: '2026-12-31' },
            { talkerPersonIds: null, personId: 't2s', orgId: null, from: '2025-01-01', to: '2027-12-31' },
            { talkerPersonIds: ['h1'], personId: 't2s', orgId: null, from: '2026-12-31', to: '2026-01-01' },
          ],
        },
        { years: [2025, 2027], kinds: ['individualInterview', 'preAppointmentIntegrity'], requests: [{ talkerPersonIds: null, personId: 't2s', orgId: null, from: '2025-01-01', to: '2027-12-31' }, { talkerPersonIds: null, personId: 't2d', orgId: null, from: '2026-12-01', to: '2027-01-31' }] },
        { years: [2026], kinds: [], requests: [{ talkerPersonIds: ['h2'], personId: 't1d', orgId: null, from: '2026-01-01', to: '2026-12-31' }] },
        { years: [2026], kinds: ['heartToHeart'], requests: [] },
      ];
      const expected = queries.map((q) => firstCoveringIn(facts.filter((f) => q.years.includes(Number(f.heldOn.slice(0, 4)))), q));
      expect(expected[0].map((t) => t?.talkId ?? null)).toEqual(['k-h1-t1d', 'k-h2-t1d', null, null, 'k-b-tie', 'k-a-tie', null, null]);
      expect(expected[1].map((t) => t?.talkId ?? null)).toEqual(['k-prev', 'k-pre-t2d']);
      expect(await store.stats!.firstCoveringTalks(queries)).toEqual(expected);
    });

    it('when the level report and the coverage view are aggregated in the database, then they equal those computed from the rows', async () => {
      const deps = (s: Store) => ({ store: s, clock: () => new Date('2027-01-20T02:00:00Z'), policy: { coverage: DEFAULT_COVERAGE_RULES } }) as unknown as Deps;
      for (const root of ['c', 't1']) {
        const report = await levelReport(deps(store), user(root), { year: 2026 });
        expect(await levelReport(deps(withoutStats(store)), user(root), { year: 2026 })).toEqual(report);
        const view = await coverageView(deps(store), user(root), { year: 2026 });
        expect(await coverageView(deps(withoutStats(store)), user(root), { year: 2026 })).toEqual(view);
      }
      const report = await levelReport(deps(store), user('c'), { year: 2026 });
      const township = report.levels.find((l) => l.level === 'township')!;
      expect(township.rectifications).toEqual({ opened: 2, completed: 1, rate: 50 });
      expect(township.clues).toEqual({ disposalClocks: 2, metWithinMonth: 1, share: 50 });
      expect(report.levels.find((l) => l.level === 'county')!.escalationsReceived).toBe(1);
      expect(report.levels.find((l) => l.level === 'village')!.rectifications.opened).toBe(0);
    });
  });
}

describeCoverage('pglite', pgliteHarness);
if (postgresAnswers()) describeCoverage('postgres', postgresHarness);
else console.warn('coverage-sql: PostgreSQL run skipped: nothing answers at TEST_DATABASE_URL');
