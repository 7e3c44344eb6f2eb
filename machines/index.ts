/**
 * The pure machines of the engine (ARCHITECTURE.md §2–§3): definitions built from policy, the
 * command schemas and role tables the service validates and authorizes with, and the step,
 * refusal, view and persistence helpers it calls. No I/O here.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { CASE_EFFECTS } from './case/effects';
import { CASE_COMMANDS, type CaseEvent } from './case/events';
import { CASE_MACHINE_ID, CASE_MACHINE_VERSION, policyOf, type CaseMachine } from './case/machine';
import { CASE_PAYLOAD_CHECKS, type PayloadIssue } from './case/payload';
import { CASE_COMMAND_ROLES } from './case/roles';
import type { CaseInput } from './case/context';
import type { CaseSnapshot } from './case/view';
import { REVIEW_EFFECTS } from './review/effects';
import type { ReviewInput } from './review/context';
import { REVIEW_COMMANDS, type ReviewEvent } from './review/events';
import { REVIEW_MACHINE_ID, REVIEW_MACHINE_VERSION, type ReviewMachine } from './review/machine';
import { REVIEW_PAYLOAD_CHECKS } from './review/payload';
import { REVIEW_COMMAND_ROLES } from './review/roles';
import type { ReviewSnapshot } from './review/view';
import { available, explain, step, type Effect, type MachineSpec, type RefusalReason, type StepResult } from './shared/commands';
import { persist, restore, type PersistedMachineSnapshot } from './shared/persistence';
import { pureInitialTransition } from './shared/pure-transition';
import type { Actor } from './shared/roles';

export { createCaseMachine, CASE_MACHINE_ID, CASE_MACHINE_VERSION, type CaseMachine } from './case/machine';
export { createReviewMachine, REVIEW_MACHINE_ID, REVIEW_MACHINE_VERSION, type ReviewMachine } from './review/machine';

export {
  caseCommandSchemas, caseInternalEventSchemas, CASE_COMMANDS, CASE_INTERNAL_EVENTS, DISPOSITION_METHODS, INQUIRY_OUTCOMES,
  VERIFICATION_RECOMMENDATIONS, RECUSAL_RELATIONS, EXTENSIBLE_DEADLINES, REVIEW_KINDS, REVIEW_OUTCOMES,
  type CaseCommandType, type CaseInternalEventType, type CaseEvent, type CaseEventOf, type CaseCommandEvent, type CaseInternalEvent,
  type ReviewerRef, type ReviewKind, type ReviewOutcome,
} from './case/events';
export {
  reviewCommandSchemas, reviewInternalEventSchemas, REVIEW_COMMANDS, REVIEW_INTERNAL_EVENTS, findingsIssues,
  type ReviewCommandType, type ReviewInternalEventType, type ReviewEvent, type ReviewEventOf, type Findings, type ReviewMeasureRef,
} from './review/events';
export { CASE_COMMAND_ROLES } from './case/roles';
export { REVIEW_COMMAND_ROLES } from './review/roles';
export type { CaseContext, CaseInput, Subject, DualReview, DualTrigger, Recusal } from './case/context';
export type { ReviewContext, ReviewInput } from './review/context';
export { CASE_EFFECTS, type CaseEffect, type CaseEffectParams, type Disposition } from './case/effects';
export { REVIEW_EFFECTS, type ReviewEffectParams, type ReviewDisposition } from './review/effects';

export type { PayloadIssue };
export { stateValueString, dualStateString, type CaseSnapshot } from './case/view';
export { reviewView, type ReviewSnapshot, type ReviewMachineView } from './review/view';

export type { CommandRule, Effect, StepResult, RefusalReason } from './shared/commands';
export { activeDeadlineKeys, DEADLINE_KEYS, ESCALATION_LEVELS, type DeadlineKey, type EscalationLevel } from './shared/deadlines';
export { MachineVersionError, type PersistedMachineSnapshot } from './shared/persistence';
export { migrations, registerMigration, type Migration, type SnapshotJson } from './shared/migrations';
export type { PendingApproval, ApprovalStep, NotifyParams } from './shared/approval';
export type { Meeting, MeasureRef } from './shared/schemas';
export * from './shared/roles';
export * from './shared/forms';
export type * from './shared/policy';

/** The service's entry points: one pure step per command, refusal reasons, persistence. */
const CASE_SPEC: MachineSpec = { commands: CASE_COMMANDS, rules: CASE_COMMAND_ROLES, effects: CASE_EFFECTS };
const REVIEW_SPEC: MachineSpec = { commands: REVIEW_COMMANDS, rules: REVIEW_COMMAND_ROLES, effects: REVIEW_EFFECTS };

type AnyMachine = CaseMachine | ReviewMachine;
/** A command or internal event of either machine, as the service received it. */
export type AnyCommandEvent = { type: string; actor: Actor } & Record<string, unknown>;

