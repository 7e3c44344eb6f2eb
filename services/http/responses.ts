import { z } from 'zod';
import { CASE_COMMANDS, DEADLINE_KEYS, REVIEW_COMMANDS, REVIEW_KINDS, REVIEW_OUTCOMES, RECUSAL_RELATIONS, USER_ROLES } from '../../machines';
import { deadlineStatusSchema, deadlineViewSchema, escalationSchema } from '../deadlines/view-schema';
import { suggestionsSchema } from '../responsibility/suggest';
import { ALLEGATION_CATEGORIES, CASE_SOURCES, ORG_LEVELS, subjectSchema } from './schemas';

/**
 * The answers of the API as zod schemas: /openapi.json documents them, the generated console
 * client types them, and tests/e2e/openapi-contract.test.ts validates live answers against them.
 * Objects are closed (no undocumented field passes the contract test); free-form parts (a
 * proposal's payload, an audit event's detail) are records.
 */
const iso = z.string().describe('ISO 8601 date-time');
const anyRecord = z.record(z.string(), z.unknown());

export { deadlineStatusSchema, deadlineViewSchema, escalationSchema };



const meetingSchema = z.object({ ref: z.string(), attendees: z.array(z.string()), dissent: z.array(z.string()) }).meta({ id: 'Meeting' });

export const pendingApprovalSchema = z
  .object({
    kind: z.string().describe('Proposal kind (dictionary PROPOSAL_LABELS)'),
    payload: anyRecord.describe('The proposing command’s payload'),
    proposedBy: z.string(),
    chain: z.array(z.string()).describe('Roles in order; `role@upper` approves in the commission above'),
    approvals: z.array(z.object({ userId: z.string(), role: z.string(), comment: z.string().optional(), meeting: meetingSchema.optional() })),
  })
  .meta({ id: 'PendingApproval' });

export const caseViewSchema = z
  .object({
    id: z.string(),
    number: z.string().describe('Case number drawn per org and year'),
    title: z.string(),
    orgId: z.string().describe('The org the clue is registered on'),
    handlingOrgId: z.string().describe('The commission handling it (承办机关)'),
    source: z.enum(CASE_SOURCES),
    receivedAt: z.string(),
    major: z.boolean(),
    subjects: z.array(subjectSchema),
    allegations: z.array(z.object({ category: z.enum(ALLEGATION_CATEGORIES), summary: z.string() })),
    reporter: z
      .object({ sealed: z.boolean(), mayDisclose: z.boolean().optional(), name: z.string().optional(), contact: z.string().optional(), realName: z.boolean().optional() })
      .describe(
        '`{sealed: true}`; `mayDisclose: true` when the caller (registrar, commission head) may ask for the identity with `GET /cases/:id?include=reporter`, which returns it unsealed and records the disclosure',
      ),
    state: z.string().describe('Lifecycle state path, e.g. `talkInquiry.awaitingReply` (dictionary CASE_STATE_LABELS)'),
    version: z.number().int(),
    dualInvestigation: z.object({
      state: z.enum(['notRequired', 'opening', 'open', 'concluded']),
      trigger: z.enum(['majorFiling', 'form3Decision', 'judicialTransfer', 'manual']).nullable(),
      reviews: z.array(z.object({ id: z.string().nullable(), kind: z.enum(REVIEW_KINDS), state: z.string() })),
    }),
    pendingApproval: pendingApprovalSchema.nullable(),
    deadlines: z.array(deadlineViewSchema),
    dispositions: z.array(
      z.object({ personId: z.string(), measure: z.string(), form: z.number().int().min(1).max(4), decidedAt: iso, reviewId: z.string().optional() }),
    ),
    flags: z.array(z.string()),
    assignees: z.array(z.string()),
    trialReviewers: z.array(z.string()),
    recusals: z.array(z.object({ userId: z.string(), relation: z.enum(RECUSAL_RELATIONS) })),
    availableCommands: z.array(z.enum(CASE_COMMANDS)).describe('What the caller may send now; the console shows exactly these'),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'CaseView' });

