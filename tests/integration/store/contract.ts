/**
 * The store contract: every adapter of `services/store` passes this same suite
 * (ARCHITECTURE.md §4). `store.test.ts` runs it against each adapter that can run here.
 */
import type { MakeHarness } from '../../helpers/store';
import { describeAggregates } from './contract-aggregates';
import { describeAudit } from './contract-audit';
import { describeData } from './contract-data';
import { describeInboxAndIdempotency } from './contract-inbox';
import { describeRecords } from './contract-records';
import { describeTransactions } from './contract-transactions';
import { sharedHarness } from './shared';

/**
 * Registers the contract for one adapter. `make` opens a fresh, empty store with raw access to its
 * data (tests/helpers/store.ts); blocks that damage data get a store of their own.
 */
export function describeStoreContract(name: string, make: MakeHarness): void {
  describe(`store (${name})`, () => {
    // One store for the repos and transactions (every test uses its own ids); the audit and
    // bad-data blocks corrupt what they store, so they get their own.
    const shared = sharedHarness(make);
    describeRecords(shared);
    describeInboxAndIdempotency(shared);
    describeAggregates(shared);
    describeTransactions(shared);
    describeAudit(make);
    describeData(make);
  });
}
