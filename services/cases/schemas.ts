/**
 * The case capability's request schemas: registering a clue and listing cases. The HTTP layer and
 * the console validate with these same objects.
 */
import { z } from 'zod';
import { boolQuery, dateOrDateTime, dateSchema, idSchema, pageNumber, pageSize, text } from '../schemas';

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
    /** When the facts happened (YYYY-MM-DD): the 一案双查 reviews suggest the leaders in post then. */
    factsAt: dateSchema.optional(),
  })
  .meta({ id: 'CaseRegister' });

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
