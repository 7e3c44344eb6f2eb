/**
 * Migrations of persisted snapshots (ARCHITECTURE.md §3). A machine change that alters the
 * persisted shape bumps the machine's version and registers here a function that turns a snapshot
 * of the previous version into one of the next: `migrations[machineId][fromVersion]`. Version 1 of
 * both machines has none.
 */
export type SnapshotJson = Record<string, unknown>;
export type Migration = (snapshot: SnapshotJson) => SnapshotJson;

export const migrations: Record<string, Record<number, Migration>> = {
  case: {},
  review: {},
};

/** Registers a migration and returns a function that removes it again (tests register fakes). */
export function registerMigration(machineId: string, fromVersion: number, migrate: Migration): () => void {
  const forMachine = (migrations[machineId] ??= {});
  forMachine[fromVersion] = migrate;
  return () => {
    if (forMachine[fromVersion] === migrate) delete forMachine[fromVersion];
  };
}
