/**
 * Talk coverage in the database (services/talks/coverage.ts): which talk first covers
 * each obligation, without reading the year's talks into the process (200,000 talks of a province
 * are some 0.6–0.9 s to read and match in Node; grouped here they are one statement).
 *
 * The obligations are derived in the service from the responsibility map (a few thousand posts);
 * they come here as requests (each rule's with the kinds and years of talks it counts), sent as
 * parallel arrays and unnested, one row per request, talker and party (the person talked to, the
 * org whose leaders attend). They join the ledger by party (talk_parties, migration 0007: a row per
 * person talked to and per attending org) on (talker, party), or on the party alone when any talker
 * counts (任前廉政谈话), and each keeps the first (held_on, id) of its kinds, years and dates: one
 * statement for all the rules.
 */
import type { CoverageMatchQuery, CoveringTalk, TalkKind } from '../duty-port';
import type { OrgPressureCount } from '../port';
import type { RawSql, SqlDriver } from './driver';

/**
 * The planner has no statistics on the requests (a jsonb array: it takes it for 100 rows): with
 * thousands it may think the statement costs millions (JIT: a second of its own) and sort both
 * sides for merge joins. Each request matches a few parties, found by index (talker, party, date)
 * or by hash: the statement runs with JIT, sorts and merge joins off, and its hash tables in memory.
 */
async function tuned<T>(driver: SqlDriver, fn: (raw: RawSql) => Promise<T>): Promise<T> {
  return driver.rawTransaction(async (raw) => {
    for (const setting of ['jit = off', 'enable_sort = off', 'enable_mergejoin = off', `work_mem = '64MB'`]) await raw.exec(`set local ${setting}`);
    return fn(raw);
  });
}

/**
 * The statement matching `queries` in one pass over the talks (null when nothing can match); its
 * rows are `{ ref, first }`, `ref` numbering the requests of all queries in order.
 */
export function coveringStatement(queries: CoverageMatchQuery[]): { text: string; params: unknown[] } | null {
  // One row per request, talker and party (the person; the org whose leaders attended, if any): a
  // request with talkers [] has none and stays uncovered. Sent as one JSON array of
  // [ref, query, talker, party kind, party, from, to] (faster to encode than seven arrays).
  const rows: Array<[number, number, string | null, string, string, string, string]> = [];
  const years = new Set<number>();
  const kinds = new Set<string>();
  let from = '9999-12-31';
  let to = '0000-01-01';
  let n = 0;
  queries.forEach((q, qi) => {
    const live = q.kinds.length > 0 && q.years.length > 0;
    q.requests.forEach((r) => {
      const i = n++;
      if (!live || r.from > r.to) return;
      for (const t of r.talkerPersonIds ?? [null]) {
        rows.push([i, qi, t, 'person', r.personId, r.from, r.to]);
        if (r.orgId !== null) rows.push([i, qi, t, 'org', r.orgId, r.from, r.to]);
      }
      if (r.from < from) from = r.from;
      if (r.to > to) to = r.to;
      q.years.forEach((y) => years.add(y));
      q.kinds.forEach((k) => kinds.add(k));
    });
  });
  if (rows.length === 0) return null;
  const branch = (on: string, where: string) =>
    `select r.ref, (e.held_on || ' ' || e.talk_id) collate "C" as first
       from req r join talk_parties e on e.party_id = r.party and e.party_kind = r.party_kind and ${on}
       where ${where} and e.held_on >= r.lo and e.held_on <= r.hi and e.kind = any(r.kinds) and e.year = any(r.years)
         and e.year = any($3::int[]) and e.kind = any($4::text[]) and e.held_on >= $5 and e.held_on <= $6`;
  const branches: string[] = [];
  if (rows.some((r) => r[2] !== null)) branches.push(branch('e.talker_person_id = r.talker', 'true'));
  if (rows.some((r) => r[2] === null)) branches.push(branch('true', 'r.talker is null'));
  const text = `
    with q as materialized (
      select (q.n - 1)::int as query, array(select jsonb_array_elements_text(q.v -> 'kinds')) as kinds,
        array(select jsonb_array_elements_text(q.v -> 'years')::int) as years
      from jsonb_array_elements($2::jsonb) with ordinality as q(v, n)
    ),
    req as materialized (
      select (r.v ->> 0)::int as ref, r.v ->> 2 as talker, r.v ->> 3 as party_kind, r.v ->> 4 as party,
        (r.v ->> 5) collate "C" as lo, (r.v ->> 6) collate "C" as hi, q.kinds, q.years
      from jsonb_array_elements($1::jsonb) as r(v) join q on q.query = (r.v ->> 1)::int
    )
    select ref, min(first) as first from (${branches.join('\n      union all\n      ')}) m group by ref`;
  const perQuery = JSON.stringify(queries.map((q) => ({ kinds: q.kinds, years: q.years })));
  return { text, params: [JSON.stringify(rows), perQuery, [...years], [...kinds], from, to] };
}

