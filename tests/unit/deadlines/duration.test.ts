import { addDuration, isDuration, parseDuration } from '../../../services/deadlines/duration';

describe('duration', () => {
  describe('parseDuration', () => {
    it('when given the forms used by DEADLINE_OVERRIDES, then it answers milliseconds', () => {
      expect(parseDuration('PT2S')).toBe(2000);
      expect(parseDuration('P3D')).toBe(3 * 86_400_000);
      expect(parseDuration('PT1H30M')).toBe(90 * 60_000);
      expect(parseDuration('P1DT2H')).toBe(26 * 3_600_000);
      expect(parseDuration('P2W')).toBe(14 * 86_400_000);
    });

    it('when the last component has a fraction, then it is honoured (dot or comma)', () => {
      expect(parseDuration('PT0.5S')).toBe(500);
      expect(parseDuration('PT1,5S')).toBe(1500);
      expect(parseDuration('PT1.5M')).toBe(90_000);
    });

    it('when a component other than the last has a fraction, then it throws', () => {
      expect(() => parseDuration('PT1.5H30M')).toThrow(/only the last component/);
    });

    it('when the duration uses years or months, then it throws explaining why', () => {
      expect(() => parseDuration('P1M')).toThrow(/no fixed length/);
      expect(() => parseDuration('P1Y2D')).toThrow(/no fixed length/);
    });

    it('when the text is not a duration, then it throws quoting it', () => {
      for (const bad of ['', 'P', 'PT', '2S', 'PT2', 'P1DT', '-PT2S', 'PT2S ', 'pt2s', 'PT2H3H']) {
        expect(() => parseDuration(bad)).toThrow(/invalid ISO-8601 duration/);
      }
    });
  });

  describe('isDuration', () => {
    it('when asked, then it mirrors parseDuration', () => {
      expect(isDuration('PT2S')).toBe(true);
      expect(isDuration('P1M')).toBe(false);
    });
  });

  describe('addDuration', () => {
    it('when adding to a moment, then it answers an ISO UTC moment', () => {
      expect(addDuration('2026-10-01T00:00:00Z', 'PT1H30M')).toBe('2026-10-01T01:30:00.000Z');
      expect(addDuration('2026-10-01T08:00:00+08:00', 'PT2S')).toBe('2026-10-01T00:00:02.000Z');
    });
  });
});
