import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// No Docker engine runs here: the compose file and Dockerfile are kept correct by checking what they must contain.
const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, any>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const svc = (name: string) => compose.services[name];
const flat = (cmd: string[] | string) => (Array.isArray(cmd) ? cmd.join(' ') : cmd);

describe('docker-compose.yml', () => {
  describe('mongo', () => {
    it('when parsed, then MongoDB runs as a replica set that the compose file itself initialises', () => {
      expect(flat(svc('mongo').command)).toMatch(/--replSet rs0/);
      expect(flat(svc('mongo').healthcheck.test)).toMatch(/rs\.initiate\(/);
      expect(svc('api').environment.MONGODB_URI).toMatch(/replicaSet=rs0/);
      expect(svc('worker').environment.MONGODB_URI).toMatch(/replicaSet=rs0/);
    });
  });

  describe('redis', () => {
    it('when parsed, then Redis persists with AOF and never evicts (BullMQ production advice)', () => {
      const cmd = flat(svc('redis').command);
      expect(cmd).toMatch(/--appendonly yes/);
      expect(cmd).toMatch(/--maxmemory-policy noeviction/);
      expect(svc('redis').volumes.length).toBeGreaterThan(0);
    });
  });

  describe('api and worker', () => {
    it('when parsed, then both come from the one Dockerfile with their own commands and wait for healthy dependencies', () => {
      for (const name of ['api', 'worker', 'api-pg', 'worker-pg']) {
        expect(svc(name).build).toBe('.');
        expect(svc(name).environment.REDIS_URL).toBe('redis://redis:6379');
        expect(svc(name).environment.NODE_ENV).toBe('production');
        expect(svc(name).environment.AUTH_MODE).toBe('jwt');
        expect(svc(name).environment.SEED_DEMO).toBe('false');
      }
      expect(flat(svc('api').command)).toContain('dist/services/main.js');
      expect(flat(svc('worker').command)).toContain('dist/workers/main.js');
      expect(svc('api').depends_on.mongo.condition).toBe('service_healthy');
      expect(svc('worker').depends_on.redis.condition).toBe('service_healthy');
    });

    it('when parsed, then every service has a health check', () => {
      for (const [name, s] of Object.entries(compose.services)) {
        expect({ name, healthcheck: Boolean(s.healthcheck?.test) }).toEqual({ name, healthcheck: true });
      }
    });
  });

  describe('postgres profile', () => {
    it('when the postgres profile is chosen, then API and workers run on PostgreSQL instead of MongoDB', () => {
      for (const name of ['postgres', 'api-pg', 'worker-pg']) expect(svc(name).profiles).toEqual(['postgres']);
      for (const name of ['api-pg', 'worker-pg']) {
        expect(svc(name).environment.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
        expect(svc(name).environment.MONGODB_URI).toBeUndefined();
      }
      for (const name of ['mongo', 'redis', 'api', 'worker']) expect(svc(name).profiles).toBeUndefined();
    });
  });
});

describe('Dockerfile', () => {
  it('when read, then it is multi-stage, runs as a non-root user and starts what the build emits', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER \w+/m);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(pkg.scripts.build).toContain('tsc');
    expect(pkg.scripts.start).toContain('dist/services/main.js');
    expect(pkg.scripts['start:worker']).toContain('dist/workers/main.js');
  });

  it('when read, then both stages run on Node 24 LTS, which package.json engines admits, and the console is built into the image', () => {
    expect(dockerfile.match(/^FROM node:24-bookworm-slim/gm)?.length).toBe(2);
    expect(pkg.engines.node).toMatch(/>=22/);
    expect(dockerfile).toMatch(/^COPY console \.\/console$/m);
    expect(dockerfile).toMatch(/build-console/);
  });

  it('when the build context is sent, then .dockerignore keeps out dependencies, builds, data and secrets', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', 'data', '.git', '.env', 'coverage']) expect(ignored).toContain(entry);
  });
});
