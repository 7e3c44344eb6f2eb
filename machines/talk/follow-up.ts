/**
 * A talk's follow-up item (整改事项): opened when the talk is recorded, with an owner
 * and a due date in working days; its clock escalates like every other (`talk.followUp`), and it
 * closes with evidence. Evidence found wanting is returned and the item stays open.
 */
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { available, explain, step, type CommandRule, type MachineSpec, type RefusalReason, type StepResult } from '../shared/commands';
import { higherLevel, type EscalationLevel, type StateMeta } from '../shared/deadlines';
import { persist, restore, type PersistedMachineSnapshot } from '../shared/persistence';
import { pureInitialTransition } from '../shared/pure-transition';
import { relaxable } from '../shared/relaxation';
import { hasRole, isSystem, type Actor, type UserRole } from '../shared/roles';
import { deadlineReachedSchema, text } from '../shared/schemas';
import type { SnapshotFrom } from 'xstate';

export const FOLLOW_UP_MACHINE_ID = 'followUp';
export const FOLLOW_UP_MACHINE_VERSION = 1;

/** Overseers who may close or return any item of their scope besides its owner and the talker. */
export const FOLLOW_UP_OVERSEERS: readonly UserRole[] = ['commissionHead', 'supervisor'];

export interface Evidence {
  text: string;
  by: string;
  at: string;
}

export interface FollowUpContext {
  followUpId: string;
  talkId: string;
  /** Users who may submit evidence: the owner's account (if any) and the talker's. */
  responsibleUserIds: string[];
  evidence: Evidence | null;
  /** Evidence returned as insufficient, oldest first. */
  returned: Array<Evidence & { comment: string; returnedBy: string }>;
  escalation: EscalationLevel | null;
}

export type FollowUpInput = Pick<FollowUpContext, 'followUpId' | 'talkId' | 'responsibleUserIds'>;

export const followUpCommandSchemas = {
  /** `at`: when the work was done (defaults to now); `text`: what shows it (整改材料). */
  submitEvidence: z.object({ text, at: z.iso.datetime({ offset: true }).optional() }),
  acceptEvidence: z.object({ comment: text.optional() }),
  returnEvidence: z.object({ comment: text }),
} as const;
export const followUpInternalEventSchemas = { 'deadline.reached': deadlineReachedSchema } as const;

export type FollowUpCommandType = keyof typeof followUpCommandSchemas;
export const FOLLOW_UP_COMMANDS = Object.keys(followUpCommandSchemas) as FollowUpCommandType[];

type Events<M extends Record<string, z.ZodType>> = { [K in keyof M & string]: { type: K; actor: Actor } & z.output<M[K]> }[keyof M & string];
export type FollowUpEvent = Events<typeof followUpCommandSchemas> | Events<typeof followUpInternalEventSchemas>;

/** Evidence comes from the owner or the talker (or an overseer); acceptance from the talker or an overseer. */
export const FOLLOW_UP_COMMAND_ROLES: Readonly<Record<FollowUpCommandType | 'deadline.reached', CommandRule>> = {
  submitEvidence: { kind: 'selfOrRoles', roles: FOLLOW_UP_OVERSEERS },
  acceptEvidence: { kind: 'selfOrRoles', roles: FOLLOW_UP_OVERSEERS },
  returnEvidence: { kind: 'selfOrRoles', roles: FOLLOW_UP_OVERSEERS },
  'deadline.reached': { kind: 'system' },
};

const responsibleOrOverseer = ({ context, event }: { context: FollowUpContext; event: FollowUpEvent }) =>
  context.responsibleUserIds.includes(event.actor.id) || FOLLOW_UP_OVERSEERS.some((r) => hasRole(event.actor, r));

const mayActRelaxed = (args: { context: FollowUpContext; event: FollowUpEvent }) => relaxable(['role'], responsibleOrOverseer)(args, undefined);

/** Nobody accepts their own evidence (separation of duties), except an overseer checking it. */
const notOwnEvidence = ({ context, event }: { context: FollowUpContext; event: FollowUpEvent }) => context.evidence?.by !== event.actor.id;

