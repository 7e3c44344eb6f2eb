import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { loadConfig } from '../../config/schema';
import { seedOrgChart } from '../../services/demo/seed';
import { createStore } from '../../services/store';
import type { Store } from '../../services/store/port';
import { startSystem, type System } from '../../composition/system';
import { expectProblem } from '../helpers/drive';
import { clue } from '../helpers/fixtures';
import { postgresAnswers, TEST_DATABASE_URL } from '../helpers/store';
import { startTestSystem, TEST_REDIS_URL, type TestSystem } from '../helpers/system';
import { withOrgChart } from '../helpers/fixtures';

/** `Idempotency-Key` on POST /cases and the command routes (docs/api.md "Idempotency"). */
let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem();
  await withOrgChart(sys);
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

const KEY = 'Idempotency-Key';
const post = async (user: string, url: string, body: object, key?: string) => {
  const req = sys.http.post(url).set('authorization', `Bearer ${await sys.token(user)}`);
  return (key ? req.set(KEY, key) : req).send(body);
};
const countByTitle = async (title: string) => (await sys.deps.store.cases.list({ q: title.toLowerCase(), page: 1, pageSize: 50 })).items.filter((c) => c.title === title).length;

describe('Idempotency-Key', () => {
  describe('POST /api/v1/cases', () => {
    it('when the same registration is posted twice with one key, then one case exists and both answers are the same', async () => {
      const body = clue({ title: '幂等登记测试一' });
      const first = await post('registrar1', '/api/v1/cases', body, 'reg-key-1');
      const second = await post('registrar1', '/api/v1/cases', body, 'reg-key-1');
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(await countByTitle('幂等登记测试一')).toBe(1);
    });

    it('when the key comes back with another body, then 422 explains it in Chinese and English, and nothing is registered', async () => {
      await post('registrar1', '/api/v1/cases', clue({ title: '幂等登记测试二' }), 'reg-key-2');
      const other = await post('registrar1', '/api/v1/cases', clue({ title: '幂等登记测试二（改）' }), 'reg-key-2');
      expectProblem(other, 422, 'idempotency_key_reused');
      expect(other.body.detail).toMatch(/已用于内容不同的另一请求/);
      expect(other.body.detail).toMatch(/already used with a different request/);
      expect(other.body.errors).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
      expect(await countByTitle('幂等登记测试二（改）')).toBe(0);
    });

    it('when a double click sends both at once, then one case is registered and both get its answer', async () => {
      const body = clue({ title: '幂等登记测试三' });
      const [a, b] = await Promise.all([post('registrar1', '/api/v1/cases', body, 'reg-key-3'), post('registrar1', '/api/v1/cases', body, 'reg-key-3')]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.body.id).toBe(a.body.id);
      expect(await countByTitle('幂等登记测试三')).toBe(1);
    });

    it('when another user sends the same key, then it is theirs: a second case is registered', async () => {
      const body = clue({ title: '幂等登记测试四' });
      const a = await post('registrar1', '/api/v1/cases', body, 'shared-key');
      const b = await post('manager1', '/api/v1/cases', body, 'shared-key');
      expect(b.status).toBe(201);
      expect(b.body.id).not.toBe(a.body.id);
      expect(await countByTitle('幂等登记测试四')).toBe(2);
    });

    it('when the key is not 1–255 visible characters, then 400 names the header and nothing is registered', async () => {
      const res = await post('registrar1', '/api/v1/cases', clue({ title: '幂等登记测试五' }), 'x'.repeat(256));
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
      expect(await countByTitle('幂等登记测试五')).toBe(0);
    });

    it('when the first request committed but never stored its answer (its process stopped), then a repeat answers the case as it is now', async () => {
      const body = clue({ title: '幂等登记测试七' });
      const first = await post('registrar1', '/api/v1/cases', body, 'reg-key-7');
      await sys.deps.store.idempotency.complete('registrar1', 'reg-key-7', null);
      const again = await post('registrar1', '/api/v1/cases', body, 'reg-key-7');
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ id: first.body.id, number: first.body.number, state: 'registered' });
      expect(await countByTitle('幂等登记测试七')).toBe(1);
    });

    it('when a request without a key is repeated, then it runs twice (the key is what makes a repeat)', async () => {
      const body = clue({ title: '幂等登记测试六' });
      await post('registrar1', '/api/v1/cases', body);
      await post('registrar1', '/api/v1/cases', body);
      expect(await countByTitle('幂等登记测试六')).toBe(2);
    });
  });

  describe('POST /api/v1/cases/:id/commands', () => {
    it('when an approval is repeated with its key, then it is applied once: same answer, one audit event, one version step', async () => {
      const kase = (await post('registrar1', '/api/v1/cases', clue({ title: '幂等命令测试' }))).body;
      await post('manager1', `/api/v1/cases/${kase.id}/commands`, { type: 'assign', inspectorIds: ['inspector1'] });
      await post('inspector1', `/api/v1/cases/${kase.id}/commands`, { type: 'proposeDisposition', method: 'talkInquiry', reason: '函询' });
      const approve = { type: 'approve', comment: '同意' };
      const first = await post('supervisor1', `/api/v1/cases/${kase.id}/commands`, approve, 'approve-1');
      const again = await post('supervisor1', `/api/v1/cases/${kase.id}/commands`, approve, 'approve-1');
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const stored = await sys.deps.store.cases.get(kase.id);
      expect(stored?.version).toBe(first.body.version);
      const history = await sys.deps.store.audit.list(kase.id);
      expect(history.filter((e) => e.action === 'approve' && e.outcome === 'accepted')).toHaveLength(1);
      // The same key on another command of the case is another request.
      expectProblem(await post('supervisor1', `/api/v1/cases/${kase.id}/commands`, { type: 'approve', comment: '再次同意' }, 'approve-1'), 422, 'idempotency_key_reused');
    });

    it('when a refused command is repeated with its key, then it is refused again (a failure stores nothing)', async () => {
      const kase = (await post('registrar1', '/api/v1/cases', clue({ title: '幂等拒绝测试' }))).body;
      const close = { type: 'close', note: '结案' };
      expectProblem(await post('manager1', `/api/v1/cases/${kase.id}/commands`, close, 'close-1'), 409, 'command_not_allowed');
      expectProblem(await post('manager1', `/api/v1/cases/${kase.id}/commands`, close, 'close-1'), 409, 'command_not_allowed');
      expect(await sys.deps.store.idempotency.get('manager1', 'close-1')).toBeNull();
    });
  });
});

