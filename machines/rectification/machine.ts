/**
 * Rectification after a case (以案促改): opened for the unit concerned when a case is
 * decided with a sanction or a 问责 review finds responsibility. The unit submits its plan
 * (整改方案), then its completion report (整改完成情况报告); the commission accepts it (验收) or
 * returns it for another round. A warning-education meeting (警示教育会) may be put on record at any
 * step. Each step is a clock (`rectification.plan`, `.report`, `.acceptance`).
 */
import { and, assign, setup, type SnapshotFrom } from 'xstate';
import { z } from 'zod';
import { available, explain, step, type CommandRule, type MachineSpec, type RefusalReason, type StepResult } from '../shared/commands';
import { higherLevel, type EscalationLevel, type StateMeta } from '../shared/deadlines';
import { persist, restore, type PersistedMachineSnapshot } from '../shared/persistence';
import { pureInitialTransition } from '../shared/pure-transition';
import { relaxable } from '../shared/relaxation';
import { hasRole, isSystem, type Actor, type UserRole } from '../shared/roles';
import { deadlineReachedSchema, text } from '../shared/schemas';

export const RECTIFICATION_MACHINE_ID = 'rectification';
export const RECTIFICATION_MACHINE_VERSION = 1;

/** Who writes for the unit besides its own responsible accounts: the case's handlers. */
export const RECTIFICATION_WRITERS: readonly UserRole[] = ['inspector', 'caseManager'];
/** Who accepts or returns the report for the commission. */
export const RECTIFICATION_ACCEPTORS: readonly UserRole[] = ['commissionHead', 'supervisor'];

export interface Submission {
  text: string;
  by: string;
  at: string;
}

export interface RectificationContext {
  rectificationId: string;
  /** The unit's accounts (its party secretary, discipline body) who submit plan and report. */
  responsibleUserIds: string[];
  plan: (Submission & { measures: string[] }) | null;
  /** Reports in order; all but the last were returned. */
  reports: Array<Submission & { returned: { comment: string; by: string } | null }>;
  meetings: Array<{ heldOn: string; attendees: number; summary: string; by: string }>;
  acceptance: { comment: string | null; by: string; at: string } | null;
  escalation: EscalationLevel | null;
}

export type RectificationInput = Pick<RectificationContext, 'rectificationId' | 'responsibleUserIds'>;

export const rectificationCommandSchemas = {
  submitPlan: z.object({ text, measures: z.array(z.string().min(1).max(2000)).max(100).default([]) }),
  submitReport: z.object({ text }),
  acceptReport: z.object({ comment: text.optional() }),
  returnReport: z.object({ comment: text }),
  recordWarningMeeting: z.object({ heldOn: z.iso.date(), attendees: z.number().int().min(1).max(100_000), summary: text }),
} as const;
export const rectificationInternalEventSchemas = { 'deadline.reached': deadlineReachedSchema } as const;

export type RectificationCommandType = keyof typeof rectificationCommandSchemas;
export const RECTIFICATION_COMMANDS = Object.keys(rectificationCommandSchemas) as RectificationCommandType[];

type Events<M extends Record<string, z.ZodType>> = { [K in keyof M & string]: { type: K; actor: Actor } & z.output<M[K]> }[keyof M & string];
export type RectificationEvent = Events<typeof rectificationCommandSchemas> | Events<typeof rectificationInternalEventSchemas>;
type EventOf<T extends RectificationEvent['type']> = Extract<RectificationEvent, { type: T }>;

export const RECTIFICATION_COMMAND_ROLES: Readonly<Record<RectificationCommandType | 'deadline.reached', CommandRule>> = {
  submitPlan: { kind: 'selfOrRoles', roles: RECTIFICATION_WRITERS },
  submitReport: { kind: 'selfOrRoles', roles: RECTIFICATION_WRITERS },
  recordWarningMeeting: { kind: 'selfOrRoles', roles: RECTIFICATION_WRITERS },
  acceptReport: { kind: 'roles', roles: RECTIFICATION_ACCEPTORS },
  returnReport: { kind: 'roles', roles: RECTIFICATION_ACCEPTORS },
  'deadline.reached': { kind: 'system' },
};

type Args = { context: RectificationContext; event: RectificationEvent };
const writer = ({ context, event }: Args) => context.responsibleUserIds.includes(event.actor.id) || RECTIFICATION_WRITERS.some((r) => hasRole(event.actor, r));
const acceptor = ({ event }: Args) => RECTIFICATION_ACCEPTORS.some((r) => hasRole(event.actor, r));
/** Whoever wrote the report does not accept it. */
const notTheReporter = ({ context, event }: Args) => context.reports.at(-1)?.by !== event.actor.id;

