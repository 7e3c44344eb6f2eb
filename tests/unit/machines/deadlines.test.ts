import { DEADLINE_KEYS as CONFIG_KEYS, ESCALATION_LEVELS as CONFIG_LEVELS } from '../../../config/deadlines';
import { activeDeadlineKeys, DEADLINE_KEYS, ESCALATION_LEVELS } from '../../../machines';
import { driveTo, ev, ReviewDriver, users } from './helpers';

/** `meta.deadline` per state (API.md "Deadlines"), the clocks a decision opens, plus `approval` while a proposal is pending. */
const EXPECTED: Record<string, string[]> = {
  registered: ['clue.disposition'],
  dispositionReview: ['approval'],
  'talkInquiry.awaitingReply': ['talkInquiry.reply'],
  'talkInquiry.replied': ['talkInquiry.report'],
  'talkInquiry.outcomeReview': ['approval'],
  'preliminaryVerification.inProgress': ['verification.report'],
  'preliminaryVerification.reportReview': ['approval'],
  shelved: ['shelved.recheck'],
  'investigation.inProgress': ['investigation.report'],
  'investigation.inProgress+extension': ['investigation.report', 'approval'],
  'trial.unassigned': ['trial.decision'],
  'trial.reviewing': ['trial.decision'],
  'trial.reviewing+extension': ['trial.decision', 'approval'],
  'trial.decisionReview': ['trial.decision', 'approval'],
  decided: ['execution.report', 'decision.announcement'],
  appeal: ['appeal.decision', 'decision.announcement'],
  executed: [],
  concluded: [],
  closed: [],
};

describe('deadlines', () => {
  describe('activeDeadlineKeys', () => {
    it.each(Object.entries(EXPECTED))('when the case is in %s, then the open clocks are %j', (state, keys) => {
      expect(activeDeadlineKeys(driveTo(state).snapshot)).toEqual(keys);
    });

    it('when a review moves through its states, then its clocks follow API.md', () => {
      const d = new ReviewDriver();
      expect(activeDeadlineKeys(d.snapshot)).toEqual([]);
      d.send({ type: 'proposeStart', actor: users.inspector, reason: '启动问责' });
      expect(activeDeadlineKeys(d.snapshot)).toEqual(['approval']);
      d.approve();
      expect(activeDeadlineKeys(d.snapshot)).toEqual(['review.report']);
    });

    it('when the 双查 runs, then it adds no clock of its own', () => {
      expect(activeDeadlineKeys(driveTo('registered').send(ev.trigger()).snapshot)).toEqual(['clue.disposition']);
    });
  });

  describe('keys', () => {
    it('when compared with config/deadlines, then the machines know the same keys and levels', () => {
      expect([...DEADLINE_KEYS]).toEqual([...CONFIG_KEYS]);
      expect([...ESCALATION_LEVELS]).toEqual([...CONFIG_LEVELS]);
    });
  });
});
