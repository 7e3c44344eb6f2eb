import type { SnapshotFrom, StateValue } from 'xstate';
import { dotted } from '../shared/state-value';
import type { CaseMachine } from './machine';

export type CaseSnapshot = SnapshotFrom<CaseMachine>;

/**
 * The lifecycle state as the API shows it (`talkInquiry.awaitingReply`); for a review snapshot, its
 * state (`investigating`).
 */
export function stateValueString(snapshot: { value: StateValue }): string {
  const value = snapshot.value;
  return typeof value === 'object' && value.lifecycle !== undefined ? dotted(value.lifecycle) : dotted(value);
}

/** The 一案双查 region's state: `notRequired | opening | open | concluded`. */
export function dualStateString(snapshot: CaseSnapshot): string {
  return dotted(snapshot.value.dualInvestigation);
}