export const reviewViewSchema = z
  .object({
    id: z.string(),
    caseId: z.string(),
    kind: z.enum(REVIEW_KINDS),
    targetOrgId: z.string(),
    target: z.enum(['partyCommittee', 'disciplineBody']),
    targetName: z.string().nullable(),
    state: z.string().describe('Review state (dictionary REVIEW_STATE_LABELS)'),
    version: z.number().int(),
    pendingApproval: pendingApprovalSchema.nullable(),
    deadlines: z.array(deadlineViewSchema),
    findings: anyRecord.nullable().describe('The approved findings (see ReviewSubmitFindingsCommand)'),
    decision: z
      .object({
        outcome: z.enum(REVIEW_OUTCOMES).nullable(),
        measures: z.array(anyRecord),
        dispositions: z.array(anyRecord),
      })
      .nullable(),
    assignees: z.array(z.string()),
    suggestedParties: suggestionsSchema.describe('Leaders in post when the facts happened, from the responsibility map'),
    availableCommands: z.array(z.enum(REVIEW_COMMANDS)),
    createdAt: iso,
    updatedAt: iso,
  })
  .meta({ id: 'ReviewView' });

/** A page of a list: `{items, total, page, pageSize}` (API.md "Lists"). */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }).meta({ id });

export const caseListSchema = pageOf(caseViewSchema, 'CaseList');
export const reviewListSchema = pageOf(reviewViewSchema, 'ReviewList');

export const auditEventSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string().describe('A command, an internal event or register/read/history/open (dictionary auditActionLabel)'),
    outcome: z.enum(['accepted', 'refused', 'read', 'disclosed']),
    from: z.string().nullable(),
    to: z.string().nullable(),
    hash: z.string(),
    prevHash: z.string().nullable(),
    detail: anyRecord.optional(),
  })
  .meta({ id: 'AuditEvent' });
export const historySchema = pageOf(auditEventSchema, 'CaseHistory');
export const reviewHistorySchema = pageOf(auditEventSchema, 'ReviewHistory');
export const rectificationHistorySchema = pageOf(auditEventSchema, 'RectificationHistory');

export const auditVerifySchema = z
  .object({ ok: z.boolean(), streams: z.number().int(), events: z.number().int(), brokenAt: z.object({ stream: z.string(), seq: z.number().int() }).optional() })
  .meta({ id: 'AuditVerifyResult' });

export const notificationSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    kind: z.string().describe('approvalRequested, proposalApproved, proposalRejected, or a deadline notice'),
    title: z.string(),
    body: z.string(),
    aggregateType: z.string().nullable(),
    aggregateId: z.string().nullable(),
    createdAt: iso,
    readAt: iso.nullable(),
  })
  .meta({ id: 'Notification' });

export const notificationPageSchema = z
  .object({
    items: z.array(notificationSchema),
    total: z.number().int(),
    unread: z.number().int().describe('All unread notifications of the caller'),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: 'NotificationPage' });

export const markReadSchema = z.object({ marked: z.number().int().describe('Notifications that were unread and are now read'), unread: z.number().int() }).meta({ id: 'MarkReadResult' });

const inboxItem = z
  .object({ aggregate: z.enum(['case', 'review']), id: z.string(), title: z.string(), state: z.string(), pendingApproval: pendingApprovalSchema.optional() })
  .meta({ id: 'InboxItem' });

const proposalInboxItem = z
  .object({
    id: z.string(),
    unitOrgId: z.string(),
    unitName: z.string(),
    rule: z.string().describe('Why the trigger proposed it (thresholds met, in Chinese)'),
    createdAt: iso,
    caseIds: z.array(z.string()).describe('Every case behind the proposal'),
    cases: z.array(z.object({ id: z.string(), number: z.string(), title: z.string(), state: z.string() })).describe('The cases behind it the caller may read'),
    availableCommands: z.array(z.enum(['open', 'dismiss'])).describe('POST /api/v1/dual-proposals/{id}/open or /dismiss (with a reason)'),
  })
  .meta({ id: 'DualProposalInboxItem' });

