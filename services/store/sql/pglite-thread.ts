/**
 * The thread PGlite runs in (pglite-remote.ts starts it): the engine's work, a wasm build of
 * PostgreSQL, leaves the event loop that serves requests and runs on the machine's other core.
 *
 * It answers batches of asks strictly in the order they were asked, one batch of answers per batch
 * asked, and after each batch bumps a shared counter, so the main thread can wait for an answer
 * synchronously when it must (a read inside a transaction). Fixed statements are prepared here at
 * first use and run by `execute` with their values as literals (literal.ts).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { executeText } from './literal';

/** One statement to run: a parameterised query, plain SQL, a fixed statement, or the end. */
export type Ask =
  | { op: 'query'; text: string; params?: unknown[]; rowMode?: 'array' | 'object'; rawTypes?: number[] }
  | { op: 'exec'; text: string }
  | { op: 'hot'; name: string; text: string; values: unknown[] }
  | { op: 'close' };

/** The answer to one ask: its result, or the engine's error as plain fields (code, constraint…). */
export type Answer = { result: unknown } | { error: Record<string, unknown> };

/** What the thread is started with. */
export interface ThreadData {
  dataDir: string;
  port: MessagePort;
  /** Two Int32: [0] bumped after every batch of answers is posted; [1] set when the thread fails. */
  signal: SharedArrayBuffer;
  /** A data directory to start from (a `dumpDataDir` tarball), and compiled engine parts (tests). */
  loadDataDir?: Uint8Array<ArrayBuffer>;
  pgliteWasmModule?: WebAssembly.Module;
  initdbWasmModule?: WebAssembly.Module;
  fsBundle?: Uint8Array<ArrayBuffer>;
}

const ERROR_FIELDS = ['code', 'detail', 'constraint', 'table', 'column', 'schema', 'severity', 'hint', 'where', 'position'];

function plainError(err: unknown): Record<string, unknown> {
  const e = (err ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { message: typeof e.message === 'string' ? e.message : String(err) };
  for (const k of ERROR_FIELDS) if (e[k] !== undefined && e[k] !== null) out[k] = String(e[k]);
  return out;
}

const identity = (value: string): string => value;

async function serve(data: ThreadData): Promise<void> {
  const { port } = data;
  const signal = new Int32Array(data.signal);
  const options: PGliteOptions = {
    ...(data.loadDataDir ? { loadDataDir: new Blob([data.loadDataDir]) } : {}),
    ...(data.pgliteWasmModule ? { pgliteWasmModule: data.pgliteWasmModule } : {}),
    ...(data.initdbWasmModule ? { initdbWasmModule: data.initdbWasmModule } : {}),
    ...(data.fsBundle ? { fsBundle: new Blob([data.fsBundle]) } : {}),
  };
  let db: PGlite;
  try {
    db = await PGlite.create(data.dataDir, options);
  } catch (err) {
    port.postMessage({ failed: plainError(err) });
    return;
  }
  const prepared = new Set<string>();

  async function run(ask: Ask): Promise<unknown> {
    switch (ask.op) {
      case 'close':
        await db.close();
        return null;
      case 'exec':
        return (await db.exec(ask.text)).map((r) => ({ rows: r.rows, affectedRows: r.affectedRows }));
      case 'hot': {
        if (!prepared.has(ask.name)) {
          // PREPARE is not transactional: prepared inside a transaction that rolls back, it stays.
          await db.exec(`prepare ${ask.name} as ${ask.text}`);
          prepared.add(ask.name);
        }
        return (await db.exec(executeText(ask.name, ask.values))).at(-1)?.rows ?? [];
      }
      case 'query': {
        // drizzle passes parsers that keep some types' text as it is: named here by type id.
        const parsers = ask.rawTypes ? Object.fromEntries(ask.rawTypes.map((t) => [t, identity])) : undefined;
        const r = await db.query(ask.text, ask.params, ask.rowMode || parsers ? { rowMode: ask.rowMode, parsers } : undefined);
        return { rows: r.rows, affectedRows: r.affectedRows, fields: r.fields };
      }
    }
  }

  // What no answer can carry (a fault outside a statement) ends the thread; the flag wakes a main
  // thread that waits synchronously, which cannot see the worker's exit event meanwhile.
  const fail = (err: unknown) => {
    Atomics.store(signal, 1, 1);
    Atomics.notify(signal, 0);
    throw err;
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);

  let queue: Promise<void> = Promise.resolve();
  port.on('message', (asks: Ask[]) => {
    queue = queue.then(async () => {
      const answers: Answer[] = [];
      for (const ask of asks) {
        try {
          answers.push({ result: await run(ask) });
        } catch (err) {
          answers.push({ error: plainError(err) });
        }
      }
      port.postMessage({ answers });
      Atomics.add(signal, 0, 1);
      Atomics.notify(signal, 0);
    });
  });
  port.postMessage({ ready: true });
}

if (workerData && (workerData as Partial<ThreadData>).port) void serve(workerData as ThreadData);
