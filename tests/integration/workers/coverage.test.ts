/**
 * The coverage worker (workers/duty.ts) on real Redis under a prefix of its own, on a real PGlite
 * store, with a settable clock: reminders in the fourth quarter to the talker and the org's
 * commission heads, escalation after the year end to the commission heads above, each once however
 * often the sweep runs, and nothing before the fourth quarter.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Deps } from '../../../services/deps';
import type { PostRecord, TalkRecord } from '../../../services/store/duty-port';
import type { Store, User } from '../../../services/store/port';
import { orgTree } from '../../../services/authz';
import { loadObligations } from '../../../services/talks/coverage';
import { dropPrefix, dutyHarness, freshStore, newPrefix, seedOrgs, testDeps, testRedis } from './helpers';

let store: Store;
let redis: Redis;
let prefix: string;
let deps: Deps;
let duty: Awaited<ReturnType<typeof dutyHarness>>;
let now = new Date('2026-06-15T02:00:00Z');
let orgs: Awaited<ReturnType<typeof seedOrgs>>;
let headAccount: User;

const post = (over: Partial<PostRecord>): PostRecord => ({
  id: `post-${randomUUID()}`, orgId: '', post: 'secretary', personId: '', personName: '', title: null, portfolioOrgIds: [], portfolioDepartments: [],
  from: '2025-01-01', to: null, appointedBy: 'admin', recordedAt: '2025-01-01T00:00:00.000Z', endedBy: null, endedRecordedAt: null, endReason: null, ...over,
});

const sweep = () => duty.sweep();

const noticesOf = async (userId: string) => (await store.notifications.listForUser(userId, 100)).filter((n) => n.kind.startsWith('coverage'));

beforeAll(async () => {
  store = await freshStore();
  redis = testRedis();
  prefix = newPrefix();
  deps = testDeps(store, {}, () => now);
  orgs = await seedOrgs(store);
  headAccount = { id: `u-${randomUUID()}`, name: '吴正', orgId: orgs.county.id, roles: ['standingCommittee'], personId: 'p-wu', createdAt: now.toISOString() };
  const talk: TalkRecord = {
    id: randomUUID(), orgId: orgs.county.id, kind: 'individualInterview', heldOn: '2026-03-10', year: 2026,
    talker: { personId: 'p-wu', name: '吴正', post: 'disciplineHead', title: null, orgId: orgs.county.id },
    talkedTo: [{ personId: 'p-ts', name: '唐书记', post: 'secretary', title: null, orgId: orgs.town.id }], talkedPersonIds: ['p-ts'],
    attendeeOrgIds: [], concerns: [], topics: ['主体责任'], problems: [], commitments: [], firstFormCaseId: null, recordedBy: 'x', recordedAt: '2026-03-10T02:00:00.000Z',
  };
  await store.transaction(async (tx) => {
    await tx.users.insert(headAccount);
    await tx.duty.posts.insert(post({ orgId: orgs.county.id, post: 'disciplineHead', personId: 'p-wu', personName: '吴正' }));
    await tx.duty.posts.insert(post({ orgId: orgs.town.id, post: 'secretary', personId: 'p-ts', personName: '唐书记' }));
    await tx.duty.posts.insert(post({ orgId: orgs.town.id, post: 'disciplineHead', personId: 'p-td', personName: '丁书记' }));
    await tx.duty.talks.insert(talk);
  });
  duty = await dutyHarness(deps, redis, prefix);
}, 60_000);

afterAll(async () => {
  await duty.close();
  await dropPrefix(redis, prefix);
  await store.close();
  redis.disconnect();
});

describe('coverage worker', () => {
  it('when a sweep runs before the fourth quarter, then it sends nothing', async () => {
    const result = await sweep();
    expect(result.coverage).toEqual({ reminded: 0, escalated: 0, notifications: 0 });
    expect(await noticesOf(headAccount.id)).toEqual([]);
  });

  it('when a sweep runs in the fourth quarter, then the talker and the commission heads are reminded of the uncovered talk, once', async () => {
    now = new Date('2026-10-12T01:00:00Z');
    const first = await sweep();
    // 唐书记 was talked to; 丁书记 (the township discipline head) was not.
    expect(first.coverage).toMatchObject({ reminded: 1, escalated: 0 });
    const [reminder] = await noticesOf(headAccount.id);
    expect(reminder).toMatchObject({ kind: 'coverageReminder' });
    expect(reminder.title).toContain('2026年度纪委主要负责人年度约谈下级党委、纪委主要负责人尚未完成');
    expect(reminder.body).toContain('丁书记');
    expect((await noticesOf(orgs.users.countyHead.id)).map((n) => n.kind)).toEqual(['coverageReminder']);
    expect(await noticesOf(orgs.users.townHead.id)).toEqual([]);
    const again = await sweep();
    expect(again.coverage).toEqual({ reminded: 0, escalated: 0, notifications: 0 });
    expect(await noticesOf(headAccount.id)).toHaveLength(1);
  });

  it('when a sweep runs after the year end, then the uncovered obligation escalates once and the coverage shows it escalated', async () => {
    now = new Date('2027-01-04T01:00:00Z');
    const first = await sweep();
    expect(first.coverage).toMatchObject({ escalated: 1 });
    // The county is the top of this tree: its own commission heads receive the escalation.
    expect((await noticesOf(orgs.users.countyHead.id)).map((n) => n.kind).sort()).toEqual(['coverageEscalated', 'coverageReminder']);
    expect((await sweep()).coverage).toMatchObject({ escalated: 0, reminded: 0 });
    const notices = await store.duty.coverageNotices.list(2026);
    expect(notices.map((n) => n.kind).sort()).toEqual(['escalated', 'reminder']);
    const list = await loadObligations(store, await orgTree(store), 2026, '2027-01-04');
    expect(list.map((o) => [o.talked.personId, o.status]).sort()).toEqual([
      ['p-td', 'escalated'],
      ['p-ts', 'done'],
    ]);
  });
});
