import type { AnyStateMachine } from 'xstate';
import { DEFAULT_APPROVALS } from '../../../config/approvals';
import { DEFAULT_DEADLINES } from '../../../config/deadlines';
import {
  CASE_COMMANDS, CASE_INTERNAL_EVENTS, CASE_MEASURES, DEADLINE_KEYS, DISPOSITION_METHODS, ESCALATION_LEVELS, FORM_MEASURES, INQUIRY_OUTCOMES,
  RECUSAL_RELATIONS, REVIEW_COMMANDS, REVIEW_INTERNAL_EVENTS, REVIEW_KINDS, REVIEW_MEASURES, REVIEW_OUTCOMES, USER_ROLES, VERIFICATION_RECOMMENDATIONS,
} from '../../../machines';
import * as dict from '../../../machines/shared/dictionary';
import { ALLEGATION_CATEGORIES, CASE_SOURCES, ORG_LEVELS, RANKS } from '../../../services/http/schemas';
import { EXEMPTIONS, MITIGATIONS, RESPONSIBILITIES } from '../../../machines/review/events';
import { caseMachine, reviewMachine } from './helpers';

/** Node shape of an XState v5 state node, as far as walking a definition needs. */
interface Node {
  path: string[];
  states: Record<string, Node>;
  transitions: Map<string, Array<{ actions: unknown[] }>>;
  always?: Array<{ actions: unknown[] }>;
  entry: unknown[];
}

function descendants(node: Node): Node[] {
  return Object.values(node.states).flatMap((child) => [child, ...descendants(child)]);
}

/** Every state path under `node`, relative to it, parents included (`talkInquiry`, `talkInquiry.awaitingReply`). */
function statePaths(node: Node): string[] {
  return descendants(node).map((n) => n.path.slice(node.path.length).join('.'));
}

/** Every event type some state of the machine handles. */
function handledEvents(machine: AnyStateMachine): string[] {
  const root = machine.root as unknown as Node;
  return [...new Set([root, ...descendants(root)].flatMap((n) => [...n.transitions.keys()]))].filter((t) => !t.startsWith('xstate.'));
}

/** Proposal kinds the machines' `proposeApproval` actions record. */
function proposalKinds(machine: AnyStateMachine): string[] {
  const root = machine.root as unknown as Node;
  const actions = [root, ...descendants(root)].flatMap((n) => [...n.transitions.values()].flat().flatMap((t) => t.actions));
  return [...new Set(actions.flatMap((a) => ((a as { type?: string }).type === 'proposeApproval' ? [(a as { params: { kind: string } }).params.kind] : [])))];
}

/** Fails naming the dictionary map and exactly which keys lack a (non-empty) label. */
function expectLabelled(mapName: keyof typeof dict, keys: readonly (string | number)[], what: string): void {
  const labels = dict[mapName] as unknown as Record<string, string>;
  const missing = keys.map(String).filter((k) => typeof labels[k] !== 'string' || labels[k].trim() === '');
  if (missing.length) {
    throw new Error(`machines/shared/dictionary.ts ${mapName} has no Chinese label for ${what}: ${missing.map((k) => `'${k}'`).join(', ')}. Add them there.`);
  }
}

/** Fails naming labels whose key is no longer a state (renamed or removed). */
function expectNoStale(mapName: keyof typeof dict, keys: readonly string[]): void {
  const stale = Object.keys(dict[mapName] as unknown as Record<string, string>).filter((k) => !keys.includes(k));
  if (stale.length) throw new Error(`machines/shared/dictionary.ts ${mapName} labels states the machine no longer has: ${stale.join(', ')}`);
}

