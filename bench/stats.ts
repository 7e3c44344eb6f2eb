/**
 * The four-forms report over 1,000,000 dispositions in 10,000 orgs: target ≤ 1 s on
 * PostgreSQL and ≤ 3 s on PGlite. The aggregation runs in the database (`store.stats.fourForms`:
 * one (case, person) at its most severe form, then counts by form, rank and org level); the org
 * subtree comes from the org tree, as the service computes it.
 *
 *   npx tsx bench/stats.ts [--rows 1000000] [--orgs 10000] [--stores pglite,postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OrgTree } from '../services/authz/org-tree';
import { fourFormsReport } from '../services/stats/four-forms';
import { createStore } from '../services/store';
import type { Org, Store } from '../services/store/port';
import { arg, bestAndMedian, benchDatabase, thrice } from './lib/harness';

const ROWS = Number(arg('rows', '1000000'));
const ORGS = Number(arg('orgs', '10000'));
const STORES = arg('stores', 'pglite,postgres').split(',');

/** 1 province ▸ 9 prefectures ▸ counties ▸ townships ▸ villages, ORGS in all; dispositions spread over them. */
const FILL = `
insert into orgs (id, name, level, parent_id, created_at)
select 'o' || g, '单位' || g,
  case when g = 1 then 'province' when g <= 10 then 'prefecture' when g <= 100 then 'county' when g <= 1000 then 'township' else 'village' end,
  case when g = 1 then null when g <= 10 then 'o1' when g <= 100 then 'o' || (2 + g % 9) when g <= 1000 then 'o' || (11 + g % 90) else 'o' || (101 + g % 900) end,
  now()
from generate_series(1, $1::int) g;
insert into dispositions (id, case_id, review_id, person_id, person_name, rank, org_id, org_level, measure, form, decided_at, revoked_at)
select 'd' || g, 'c' || (g / 3), null, 'p' || (g % 2), null,
  (array['provinceChief','bureauChief','countyChief','countyDeputy','townshipChief','townshipDeputy','staff','staff','other'])[1 + g % 9],
  'o' || (1 + g % $1::int),
  (array['province','prefecture','county','township','village'])[1 + g % 5],
  'm', 1 + (g * 7) % 4, timestamptz '2026-01-01' + (g % 365) * interval '1 day', case when g % 50 = 0 then now() else null end
from generate_series(1, $2::int) g;
analyze dispositions;`;

async function fill(store: Store, kind: string): Promise<void> {
  const t = Date.now();
  const driver = (store as unknown as { driver: { rawTransaction<T>(fn: (raw: { query(text: string, p?: unknown[]): Promise<unknown[]> }) => Promise<T>): Promise<T> } }).driver;
  for (const statement of FILL.split(';').map((s) => s.trim()).filter(Boolean)) {
    const params = statement.includes('$2') ? [ORGS, ROWS] : statement.includes('$1') ? [ORGS] : [];
    await driver.rawTransaction((raw) => raw.query(statement, params));
  }
  console.log(`${kind}: ${ROWS.toLocaleString()} dispositions in ${ORGS.toLocaleString()} orgs loaded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

async function measure(store: Store, kind: string): Promise<void> {
  const tree = new OrgTree((await store.orgs.list()) as Org[]);
  const cases: Array<[string, string, string | undefined, string | undefined]> = [
    ['whole tree, whole year', 'o1', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['whole tree, one quarter', 'o1', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z'],
    ['one prefecture, whole year', 'o2', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ];
  for (const [label, root, from, to] of cases) {
    const timed = await thrice(async () => {
      const orgIds = tree.subtree(root);
      // As the service does: the whole tree needs no org filter.
      const filter = { from, to, orgIds: orgIds.length === tree.all().length ? undefined : orgIds };
      return fourFormsReport(await store.stats!.fourForms(filter), { from: from ?? null, to: to ?? null, orgId: root });
    });
    const total = timed.last.total;
    console.log(`  ${label.padEnd(28)} ${total.toLocaleString().padStart(9)} person-times  ${bestAndMedian(timed)}`);
  }
  void kind;
}

async function main(): Promise<void> {
  for (const kind of STORES) {
    if (kind === 'postgres') {
      const bench = await benchDatabase('bench_stats');
      if (!bench) continue;
      const store = await createStore({ databaseUrl: bench.url, dataDir: '', auditHash: 'sm3' });
      try {
        await fill(store, kind);
        await measure(store, kind);
      } finally {
        await store.close();
        await bench.drop();
      }
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'bench-stats-'));
      const store = await createStore({ dataDir: dir, auditHash: 'sm3' });
      try {
        await fill(store, kind);
        await measure(store, kind);
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
