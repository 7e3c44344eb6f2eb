import type { ChainStep } from './policy';
import { hasRole, type Actor, type UserRole } from './roles';
import { isRelaxed } from './relaxation';
import type { Meeting } from './schemas';

/**
 * The approval pattern shared by the case and review machines (ARCHITECTURE.md §2): a proposing
 * command records the proposal and its chain; `approve` by a holder of the next role (never the
 * proposer, never twice the same user) advances the chain; the last approval applies the proposal;
 * `reject` clears it. The machine config decides where each kind applies and returns to.
 */
export interface ApprovalStep {
  userId: string;
  role: UserRole;
  comment?: string;
  meeting?: Meeting;
}

export interface PendingApproval {
  kind: string;
  payload: Record<string, unknown>;
  proposedBy: string;
  /** Roles in order; `role@upper` is approved in the commission above the handling one. */
  chain: ChainStep[];
  approvals: ApprovalStep[];
}

export interface WithPendingApproval {
  pendingApproval: PendingApproval | null;
  /** The commission above the handling one (`@upper` steps), when the aggregate knows it. */
  upperOrgId?: string | null;
}

export interface ActorEvent {
  type: string;
  actor: Actor;
}

interface ApprovalArgs {
  context: WithPendingApproval;
  event: ActorEvent;
}

/** The event's payload: everything but `type` and `actor`. */
export function payloadOf(event: ActorEvent): Record<string, unknown> {
  const { type: _type, actor: _actor, ...payload } = event as ActorEvent & Record<string, unknown>;
  return payload;
}

/** A new proposal of `kind` by the event's actor, awaiting `chain`. */
export function newProposal(kind: string, event: ActorEvent, chain: readonly ChainStep[]): PendingApproval {
  return { kind, payload: payloadOf(event), proposedBy: event.actor.id, chain: [...chain], approvals: [] };
}

const UPPER = '@upper';

/** The role of a chain step (`commissionHead@upper` → `commissionHead`; the party committee's secretary records its approval). */
export function stepRole(step: ChainStep): UserRole {
  if (step === 'partyCommittee') return 'partySecretary';
  return (step.endsWith(UPPER) ? step.slice(0, -UPPER.length) : step) as UserRole;
}

/** The role whose approval the proposal awaits, if any. */
export function nextRole(pending: PendingApproval | null): UserRole | undefined {
  const step = pending ? pending.chain[pending.approvals.length] : undefined;
  return step === undefined ? undefined : stepRole(step);
}

/** Whether the next step is the upper-level commission's. */
export function nextStepIsUpper(pending: PendingApproval | null): boolean {
  return pending ? (pending.chain[pending.approvals.length]?.endsWith(UPPER) ?? false) : false;
}

/**
 * The standing committee (规则 Art 56) and the party committee (问责条例 Art 12, 组织处理) decide in a
 * meeting: their approval records it.
 */
export function needsMeeting(pending: PendingApproval | null): boolean {
  const step = pending ? pending.chain[pending.approvals.length] : undefined;
  return step === 'standingCommittee' || step === 'partyCommittee';
}

/** The proposal with the actor's approval added as the next step. */
export function withApproval(pending: PendingApproval, event: ActorEvent & { comment?: string; meeting?: Meeting }): PendingApproval {
  const step: ApprovalStep = { userId: event.actor.id, role: nextRole(pending)! };
  if (event.comment !== undefined) step.comment = event.comment;
  if (event.meeting !== undefined) step.meeting = event.meeting;
  return { ...pending, approvals: [...pending.approvals, step] };
}

/**
 * The actor holds the next role; for an `@upper` step, in the commission above the handling one
 * (an aggregate at the top of the tree, with no upper commission, has its own approve it).
 */
const holdsNextRole = ({ context, event }: ApprovalArgs): boolean => {
  const role = nextRole(context.pendingApproval);
  if (role === undefined) return false;
  if (isRelaxed(event, 'role')) return true;
  if (!hasRole(event.actor, role)) return false;
  return !nextStepIsUpper(context.pendingApproval) || !context.upperOrgId || event.actor.orgId === context.upperOrgId;
};

/** Separation of duties: the proposer and earlier approvers do not approve again. */
const isIndependentOfProposal = ({ context, event }: ApprovalArgs): boolean => {
  const pending = context.pendingApproval;
  if (!pending || isRelaxed(event, 'separation')) return true;
  return pending.proposedBy !== event.actor.id && !pending.approvals.some((a) => a.userId === event.actor.id);
};

const hasMeetingIfRequired = ({ context, event }: ApprovalArgs): boolean =>
  !needsMeeting(context.pendingApproval) || isRelaxed(event, 'payload') || (event as { meeting?: unknown }).meeting !== undefined;

const isLastStep = (pending: PendingApproval): boolean => pending.approvals.length + 1 === pending.chain.length;

const matches = (payload: Record<string, unknown>, when: Record<string, unknown> = {}): boolean =>
  Object.entries(when).every(([field, value]) => payload[field] === value);

/** Parameters of `isFinalApprovalOf`: the proposal kind and, optionally, payload fields it must have. */
export interface FinalApprovalParams {
  kind: string;
  when?: Record<string, unknown>;
}

/** Guard implementations; each machine registers them in `setup({ guards })`. */
export const approvalGuards = {
  hasNoPendingApproval: ({ context }: ApprovalArgs): boolean => context.pendingApproval === null,
  /** The actor may act on the pending proposal now: holds the next role and is independent of it. */
  isNextInChain: (args: ApprovalArgs): boolean =>
    args.context.pendingApproval !== null && holdsNextRole(args) && isIndependentOfProposal(args),
  /** An approval that advances the chain without applying the proposal. */
  isIntermediateApproval: (args: ApprovalArgs): boolean =>
    approvalGuards.isNextInChain(args) && hasMeetingIfRequired(args) && !isLastStep(args.context.pendingApproval!),
  /** The last approval of a proposal of this kind (and payload), which applies it. */
  isFinalApprovalOf: (args: ApprovalArgs, params: FinalApprovalParams): boolean => {
    const pending = args.context.pendingApproval;
    return (
      pending !== null &&
      pending.kind === params.kind &&
      matches(pending.payload, params.when) &&
      isLastStep(pending) &&
      approvalGuards.isNextInChain(args) &&
      hasMeetingIfRequired(args)
    );
  },
};

/** Effect params telling the service whom to notify about a proposal. */
export interface NotifyParams {
  topic: 'approvalRequested' | 'proposalApproved' | 'proposalRejected';
  kind: string;
  roles?: UserRole[];
  userIds?: string[];
  /** The holders in the orgs above the aggregate's only (an `@upper` approval step). */
  upperOnly?: boolean;
}

/** Notify the holders of the next role that a proposal awaits them. */
export function approvalRequested(pending: PendingApproval | null): NotifyParams {
  return { topic: 'approvalRequested', kind: pending?.kind ?? '', roles: [nextRole(pending)!], ...(nextStepIsUpper(pending) ? { upperOnly: true } : {}) };
}

/** Notify the proposer that the proposal was applied or rejected. */
export function proposerNotice(pending: PendingApproval | null, topic: 'proposalApproved' | 'proposalRejected'): NotifyParams {
  return { topic, kind: pending?.kind ?? '', userIds: pending ? [pending.proposedBy] : [] };
}
