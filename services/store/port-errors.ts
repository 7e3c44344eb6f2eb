/** The errors the store throws and the services branch on. */
import type { AggregateType } from './port-records';

/** Thrown by `update` when the stored version differs from the expected one. */
export class VersionConflictError extends Error {
  readonly code = 'version_conflict';
  constructor(
    readonly aggregate: AggregateType,
    readonly id: string,
    readonly expected: number,
  ) {
    super(`${aggregate} ${id}: version ${expected} is stale`);
  }
}

/** Thrown when stored data cannot be read (corrupt JSON, unknown machine version, newer schema). */
export class StoreDataError extends Error {
  readonly code = 'store_data';
  constructor(
    message: string,
    readonly record?: string,
  ) {
    super(message);
  }
}

/** Thrown on a unique-key clash (e.g. a second review of the same kind for a case). */
export class DuplicateError extends Error {
  readonly code = 'duplicate';
}
