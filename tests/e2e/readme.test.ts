/**
 * Keeps the README true: its configuration table names every setting, and its curl tour runs as
 * written against a live server (bash + curl, the way a newcomer pastes it).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { describeConfig } from '../../config/schema';
import { withOrgChart } from '../helpers/fixtures';
import { startTestSystem, type TestSystem } from '../helpers/system';

const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const between = (start: string, end: string) => readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end));

describe('README', () => {
  describe('configuration table', () => {
    it('when read, then it names every setting of config/schema.ts', () => {
      const table = between('<!-- config:start -->', '<!-- config:end -->');
      const missing = describeConfig()
        .map((c) => c.key)
        .filter((key) => !table.includes(`\`${key}\``));
      expect(missing).toEqual([]);
    });
  });

  describe('curl tour', () => {
    let sys: TestSystem;
    let server: Server;
    beforeAll(async () => {
      sys = await startTestSystem({ workers: true });
      await withOrgChart(sys);
      server = sys.app!.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
    }, 120_000);
    afterAll(async () => {
      await new Promise((r) => server.close(r));
      await sys.stop();
    });

    it('when pasted into bash against a running server, then the case goes from clue to closed and the chains verify', async () => {
      const script = between('<!-- tour:start -->', '<!-- tour:end -->').replace(/^\s*```bash\n/, '').replace(/```\s*$/, '');
      const port = (server.address() as { port: number }).port;
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
        env: { PATH: process.env.PATH, BASE: `http://127.0.0.1:${port}/api/v1` },
        timeout: 60_000,
      });
      const states = [...stdout.matchAll(/"state":"([^"]+)"/g)].map((m) => m[1]);
      expect(states).toEqual([
        'registered',
        'dispositionReview',
        'talkInquiry.awaitingReply',
        'talkInquiry.replied',
        'talkInquiry.outcomeReview',
        'closed',
        'closed',
      ]);
      expect(stdout).toMatch(/"action":"register" .*"action":"approve"/);
      expect(stdout).toContain('"ok":true');
      expect(stdout).toContain('"sentence":"运用\\"四种形态\\"批评教育帮助和处理共1人次。其中，运用第一种形态批评教育帮助1人次，占总人次的100%');
    });
  });
});