function build(clock: () => string) {
  return setup({
    types: { context: {} as RectificationContext, events: {} as RectificationEvent, input: {} as RectificationInput, meta: {} as StateMeta },
    guards: {
      isWriter: relaxable(['role'], writer),
      isAcceptor: relaxable(['role'], acceptor),
      notTheReporter: relaxable(['separation'], notTheReporter),
      isSystemActor: ({ event }) => isSystem(event.actor),
    },
    actions: {
      recordPlan: assign({ plan: ({ event }) => ({ text: (event as EventOf<'submitPlan'>).text, measures: (event as EventOf<'submitPlan'>).measures ?? [], by: event.actor.id, at: clock() }) }),
      recordReport: assign({ reports: ({ context, event }) => [...context.reports, { text: (event as EventOf<'submitReport'>).text, by: event.actor.id, at: clock(), returned: null }] }),
      returnReport: assign({
        reports: ({ context, event }) => context.reports.map((r, i) => (i === context.reports.length - 1 ? { ...r, returned: { comment: (event as EventOf<'returnReport'>).comment, by: event.actor.id } } : r)),
      }),
      recordAcceptance: assign({ acceptance: ({ event }) => ({ comment: (event as EventOf<'acceptReport'>).comment ?? null, by: event.actor.id, at: clock() }) }),
      recordMeeting: assign({
        meetings: ({ context, event }) => {
          const e = event as EventOf<'recordWarningMeeting'>;
          return [...context.meetings, { heldOn: e.heldOn, attendees: e.attendees, summary: e.summary, by: e.actor.id }];
        },
      }),
      recordEscalation: assign({ escalation: ({ context, event }) => higherLevel(context.escalation ?? undefined, (event as EventOf<'deadline.reached'>).level) }),
    },
  }).createMachine({
    id: RECTIFICATION_MACHINE_ID,
    context: ({ input }) => ({ ...input, plan: null, reports: [], meetings: [], acceptance: null, escalation: null }),
    initial: 'planDue',
    on: {
      recordWarningMeeting: { guard: 'isWriter', actions: 'recordMeeting' },
      'deadline.reached': { guard: 'isSystemActor', actions: 'recordEscalation' },
    },
    states: {
      planDue: {
        description: 'The unit drafts its rectification plan (整改方案).',
        meta: { deadline: 'rectification.plan' },
        on: { submitPlan: { guard: 'isWriter', target: 'reportDue', actions: 'recordPlan' } },
      },
      reportDue: {
        description: 'The unit carries out the plan and reports its completion; a returned report comes back here.',
        meta: { deadline: 'rectification.report' },
        on: { submitReport: { guard: 'isWriter', target: 'acceptance', actions: 'recordReport' } },
      },
      acceptance: {
        description: 'The commission checks the completion report (验收).',
        meta: { deadline: 'rectification.acceptance' },
        on: {
          acceptReport: { guard: and(['isAcceptor', 'notTheReporter']), target: 'accepted', actions: 'recordAcceptance' },
          returnReport: { guard: and(['isAcceptor', 'notTheReporter']), target: 'reportDue', actions: 'returnReport' },
        },
      },
      accepted: { description: 'Rectification accepted; a warning-education meeting may still be recorded.' },
    },
  });
}

export type RectificationMachine = ReturnType<typeof build>;
export type RectificationSnapshot = SnapshotFrom<RectificationMachine>;

const SPEC: MachineSpec = { commands: RECTIFICATION_COMMANDS, rules: RECTIFICATION_COMMAND_ROLES, effects: new Set() };

export function createRectificationMachine(clock: () => string): RectificationMachine {
  return build(clock);
}
export function initialRectification(machine: RectificationMachine, input: RectificationInput): RectificationSnapshot {
  return pureInitialTransition(machine, input)[0];
}
export function stepRectification(machine: RectificationMachine, snapshot: RectificationSnapshot, event: RectificationEvent): StepResult<RectificationSnapshot> {
  return step(SPEC, machine, snapshot, event);
}
export function explainRectificationRefusal(snapshot: RectificationSnapshot, event: { type: string; actor: Actor }): RefusalReason {
  return explain(SPEC, snapshot, event);
}
export function rectificationCommands(snapshot: RectificationSnapshot, actor: Actor): string[] {
  return available(SPEC, snapshot, actor);
}
export function persistRectification(machine: RectificationMachine, snapshot: RectificationSnapshot): PersistedMachineSnapshot {
  return persist(machine, RECTIFICATION_MACHINE_VERSION, snapshot);
}
export function restoreRectification(machine: RectificationMachine, persisted: PersistedMachineSnapshot): RectificationSnapshot {
  return restore(machine, RECTIFICATION_MACHINE_VERSION, persisted);
}
