import { isConnectionError, RedisOutageLog } from '../../services/redis/outage-log';

function recorder() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push({ level, obj, msg });
  return { lines, logger: { warn: at('warn'), error: at('error'), info: at('info') } as any };
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6391'), { code: 'ECONNREFUSED' });

describe('RedisOutageLog', () => {
  it('when fifty connections report ECONNREFUSED within one window, then one warning line, and the next window one more that counts the folded reports', () => {
    let now = 0;
    const { lines, logger } = recorder();
    const log = new RedisOutageLog(logger, 10_000, () => now);
    for (let i = 0; i < 50; i++) log.report(`worker ${i % 4}`, refused());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', obj: { err: 'connect ECONNREFUSED 127.0.0.1:6391', folded: 0 } });
    expect(JSON.stringify(lines[0])).not.toContain('    at ');
    now = 10_000;
    log.report('connection', refused());
    expect(lines).toHaveLength(2);
    expect(lines[1].obj.folded).toBe(49);
  });

  it('when Redis answers again, then one info line, and a new outage is reported at once', () => {
    let now = 0;
    const { lines, logger } = recorder();
    const log = new RedisOutageLog(logger, 10_000, () => now);
    log.report('connection', refused());
    log.recovered();
    log.recovered();
    now = 1;
    log.report('connection', refused());
    expect(lines.map((l) => l.level)).toEqual(['warn', 'info', 'warn']);
  });

  it('when an error is not about reaching Redis, then it is logged in full every time', () => {
    const { lines, logger } = recorder();
    const log = new RedisOutageLog(logger, 10_000, () => 0);
    log.report('worker reviews', new Error('ERR unknown command'));
    log.report('worker reviews', new Error('ERR unknown command'));
    expect(lines.map((l) => l.level)).toEqual(['error', 'error']);
    expect(isConnectionError(new Error('Connection is closed.'))).toBe(true);
    expect(isConnectionError(null)).toBe(false);
  });
});
