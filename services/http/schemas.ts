import { z } from 'zod';
import { boolQuery, dateSchema, idSchema, pageNumber, pageSize, text } from '../schemas';
import { ORG_LEVELS } from '../store/org-levels';
import { USER_ROLES } from '../../machines/shared/roles';

/** Shared request schemas (the same objects generate /openapi.json). */
export { dateOrDateTime, dateSchema, idSchema, text } from '../schemas';
export { ALLEGATION_CATEGORIES, CASE_SOURCES, caseListQuery, caseRegisterSchema, RANKS, subjectSchema } from '../cases/schemas';
export { reviewListQuery } from '../reviews/schemas';

export { ORG_LEVELS } from '../store/org-levels';

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
