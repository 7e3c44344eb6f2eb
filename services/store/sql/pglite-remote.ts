/**
 * PGlite in a thread of its own (pglite-thread.ts), and the driver on it (docs/decisions/009,
 * session 11). In-process, PGlite's wasm engine ran on the thread that serves requests: at 32
 * clients about 40 % of that thread's time, while the machine's other core idled. In its own
 * thread it runs beside the requests.
 *
 * - What is asked in one tick leaves in one message; the thread answers in the order asked.
 * - Statements go out without waiting for earlier answers (`pipelined`, as on PostgreSQL): a command
 *   on a remembered case is BEGIN, the checked compare-and-set, the flush and COMMIT in one message.
 * - PGlite has one connection. A transaction holds it until its COMMIT is sent, not answered: the
 *   next transaction's statements queue behind it in the thread.
 * - A read inside a transaction (the first command on a case, a registration) is waited for
 *   synchronously (`Atomics.wait`): the connection is the transaction's meanwhile, and an answer
 *   that came back through the event loop would wait behind every request queued there.
 */
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { Turns } from '../work-priority';
import type { RunHot, SqlDriver, TxOutcome } from './driver';
import type { Answer, Ask, ThreadData } from './pglite-thread';

/** How long a read inside a transaction may wait for the thread before the store gives up on it. */
export const THREAD_ANSWER_LIMIT_MS = 120_000;

type Pending = { resolve: (value: any) => void; reject: (err: unknown) => void };
type Reply = { answers: Answer[] } | { ready: true } | { failed: Record<string, unknown> };

/** What a thread is started with besides its directory (tests hand over a template and compiled parts). */
export type ThreadStart = Omit<ThreadData, 'dataDir' | 'port' | 'signal'>;

