import { seedDemoIfEmpty } from '../../services/demo/seed';
import { startTestSystem, type TestSystem } from '../helpers/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ workers: false });
}, 120_000);
afterAll(async () => sys.stop());

describe('demo data', () => {
  describe('seedDemoIfEmpty', () => {
    it('when the store is empty, then about twenty cases spread over the lifecycle are seeded once', async () => {
      expect(await seedDemoIfEmpty(sys.deps)).toBe(true);
      const admin = await sys.as('admin');
      const all = (await admin.get('/api/v1/cases?pageSize=100')).body;
      expect(all.total).toBe(20);
      const states = new Set(all.items.map((c: any) => c.state.split('.')[0]));
      for (const s of ['registered', 'dispositionReview', 'talkInquiry', 'preliminaryVerification', 'shelved', 'investigation', 'trial', 'decided', 'executed', 'appeal', 'closed', 'concluded']) {
        expect({ state: s, seeded: states.has(s) }).toEqual({ state: s, seeded: true });
      }
      // 一案双查: the reviews a step requested are opened on the demo's own (backdated) clock, as the
      // workers would open them within seconds of the trigger, not weeks later on the real clock.
      const dual = all.items.filter((c: any) => c.dualInvestigation.trigger !== null);
      expect(dual.length).toBeGreaterThan(0);
      expect(dual.map((c: any) => c.dualInvestigation.state).filter((s: string) => s !== 'open' && s !== 'concluded')).toEqual([]);
      const report = (await admin.get('/api/v1/stats/dual-investigation')).body;
      expect(report.reviews.reduce((n: number, r: any) => n + r.opened, 0)).toBe(2 * dual.length);
      expect(report.medianDaysToOpen).toBeLessThan(0.01);
      expect(await seedDemoIfEmpty(sys.deps)).toBe(false);
      expect((await admin.get('/api/v1/cases?pageSize=1')).body.total).toBe(20);
    });
  });
});