function buildFollowUpMachine(clock: () => string) {
  return setup({
    types: { context: {} as FollowUpContext, events: {} as FollowUpEvent, input: {} as FollowUpInput, meta: {} as StateMeta },
    guards: {
      mayAct: relaxable(['role'], responsibleOrOverseer),
      mayCheck: (args: { context: FollowUpContext; event: FollowUpEvent }) => mayActRelaxed(args) && relaxable(['separation'], notOwnEvidence)(args, undefined),
      isSystemActor: ({ event }) => isSystem(event.actor),
    },
    actions: {
      recordEvidence: assign({
        evidence: ({ event }) => {
          const e = event as Extract<FollowUpEvent, { type: 'submitEvidence' }>;
          return { text: e.text, by: e.actor.id, at: e.at ?? clock() };
        },
      }),
      returnEvidence: assign({
        returned: ({ context, event }) => {
          const e = event as Extract<FollowUpEvent, { type: 'returnEvidence' }>;
          return [...context.returned, { ...context.evidence!, comment: e.comment, returnedBy: e.actor.id }];
        },
        evidence: null,
      }),
      recordEscalation: assign({
        escalation: ({ context, event }) => higherLevel(context.escalation ?? undefined, (event as Extract<FollowUpEvent, { type: 'deadline.reached' }>).level),
      }),
    },
  }).createMachine({
    id: FOLLOW_UP_MACHINE_ID,
    context: ({ input }) => ({ ...input, evidence: null, returned: [], escalation: null }),
    initial: 'open',
    states: {
      open: {
        description: 'Being worked on; the clock runs until the evidence is accepted.',
        meta: { deadline: 'talk.followUp' },
        initial: 'inProgress',
        on: { 'deadline.reached': { guard: 'isSystemActor', actions: 'recordEscalation' } },
        states: {
          inProgress: { on: { submitEvidence: { guard: 'mayAct', target: 'evidenceSubmitted', actions: 'recordEvidence' } } },
          evidenceSubmitted: {
            on: {
              acceptEvidence: { guard: 'mayCheck', target: '#followUp.closed' },
              returnEvidence: { guard: 'mayCheck', target: 'inProgress', actions: 'returnEvidence' },
            },
          },
        },
      },
      closed: { description: 'Done, with evidence on record.', type: 'final' },
    },
  });
}

export type FollowUpMachine = ReturnType<typeof buildFollowUpMachine>;
export type FollowUpSnapshot = SnapshotFrom<FollowUpMachine>;

const SPEC: MachineSpec = { commands: FOLLOW_UP_COMMANDS, rules: FOLLOW_UP_COMMAND_ROLES, effects: new Set() };

/** The machine; `clock` stamps evidence without a time of its own (the service passes its clock). */
export function createFollowUpMachine(clock: () => string): FollowUpMachine {
  return buildFollowUpMachine(clock);
}

export function initialFollowUp(machine: FollowUpMachine, input: FollowUpInput): FollowUpSnapshot {
  return pureInitialTransition(machine, input)[0];
}

export function stepFollowUp(machine: FollowUpMachine, snapshot: FollowUpSnapshot, event: FollowUpEvent): StepResult<FollowUpSnapshot> {
  return step(SPEC, machine, snapshot, event);
}

export function explainFollowUpRefusal(snapshot: FollowUpSnapshot, event: { type: string; actor: Actor }): RefusalReason {
  return explain(SPEC, snapshot, event);
}

export function followUpCommands(snapshot: FollowUpSnapshot, actor: Actor): string[] {
  return available(SPEC, snapshot, actor);
}

export function persistFollowUp(machine: FollowUpMachine, snapshot: FollowUpSnapshot): PersistedMachineSnapshot {
  return persist(machine, FOLLOW_UP_MACHINE_VERSION, snapshot);
}

export function restoreFollowUp(machine: FollowUpMachine, persisted: PersistedMachineSnapshot): FollowUpSnapshot {
  return restore(machine, FOLLOW_UP_MACHINE_VERSION, persisted);
}
