import { z } from 'zod';
import { USER_ROLES } from '../../machines/shared/roles';

/** Shared request schemas (the same objects generate /openapi.json). */
export const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (≤ 64)');
export const text = (max = 10_000) => z.string().trim().min(1, 'must not be empty').max(max);
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
export const dateOrDateTime = z.union([dateSchema, z.iso.datetime({ offset: true })]);

export const ORG_LEVELS = ['province', 'prefecture', 'county', 'township', 'village'] as const;

export const orgCreateSchema = z
  .strictObject({
    id: idSchema.optional(),
    name: text(200),
    level: z.enum(ORG_LEVELS),
    parentId: idSchema,
    partyCommittee: text(200).optional(),
    disciplineBody: text(200).optional(),
  })
  .meta({ id: 'OrgCreate' });

export const userCreateSchema = z
  .strictObject({
    id: idSchema.optional(),
    name: text(100),
    orgId: idSchema,
    roles: z.array(z.enum(USER_ROLES)).min(1).max(USER_ROLES.length),
    personId: idSchema.optional(),
  })
  .meta({ id: 'UserCreate' });

export const calendarPutSchema = z
  .strictObject({
    holidays: z.array(dateSchema).max(366),
    workdays: z.array(dateSchema).max(366),
  })
  .meta({ id: 'CalendarYear' });

export const devTokenSchema = z.strictObject({ userId: idSchema }).meta({ id: 'DevTokenRequest' });

export const RANKS = [
  'provinceChief',
  'provinceDeputy',
  'bureauChief',
  'bureauDeputy',
  'countyChief',
  'countyDeputy',
  'townshipChief',
  'townshipDeputy',
  'staff',
  'other',
] as const;

export const CASE_SOURCES = ['petition', 'inspectionTour', 'audit', 'supervision', 'transfer', 'other'] as const;
export const ALLEGATION_CATEGORIES = ['political', 'organizational', 'integrity', 'mass', 'work', 'life'] as const;

export const subjectSchema = z.strictObject({
  name: text(100),
  personId: idSchema,
  position: text(200).optional(),
  rank: z.enum(RANKS),
  orgId: idSchema,
  partyMember: z.boolean().default(true),
  /** 公职人员 (监察对象): 政务处分 apply to them only. */
  publicOfficial: z.boolean().default(true),
  /** 下一级党委(党组) 主要负责人 or 班子成员, with `leadsOrgId` the org he leads (规则 Arts 22, 33). */
  leadership: z.enum(['principal', 'member']).nullable().default(null),
  leadsOrgId: idSchema.optional(),
});

export const caseRegisterSchema = z
  .strictObject({
    title: text(500),
    orgId: idSchema,
    source: z.enum(CASE_SOURCES),
    receivedAt: dateOrDateTime,
    subjects: z
      .array(subjectSchema)
      .min(1)
      .max(100)
      .refine((s) => new Set(s.map((x) => x.personId)).size === s.length, 'each subject needs a distinct personId'),
    allegations: z.array(z.strictObject({ category: z.enum(ALLEGATION_CATEGORIES), summary: text() })).min(1).max(100),
    reporter: z
      .strictObject({ name: text(100).optional(), contact: text(200).optional(), realName: z.boolean() })
      .optional(),
    major: z.boolean().default(false),
    /** 承办机关: the commission handling the clue; defaults to the registering user's org. */
    handlingOrgId: idSchema.optional(),
    /** When the facts happened (YYYY-MM-DD): the 一案双查 reviews suggest the leaders in post then (issue 18). */
    factsAt: dateSchema.optional(),
  })
  .meta({ id: 'CaseRegister' });

const pageNumber = z.coerce.number().int().min(1).max(100_000).default(1);
const pageSize = z.coerce.number().int().min(1).max(200).default(20);
const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const caseListQuery = z.strictObject({
  state: z.string().max(100).optional(),
  orgId: idSchema.optional(),
  overdue: boolQuery.optional(),
  assignee: idSchema.optional(),
  /** `reportedUpward`: clues reported to this commission by the one below (规则 Art 22); `suppressionRisk`. */
  flag: z.enum(['reportedUpward', 'suppressionRisk']).optional(),
  q: z.string().max(200).optional(),
  page: pageNumber,
  pageSize,
  /** The ledger as a download: every matching case (not one page), up to 10,000 rows. */
  format: z.enum(['json', 'csv', 'xlsx']).optional().describe('csv or xlsx downloads the whole filtered list (all pages, at most 10,000 rows) as the submit-ready ledger'),
  ledger: z.enum(['clues', 'cases']).optional().describe('The title of a download: `clues` 问题线索台账, `cases` (default) 案件台账'),
});

export const reviewListQuery = z.strictObject({
  caseId: idSchema.optional(),
  kind: z.enum(['primary', 'supervision']).optional(),
  state: z.string().max(100).optional(),
  page: pageNumber,
  pageSize,
});

export const periodQuery = z
  .strictObject({ from: dateSchema.optional(), to: dateSchema.optional(), orgId: idSchema.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const commandEnvelope = z.looseObject({
  type: z.string().min(1).max(100),
  expectedVersion: z.number().int().min(0).optional(),
});

/** GET /inbox: the page of notifications it carries (the default keeps the newest 100). */
export const inboxQuery = z.strictObject({ page: pageNumber, pageSize: z.coerce.number().int().min(1).max(200).default(100) });

export const notificationListQuery = z.strictObject({ unread: boolQuery.optional(), page: pageNumber, pageSize });

/** POST /notifications/read: `{ids: [...]}` marks those, `{all: true}` every unread one of the caller's. */
export const markReadBodySchema = z
  .strictObject({
    ids: z.array(z.string().min(1).max(200)).min(1).max(200).optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), { message: 'give either ids or all: true', path: ['ids'] })
  .meta({ id: 'MarkNotificationsRead' });

/** Statistics: a period and org, and the download format (`format` wins over the Accept header). */
export const statsQuery = z
  .strictObject({
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    orgId: idSchema.optional(),
    format: z.enum(['json', 'csv', 'xlsx']).optional().describe('csv or xlsx downloads the report (a link needs no Accept header)'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
