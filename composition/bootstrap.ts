import type { Store } from '../services/store/port';
import { DuplicateError } from '../services/store/port';

/**
 * API.md: on an empty store the system creates org `root` and user `admin` (roles admin, org root).
 * Safe when several processes start at once: a duplicate insert means another one did it.
 */
export async function ensureRootAdmin(store: Store, now: Date): Promise<boolean> {
  if ((await store.orgs.get('root')) && (await store.users.get('admin'))) return false;
  const at = now.toISOString();
  let created = false;
  try {
    await store.transaction(async (tx) => {
      if (!(await tx.orgs.get('root'))) {
        await tx.orgs.insert({ id: 'root', name: '根组织', level: 'province', parentId: null, partyCommittee: null, disciplineBody: null, createdAt: at });
        created = true;
      }
      if (!(await tx.users.get('admin'))) {
        await tx.users.insert({ id: 'admin', name: '系统管理员', orgId: 'root', roles: ['admin'], personId: null, createdAt: at });
        created = true;
      }
    });
  } catch (err) {
    if (!(err instanceof DuplicateError)) throw err;
  }
  return created;
}
