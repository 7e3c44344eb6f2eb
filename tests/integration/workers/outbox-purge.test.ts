import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DuplicateError, type OutboxRow, type Store } from '../../../services/store/port';
import { startOutboxPurge, type OutboxPurge } from '../../../workers/outbox-purge';
import { freshStore, testDeps, waitFor } from './helpers';

const HOUR = 3_600_000;
/** The test's clock: a fixed instant, moved by hand. */
let now = new Date('2027-03-15T02:00:00.000Z');
const clock = () => now;
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

function row(createdAt: string): OutboxRow {
  const id = randomUUID();
  return { id, queue: 'reviews', name: 'openReview', data: { caseId: id, kind: 'primary' }, createdAt, runAt: null, deliveredAt: null };
}

/** Whether the row is still stored: inserting its id again is refused while it is. */
async function stored(store: Store, r: OutboxRow): Promise<boolean> {
  try {
    await store.outbox.insert([r]);
  } catch (err) {
    if (err instanceof DuplicateError) return true;
    throw err;
  }
  // It was gone: remove the copy just written again (delivered long ago, purged at once).
  await store.outbox.markDelivered([r.id], '2000-01-01T00:00:00.000Z');
  await store.outbox.purgeDelivered('2000-01-01T00:00:01.000Z', 1);
  return false;
}

/** Rows delivered `ages` ms before now, one undelivered row, all created an hour before the oldest delivery. */
async function outbox(store: Store, ages: number[]): Promise<{ delivered: OutboxRow[]; waiting: OutboxRow }> {
  const oldest = Math.max(...ages);
  const delivered = ages.map(() => row(ago(oldest + HOUR)));
  const waiting = row(ago(oldest + HOUR));
  await store.outbox.insert([...delivered, waiting]);
  for (const [i, r] of delivered.entries()) await store.outbox.markDelivered([r.id], ago(ages[i]));
  return { delivered, waiting };
}

describe('outbox purge', () => {
  let store: Store;
  let purge: OutboxPurge | undefined;

  beforeAll(async () => {
    store = await freshStore();
  }, 120_000);
  afterEach(async () => {
    await purge?.stop();
    purge = undefined;
    // Nothing of one test may be eligible in the next: deliver what waits, long ago, and purge it all.
    const left = await store.outbox.listUndelivered(10_000);
    await store.outbox.markDelivered(left.map((r) => r.id), '2000-01-01T00:00:00.000Z');
    while ((await store.outbox.purgeDelivered(now.toISOString(), 1000)) > 0);
  });
  afterAll(async () => {
    await store.close();
  });

  it('when rows were delivered longer ago than the retention window, then a run deletes them in bounded batches and keeps the rest', async () => {
    const { delivered, waiting } = await outbox(store, [5 * HOUR, 4 * HOUR, 3 * HOUR, 2 * HOUR, 1.5 * HOUR, 0.5 * HOUR, 60_000]);
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const deps = { ...testDeps(store, {}, clock), logger };
    purge = startOutboxPurge(deps, { retentionMs: HOUR, intervalMs: 3_600_000, batchSize: 2, maxBatches: 2 });

    // Five rows are past the hour; two batches of two per run.
    expect(await purge.run()).toEqual({ purged: 4, before: ago(HOUR), more: true });
    expect(await purge.run()).toEqual({ purged: 1, before: ago(HOUR), more: false });
    expect(await purge.run()).toEqual({ purged: 0, before: ago(HOUR), more: false });
    expect(lines.filter((l) => l.msg === 'outbox purge deleted delivered rows').map((l) => l.purged)).toEqual([4, 1]);

    const kept = await Promise.all(delivered.map((r) => stored(store, r)));
    expect(kept).toEqual([false, false, false, false, false, true, true]);
    expect((await store.outbox.listUndelivered(10)).map((r) => r.id)).toEqual([waiting.id]);

    // An hour later the rest of the delivered rows are past the window too; the waiting one stays.
    now = new Date(now.getTime() + HOUR);
    expect((await purge.run()).purged).toBe(2);
    expect((await store.outbox.listUndelivered(10)).map((r) => r.id)).toEqual([waiting.id]);
  });

  it('when its period passes, then the purge runs by itself with the configured retention', async () => {
    const { delivered } = await outbox(store, [2 * HOUR, 30_000]);
    const deps = testDeps(store, { OUTBOX_RETENTION_MS: String(HOUR), OUTBOX_PURGE_INTERVAL_MS: '1000' }, clock);
    expect(deps.config.OUTBOX_RETENTION_MS).toBe(HOUR);
    purge = startOutboxPurge(deps, { retentionMs: deps.config.OUTBOX_RETENTION_MS, intervalMs: 100 });

    await waitFor(async () => !(await stored(store, delivered[0])), 10_000, 'the old delivered row purged');
    expect(await stored(store, delivered[1])).toBe(true);
  });

  it('when the config leaves the purge settings out, then delivered rows are kept an hour and the purge runs every minute', () => {
    const { config } = testDeps(store);
    expect({ retention: config.OUTBOX_RETENTION_MS, interval: config.OUTBOX_PURGE_INTERVAL_MS }).toEqual({ retention: HOUR, interval: 60_000 });
  });
});