describe('dictionary', () => {
  describe('machine states', () => {
    const root = caseMachine.root as unknown as Node;
    const lifecycle = statePaths(root.states.lifecycle);
    const dual = statePaths(root.states.dualInvestigation);
    const review = statePaths(reviewMachine.root as unknown as Node);

    it('when the definitions are walked, then they yield the states API.md names (the walk itself works)', () => {
      expect(lifecycle).toEqual(expect.arrayContaining(['registered', 'talkInquiry', 'talkInquiry.awaitingReply', 'trial.decisionReview', 'closed']));
      expect(dual).toEqual(['notRequired', 'opening', 'open', 'concluded']);
      expect(review).toEqual(expect.arrayContaining(['opened', 'investigating', 'concluded']));
    });

    it('when a lifecycle state of the case machine exists, then it has a label and no label names a removed state', () => {
      expectLabelled('CASE_STATE_LABELS', lifecycle, 'case lifecycle states');
      expectNoStale('CASE_STATE_LABELS', lifecycle);
    });

    it('when a 一案双查 region state exists, then it has a label', () => {
      expectLabelled('DUAL_STATE_LABELS', dual, 'dualInvestigation region states');
      expectNoStale('DUAL_STATE_LABELS', dual);
    });

    it('when a review state exists, then it has a label', () => {
      expectLabelled('REVIEW_STATE_LABELS', review, 'review states');
      expectNoStale('REVIEW_STATE_LABELS', review);
    });

    it('when a machine or a parallel region of the case is drawn as a box (流程图), then it has a label', () => {
      expectLabelled('DIAGRAM_LABELS', [caseMachine.id, reviewMachine.id, ...Object.keys(root.states), 'always', 'intermediateApproval'], 'diagram boxes and edges');
      expect(Object.keys(root.states)).toEqual(['lifecycle', 'dualInvestigation']);
    });

    it('when a nested state is labelled, then its label starts with its parent stage (谈话函询·待回复)', () => {
      expect(dict.CASE_STATE_LABELS['talkInquiry.awaitingReply']).toBe('谈话函询·待回复');
      for (const path of lifecycle.filter((p) => p.includes('.'))) {
        expect(dict.CASE_STATE_LABELS[path].startsWith(dict.CASE_STATE_LABELS[path.split('.')[0]])).toBe(true);
      }
    });
  });

  describe('commands and events', () => {
    it('when a command or internal event is declared or handled by a machine, then it has a label', () => {
      const declared = [...CASE_COMMANDS, ...REVIEW_COMMANDS];
      const internal = [...CASE_INTERNAL_EVENTS, ...REVIEW_INTERNAL_EVENTS];
      expectLabelled('COMMAND_LABELS', declared, 'commands');
      expectLabelled('INTERNAL_EVENT_LABELS', internal, 'internal events');
      const handled = [...handledEvents(caseMachine), ...handledEvents(reviewMachine)];
      const unlabelled = handled.filter((t) => !(t in dict.COMMAND_LABELS) && !(t in dict.INTERNAL_EVENT_LABELS));
      if (unlabelled.length) throw new Error(`machines/shared/dictionary.ts has no label (COMMAND_LABELS or INTERNAL_EVENT_LABELS) for events the machines handle: ${unlabelled.join(', ')}`);
      expect(handled).toEqual(expect.arrayContaining(['approve', 'assign', 'submitFindings', 'deadline.reached']));
    });

    it('when a proposal kind is recorded by a machine or configured with a chain, then it has a label', () => {
      const kinds = [...proposalKinds(caseMachine), ...proposalKinds(reviewMachine), ...Object.keys(DEFAULT_APPROVALS)];
      expect(kinds).toEqual(expect.arrayContaining(['disposition', 'reviewFindings']));
      expectLabelled('PROPOSAL_LABELS', kinds, 'proposal kinds');
    });

    it('when an audit action is a command, an internal event or a service action, then auditActionLabel names it in Chinese', () => {
      for (const action of [...CASE_COMMANDS, ...REVIEW_COMMANDS, ...CASE_INTERNAL_EVENTS, 'register', 'read', 'history', 'listCases', 'open']) {
        expect(dict.auditActionLabel(action)).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  });

  describe('measures and forms', () => {
    it('when a measure of a case or a review exists, then it has a label, and labels are distinct', () => {
      const measures = [...new Set([...CASE_MEASURES, ...REVIEW_MEASURES])];
      expectLabelled('MEASURE_LABELS', measures, 'measures');
      const labels = measures.map((m) => dict.MEASURE_LABELS[m]);
      expect(new Set(labels).size).toBe(labels.length);
    });

    it('when a measure exists, then a measure group lists it, and groups list only real measures', () => {
      const grouped = new Set(dict.MEASURE_GROUPS.flatMap((g) => g.measures));
      const all = new Set<string>([...CASE_MEASURES, ...REVIEW_MEASURES]);
      expect([...all].filter((m) => !grouped.has(m as never))).toEqual([]);
      expect([...grouped].filter((m) => !all.has(m))).toEqual([]);
      expect(dict.MEASURE_GROUPS.find((g) => g.key === 'firstForm')!.measures).toEqual(FORM_MEASURES[1]);
    });

    it('when the four forms are labelled, then each reads 第…种形态', () => {
      expect([1, 2, 3, 4].map((f) => dict.FORM_LABELS[f as 1 | 2 | 3 | 4])).toEqual(['第一种形态', '第二种形态', '第三种形态', '第四种形态']);
    });
  });

  describe('codes of the API', () => {
    it.each([
      ['ROLE_LABELS', [...USER_ROLES, 'system']],
      ['DEADLINE_LABELS', [...DEADLINE_KEYS, ...Object.keys(DEFAULT_DEADLINES)]],
      ['ESCALATION_LABELS', ['none', ...ESCALATION_LEVELS]],
      ['DISPOSITION_METHOD_LABELS', DISPOSITION_METHODS],
      ['INQUIRY_OUTCOME_LABELS', INQUIRY_OUTCOMES],
      ['VERIFICATION_RECOMMENDATION_LABELS', VERIFICATION_RECOMMENDATIONS],
      ['RECUSAL_RELATION_LABELS', RECUSAL_RELATIONS],
      ['REVIEW_KIND_LABELS', REVIEW_KINDS],
      ['REVIEW_OUTCOME_LABELS', REVIEW_OUTCOMES],
      ['RESPONSIBILITY_LABELS', RESPONSIBILITIES],
      ['EXEMPTION_LABELS', EXEMPTIONS],
      ['MITIGATION_LABELS', MITIGATIONS],
      ['SOURCE_LABELS', CASE_SOURCES],
      ['CATEGORY_LABELS', ALLEGATION_CATEGORIES],
      ['RANK_LABELS', RANKS],
      ['ORG_LEVEL_LABELS', ORG_LEVELS],
      ['FORBIDDEN_REASON_LABELS', ['role', 'scope', 'recusal', 'separation_of_duties', 'system_only']],
      ['FORBIDDEN_REASON_EXPLANATIONS', ['role', 'scope', 'recusal', 'separation_of_duties', 'system_only']],
    ] as const)('when %s is checked against its code list, then every code has a label', (name, keys) => {
      expectLabelled(name as keyof typeof dict, keys as readonly string[], name);
    });

    it('when the 403 reasons are labelled, then they use the domain terms', () => {
      expect(dict.FORBIDDEN_REASON_LABELS).toMatchObject({ recusal: '回避', separation_of_duties: '职责分离', system_only: '系统操作', role: '越权' });
    });

    it('when a deadline is labelled, then it reads as config/deadlines.ts names it', () => {
      for (const key of DEADLINE_KEYS) expect(dict.DEADLINE_LABELS[key]).toBe(DEFAULT_DEADLINES[key].label);
    });

    it('when a key has no label, then labelOf answers the key itself and never an empty cell', () => {
      expect(dict.labelOf(dict.MEASURE_LABELS, 'admonishment')).toBe('诫勉');
      expect(dict.labelOf(dict.MEASURE_LABELS, 'unknownMeasure')).toBe('unknownMeasure');
      expect(dict.labelOf(dict.MEASURE_LABELS, 'toString')).toBe('toString');
    });
  });
});