export const inboxSchema = z
  .object({
    approvals: z.array(inboxItem).describe('Proposals the caller may approve next'),
    proposals: z.array(proposalInboxItem).describe('一案双查 proposed by the frequency trigger that the caller (commission head of the deciding org) opens or dismisses'),
    assigned: z.array(inboxItem),
    overdue: z.array(
      z.object({
        aggregate: z.enum(['case', 'review']),
        id: z.string(),
        key: z.enum(DEADLINE_KEYS),
        dueAt: iso,
        status: deadlineStatusSchema,
        escalation: escalationSchema,
        workingDaysLeft: z.number().int().describe('Working days from today (China) to the due day: negative, the working days it is overdue by'),
      }),
    ),
    notifications: z.array(notificationSchema).describe('The page `page`/`pageSize` of the caller’s notifications, newest first'),
    notificationPage: z.object({ total: z.number().int(), unread: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
  })
  .meta({ id: 'Inbox' });

const formCounts = z.record(z.string(), z.number().int()).describe('Person-times by form `1`–`4`');
export const fourFormsSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    orgId: z.string(),
    total: z.number().int(),
    forms: z.array(z.object({ form: z.number().int(), personTimes: z.number().int(), percent: z.number() })),
    byRank: z.array(z.object({ bucket: z.string(), label: z.string(), total: z.number().int(), forms: formCounts })),
    byOrgLevel: z.array(z.object({ level: z.string(), label: z.string(), total: z.number().int(), forms: formCounts })),
    sentence: z.string().describe('The CCDI bulletin sentence (四种形态)'),
  })
  .meta({ id: 'FourFormsReport' });

export const dualReportSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    orgId: z.string(),
    triggered: z.number().int(),
    reviews: z.array(
      z.object({
        kind: z.enum(REVIEW_KINDS),
        label: z.string(),
        opened: z.number().int(),
        concluded: z.number().int(),
        responsibilityFound: z.number().int(),
        exempted: z.number().int(),
        noResponsibility: z.number().int(),
      }),
    ),
    measures: z.array(z.object({ measure: z.string(), count: z.number().int() })),
    medianDaysToOpen: z.number().nullable(),
    medianDaysToConclude: z.number().nullable(),
  })
  .meta({ id: 'DualInvestigationReport' });

const counts = { open: z.number().int(), overdue: z.number().int(), metOnTime: z.number().int(), metLate: z.number().int(), total: z.number().int() };
export const deadlinesReportSchema = z
  .object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    orgId: z.string(),
    totals: z.object(counts),
    byKey: z.array(z.object({ key: z.string(), label: z.string(), ...counts })),
    byOrg: z.array(z.object({ orgId: z.string(), ...counts })),
    suppressionRisk: z.object({ cases: z.number().int(), caseIds: z.array(z.string()) }).describe('压案不查: clues whose disposition clock escalated'),
  })
  .meta({ id: 'DeadlinesReport' });

export const orgSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    level: z.enum(ORG_LEVELS),
    parentId: z.string().nullable(),
    partyCommittee: z.string().nullable(),
    disciplineBody: z.string().nullable(),
    createdAt: iso,
  })
  .meta({ id: 'Org' });
export const orgListSchema = pageOf(orgSchema, 'OrgList');

export const userSchema = z
  .object({ id: z.string(), name: z.string(), orgId: z.string(), roles: z.array(z.enum([...USER_ROLES, 'system'])), personId: z.string().nullable(), createdAt: iso })
  .meta({ id: 'User' });
export const userListSchema = pageOf(userSchema, 'UserList');

export const calendarYearSchema = z
  .object({
    year: z.number().int(),
    origin: z.enum(['override', 'chinese-days', 'none']).describe('`none`: Monday–Friday only, the year is not known'),
    holidays: z.array(z.string()),
    workdays: z.array(z.string()).describe('Weekend days made working days (调休)'),
    known: z.boolean(),
    updatedAt: iso.nullable(),
    replanned: z.object({ replanned: z.number().int(), stillUncertain: z.number().int() }).optional(),
    uncertainDeadlines: z
      .array(z.object({ aggregate: z.string(), id: z.string(), key: z.enum(DEADLINE_KEYS), dueAt: iso, status: deadlineStatusSchema }))
      .optional()
      .describe('Admins only: running deadlines counted through a year without data'),
  })
  .meta({ id: 'CalendarYearView' });

export const devTokenResponseSchema = z.object({ token: z.string() }).meta({ id: 'DevToken' });
export const healthSchema = z.object({ ok: z.boolean() }).meta({ id: 'Health' });
export const readinessSchema = z
  .object({
    ok: z.boolean(),
    checks: z.record(z.string(), z.enum(['ok', 'down', 'timeout'])),
    down: z.array(z.string()).optional(),
    detail: z.string().optional(),
  })
  .meta({ id: 'Readiness' });
