import { nextAuditEvent, type AuditHashAlgorithm } from '../../../services/audit/hash';
import type { AuditEvent } from '../../../services/store/port';
import type { MakeHarness } from '../../helpers/store';
import * as f from './fixtures';
import { sharedHarness } from './shared';

/** A new value for each stored field of an event (the originals are restored after each test). */
const FORGERIES: Array<[keyof AuditEvent, unknown]> = [
  ['at', '2020-01-01T00:00:00.000Z'],
  ['actor', 'mallory'],
  ['action', 'approve'],
  ['outcome', 'refused'],
  ['from', 'investigation.inProgress'],
  ['to', null],
  ['detail', { forged: true }],
  ['prevHash', 'f'.repeat(64)],
  ['hash', 'e'.repeat(64)],
];

/** Audit chains: append, list, and verification against tampering, for both hash algorithms. */
export function describeAudit(make: MakeHarness): void {
  describe.each<AuditHashAlgorithm>(['sm3', 'sha256'])('audit (%s)', (algorithm) => {
    const s = sharedHarness(make, { auditHash: algorithm });
    const A = 'case:a';
    const B = 'case:b';
    let chainA: AuditEvent[];

    beforeAll(async () => {
      for (let i = 1; i <= 4; i++) {
        await s.h.store.audit.append(A, f.auditInput({ at: f.at(i), detail: i === 2 ? { comment: '同意', n: i } : undefined }));
        await s.h.store.audit.append(B, f.auditInput({ at: f.at(i), outcome: 'read', from: null, to: null }));
      }
      chainA = await s.h.store.audit.list(A);
    });

    /** Runs `tamper`, returns what verification says, then puts the original event back. */
    async function verifyTampered(tamper: () => Promise<void>, restore: () => Promise<void>) {
      await tamper();
      try {
        return await s.h.store.verifyAudit();
      } finally {
        await restore();
      }
    }

    it('when nothing was touched, then every chain verifies and events are hashed with the configured algorithm', async () => {
      expect(await s.h.store.verifyAudit()).toEqual({ ok: true, streams: 2, events: 8 });
      expect(chainA[1]).toMatchObject({ seq: 2, prevHash: chainA[0].hash, detail: { comment: '同意', n: 2 } });
      const { hash: _h, prevHash: _p, stream: _s, seq: _q, ...input } = chainA[0];
      expect(chainA[0].hash).toBe(nextAuditEvent(algorithm, A, null, input).hash);
    });

    it.each(FORGERIES)('when the stored %s of an event is changed, then verification reports that event', async (field, value) => {
      const original = chainA[1][field] ?? null;
      const result = await verifyTampered(
        () => s.h.raw.setAuditField(A, 2, field, value),
        () => s.h.raw.setAuditField(A, 2, field, original),
      );
      expect(result).toMatchObject({ ok: false, brokenAt: { stream: A, seq: 2 } });
      expect(await s.h.store.verifyAudit()).toMatchObject({ ok: true });
    });

    it('when an event in the middle is deleted, then verification reports the link after the gap', async () => {
      const result = await verifyTampered(() => s.h.raw.deleteAuditEvent(A, 2), () => s.h.raw.insertAuditEvent(chainA[1]));
      expect(result).toMatchObject({ ok: false, brokenAt: { stream: A, seq: 3 } });
    });

    it('when the last event is deleted, then verification reports the missing seq', async () => {
      const result = await verifyTampered(() => s.h.raw.deleteAuditEvent(A, 4), () => s.h.raw.insertAuditEvent(chainA[3]));
      expect(result).toMatchObject({ ok: false, brokenAt: { stream: A, seq: 4 } });
    });

    it('when a well-linked event is appended behind the store, then verification reports it (the head does not vouch for it)', async () => {
      const forged = nextAuditEvent(algorithm, A, chainA[3], f.auditInput({ actor: 'mallory' }));
      const result = await verifyTampered(() => s.h.raw.insertAuditEvent(forged), () => s.h.raw.deleteAuditEvent(A, 5));
      expect(result).toMatchObject({ ok: false, brokenAt: { stream: A, seq: 5 } });
    });

    it('when an event of the second stream is changed, then verification names that stream', async () => {
      const chainB = await s.h.store.audit.list(B);
      const result = await verifyTampered(
        () => s.h.raw.setAuditField(B, 3, 'actor', 'mallory'),
        () => s.h.raw.setAuditField(B, 3, 'actor', chainB[2].actor),
      );
      expect(result).toEqual({ ok: false, streams: 2, events: 8, brokenAt: { stream: B, seq: 3 } });
      expect(await s.h.store.verifyAudit()).toEqual({ ok: true, streams: 2, events: 8 });
    });
  });
}
