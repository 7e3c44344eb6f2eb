/**
 * Yearly talk coverage (谈话全覆盖): the obligations the rules (config/coverage.ts) derive
 * from the responsibility map, matched against the talks ledger. Computed, not stored: only the
 * reminders and escalations the worker sent are on record (coverage_notices), once each.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_COVERAGE_RULES, type CoverageRules } from '../../config/coverage';
import { COVERAGE_RULE_LABELS, COVERAGE_STATUS_LABELS } from '../../machines/shared/dictionary';
import { orgTree, requireInScope, type OrgTree } from '../authz';
import { cachedWithRole } from '../authz';
import { cstDateOf, plusDays, type CivilDate } from '../calendar/civil-date';
import type { Deps } from '../deps';
import { idSchema } from '../schemas';
import type { CoverageMatchQuery, CoverageNotice, CoverageRequest, CoveringTalk, PostRecord, TalkFact, TalkKind } from '../store/duty-port';
import type { Notification, Org, StatsQueries, StoreTx, User } from '../store/port';

export const COVERAGE_RULE_IDS = ['headAnnual', 'memberPortfolio', 'preAppointment'] as const;
export type CoverageRuleId = (typeof COVERAGE_RULE_IDS)[number];
export const COVERAGE_STATUSES = ['done', 'waiting', 'due', 'overdue', 'escalated'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/** Chinese names officials read (machines/shared/dictionary.ts). */
export { COVERAGE_RULE_LABELS, COVERAGE_STATUS_LABELS };

export interface Obligation {
  key: string;
  rule: CoverageRuleId;
  /** The org whose obligation it is (the talker's, or the appointee's for 任前廉政谈话). */
  orgId: string;
  talker: { personId: string; name: string } | null;
  talked: { personId: string; name: string; orgId: string; post: PostRecord['post'] };
  dueOn: string;
  status: CoverageStatus;
  doneBy: { talkId: string; heldOn: string } | null;
  reminded: boolean;
}

export const coverageQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100),
  orgId: idSchema.optional(),
  status: z.enum(COVERAGE_STATUSES).optional(),
  rule: z.enum(COVERAGE_RULE_IDS).optional(),
});

const obligationSchema = z.object({
  key: z.string(),
  rule: z.enum(COVERAGE_RULE_IDS),
  ruleLabel: z.string(),
  orgId: z.string(),
  talker: z.object({ personId: z.string(), name: z.string() }).nullable(),
  talked: z.object({ personId: z.string(), name: z.string(), orgId: z.string(), post: z.string() }),
  dueOn: z.string(),
  status: z.enum(COVERAGE_STATUSES),
  statusLabel: z.string(),
  doneBy: z.object({ talkId: z.string(), heldOn: z.string() }).nullable(),
  reminded: z.boolean(),
});

const countsSchema = z.object({ total: z.number(), done: z.number(), waiting: z.number(), due: z.number(), overdue: z.number(), escalated: z.number(), rate: z.number() });

export const coverageViewSchema = z
  .object({
    year: z.number(),
    orgId: z.string(),
    asOf: z.string(),
    summary: countsSchema,
    byRule: z.record(z.string(), countsSchema),
    byOrg: z.array(countsSchema.extend({ orgId: z.string(), orgName: z.string() })),
    obligations: z.array(obligationSchema),
  })
  .meta({ id: 'TalkCoverage' });

const yearStart = (y: number) => `${y}-01-01`;
const yearEnd = (y: number) => `${y}-12-31`;

