/**
 * The peer of bench/api.ts: bpmn-engine (in memory) behind node:http, run as its own process by
 * `peerServer()` in bench/lib/harness.ts. A case is a process of six user tasks in a row; each request
 * is one step, after which the execution's state is saved (`getState()`, serialised, kept in a Map,
 * as a durable engine would write it):
 *
 *   POST /cases              starts an execution, runs to the first task, saves → 201 {id}
 *   POST /cases/:id/steps    signals the waiting task, runs to the next, saves → 200 {id, step, done}
 *
 * Nothing here is the product: it is the yardstick the issue measures the engine against. Plain
 * JavaScript run by plain `node`, as the server runs from its build (`npm start`): no loader between
 * either of them and V8.
 */
import { createServer } from 'node:http';
import { Engine } from 'bpmn-engine';

const TASKS = 6;
const tasks = Array.from({ length: TASKS }, (_, i) => `task${i + 1}`);
const flows = ['start', ...tasks, 'end'].slice(1).map((to, i, all) => ({ id: `flow${i}`, from: i === 0 ? 'start' : all[i - 1], to }));
const SOURCE = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="peer" targetNamespace="http://bpmn.io/schema/bpmn">
  <process id="caseProcess" isExecutable="true">
    <startEvent id="start" />
    ${tasks.map((t) => `<userTask id="${t}" />`).join('\n    ')}
    <endEvent id="end" />
    ${flows.map((f) => `<sequenceFlow id="${f.id}" sourceRef="${f.from}" targetRef="${f.to}" />`).join('\n    ')}
  </process>
</definitions>`;

/**
 * @typedef {object} Running
 * @property {{ signal(message: { id: string }): void, getPostponed(): Array<{ id: string }> }} execution
 * @property {{ getState(): Promise<unknown> }} engine
 * @property {number} step
 */

/** @type {Map<string, Running>} */
const running = new Map();
/** The saved states: what a durable engine would have written after each step. */
/** @type {Map<string, string>} */
const saved = new Map();
let next = 0;

/** @param {import('node:http').IncomingMessage} req */
async function body(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : null;
}

async function start() {
  const id = `c${++next}`;
  const engine = new Engine({ name: id, source: SOURCE });
  const execution = await engine.execute();
  running.set(id, { engine, execution, step: 0 });
  saved.set(id, JSON.stringify(await engine.getState()));
  return { id };
}

/** @param {string} id */
async function step(id) {
  const r = running.get(id);
  if (!r) return null;
  const waiting = r.execution.getPostponed().find((a) => a.id.startsWith('task'));
  if (!waiting) return null;
  r.execution.signal({ id: waiting.id });
  r.step++;
  saved.set(id, JSON.stringify(await r.engine.getState()));
  const done = r.step >= TASKS;
  if (done) {
    running.delete(id);
    saved.delete(id);
  }
  return { id, step: r.step, done };
}

const server = createServer(async (req, res) => {
  /** @param {number} status @param {unknown} json */
  const send = (status, json) => {
    const text = JSON.stringify(json);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  try {
    await body(req);
    const m = /^\/cases(?:\/([^/]+)\/steps)?$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return send(404, { error: 'not found' });
    if (!m[1]) return send(201, await start());
    const done = await step(m[1]);
    return done ? send(200, done) : send(404, { error: 'no such case' });
  } catch (err) {
    send(500, { error: err instanceof Error ? err.message : String(err) });
  }
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : null }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
