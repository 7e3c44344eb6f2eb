import {
  availableCommands, CASE_MACHINE_VERSION, fromPersisted, initialCase, MachineVersionError, registerMigration, REVIEW_MACHINE_ID, REVIEW_MACHINE_VERSION, toPersisted, type PersistedMachineSnapshot,
} from '../../../machines';
import { caseInput, caseMachine, driveTo, PATHS, reviewMachine, roundTrip, ReviewDriver, users } from './helpers';

/** Stored snapshots: JSON round trips, migrations and the errors the service branches on. */
const stored = (state = 'trial.reviewing'): PersistedMachineSnapshot => JSON.parse(JSON.stringify(toPersisted(caseMachine, driveTo(state).snapshot)));

describe('persistence', () => {
  describe('toPersisted', () => {
    it('when a case is persisted, then it carries the machine id and version and plain JSON', () => {
      const persisted = toPersisted(caseMachine, initialCase(caseMachine, caseInput()).snapshot);
      expect(persisted).toMatchObject({ machineId: 'case', machineVersion: CASE_MACHINE_VERSION });
      expect(JSON.parse(JSON.stringify(persisted.snapshot))).toEqual(persisted.snapshot);
      expect(persisted.snapshot).toMatchObject({ value: { lifecycle: 'registered', dualInvestigation: 'notRequired' }, status: 'active' });
    });
  });

  describe('fromPersisted', () => {
    it.each(Object.keys(PATHS))('when a case in %s is restored from JSON, then the snapshot is equivalent and accepts the same commands', (state) => {
      const snapshot = driveTo(state).snapshot;
      const restored = roundTrip(snapshot);
      expect({ value: restored.value, context: restored.context }).toEqual({ value: snapshot.value, context: snapshot.context });
      for (const user of Object.values(users)) {
        expect(availableCommands(caseMachine, restored, user)).toEqual(availableCommands(caseMachine, snapshot, user));
      }
    });

    it('when a new review is restored, then it is equivalent (every review step round-trips in review.test.ts)', () => {
      const d = new ReviewDriver();
      roundTrip(d.snapshot);
      expect(fromPersisted(reviewMachine, JSON.parse(JSON.stringify(toPersisted(reviewMachine, d.snapshot)))).value).toBe('opened');
    });

    it('when a review snapshot is stored, then it carries the review machine id', () => {
      expect(toPersisted(reviewMachine, new ReviewDriver().snapshot)).toMatchObject({ machineId: 'review', machineVersion: REVIEW_MACHINE_VERSION });
    });

    it('when the stored version is newer than the code, then MachineVersionError is thrown', () => {
      const persisted = { ...stored(), machineVersion: CASE_MACHINE_VERSION + 1 };
      expect(() => fromPersisted(caseMachine, persisted)).toThrow(MachineVersionError);
      expect(() => fromPersisted(caseMachine, persisted)).toThrow(new RegExp(`version ${CASE_MACHINE_VERSION + 1}`));
    });

    it('when the stored state does not exist, then MachineVersionError is thrown', () => {
      const persisted = stored();
      persisted.snapshot.value = { lifecycle: { trial: 'deliberating' }, dualInvestigation: 'notRequired' };
      expect(() => fromPersisted(caseMachine, persisted)).toThrow(MachineVersionError);
      expect(() => fromPersisted(caseMachine, persisted)).toThrow(/deliberating/);
    });

    it('when a review snapshot is given to the case machine, then MachineVersionError is thrown', () => {
      expect(() => fromPersisted(caseMachine, { ...stored(), machineId: REVIEW_MACHINE_ID })).toThrow(MachineVersionError);
    });

    it('when an old version has no migration, then MachineVersionError is thrown', () => {
      expect(() => fromPersisted(caseMachine, { ...stored(), machineVersion: 0 })).toThrow(/no migration for case from version 0/);
    });

    it('when a v0 snapshot is stored and a v0→v1 migration is registered, then it is migrated and restored', () => {
      // A fake earlier shape: v0 kept the assignees under `assigned` and had no recusals.
      const current = stored('talkInquiry.awaitingReply');
      const { assignees, recusals: _recusals, ...rest } = current.snapshot.context as Record<string, unknown>;
      const v0: PersistedMachineSnapshot = { ...current, machineVersion: 0, snapshot: { ...current.snapshot, context: { ...rest, assigned: assignees } } };
      const unregister = registerMigration('case', 0, (json) => {
        const { assigned, ...context } = json.context as Record<string, unknown>;
        return { ...json, context: { ...context, assignees: assigned, recusals: [] } };
      });
      try {
        const restored = fromPersisted(caseMachine, v0);
        expect(restored.context).toEqual(fromPersisted(caseMachine, current).context);
        expect(restored.value).toEqual({ lifecycle: { talkInquiry: 'awaitingReply' }, dualInvestigation: 'notRequired' });
      } finally {
        unregister();
      }
      expect(() => fromPersisted(caseMachine, v0)).toThrow(MachineVersionError);
    });
  });
});