export async function firstCoveringTalks(driver: SqlDriver, queries: CoverageMatchQuery[]): Promise<Array<Array<CoveringTalk | null>>> {
  const found: Array<CoveringTalk | null> = queries.flatMap((q) => q.requests.map(() => null));
  const statement = coveringStatement(queries);
  if (statement) {
    // `held_on ‖ ' ' ‖ id` orders as (held_on, id) byte-wise: held_on (YYYY-MM-DD) has no space and a fixed length.
    const rows = await tuned(driver, (raw) => raw.query<{ ref: number; first: string }>(statement.text, statement.params));
    for (const row of rows) {
      const space = row.first.indexOf(' ');
      found[Number(row.ref)] = { heldOn: row.first.slice(0, space), talkId: row.first.slice(space + 1) };
    }
  }
  let at = 0;
  return queries.map((q) => found.slice(at, (at += q.requests.length)));
}

export async function firstTalkDates(driver: SqlDriver, f: { years: number[]; kinds: TalkKind[]; from: string; to: string }): Promise<Map<string, string>> {
  if (f.years.length === 0 || f.kinds.length === 0) return new Map();
  const rows = await driver.rawTransaction((raw) =>
    raw.query<{ org_id: string; first: string }>(
      `select org_id, min(held_on) as first from talks
       where year = any($1::int[]) and kind = any($2::text[]) and held_on >= $3 and held_on <= $4 group by org_id`,
      [f.years, f.kinds, f.from, f.to],
    ),
  );
  return new Map(rows.map((r) => [r.org_id, r.first]));
}

/** The 上热中温下冷 report's rectification and clock counts, per org (services/responsibility/levels.ts). */
export async function pressureByOrg(driver: SqlDriver, f: { from: string; to: string }): Promise<OrgPressureCount[]> {
  const rows = await driver.rawTransaction((raw) =>
    raw.query<{ org_id: string; opened: number; accepted: number; clocks: number; met: number; escalated: number }>(
      `select org_id, sum(opened)::int as opened, sum(accepted)::int as accepted, sum(clocks)::int as clocks, sum(met)::int as met, sum(escalated)::int as escalated
       from (
         select unit_org_id as org_id, count(*) as opened, count(*) filter (where state = 'accepted') as accepted, 0 as clocks, 0 as met, 0 as escalated
         from rectifications where created_at >= $1 and created_at < $2 group by unit_org_id
         union all
         select org_id, 0, 0, count(*) filter (where key = 'clue.disposition' and status <> 'open'), count(*) filter (where key = 'clue.disposition' and status = 'met'),
           count(*) filter (where escalation = 'escalated')
         from deadlines where due_at >= $1 and due_at < $2 group by org_id
       ) c group by org_id`,
      [f.from, f.to],
    ),
  );
  return rows.map((r) => ({
    orgId: r.org_id,
    rectificationsOpened: Number(r.opened),
    rectificationsAccepted: Number(r.accepted),
    disposalClocks: Number(r.clocks),
    disposalMet: Number(r.met),
    escalated: Number(r.escalated),
  }));
}
