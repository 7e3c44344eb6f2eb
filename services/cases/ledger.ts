/**
 * 问题线索台账 / 案件台账 as a download a commission submits as it is: every case the
 * list (`GET /cases`) shows for the same filters, not one page, up to {@link LEDGER_CAP} rows, with
 * the title, the issuing commission, the filters in Chinese, the date produced, Chinese names for
 * every id and code (units, states, inspectors, clocks and their escalation) and a 合计 row. The
 * workbook and the CSV are written by the shared report writer (services/reports).
 */
import {
  CASE_STATE_LABELS,
  DEADLINE_LABELS,
  ESCALATION_LABELS,
  FLAG_LABELS,
  SOURCE_LABELS,
  labelOf,
} from '../../machines/shared/dictionary';
import type { CaseContext } from '../../machines';
import { cstDateOf } from '../calendar/civil-date';
import { deadlinesOf } from '../deadlines/by-aggregate';
import type { DeadlineView } from '../deadlines/sync';
import type { Deps } from '../deps';
import { chineseDate, type Cell, type Report } from '../reports/workbook';
import type { CaseRecord, DeadlineRecord, User } from '../store/port';
import { caseListFilter, type CaseListQuery } from './queries';
import { caseView } from './view';

/** At most this many rows in one download; the sheet says so when the filters match more. */
export const LEDGER_CAP = 10_000;

export const LEDGER_TITLES = { clues: '问题线索台账', cases: '案件台账' } as const;
export type Ledger = keyof typeof LEDGER_TITLES;

const HEADERS = ['序号', '编号', '标题', '被反映人', '线索来源', '收到日期', '所涉单位', '承办机关', '办理状态', '承办人员', '在办时限', '最近到期', '时限状态'];
/** Text that wraps in Excel rather than widening the sheet: 13 columns still print legibly on A4 landscape. */
const WRAP = [2, 3, 6, 7, 8, 9, 10, 12];
const WIDTHS = [6, 17, 26, 10, 10, 11, 12, 12, 14, 10, 24, 11, 14];

const LEVEL_ORDER = ['none', 'warning', 'overdue', 'escalated'] as const;
type Level = (typeof LEVEL_ORDER)[number];
/** Labels of the `flag` filter; `reportedUpward` is this list's own (规则 Art 22). */
const FILTER_FLAG_LABELS: Readonly<Record<string, string>> = { ...FLAG_LABELS, reportedUpward: '下级纪委报送的问题线索' };

const running = (d: DeadlineView) => d.status === 'open' || d.status === 'overdue';
const cstDay = (iso: string) => cstDateOf(iso);

/** 时限状态 of the running clocks: the most advanced escalation, and the working days left of the earliest. */
function deadlineStatus(ds: DeadlineView[]): { clock: string; due: string; status: string; overdue: boolean } {
  const open = ds.filter(running).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  if (!open.length) return { clock: '—', due: '—', status: '无在办时限', overdue: false };
  // A clock past its due time reads 已超期 at least, whether or not its escalation step was taken yet.
  const levelOf = (d: DeadlineView): Level => (d.status === 'overdue' && LEVEL_ORDER.indexOf(d.escalation) < LEVEL_ORDER.indexOf('overdue') ? 'overdue' : d.escalation);
  const level = open.map(levelOf).reduce<Level>((worst, l) => (LEVEL_ORDER.indexOf(l) > LEVEL_ORDER.indexOf(worst) ? l : worst), 'none');
  const first = open[0];
  const left = first.workingDaysLeft;
  const days = left === null ? '' : left >= 0 ? `（剩${left}个工作日）` : `（超${-left}个工作日）`;
  return {
    clock: open.map((d) => `${labelOf(DEADLINE_LABELS, d.key)}（${cstDay(d.dueAt)}到期）`).join('；'),
    due: cstDay(first.dueAt),
    status: `${labelOf(ESCALATION_LABELS, level)}${days}`,
    // As the list's `overdue` filter: a running clock past its due time.
    overdue: open.some((d) => d.status === 'overdue'),
  };
}

/** The filters of the query in Chinese, as the heading block prints them. */
function filtersText(query: Omit<CaseListQuery, 'page' | 'pageSize'>, names: { org(id: string): string; user(id: string): string }): string {
  const parts: string[] = [];
  if (query.state) parts.push(`办理状态为“${labelOf(CASE_STATE_LABELS, query.state)}”`);
  if (query.orgId) parts.push(`所涉单位为${names.org(query.orgId)}及其下级单位`);
  if (query.assignee) parts.push(`承办人员为${names.user(query.assignee)}`);
  if (query.overdue === true) parts.push('仅列有已超期时限的');
  if (query.overdue === false) parts.push('不限是否超期');
  if (query.flag) parts.push(`仅列${labelOf(FILTER_FLAG_LABELS, query.flag)}`);
  if (query.q) parts.push(`编号、标题或被反映人含“${query.q}”`);
  return parts.length ? parts.join('；') : '无（全部）';
}

export interface LedgerReport {
  report: Report;
  /** The file name without extension, e.g. `案件台账（2026年12月7日）`. */
  filename: string;
}

/** What a row of the ledger shows of a case view (GET /cases items). */
export interface LedgerView {
  number: string;
  title: string;
  orgId: string;
  handlingOrgId: string;
  source: string;
  receivedAt: string;
  subjects: Array<{ name: string }>;
  assignees: string[];
  state: string;
  deadlines: DeadlineView[];
}

