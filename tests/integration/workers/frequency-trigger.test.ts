/**
 * The 一案双查 frequency trigger run by the duty worker (workers/duty.ts) on real Redis under a
 * prefix of its own and a real PGlite store, with a settable clock: a unit whose sanctioned cases
 * reach the threshold within the window is proposed to the commission head of the org above, once;
 * a unit below the threshold, or whose cases fell out of the window, is not.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { frequencyTrigger } from '../../../services/accountability';
import { invalidateOrgTree } from '../../../services/authz';
import type { Deps } from '../../../services/deps';
import type { DispositionRecord, Store } from '../../../services/store/port';
import { caseRecord, dropPrefix, dutyHarness, freshStore, newPrefix, seedOrgs, testDeps, testRedis } from './helpers';

let store: Store;
let redis: Redis;
let prefix: string;
let deps: Deps;
let duty: Awaited<ReturnType<typeof dutyHarness>>;
const now = new Date('2026-06-15T02:00:00Z');
let orgs: Awaited<ReturnType<typeof seedOrgs>>;

const disposition = (orgId: string, caseId: string, form: 1 | 2 | 3, decidedAt: string): DispositionRecord => ({
  id: randomUUID(), caseId, reviewId: null, personId: `p-${randomUUID()}`, personName: '某人', rank: 'staff', orgId, orgLevel: 'township',
  measure: form === 3 ? 'removalFromPartyPost' : form === 2 ? 'partySeriousWarning' : 'criticismEducation', form, decidedAt, revokedAt: null,
});

const sweep = () => duty.sweep();

beforeAll(async () => {
  store = await freshStore();
  redis = testRedis();
  prefix = newPrefix();
  deps = testDeps(store, {}, () => now);
  orgs = await seedOrgs(store);
  // Two sanctioned cases in the window and one long before it; a first-form case does not count.
  await store.dispositions.insertMany([
    disposition(orgs.town.id, 'c-1', 2, '2026-03-01T02:00:00.000Z'),
    disposition(orgs.town.id, 'c-2', 2, '2026-04-01T02:00:00.000Z'),
    disposition(orgs.town.id, 'c-old', 3, '2024-01-01T02:00:00.000Z'),
    disposition(orgs.town.id, 'c-mild', 1, '2026-05-01T02:00:00.000Z'),
  ]);
  duty = await dutyHarness(deps, redis, prefix, [frequencyTrigger]);
}, 60_000);

afterAll(async () => {
  await duty.close();
  await dropPrefix(redis, prefix);
  await store.close();
  redis.disconnect();
});

describe('frequency trigger', () => {
  it('when a unit is below the thresholds in the window, then nothing is proposed', async () => {
    expect((await sweep()).proposed).toBe(0);
    expect(await store.duty.proposals.list({})).toEqual([]);
  });

  it('when a third sanctioned case is decided, then a 一案双查 of the unit is proposed to the commission head above, with its cases, once', async () => {
    await store.dispositions.insertMany([disposition(orgs.town.id, 'c-3', 2, '2026-06-01T02:00:00.000Z')]);
    expect((await sweep()).proposed).toBe(1);
    const [p] = await store.duty.proposals.list({});
    expect(p).toMatchObject({ unitOrgId: orgs.town.id, orgId: orgs.county.id, status: 'open', caseIds: ['c-1', 'c-2', 'c-3'] });
    expect(p.rule).toContain('3件案件给予处分');
    const [note] = await store.notifications.listForUser(orgs.users.countyHead.id, 10);
    expect(note).toMatchObject({ kind: 'dualProposal', title: `建议对${orgs.town.name}领导班子启动一案双查` });
    expect(await store.notifications.listForUser(orgs.users.townHead.id, 10)).toEqual([]);
    expect((await sweep()).proposed).toBe(0);
    expect(await store.duty.proposals.list({})).toHaveLength(1);
  });

  it('when another unit has two person-times in forms 3–4 in one case, or one major case with a sanction, then each is proposed on that ground', async () => {
    const at = now.toISOString();
    const serious = { id: `town-s-${randomUUID()}`, name: '某乡纪委', level: 'township' as const, parentId: orgs.county.id, partyCommittee: '某乡党委', disciplineBody: '某乡纪委', createdAt: at };
    const major = { ...serious, id: `town-m-${randomUUID()}`, name: '某街道纪委' };
    const majorCase = caseRecord(orgs.county.id, [], { data: { major: true } });
    await store.transaction(async (tx) => {
      await tx.orgs.insert(serious);
      await tx.orgs.insert(major);
      await tx.cases.insert(majorCase);
    });
    // Written behind the services' back: the cached org tree learns of the new units.
    invalidateOrgTree(store);
    await store.dispositions.insertMany([
      disposition(serious.id, 'c-s', 3, '2026-05-01T02:00:00.000Z'),
      disposition(serious.id, 'c-s', 3, '2026-05-01T02:00:00.000Z'),
      disposition(major.id, majorCase.id, 2, '2026-05-02T02:00:00.000Z'),
    ]);
    expect((await sweep()).proposed).toBe(2);
    const byUnit = new Map((await store.duty.proposals.list({})).map((p) => [p.unitOrgId, p]));
    expect(byUnit.get(serious.id)).toMatchObject({ caseIds: ['c-s'], status: 'open' });
    expect(byUnit.get(serious.id)!.rule).toContain('第三、四种形态处理2人次');
    expect(byUnit.get(major.id)).toMatchObject({ caseIds: [majorCase.id] });
    expect(byUnit.get(major.id)!.rule).toContain('发生重大案件1件');
  });
});
