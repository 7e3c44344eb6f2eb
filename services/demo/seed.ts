import type { Deps } from '../deps';
import { invalidateOrgTree, invalidateUsers } from '../authz';
import { DEMO_ORGS, DEMO_USERS } from './org-chart';
import { seedDemoCases } from './cases';

/**
 * Demo data on an empty store: the org chart, a user for every role and about twenty
 * cases spread over the lifecycle. Skipped when any case exists, so a second start seeds nothing twice.
 */
export async function seedDemoIfEmpty(deps: Deps): Promise<boolean> {
  const existing = await deps.store.cases.list({ page: 1, pageSize: 1 });
  if (existing.total > 0) return false;
  await seedOrgChart(deps);
  await seedDemoCases(deps);
  deps.logger.info('demo data seeded');
  return true;
}

export async function seedOrgChart(deps: Deps): Promise<void> {
  const at = deps.clock().toISOString();
  await deps.store.transaction(async (tx) => {
    for (const org of DEMO_ORGS) if (!(await tx.orgs.get(org.id))) await tx.orgs.insert({ ...org, createdAt: at });
    for (const u of DEMO_USERS) if (!(await tx.users.get(u.id))) await tx.users.insert({ ...u, personId: null, createdAt: at });
  });
  invalidateOrgTree(deps.store);
  invalidateUsers(deps.store);
}