export interface LedgerNames {
  /** An org's name (所涉单位). */
  org(id: string): string;
  /** An org's discipline body (承办机关, 填报单位), e.g. 云溪县纪委监委. */
  body(id: string): string;
  user(id: string): string;
}

export interface LedgerInput {
  ledger: Ledger;
  /** The listed cases' views, in the list's order. */
  views: LedgerView[];
  /** How many cases match (more than `views` when capped). */
  total: number;
  cap: number;
  query: Omit<CaseListQuery, 'page' | 'pageSize'>;
  /** The reader's org: its discipline body issues the ledger. */
  orgId: string;
  names: LedgerNames;
  producedAt: Date;
}

/** The ledger as a report (services/reports): heading block, one table, the 合计 row. */
export function ledgerReport(input: LedgerInput): LedgerReport {
  const { views, names, total, cap, ledger, producedAt } = input;
  let overdue = 0;
  const rows: Cell[][] = views.map((v, i) => {
    const d = deadlineStatus(v.deadlines);
    if (d.overdue) overdue++;
    return [
      i + 1,
      v.number,
      v.title,
      v.subjects.map((s) => s.name).join('、') || '—',
      labelOf(SOURCE_LABELS, v.source) || '—',
      v.receivedAt ?? '—',
      names.org(v.orgId),
      names.body(v.handlingOrgId),
      labelOf(CASE_STATE_LABELS, v.state),
      v.assignees.map((id) => names.user(id)).join('、') || '未分办',
      d.clock,
      d.due,
      d.status,
    ];
  });
  const listed = rows.length;
  const capped = total > listed;
  const what = ledger === 'clues' ? '问题线索' : '问题线索和案件';
  rows.push(['合计', `${listed}件`, capped ? `符合条件共${total}件，本表列出${listed}件` : '', '', '', '', '', '', '', '', '', '', `已超期${overdue}件`]);

  const produced = cstDateOf(producedAt.toISOString());
  const title = LEDGER_TITLES[ledger];
  const sentence =
    `符合筛选条件的${what}共${total}件` +
    (capped
      ? `，超过单次导出上限${cap.toLocaleString('en')}件，本表仅列出最近有变动的${listed.toLocaleString('en')}件；请缩小筛选范围后分批导出。`
      : `，全部列入本表；其中有已超期办理时限的${overdue}件。`);
  const commission = names.body(input.orgId);
  const report: Report = {
    meta: {
      title,
      commission,
      details: [
        ['列表范围', `${commission}及下级纪检监察机关承办的${what}（不含本人应当回避的）`],
        ['筛选条件', filtersText(input.query, names)],
      ],
      produced: chineseDate(produced),
      producedAt,
      sentence,
      keywords: `${title} 一案双查`,
    },
    tables: [{ name: title, headers: HEADERS, rows, totalRow: true, wrap: WRAP, widths: WIDTHS }],
  };
  return { report, filename: `${title}（${chineseDate(produced)}）` };
}

/**
 * The ledger of the cases `user` may see that match `query`: the list's scope, filters and recusal
 * rule (caseListFilter), in the list's order (latest change first), every page at once. Recorded
 * as a list read, as GET /cases records its pages.
 */
export async function caseLedger(
  deps: Deps,
  user: User,
  query: Omit<CaseListQuery, 'page' | 'pageSize'>,
  ledger: Ledger = 'cases',
  /** Rows at most (tests lower it). */
  cap = LEDGER_CAP,
): Promise<LedgerReport> {
  const { tree, filter } = await caseListFilter(deps, user, query);
  const page = await deps.store.cases.list({ ...filter, page: 1, pageSize: cap });
  const users = new Map((await deps.store.users.list()).map((u) => [u.id, u.name]));
  const names: LedgerNames = {
    org: (id) => tree.get(id)?.name ?? id,
    body: (id) => {
      const o = tree.get(id);
      return o?.disciplineBody ?? (o ? `${o.name}纪委监委` : id);
    },
    user: (id) => users.get(id) ?? id,
  };
  const deadlines = new Map<string, DeadlineRecord[]>();
  // A thousand ids per query: PostgreSQL takes at most 65,535 parameters.
  for (let i = 0; i < page.items.length; i += 1000) {
    for (const [id, ds] of await deadlinesOf(deps.store, 'case', page.items.slice(i, i + 1000).map((r) => r.id))) deadlines.set(id, ds);
  }
  const producedAt = deps.clock();
  const clocks = { calendar: deps.calendar, now: producedAt };
  const views = page.items.map((record: CaseRecord) => {
    // The stored snapshot's context is the machine's (no actor needed: the ledger lists no commands).
    const context = (record.snapshot as { context: CaseContext }).context;
    return caseView({ record, context, deadlines: deadlines.get(record.id) ?? [], dispositions: [], reviews: [], availableCommands: [], clocks }) as unknown as LedgerView;
  });
  const result = ledgerReport({ ledger, views, total: page.total, cap, query, orgId: user.orgId, names, producedAt });
  const caseIds = page.items.map((r) => r.id);
  if (caseIds.length) {
    await deps.store.audit.append(`user:${user.id}`, { at: producedAt.toISOString(), actor: user.id, action: 'listCases', outcome: 'read', from: null, to: null, detail: { caseIds, download: true } });
  }
  return result;
}
