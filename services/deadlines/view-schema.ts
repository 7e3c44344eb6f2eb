import { z } from 'zod';
import { DEADLINE_KEYS } from '../../machines';

/** A running or closed clock as every view shows it (cases, reviews, rectifications; OpenAPI `DeadlineView`). */
const iso = z.string().describe('ISO 8601 date-time');

export const escalationSchema = z.enum(['none', 'warning', 'overdue', 'escalated']).describe('Last escalation step taken (蓝 warning, 黄 overdue, 红 escalated)');
export const deadlineStatusSchema = z.enum(['open', 'overdue', 'met', 'metLate']);

export const deadlineViewSchema = z
  .object({
    key: z.enum(DEADLINE_KEYS),
    dueAt: iso,
    status: deadlineStatusSchema,
    escalation: escalationSchema,
    calendarUncertain: z.boolean().describe('Counted through a year whose holidays are not yet known'),
    workingDaysLeft: z
      .number()
      .int()
      .nullable()
      .describe('Working days from today (China) to the due day while running: 0 on the due day, negative when overdue; null when closed'),
  })
  .meta({ id: 'DeadlineView' });
