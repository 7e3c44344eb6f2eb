import type { AggregateType, DeadlineRecord, Store } from '../store/port';

/** The deadlines of a page of aggregates, in one query, by aggregate id. */
export async function deadlinesOf(store: Store, type: AggregateType, ids: string[]): Promise<Map<string, DeadlineRecord[]>> {
  const byId = new Map<string, DeadlineRecord[]>(ids.map((id) => [id, []]));
  for (const d of await store.deadlines.listByAggregates(type, ids)) byId.get(d.aggregateId)?.push(d);
  return byId;
}