export class RemotePglite {
  private readonly waiting: Pending[] = [];
  private batch: Ask[] = [];
  private scheduled = false;
  private asked = 0;
  private answered = 0;
  /** The last ask a transaction's body made: `send` waits for its answer there and then. */
  private mustAnswer = 0;
  private ended: Error | undefined;
  /** True while a transaction's body runs: its asks are waited for synchronously. */
  inBody = false;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
  ) {
    port.on('message', (reply: Reply) => this.take(reply));
    worker.on('error', (err) => this.end(new Error(`PGlite 线程出错：${err.message}`)));
    worker.on('exit', (code) => {
      this.end(new Error(`PGlite 线程已退出（${code}）`));
      port.close();
    });
  }

  /** Starts the thread on `dataDir` (a directory or `memory://`) and waits until PGlite is open. */
  static async create(dataDir: string, start: ThreadStart = {}): Promise<RemotePglite> {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(8);
    const workerOptions = { workerData: { ...start, dataDir, port: port2, signal: shared } satisfies ThreadData, transferList: [port2] };
    // From the sources (tests, tsx) the thread loads its TypeScript through tsx's require hook.
    const worker = __filename.endsWith('.ts')
      ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(path.join(__dirname, 'pglite-thread.ts'))});`, { ...workerOptions, eval: true })
      : new Worker(path.join(__dirname, 'pglite-thread.js'), workerOptions);
    try {
      await new Promise<void>((resolve, reject) => {
        port1.once('message', (reply: Reply) => ('ready' in reply ? resolve() : reject(Object.assign(new Error(String((reply as { failed: { message: unknown } }).failed.message)), (reply as { failed: object }).failed))));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`PGlite 线程启动时退出（${code}）`)));
      });
    } catch (err) {
      await worker.terminate();
      port1.close();
      throw err;
    }
    worker.removeAllListeners();
    return new RemotePglite(worker, port1, new Int32Array(shared));
  }

  query<R>(text: string, params?: unknown[], options?: { rowMode?: 'array' | 'object'; parsers?: Record<number, unknown> }): Promise<{ rows: R[]; affectedRows?: number; fields: unknown[] }> {
    const rawTypes = options?.parsers ? Object.keys(options.parsers).map(Number) : undefined;
    return this.ask({ op: 'query', text, params, rowMode: options?.rowMode, rawTypes });
  }

  exec(text: string): Promise<Array<{ rows: any[]; affectedRows?: number }>> {
    return this.ask({ op: 'exec', text });
  }

  hot<R>(s: { name: string; text: string; values: unknown[] }): Promise<R[]> {
    return this.ask({ op: 'hot', name: s.name, text: s.text, values: s.values });
  }

  /** Asks for `ask`, to leave with whatever else is asked before the tick ends (`hold`: with the next ask). */
  ask(ask: Ask, hold = false): Promise<any> {
    if (this.ended) return Promise.reject(this.ended);
    this.batch.push(ask);
    this.asked++;
    if (this.inBody) this.mustAnswer = this.asked;
    if (!hold && !this.scheduled) {
      this.scheduled = true;
      process.nextTick(() => this.send());
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async close(): Promise<void> {
    if (!this.ended) await this.ask({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }

  private take(reply: Reply): void {
    if (!('answers' in reply)) return;
    this.answered += reply.answers.length;
    for (const a of reply.answers) {
      const w = this.waiting.shift();
      if (!w) continue;
      if ('error' in a) w.reject(Object.assign(new Error(String(a.error.message)), a.error));
      else w.resolve(a.result);
    }
  }

  private send(): void {
    this.scheduled = false;
    if (this.batch.length === 0 || this.ended) return;
    const batch = this.batch;
    this.batch = [];
    this.port.postMessage(batch);
    // A read of a transaction's body still running: wait here, answers taken off the port as they
    // come. (What a finished body asked leaves with its COMMIT and is not waited for.)
    const limit = performance.now() + THREAD_ANSWER_LIMIT_MS;
    while (this.inBody && this.answered < this.mustAnswer && !this.ended) {
      const seen = Atomics.load(this.signal, 0);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        this.take(received.message as Reply);
        continue;
      }
      const left = limit - performance.now();
      if (Atomics.load(this.signal, 1) === 1) return this.end(new Error('PGlite 线程出错退出'));
      if (left <= 0) return this.end(new Error(`PGlite 线程 ${THREAD_ANSWER_LIMIT_MS / 1000} 秒未应答`));
      Atomics.wait(this.signal, 0, seen, Math.min(left, 1000));
    }
  }

  /** No more answers will come: everything waiting fails with `err`, and so does every later ask. */
  private end(err: Error): void {
    this.ended ??= err;
    for (const w of this.waiting.splice(0)) w.reject(this.ended);
    void this.worker.terminate();
  }
}

/**
 * The driver on a PGlite in its own thread. One connection, so work queues for it in `Turns`
 * (system work first, work-priority.ts), but a turn ends when the work is sent, not answered: the
 * thread runs what it is sent in order, and a transaction's statements all leave before the turn
 * passes. So the next transaction may be sent before this one's COMMIT is answered: what this
 * process remembers of committed heads and deadlines is checked in the transaction that uses it, as
 * on PostgreSQL, not trusted as with in-process PGlite.
 */
export function pgliteThreadDriver(remote: RemotePglite): SqlDriver {
  const turns = new Turns(1);
  // Outside a transaction a statement needs the connection only until it is sent.
  const sent = <R>(ask: () => Promise<R>): Promise<R> => turns.run(async () => ({ answer: ask() })).then((x) => x.answer);
  const outside = { query: (...args: Parameters<RemotePglite['query']>) => sent(() => remote.query(...args)) };
  const txDb = drizzlePglite({ client: remote as unknown as PGlite });
  const hot: RunHot = (s) => remote.hot(s);
  return {
    kind: 'pglite',
    db: drizzlePglite({ client: outside as unknown as PGlite }),
    hot: (s) => sent(() => remote.hot(s)),
    pipelined: true,
    // The next transaction is sent before this one's COMMIT is answered.
    serial: false,
    // Prepared in the thread at first use.
    prepare: async () => undefined,
    transaction: async (body) => {
      const { done } = await turns.run(async () => {
        // BEGIN leaves with the body's first statement (or with the flush and COMMIT).
        const begin = remote.ask({ op: 'exec', text: 'BEGIN' }, true);
        let outcome: TxOutcome<unknown>;
        remote.inBody = true;
        try {
          outcome = await body({ db: txDb, hot, begin });
        } catch (err) {
          remote.inBody = false;
          begin.catch(() => undefined);
          void remote.exec('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          remote.inBody = false;
        }
        const [written, commit] = [outcome.finish(), remote.exec('COMMIT')] as const;
        const { result } = outcome;
        // If a held-back write failed, the engine ended the transaction and COMMIT was a ROLLBACK.
        return { done: written.finally(() => commit.catch(() => undefined)).then(() => commit).then(() => result) };
      });
      return done as never;
    },
    rawTransaction: (fn) =>
      turns.run(async () => {
        await remote.exec('BEGIN');
        try {
          const result = await fn({
            exec: async (text) => void (await remote.exec(text)),
            query: async <R>(text: string, params?: unknown[]) => (await remote.query<R>(text, params)).rows,
          });
          await remote.exec('COMMIT');
          return result;
        } catch (err) {
          await remote.exec('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    close: () => remote.close(),
  };
}
