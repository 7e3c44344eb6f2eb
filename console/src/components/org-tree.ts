import type { Org } from '../api/types';

export interface OrgNode {
  value: string;
  title: string;
  key: string;
  children: OrgNode[];
}

/** The orgs in the caller's scope as a tree (roots: orgs whose parent is outside the scope). */
export function orgTreeData(orgs: Org[]): OrgNode[] {
  const nodes = new Map(orgs.map((o) => [o.id, { value: o.id, key: o.id, title: o.name, children: [] as OrgNode[] }]));
  const roots: OrgNode[] = [];
  for (const o of orgs) {
    const parent = o.parentId ? nodes.get(o.parentId) : undefined;
    (parent ? parent.children : roots).push(nodes.get(o.id)!);
  }
  return roots;
}
