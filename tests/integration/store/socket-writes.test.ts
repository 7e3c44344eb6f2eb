/**
 * What a statement costs on the wire to PostgreSQL: pg writes each protocol message on its own
 * (four or five system calls for one parameterised statement); `corkEachTick` sends all that one
 * connection is given in a tick in one write. Counted on the socket of a real connection.
 */
import pg from 'pg';
import { corkEachTick, openPostgres } from '../../../services/store/sql/driver';
import { postgresAnswers, TEST_DATABASE_URL } from '../../helpers/store';

const run = postgresAnswers() ? describe : describe.skip;
if (!postgresAnswers()) console.log('socket-writes.test.ts: skipped, nothing answers on 127.0.0.1:5432');

/** Counts the writes that reach the socket (one per system call: `_write` or `_writev`). */
function countWrites(client: pg.ClientBase): () => number {
  type Write = (...args: unknown[]) => unknown;
  const stream = (client as unknown as { connection: { stream: { _write: Write; _writev?: Write } } }).connection.stream;
  let writes = 0;
  for (const name of ['_write', '_writev'] as const) {
    const original = stream[name];
    if (typeof original !== 'function') continue;
    stream[name] = function (this: unknown, ...args: unknown[]) {
      writes++;
      return original.apply(this, args);
    } as Write;
  }
  return () => writes;
}

run('pg socket writes', () => {
  async function client(corked: boolean): Promise<pg.Client> {
    // Pipelining, as the driver's pool: statements go out before earlier answers are in.
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL, pipeline: true } as pg.ClientConfig);
    await c.connect();
    if (corked) corkEachTick(c);
    return c;
  }
  const threeStatements = (c: pg.Client) =>
    Promise.all([c.query('BEGIN'), c.query({ name: 't_sw_1', text: 'select $1::int as n', values: [1] }), c.query({ text: 'select $1::text as s', values: ['x'] }), c.query('COMMIT')]);

  it('when four statements are sent in one tick, then they leave in one write (and in many without it)', async () => {
    const plain = await client(false);
    const corked = await client(true);
    try {
      const plainWrites = countWrites(plain);
      const corkedWrites = countWrites(corked);
      await threeStatements(plain);
      await threeStatements(corked);
      expect(corkedWrites()).toBe(1);
      expect(plainWrites()).toBeGreaterThanOrEqual(4);
    } finally {
      await plain.end();
      await corked.end();
    }
  });

  it('when the driver runs a transaction, then the answers are right and every pooled connection is corked per tick', async () => {
    const driver = openPostgres(TEST_DATABASE_URL, 2);
    try {
      const result = await driver.transaction(async (conn) => {
        const rows = await conn.hot<{ n: number }>({ name: 't_sw_2', text: 'select $1::int + 1 as n', values: [41] });
        return { result: rows[0].n, finish: async () => undefined };
      });
      expect(result).toBe(42);
      const [a, b] = await Promise.all([driver.hot<{ n: number }>({ name: 't_sw_3', text: 'select $1::int as n', values: [7] }), driver.hot<{ n: number }>({ name: 't_sw_3', text: 'select $1::int as n', values: [8] })]);
      expect([a[0].n, b[0].n]).toEqual([7, 8]);
    } finally {
      await driver.close();
    }
  });
});
