import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  describe('guardLabel', () => {
    it('when guards are composed, then the label reads as the predicate', () => {
      expect(guardLabel('isProposer')).toBe('isProposer');
      expect(guardLabel({ type: 'hasRole', params: { role: 'inspector' } })).toBe('hasRole(inspector)');
      expect(guardLabel(undefined)).toBe('');
    });
  });
});
