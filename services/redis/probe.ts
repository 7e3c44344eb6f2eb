import { Socket } from 'node:net';

export type ProbeTarget = { path: string } | { host: string; port: number };

/**
 * Sends PING over a raw socket (no client, no retries): `pong`, `auth` (a password is needed) or
 * `none` (nothing listens, or it is not Redis).
 */
export function probeRedis(target: ProbeTarget, timeoutMs: number, password?: string | null): Promise<'pong' | 'auth' | 'none'> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let reply = '';
    const done = (result: 'pong' | 'auth' | 'none') => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done('none'));
    socket.once('error', () => done('none'));
    const ping = () => socket.write(password ? `AUTH ${password}\r\nPING\r\n` : 'PING\r\n');
    if ('path' in target) socket.connect(target.path, ping);
    else socket.connect(target.port, target.host, ping);
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('+PONG')) done('pong');
      else if (/NOAUTH|WRONGPASS|invalid password/i.test(reply)) done('auth');
      else if (reply.startsWith('-')) done('none');
    });
  });
}
