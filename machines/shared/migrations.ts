/**
 * Migrations of persisted snapshots (ARCHITECTURE.md §3). A machine change that alters the
 * persisted shape bumps the machine's version and registers here a function that turns a snapshot
 * of the previous version into one of the next: `migrations[machineId][fromVersion]`.
 */
export type SnapshotJson = Record<string, unknown>;
export type Migration = (snapshot: SnapshotJson) => SnapshotJson;

type Json = Record<string, unknown>;

/**
 * Case 1 → 2: subjects carry party membership, public office and leadership (defaults of
 * API.md; the service fills the registered values from the record before migrating); the decision
 * names who was transferred to the judicial organs (version 1 transferred everyone in it) and
 * whether the standing committee approved it (every version-1 decision chain ended with it); the
 * context records reopening, extensions approved and the upper commission (unknown: null).
 */
export function caseV1toV2(snapshot: SnapshotJson): SnapshotJson {
  const context = (snapshot.context ?? {}) as Json;
  const subjects = ((context.subjects as Json[] | undefined) ?? []).map((s) => ({
    ...s,
    partyMember: s.partyMember ?? true,
    publicOfficial: s.publicOfficial ?? true,
    leadership: s.leadership ?? null,
    leadsOrgId: s.leadsOrgId ?? null,
  }));
  const old = context.decision as { measures?: Array<{ personId: string }>; judicialTransfer?: boolean } | null | undefined;
  const decision = old
    ? {
        ...old,
        transferred: old.judicialTransfer ? [...new Set((old.measures ?? []).map((m) => m.personId))] : [],
        byStandingCommittee: true,
      }
    : null;
  return {
    ...snapshot,
    context: {
      ...context,
      subjects,
      decision,
      upperOrgId: context.upperOrgId ?? null,
      reopened: context.reopened ?? false,
      extensions: context.extensions ?? {},
      // Version 1 kept no reporter flag nor these clocks: none runs for a case registered before.
      clocks: context.clocks ?? [],
      realNameReporter: context.realNameReporter ?? false,
      reporterNotices: context.reporterNotices ?? [],
      announcedAt: context.announcedAt ?? null,
      appealAfterClosing: context.appealAfterClosing ?? false,
    },
  };
}

/** Review 1 → 2: whether the reviewed organisation is led by the same-level committee (unknown before: no). */
export function reviewV1toV2(snapshot: SnapshotJson): SnapshotJson {
  const context = (snapshot.context ?? {}) as Json;
  return { ...snapshot, context: { ...context, partyLed: context.partyLed ?? false } };
}

export const migrations: Record<string, Record<number, Migration>> = {
  case: { 1: caseV1toV2 },
  review: { 1: reviewV1toV2 },
};

/** Registers a migration and returns a function that removes it again (tests register fakes). */
export function registerMigration(machineId: string, fromVersion: number, migrate: Migration): () => void {
  const forMachine = (migrations[machineId] ??= {});
  forMachine[fromVersion] = migrate;
  return () => {
    if (forMachine[fromVersion] === migrate) delete forMachine[fromVersion];
  };
}
