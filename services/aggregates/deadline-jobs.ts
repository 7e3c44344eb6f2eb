import { ESCALATION_LEVELS } from '../../config/deadlines';
import type { DeadlineRecord, OutboxRow } from '../store/port';

/**
 * The BullMQ job id of one escalation step. Deterministic, so the relay and the reconciler name the
 * same alarm the same way (BullMQ keeps one job per id) and a re-planned step gets a new id.
 */
export function deadlineStepJobId(deadlineId: string, level: string, at: string): string {
  return `dl_${deadlineId}_${level}_${Date.parse(at)}`;
}

/** Outbox rows for the steps of `record` not yet taken: one delayed `deadlines` job each. */
export function deadlineStepRows(record: DeadlineRecord, createdAt: string): OutboxRow[] {
  const taken = record.escalation === 'none' ? -1 : ESCALATION_LEVELS.indexOf(record.escalation);
  const rows: OutboxRow[] = [];
  ESCALATION_LEVELS.forEach((level, i) => {
    const at = record.steps[level];
    if (!at || i <= taken) return;
    rows.push({
      id: deadlineStepJobId(record.id, level, at),
      queue: 'deadlines',
      name: 'step',
      data: { deadlineId: record.id, level },
      createdAt,
      runAt: at,
      deliveredAt: null,
    });
  });
  return rows;
}