function specOf(machine: AnyMachine): MachineSpec {
  if (machine.id === CASE_MACHINE_ID) return CASE_SPEC;
  if (machine.id === REVIEW_MACHINE_ID) return REVIEW_SPEC;
  throw new Error(`unknown machine '${machine.id}'`);
}

function versionOf(machine: AnyMachine): number {
  return machine.id === CASE_MACHINE_ID ? CASE_MACHINE_VERSION : REVIEW_MACHINE_VERSION;
}

/** The initial snapshot of a new case (and the effects of entering it: none in version 1). */
export function initialCase(machine: CaseMachine, input: CaseInput): { snapshot: CaseSnapshot; effects: Effect[] } {
  const [snapshot, actions] = pureInitialTransition(machine, input);
  return { snapshot, effects: actions.filter((a) => CASE_EFFECTS.has(a.type)).map((a) => ({ type: a.type, params: a.params })) };
}

/** The initial snapshot of a new review (opened by the 双查 worker). */
export function initialReview(machine: ReviewMachine, input: ReviewInput): { snapshot: ReviewSnapshot; effects: Effect[] } {
  const [snapshot, actions] = pureInitialTransition(machine, input);
  return { snapshot, effects: actions.filter((a) => REVIEW_EFFECTS.has(a.type)).map((a) => ({ type: a.type, params: a.params })) };
}

/** Applies a case command or internal event; a refused event leaves the snapshot unchanged. */
export function stepCase(machine: CaseMachine, snapshot: CaseSnapshot, event: CaseEvent): StepResult<CaseSnapshot> {
  return step(CASE_SPEC, machine, snapshot, event);
}

/** Applies a review command or internal event; a refused event leaves the snapshot unchanged. */
export function stepReview(machine: ReviewMachine, snapshot: ReviewSnapshot, event: ReviewEvent): StepResult<ReviewSnapshot> {
  return step(REVIEW_SPEC, machine, snapshot, event);
}

/** Why a refused event was refused (API.md errors: 403 reasons, else 409 `command_not_allowed`). */
export function explainRefusal(machine: AnyMachine, snapshot: AnyMachineSnapshot, event: AnyCommandEvent): RefusalReason {
  return explain(specOf(machine), snapshot, event);
}

/** Commands the machine accepts now and `actor` may send (the view's `availableCommands`). */
export function availableCommands(machine: AnyMachine, snapshot: AnyMachineSnapshot, actor: Actor): string[] {
  return available(specOf(machine), snapshot, actor);
}

/**
 * Payload problems only the machine can see (subjects, the decision, the state's deadline, the
 * meeting the standing committee needs): the service answers them with `validation_failed`.
 */
export function payloadIssues(machine: AnyMachine, snapshot: AnyMachineSnapshot, event: AnyCommandEvent): PayloadIssue[] {
  const checks = (machine.id === CASE_MACHINE_ID ? CASE_PAYLOAD_CHECKS : REVIEW_PAYLOAD_CHECKS) as Record<string, (c: unknown, e: unknown) => PayloadIssue[]>;
  const issues = checks[event.type]?.(snapshot.context, event) ?? [];
  if (machine.id === CASE_MACHINE_ID && event.type === 'requestExtension') {
    const expected = snapshot.matches({ lifecycle: 'trial' }) ? 'trial.decision' : 'investigation.report';
    const key = (event as { deadlineKey?: string }).deadlineKey;
    if (key !== expected) issues.push({ path: 'deadlineKey', message: `in this state only ${expected} can be extended` });
    const maxDays = policyOf(machine as CaseMachine)?.extensions.maxDays;
    const days = (event as { days?: number }).days;
    if (maxDays !== undefined && typeof days === 'number' && days > maxDays) issues.push({ path: 'days', message: `每次延期不超过 ${maxDays} 日` });
  }
  return issues;
}

/** The snapshot as stored: `{machineId, machineVersion, snapshot}` with plain JSON data. */
export function toPersisted(machine: AnyMachine, snapshot: AnyMachineSnapshot): PersistedMachineSnapshot {
  return persist(machine, versionOf(machine), snapshot as never);
}

/** Restores a stored snapshot, running migrations; throws `MachineVersionError` when it cannot. */
export function fromPersisted(machine: CaseMachine, persisted: PersistedMachineSnapshot): CaseSnapshot;
export function fromPersisted(machine: ReviewMachine, persisted: PersistedMachineSnapshot): ReviewSnapshot;
export function fromPersisted(machine: AnyMachine, persisted: PersistedMachineSnapshot): CaseSnapshot | ReviewSnapshot {
  return restore(machine, versionOf(machine), persisted) as CaseSnapshot | ReviewSnapshot;
}

