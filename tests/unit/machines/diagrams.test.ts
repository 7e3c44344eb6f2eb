import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chineseLabels } from '../../../scripts/diagram-labels';
import { DOCS_DIR, generateMachineDocs, guardLabel, mermaidDiagram } from '../../../scripts/docs-machines';
import { caseMachine, reviewMachine } from './helpers';

/** docs/machines is generated from the definitions; a stale committed file fails here. */
describe('machine diagrams', () => {
  describe('docs/machines', () => {
    it.each(Object.entries(generateMachineDocs()))('when %s is regenerated, then it equals the committed file (run `npm run docs:machines`)', (file, content) => {
      expect(readFileSync(join(DOCS_DIR, file), 'utf8')).toBe(content);
    });
  });

  describe('mermaidDiagram', () => {
    it('when the case machine is drawn, then both regions, nested states, events and guards appear', () => {
      const diagram = mermaidDiagram(caseMachine);
      expect(diagram.startsWith('stateDiagram-v2\nstate case {')).toBe(true);
      expect(diagram).toContain('  --\n  state dualInvestigation {');
      expect(diagram).toContain('state talkInquiry {');
      expect(diagram).toContain('state "inProgress" as investigation_inProgress');
      expect(diagram).toContain('dispositionReview --> talkInquiry : approve [isFinalApprovalOf(disposition, method=talkInquiry)]');
      expect(diagram).toContain('lifecycle_concluded --> closed : always [isDualInvestigationSettled]');
      expect(diagram).toContain('unassigned --> reviewing : assignTrialReviewers [hasCommandRole and hasTwoTrialReviewers and areReviewersIndependent]');
    });

    it('when the review machine is drawn, then every state of API.md appears', () => {
      const diagram = mermaidDiagram(reviewMachine);
      for (const state of ['opened', 'startApproval', 'investigating', 'findingApproval', 'decided', 'appeal', 'concluded']) expect(diagram).toContain(`  ${state}\n`);
    });
  });

  describe('mermaidDiagram with the dictionary labels (console 流程图)', () => {
    const HAN = /[\u4e00-\u9fff]/;
    /** Every line of a diagram body, sorted by what it is; anything else is a state left unlabelled. */
    function lines(diagram: string) {
      const body = diagram.split('\n').slice(1).map((l) => l.trim());
      return {
        labels: body.flatMap((l) => /^state "([^"]+)" as \w+/.exec(l)?.[1] ?? []),
        edges: body.flatMap((l) => / --> \w+ : (.+)$/.exec(l)?.[1] ?? []),
        other: body.filter((l) => !/^(state "[^"]+" as \w+( \{)?|\[\*\] --> \w+|\w+ --> \w+ : .+|--|\})$/.test(l)),
      };
    }

    it.each([
      ['case', caseMachine],
      ['review', reviewMachine],
    ] as const)('when the %s machine is drawn, then every state and every edge reads in Chinese, with no identifier left', (id, machine) => {
      const { labels, edges, other } = lines(mermaidDiagram(machine, chineseLabels(id)));
      expect(other).toEqual([]);
      expect(labels.length).toBeGreaterThan(5);
      for (const text of [...labels, ...edges]) expect({ text, chinese: HAN.test(text), latin: /[A-Za-z]/.test(text) }).toEqual({ text, chinese: true, latin: false });
    });

    it('when the case machine is drawn, then composite states and both regions carry their labels and keep their ids', () => {
      const diagram = mermaidDiagram(caseMachine, chineseLabels('case'));
      expect(diagram.startsWith('stateDiagram-v2\nstate "案件" as case {\n  state "案件办理" as lifecycle {')).toBe(true);
      expect(diagram).toContain('  --\n  state "一案双查" as dualInvestigation {');
      expect(diagram).toContain('state "初步核实" as preliminaryVerification {');
      expect(diagram).toContain('state "初步核实·核查中" as preliminaryVerification_inProgress');
      expect(diagram).toContain('state "双查已办结" as dualInvestigation_concluded');
      expect(diagram).toContain('dispositionReview --> talkInquiry : 批准（谈话函询）');
      expect(diagram).toContain('dispositionReview --> dispositionReview : 批准（逐级报批）');
      expect(diagram).toContain('lifecycle_concluded --> closed : 自动流转');
    });

    it('when a machine has no labels, then drawing it throws instead of showing identifiers', () => {
      expect(() => chineseLabels('rectification')).toThrow(/no diagram labels/);
    });
  });

  describe('guardLabel', () => {
    it('when guards are composed, then the label reads as the predicate', () => {
      expect(guardLabel('isProposer')).toBe('isProposer');
      expect(guardLabel({ type: 'hasRole', params: { role: 'inspector' } })).toBe('hasRole(inspector)');
      expect(guardLabel(undefined)).toBe('');
    });
  });
});
