import { approvalRequested, proposerNotice, type WithPendingApproval } from './approval';
import type { MachinePolicy } from './policy';

/**
 * Config builders for the approval pattern, so both machines spell it the same way. `extra` are
 * machine-specific actions run with the step (the case records participants before trial).
 */
type Ctx = { context: WithPendingApproval };

const notifyNextApprover = { type: 'notify', params: ({ context }: Ctx) => approvalRequested(context.pendingApproval) } as const;
const notifyProposer = (topic: 'proposalApproved' | 'proposalRejected') =>
  ({ type: 'notify', params: ({ context }: Ctx) => proposerNotice(context.pendingApproval, topic) }) as const;

/** Actions of a proposing command: record the proposal with its chain, notify the first approver. */
export const propose = <K extends string, X extends readonly string[]>(kind: K, extra: X) =>
  [{ type: 'proposeApproval', params: { kind } }, ...extra, notifyNextApprover] as const;

/** `approve` that advances the chain without applying the proposal. */
export const intermediateApproval = <X extends readonly string[]>(extra: X) =>
  ({ guard: 'isIntermediateApproval', actions: ['recordApproval', ...extra, notifyNextApprover] }) as const;

/** Guard and target of the last approval of a proposal of this kind (and payload). */
export const finalApproval = <K extends string, T extends string | undefined>(kind: K, when: Record<string, unknown> | undefined, target: T) =>
  ({ guard: { type: 'isFinalApprovalOf', params: { kind, when } }, target }) as const;

/** Actions that close an applied proposal (after the kind's own effects, which read it). */
export const applied = <X extends readonly string[]>(extra: X) => [...extra, notifyProposer('proposalApproved'), 'clearPendingApproval'] as const;

/** `reject` by the next in the chain: clear the proposal and go back to where it was made. */
export const rejection = <T extends string | undefined, X extends readonly string[]>(target: T, extra: X) =>
  ({ guard: 'isNextInChain', target, actions: [...extra, notifyProposer('proposalRejected'), 'clearPendingApproval'] }) as const;

/** An empty chain would leave a proposal nobody can approve: fail when the machine is built. */
export function assertApprovalChains(policy: MachinePolicy): void {
  const empty: string[] = [];
  for (const [kind, value] of Object.entries(policy.approvals) as [string, string[] | Record<string, string[]>][]) {
    const chains: [string, string[]][] = Array.isArray(value) ? [[kind, value]] : Object.entries(value).map(([option, chain]) => [`${kind}.${option}`, chain]);
    for (const [name, chain] of chains) if (chain.length === 0) empty.push(name);
  }
  if (empty.length) throw new Error(`approval chains must name at least one role: ${empty.join(', ')}`);
}