interface Inputs {
  year: number;
  asOf: CivilDate;
  tree: OrgTree;
  posts: PostRecord[];
  facts: TalkFact[];
  notices: CoverageNotice[];
  rules: CoverageRules;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const heldOn = (p: PostRecord, date: string) => p.from <= date && (p.to === null || p.to >= date);

/** An obligation before the ledger is read, with the talks that would cover it (null: none can yet). */
interface Draft {
  obligation: Omit<Obligation, 'status' | 'doneBy' | 'reminded'>;
  request: CoverageRequest | null;
}

type Drafts = Record<CoverageRuleId, Draft[]>;

/**
 * The obligations of a year as the responsibility map derives them (pure): the holders of the posts
 * on `asOf` (or at the year end), with, for each, the talks that cover it. `collectiveOn`: the
 * date of each org's first collective talk of the year (members talk after it).
 */
function draftObligations(year: number, asOf: CivilDate, tree: OrgTree, posts: PostRecord[], collectiveOn: Map<string, string>, rules: CoverageRules): Drafts {
  const endOfYear = yearEnd(year);
  const holdersOn = asOf < endOfYear ? asOf : endOfYear;
  const current = posts.filter((p) => heldOn(p, holdersOn));
  const byOrg = new Map<string, PostRecord[]>();
  for (const p of current) push(byOrg, p.orgId, p);
  const drafts: Drafts = { headAnnual: [], memberPortfolio: [], preAppointment: [] };
  /** `talker`'s talk under `rule` with `leader`, a leader of `unit`, due by the year end (`key`: its key within the rule). */
  const leaderTalk = (rule: 'headAnnual' | 'memberPortfolio', key: string, talker: PostRecord, leader: PostRecord, unit: string, request: CoverageRequest | null) =>
    drafts[rule].push({
      obligation: {
        key: `${rule}:${key}`,
        rule,
        orgId: talker.orgId,
        talker: { personId: talker.personId, name: talker.personName },
        talked: { personId: leader.personId, name: leader.personName, orgId: unit, post: leader.post },
        dueOn: endOfYear,
      },
      request,
    });

  if (rules.headAnnual.enabled) {
    // Every holder of the org's discipline-head post during the year may have held the talks.
    const headsInYear = new Map<string, Set<string>>();
    for (const p of posts) if (p.post === 'disciplineHead') headsInYear.set(p.orgId, (headsInYear.get(p.orgId) ?? new Set()).add(p.personId));
    for (const head of current.filter((p) => p.post === 'disciplineHead')) {
      const talkers = [...(headsInYear.get(head.orgId) ?? new Set([head.personId]))];
      for (const child of tree.childrenOf(head.orgId)) {
        for (const leader of (byOrg.get(child) ?? []).filter((p) => p.post === 'secretary' || p.post === 'disciplineHead')) {
          leaderTalk('headAnnual', `${head.orgId}:${child}:${leader.personId}`, head, leader, child, {
            talkerPersonIds: talkers,
            personId: leader.personId,
            orgId: child,
            from: yearStart(year),
            to: endOfYear,
          });
        }
      }
    }
  }

  if (rules.memberPortfolio.enabled) {
    for (const member of current.filter((p) => p.post === 'member')) {
      const after = rules.memberPortfolio.afterCollective ? (collectiveOn.get(member.orgId) ?? null) : yearStart(year);
      for (const unit of member.portfolioOrgIds) {
        for (const leader of (byOrg.get(unit) ?? []).filter((p) => p.personId !== member.personId)) {
          const request = after === null ? null : { talkerPersonIds: [member.personId], personId: leader.personId, orgId: unit, from: after, to: endOfYear };
          leaderTalk('memberPortfolio', `${member.personId}:${unit}:${leader.personId}`, member, leader, unit, request);
        }
      }
    }
  }

  if (rules.preAppointment.enabled) {
    for (const a of posts.filter((p) => p.from >= yearStart(year) && p.from <= endOfYear)) {
      const dueOn = plusDays(a.from as CivilDate, rules.preAppointment.withinDays);
      const earliest = plusDays(a.from as CivilDate, -rules.preAppointment.earliestDaysBefore);
      drafts.preAppointment.push({
        obligation: {
          key: `preAppointment:${a.id}`,
          rule: 'preAppointment',
          orgId: a.orgId,
          talker: null,
          talked: { personId: a.personId, name: a.personName, orgId: a.orgId, post: a.post },
          dueOn,
        },
        request: { talkerPersonIds: null, personId: a.personId, orgId: null, from: earliest, to: dueOn },
      });
    }
  }
  return drafts;
}

/**
 * The talks each rule counts: the year's talks of its kinds; a 任前廉政谈话 of a December appointment
 * may be held in January. (A talk's `year` is the year of its `heldOn`.)
 */
function ruleTalks(year: number, rules: CoverageRules): Record<CoverageRuleId, { years: number[]; kinds: TalkKind[] }> {
  return {
    headAnnual: { years: [year], kinds: rules.headAnnual.kinds },
    memberPortfolio: { years: [year], kinds: rules.memberPortfolio.kinds },
    preAppointment: { years: [year, year + 1], kinds: rules.preAppointment.kinds },
  };
}

/** Each draft's status on `asOf`, given the first talk that covers it. */
function settle(year: number, asOf: CivilDate, drafts: Drafts, matched: Record<CoverageRuleId, Array<CoveringTalk | null>>, notices: CoverageNotice[]): Obligation[] {
  const endOfYear = yearEnd(year);
  const noticed = new Set(notices.map((n) => n.id));
  const lapsed = (key: string): CoverageStatus => (noticed.has(`${year}:escalated:${key}`) ? 'escalated' : 'overdue');
  const out: Obligation[] = [];
  for (const rule of COVERAGE_RULE_IDS) {
    drafts[rule].forEach(({ obligation: o, request }, i) => {
      const talk = request === null ? null : matched[rule][i];
      const status: CoverageStatus = talk
        ? 'done'
        : rule === 'preAppointment'
          ? asOf > o.dueOn
            ? lapsed(o.key)
            : 'due'
          : asOf > endOfYear
            ? lapsed(o.key)
            : request === null
              ? 'waiting'
              : 'due';
      out.push({ ...o, status, doneBy: talk ? { talkId: talk.talkId, heldOn: talk.heldOn } : null, reminded: noticed.has(`${year}:reminder:${o.key}`) });
    });
  }
  return out;
}

const REQUEST_NONE: CoverageRequest = { talkerPersonIds: [], personId: '', orgId: null, from: '9999-12-31', to: '0000-01-01' };
const requestsOf = (drafts: Draft[]) => drafts.map((d) => d.request ?? REQUEST_NONE);

/**
 * The first talk (by `heldOn`, then `id`) among `facts` (the talks of the query's years) that
 * covers each request: the straightforward computation, for an adapter without database-side
 * statistics (and the reference the sql one is tested against).
 */
export function firstCoveringIn(facts: TalkFact[], q: CoverageMatchQuery): Array<CoveringTalk | null> {
  const kinds = new Set(q.kinds);
  const byTalker = new Map<string, TalkFact[]>();
  const byPerson = new Map<string, TalkFact[]>();
  const byAttendee = new Map<string, TalkFact[]>();
  for (const f of facts) {
    if (!kinds.has(f.kind)) continue;
    push(byTalker, f.talkerPersonId, f);
    for (const p of new Set(f.talkedPersonIds)) push(byPerson, p, f);
    for (const o of new Set(f.attendeeOrgIds)) push(byAttendee, o, f);
  }
  return q.requests.map((r) => {
    const candidates = r.talkerPersonIds
      ? r.talkerPersonIds.flatMap((t) => byTalker.get(t) ?? [])
      : [...(byPerson.get(r.personId) ?? []), ...(r.orgId === null ? [] : (byAttendee.get(r.orgId) ?? []))];
    let first: TalkFact | undefined;
    for (const f of candidates) {
      if (f.heldOn < r.from || f.heldOn > r.to) continue;
      if (!f.talkedPersonIds.includes(r.personId) && !(r.orgId !== null && f.attendeeOrgIds.includes(r.orgId))) continue;
      if (!first || f.heldOn < first.heldOn || (f.heldOn === first.heldOn && f.id < first.id)) first = f;
    }
    return first ? { talkId: first.id, heldOn: first.heldOn } : null;
  });
}

/** The first date of a talk of `kinds` in [from, to] per ledger org, among `facts`. */
export function firstTalkDatesIn(facts: TalkFact[], f: { kinds: TalkKind[]; from: string; to: string }): Map<string, string> {
  const first = new Map<string, string>();
  for (const t of facts) {
    if (!f.kinds.includes(t.kind) || t.heldOn < f.from || t.heldOn > f.to) continue;
    const seen = first.get(t.orgId);
    if (!seen || t.heldOn < seen) first.set(t.orgId, t.heldOn);
  }
  return first;
}

/** The obligations of a year and their status on `asOf`, from the talks of the year (and of the next for 任前廉政谈话) (pure). */
export function obligations(input: Inputs): Obligation[] {
  const { year, asOf, tree, posts, facts, rules } = input;
  const collectiveOn = firstTalkDatesIn(facts, { kinds: rules.memberPortfolio.collectiveKinds, from: yearStart(year), to: yearEnd(year) });
  const drafts = draftObligations(year, asOf, tree, posts, collectiveOn, rules);
  const talks = ruleTalks(year, rules);
  const inYear = facts.filter((f) => f.heldOn >= yearStart(year) && f.heldOn <= yearEnd(year));
  const matched = Object.fromEntries(
    COVERAGE_RULE_IDS.map((rule) => [rule, firstCoveringIn(rule === 'preAppointment' ? facts : inYear, { ...talks[rule], requests: requestsOf(drafts[rule]) })]),
  ) as Record<CoverageRuleId, Array<CoveringTalk | null>>;
  return settle(year, asOf, drafts, matched, input.notices);
}

/** Which obligations a caller wants (e.g. those of the orgs in scope); all when absent. */
export type ObligationFilter = (o: Pick<Obligation, 'rule' | 'orgId' | 'talked'>) => boolean;

/**
 * The obligations of a year as the store holds them on `asOf` (those `keep` selects). With
 * database-side statistics the ledger is matched in the database (`stats.firstCoveringTalks`):
 * only the map, the notices and the first talk of each obligation kept are read; otherwise the
 * year's talks are read and matched here.
 */
export async function loadObligations(
  store: Pick<StoreTx, 'duty' | 'orgs'> & { stats?: StatsQueries },
  tree: OrgTree,
  year: number,
  asOf: CivilDate,
  rules = DEFAULT_COVERAGE_RULES,
  keep?: ObligationFilter,
): Promise<Obligation[]> {
  const stats = store.stats;
  const posts = store.duty.posts.list({ overlapping: { from: yearStart(year), to: yearEnd(year) } });
  const notices = store.duty.coverageNotices.list(year);
  if (!stats) {
    const [facts, next] = await Promise.all([
      store.duty.talks.facts({ year }),
      // 任前廉政谈话 of a December appointment may be held in January.
      rules.preAppointment.enabled ? store.duty.talks.facts({ year: year + 1, kinds: rules.preAppointment.kinds }) : Promise.resolve([]),
    ]);
    const all = obligations({ year, asOf, tree, posts: await posts, facts: [...facts, ...next], notices: await notices, rules });
    return keep ? all.filter(keep) : all;
  }
  const collective =
    rules.memberPortfolio.enabled && rules.memberPortfolio.afterCollective
      ? stats.firstTalkDates({ years: [year], kinds: rules.memberPortfolio.collectiveKinds, from: yearStart(year), to: yearEnd(year) })
      : Promise.resolve(new Map<string, string>());
  const drafted = draftObligations(year, asOf, tree, await posts, await collective, rules);
  const drafts = keep ? (Object.fromEntries(COVERAGE_RULE_IDS.map((rule) => [rule, drafted[rule].filter((d) => keep(d.obligation))])) as Drafts) : drafted;
  const talks = ruleTalks(year, rules);
  const matched = await stats.firstCoveringTalks(COVERAGE_RULE_IDS.map((rule) => ({ ...talks[rule], requests: requestsOf(drafts[rule]) })));
  return settle(year, asOf, drafts, Object.fromEntries(COVERAGE_RULE_IDS.map((rule, i) => [rule, matched[i]])) as Record<CoverageRuleId, Array<CoveringTalk | null>>, await notices);
}

type Counts = z.output<typeof countsSchema>;

function count(list: Obligation[]): Counts {
  const c: Counts = { total: list.length, done: 0, waiting: 0, due: 0, overdue: 0, escalated: 0, rate: 0 };
  for (const o of list) c[o.status]++;
  c.rate = list.length ? Math.round((c.done / list.length) * 1000) / 10 : 0;
  return c;
}

/** `GET /talks/coverage`: the obligations of the orgs in scope, with counts per rule and per org. */
export async function coverageView(deps: Deps, user: User, query: z.output<typeof coverageQuery>, rules = DEFAULT_COVERAGE_RULES): Promise<z.output<typeof coverageViewSchema>> {
  const tree = await orgTree(deps.store);
  const root = query.orgId ?? user.orgId;
  requireInScope(tree, user, root, `org ${root}`);
  const asOf = cstDateOf(deps.clock().toISOString());
  const inScope = new Set(tree.subtree(root));
  const all = await loadObligations(deps.store, tree, query.year, asOf, rules, (o) => inScope.has(o.orgId));
  const byRule = Object.fromEntries(COVERAGE_RULE_IDS.map((r) => [r, count(all.filter((o) => o.rule === r))]));
  const perOrg = new Map<string, Obligation[]>();
  for (const o of all) push(perOrg, o.orgId, o);
  const byOrg = [...perOrg.keys()].sort().map((orgId) => ({ orgId, orgName: tree.get(orgId)?.name ?? orgId, ...count(perOrg.get(orgId)!) }));
  const shown = all.filter((o) => (!query.status || o.status === query.status) && (!query.rule || o.rule === query.rule));
  return {
    year: query.year,
    orgId: root,
    asOf,
    summary: count(all),
    byRule,
    byOrg,
    obligations: shown.map((o) => ({ ...o, ruleLabel: COVERAGE_RULE_LABELS[o.rule], statusLabel: COVERAGE_STATUS_LABELS[o.status] })),
  };
}

export interface SweepResult {
  reminded: number;
  escalated: number;
  notifications: number;
}

/**
 * The coverage worker's run at `now`: in the reminder months, a reminder for each annual obligation
 * still due; after the year end, an escalation for each one left uncovered (to the commission heads
 * of the org above); any overdue 任前廉政谈话 escalates at once. Each at most once (coverage_notices).
 */
export async function coverageSweep(deps: Deps, now: Date, rules = DEFAULT_COVERAGE_RULES): Promise<SweepResult> {
  const asOf = cstDateOf(now.toISOString());
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const at = now.toISOString();
  const tree = await orgTree(deps.store);
  const result: SweepResult = { reminded: 0, escalated: 0, notifications: 0 };
  const years = month <= rules.escalateUntilMonth ? [year - 1, year] : [year];
  for (const y of years) {
    const list = await loadObligations(deps.store, tree, y, asOf, rules);
    const notices: Array<{ notice: CoverageNotice; o: Obligation }> = [];
    for (const o of list) {
      if (o.status === 'overdue') notices.push({ notice: { id: `${y}:escalated:${o.key}`, year: y, kind: 'escalated', obligation: o.key, orgId: o.orgId, at }, o });
      else if (y === year && month >= rules.reminderFromMonth && o.rule !== 'preAppointment' && (o.status === 'due' || o.status === 'waiting') && !o.reminded) {
        notices.push({ notice: { id: `${y}:reminder:${o.key}`, year: y, kind: 'reminder', obligation: o.key, orgId: o.orgId, at }, o });
      }
    }
    if (notices.length === 0) continue;
    await deps.store.transaction(async (tx) => {
      const inserted = new Set(await tx.duty.coverageNotices.insertNew(notices.map((n) => n.notice)));
      const fresh = notices.filter((n) => inserted.has(n.notice.id));
      const rows: Notification[] = [];
      for (const { notice, o } of fresh) {
        const users = await recipients(deps, tx, tree, notice.kind, o);
        rows.push(...users.map((userId) => notificationOf(notice, o, userId, tree, at)));
        if (notice.kind === 'reminder') result.reminded++;
        else result.escalated++;
      }
      await tx.notifications.insertMany(rows);
      result.notifications += rows.length;
    });
  }
  return result;
}

/** Reminder: the talker's own accounts and the org's commission heads; escalation: the commission heads above. */
async function recipients(deps: Deps, tx: StoreTx, tree: OrgTree, kind: CoverageNotice['kind'], o: Obligation): Promise<string[]> {
  const org: Org | undefined = tree.get(o.orgId);
  const headsOf = async (orgId: string) => (await cachedWithRole(deps.store, 'commissionHead', [orgId], tx)).map((u) => u.id);
  if (kind === 'escalated') return headsOf(org?.parentId && tree.get(org.parentId) ? org.parentId : o.orgId);
  const own = o.talker ? (await tx.users.list()).filter((u) => u.personId === o.talker!.personId).map((u) => u.id) : [];
  return [...new Set([...own, ...(await headsOf(o.orgId))])];
}

function notificationOf(notice: CoverageNotice, o: Obligation, userId: string, tree: OrgTree, at: string): Notification {
  const who = `${tree.get(o.talked.orgId)?.name ?? o.talked.orgId}${o.talked.name}`;
  const rule = COVERAGE_RULE_LABELS[o.rule];
  const title = notice.kind === 'reminder' ? `谈话提醒：${notice.year}年度${rule}尚未完成` : `督办：${notice.year}年度${rule}逾期未完成`;
  const talker = o.talker ? `${o.talker.name}与` : '';
  const body =
    notice.kind === 'reminder'
      ? `${talker}${who}的谈话尚未开展，应于${o.dueOn}前完成并录入谈话台账。`
      : `${talker}${who}的谈话应于${o.dueOn}前完成，至今未开展，现报上一级纪委督办。`;
  const id = `cov-${createHash('sha256').update(`${notice.id}\n${userId}`).digest('hex').slice(0, 32)}`;
  return { id, userId, kind: notice.kind === 'reminder' ? 'coverageReminder' : 'coverageEscalated', title, body, aggregateType: null, aggregateId: null, createdAt: at, readAt: null };
}