const onPostgres = postgresAnswers();
if (!onPostgres) console.warn(`idempotency: the two-process run on PostgreSQL is skipped: nothing answers at ${new URL(TEST_DATABASE_URL).host}`);
const describeOnPostgres = onPostgres ? describe : describe.skip;

describeOnPostgres('Idempotency-Key across processes (two systems on one PostgreSQL database)', () => {
  const name = `test_idem_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: `/tmp/ajsc-test-${randomBytes(4).toString('hex')}`,
    DEV_JWT_SECRET: randomBytes(32).toString('hex'),
    REPORTER_KEY: randomBytes(16).toString('hex'),
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
  };
  const stores: Store[] = [];
  const systems: System[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${name}`);
    for (let i = 0; i < 2; i++) {
      const store = await createStore({ databaseUrl: url.toString(), dataDir: 'unused', auditHash: 'sm3', poolSize: 4 });
      stores.push(store);
      systems.push(await startSystem({ config: loadConfig(env), redisUrl: TEST_REDIS_URL, api: true, workers: false, store }));
    }
    await seedOrgChart(systems[0].deps);
  }, 120_000);

  afterAll(async () => {
    for (const s of systems) await s.close().catch(() => undefined);
    for (const s of stores) await s.close().catch(() => undefined);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('when a registration is repeated on the other process, then that one answers the first answer and registers nothing', async () => {
    const [a, b] = systems.map((s) => request(s.app!));
    const token = (await a.post('/api/v1/auth/dev-token').send({ userId: 'registrar1' })).body.token as string;
    const body = clue({ title: '跨进程幂等测试' });
    const first = await a.post('/api/v1/cases').set('authorization', `Bearer ${token}`).set(KEY, 'cross-1').send(body);
    const second = await b.post('/api/v1/cases').set('authorization', `Bearer ${token}`).set(KEY, 'cross-1').send(body);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expectProblem(await b.post('/api/v1/cases').set('authorization', `Bearer ${token}`).set(KEY, 'cross-1').send(clue({ title: '跨进程幂等测试（改）' })), 422, 'idempotency_key_reused');
    const listed = await stores[1].cases.list({ q: '跨进程幂等测试', page: 1, pageSize: 10 });
    expect(listed.items.map((c) => c.title)).toEqual(['跨进程幂等测试']);
  });

  it('when both processes get the same command at once, then it is applied once', async () => {
    const [a, b] = systems.map((s) => request(s.app!));
    const tok = async (userId: string) => (await a.post('/api/v1/auth/dev-token').send({ userId })).body.token as string;
    const kase = (await a.post('/api/v1/cases').set('authorization', `Bearer ${await tok('registrar1')}`).send(clue({ title: '跨进程命令幂等' }))).body;
    const manager = await tok('manager1');
    const assign = { type: 'assign', inspectorIds: ['inspector1'] };
    const [x, y] = await Promise.all([
      a.post(`/api/v1/cases/${kase.id}/commands`).set('authorization', `Bearer ${manager}`).set(KEY, 'cross-assign').send(assign),
      b.post(`/api/v1/cases/${kase.id}/commands`).set('authorization', `Bearer ${manager}`).set(KEY, 'cross-assign').send(assign),
    ]);
    expect([x.status, y.status]).toEqual([200, 200]);
    expect(y.body.version).toBe(x.body.version);
    const events = await stores[0].audit.list(kase.id);
    expect(events.filter((e) => e.action === 'assign' && e.outcome === 'accepted')).toHaveLength(1);
  });
});
