/**
 * The Chinese labels of a machine diagram, from the one dictionary: a state reads as the API's state
 * label, a transition as its command or internal event, qualified for approvals by what is approved
 * (批准（谈话函询）) so that the several edges out of one approval state can be told apart. Guards that
 * only check who may act are left out: the diagram is for the officials, the guards are in the tables.
 * A missing label throws, so `npm run docs:machines` and its test name it.
 */
import type { StateNode } from 'xstate';
import {
  CASE_STATE_LABELS, COMMAND_LABELS, DIAGRAM_LABELS, DISPOSITION_METHOD_LABELS, DUAL_STATE_LABELS, INQUIRY_OUTCOME_LABELS, INTERNAL_EVENT_LABELS,
  PROPOSAL_LABELS, REVIEW_STATE_LABELS, VERIFICATION_RECOMMENDATION_LABELS,
} from '../machines/shared/dictionary';

type Node = StateNode<any, any>;

/** How a diagram names its states and its edges. */
export interface DiagramLabels {
  state(node: Node): string;
  edge(eventType: string, guard: unknown): string;
}

type Labels = Readonly<Record<string, string>>;

function required(labels: Labels, key: string, what: string): string {
  const label = Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
  if (!label) throw new Error(`machines/shared/dictionary.ts has no label for ${what} '${key}'`);
  return label;
}

/** Per machine id: the label of a state from its path below the root (the root itself: `[]`). */
const STATE_LABELS: Readonly<Record<string, (path: string[]) => [Labels, string]>> = {
  case: ([region, ...rest]) => (rest.length === 0 ? [DIAGRAM_LABELS, region] : [region === 'lifecycle' ? CASE_STATE_LABELS : DUAL_STATE_LABELS, rest.join('.')]),
  review: (path) => [REVIEW_STATE_LABELS, path.join('.')],
};

/** The approval payload fields `isFinalApprovalOf` branches on, and the labels of their values. */
const APPROVED_CHOICE_LABELS: Readonly<Record<string, Labels>> = {
  method: DISPOSITION_METHOD_LABELS,
  outcome: INQUIRY_OUTCOME_LABELS,
  recommendation: VERIFICATION_RECOMMENDATION_LABELS,
};

/** What an approval edge approves: the chosen option, the proposal kind, or a step up the chain. */
function approvalQualifier(guard: unknown): string | null {
  if (!guard) return null;
  if (guard === 'isIntermediateApproval') return DIAGRAM_LABELS.intermediateApproval;
  const composite = guard as { guards?: unknown[]; type?: string; params?: { kind: string; when?: Record<string, string> } };
  if (typeof guard === 'function' && composite.guards) {
    for (const inner of composite.guards) {
      const found = approvalQualifier(inner);
      if (found) return found;
    }
    return null;
  }
  if (composite.type !== 'isFinalApprovalOf' || !composite.params) return null;
  const [field, value] = Object.entries(composite.params.when ?? {})[0] ?? [];
  if (field === undefined) return required(PROPOSAL_LABELS, composite.params.kind, 'proposal kind');
  return required(APPROVED_CHOICE_LABELS[field] ?? {}, String(value), `approval choice ${field}`);
}

/** Chinese labels for the diagram of `machineId`. */
export function chineseLabels(machineId: string): DiagramLabels {
  const stateLabels = STATE_LABELS[machineId];
  if (!stateLabels) throw new Error(`no diagram labels for machine '${machineId}'`);
  const events: Labels = { ...COMMAND_LABELS, ...INTERNAL_EVENT_LABELS };
  return {
    state: (node) => {
      if (!node.parent) return required(DIAGRAM_LABELS, machineId, 'machine');
      const [labels, key] = stateLabels(node.path);
      return required(labels, key, `state of ${machineId}`);
    },
    edge: (eventType, guard) => {
      const event = eventType ? required(events, eventType, 'event') : DIAGRAM_LABELS.always;
      const qualifier = approvalQualifier(guard);
      return qualifier ? `${event}（${qualifier}）` : event;
    },
  };
}
