import { LRUCache } from 'lru-cache';
import type { AggregateBase, AggregateType, Store } from '../store/port';

/**
 * The last committed record of the aggregates this process commanded. A command starts from it
 * instead of reading the record again: its compare-and-set on `version` fails if anything changed
 * the record since (another process, a direct store write), and the command then runs again on a
 * fresh read. A refusal found on a remembered record is re-checked on a fresh read before it is
 * answered (services/commands/run.ts). Views and lists always read the store.
 * Records are values: nothing may mutate one after it is remembered.
 */
const caches = new WeakMap<Store, LRUCache<string, AggregateBase>>();

function cacheOf(store: Store): LRUCache<string, AggregateBase> {
  let cache = caches.get(store);
  if (!cache) {
    cache = new LRUCache({ max: 5_000 });
    caches.set(store, cache);
  }
  return cache;
}

export function rememberedRecord<R extends AggregateBase>(store: Store, type: AggregateType, id: string): R | undefined {
  return cacheOf(store).get(`${type}:${id}`) as R | undefined;
}

export function rememberRecord(store: Store, type: AggregateType, record: AggregateBase): void {
  cacheOf(store).set(`${type}:${record.id}`, record);
}

export function forgetRecord(store: Store, type: AggregateType, id: string): void {
  cacheOf(store).delete(`${type}:${id}`);
}
