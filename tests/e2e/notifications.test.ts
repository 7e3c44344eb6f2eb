import { expectProblem } from '../helpers/drive';
import { clue, command, withOrgChart } from '../helpers/fixtures';
import { startTestSystem, type TestSystem } from '../helpers/system';

/** 消息通知: the caller's notifications, paged, marked read one by one or all at once. */
let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
  await withOrgChart(sys);
  // Three proposals: the supervisor is asked to approve three times.
  for (const title of ['通知测试一', '通知测试二', '通知测试三']) {
    const kase = (await (await sys.as('registrar1')).post('/api/v1/cases', clue({ title }))).body;
    await command(sys, 'manager1', `/api/v1/cases/${kase.id}/commands`, { type: 'assign', inspectorIds: ['inspector1'] });
    await command(sys, 'inspector1', `/api/v1/cases/${kase.id}/commands`, { type: 'proposeDisposition', method: 'talkInquiry', reason: '函询' });
  }
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

const get = async (user: string, url: string) => (await sys.as(user)).get(url);
const markRead = async (user: string, body: object) => (await sys.as(user)).post('/api/v1/notifications/read', body);

describe('notifications', () => {
  describe('GET /api/v1/notifications', () => {
    it('when there are more than a page, then pages hold them newest first without overlap, with total and unread', async () => {
      const all = (await get('supervisor1', '/api/v1/notifications?pageSize=50')).body;
      expect(all.total).toBeGreaterThanOrEqual(3);
      expect(all.unread).toBe(all.total);
      expect(all.items.every((n: any) => n.kind === 'approvalRequested' && n.readAt === null && n.userId === 'supervisor1')).toBe(true);
      const p1 = (await get('supervisor1', '/api/v1/notifications?pageSize=2&page=1')).body;
      const p2 = (await get('supervisor1', '/api/v1/notifications?pageSize=2&page=2')).body;
      expect(p1).toMatchObject({ page: 1, pageSize: 2, total: all.total });
      expect([...p1.items, ...p2.items].map((n: any) => n.id)).toEqual(all.items.slice(0, 4).map((n: any) => n.id));
      const times = all.items.map((n: any) => n.createdAt);
      expect(times).toEqual([...times].sort().reverse());
    });

    it('when the page or size is out of range, then 400 names the field', async () => {
      const res = await get('supervisor1', '/api/v1/notifications?pageSize=500');
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'pageSize' })]);
    });
  });

  describe('POST /api/v1/notifications/read', () => {
    it('when one notification is marked read, then it has readAt, the unread count drops by one and unread=true leaves it out', async () => {
      const before = (await get('supervisor1', '/api/v1/notifications?unread=true')).body;
      const target = before.items[0];
      const res = await markRead('supervisor1', { ids: [target.id] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ marked: 1, unread: before.unread - 1 });
      const after = (await get('supervisor1', '/api/v1/notifications?pageSize=50')).body;
      expect(after.items.find((n: any) => n.id === target.id).readAt).toEqual(expect.any(String));
      expect((await get('supervisor1', '/api/v1/notifications?unread=true&pageSize=50')).body.items.map((n: any) => n.id)).not.toContain(target.id);
      // Marking it again changes nothing.
      expect((await markRead('supervisor1', { ids: [target.id] })).body).toEqual({ marked: 0, unread: before.unread - 1 });
    });

    it("when a user names another user's notification, then nothing of it changes", async () => {
      const theirs = (await get('supervisor1', '/api/v1/notifications?unread=true')).body.items[0];
      expect((await markRead('inspector1', { ids: [theirs.id] })).body.marked).toBe(0);
      expect((await get('supervisor1', '/api/v1/notifications?unread=true&pageSize=50')).body.items.map((n: any) => n.id)).toContain(theirs.id);
    });

    it('when all are marked read, then the inbox shows no unread and the notifications keep their order', async () => {
      const res = await markRead('supervisor1', { all: true });
      expect(res.body.unread).toBe(0);
      expect(res.body.marked).toBeGreaterThan(0);
      const inbox = (await get('supervisor1', '/api/v1/inbox?pageSize=2')).body;
      expect(inbox.notificationPage).toMatchObject({ unread: 0, page: 1, pageSize: 2 });
      expect(inbox.notifications).toHaveLength(2);
      expect(inbox.notifications.every((n: any) => n.readAt !== null)).toBe(true);
    });

    it('when the body gives neither ids nor all, or both, then 400 and nothing is marked', async () => {
      expectProblem(await markRead('inspector1', {}), 400, 'validation_failed');
      expectProblem(await markRead('inspector1', { ids: ['x'], all: true }), 400, 'validation_failed');
      expectProblem(await markRead('inspector1', { all: false }), 400, 'validation_failed');
    });
  });
});
