import type { Org } from '../store/port';

/** The org hierarchy: a user acts on their own org and the orgs below it (ARCHITECTURE §6). */
export class OrgTree {
  private readonly byId = new Map<string, Org>();
  private readonly children = new Map<string, string[]>();

  constructor(orgs: readonly Org[]) {
    for (const o of orgs) {
      this.byId.set(o.id, o);
      if (o.parentId) {
        const list = this.children.get(o.parentId) ?? [];
        list.push(o.id);
        this.children.set(o.parentId, list);
      }
    }
  }

  get(id: string): Org | undefined {
    return this.byId.get(id);
  }

  all(): Org[] {
    return [...this.byId.values()];
  }

  /** `id` and every org below it (cycle-safe). */
  subtree(id: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const stack = [id];
    while (stack.length) {
      const cur = stack.pop()!;
      if (seen.has(cur) || !this.byId.has(cur)) continue;
      seen.add(cur);
      out.push(cur);
      stack.push(...(this.children.get(cur) ?? []));
    }
    return out;
  }

  /** True when `orgId` is `scopeRoot` or below it. */
  contains(scopeRoot: string, orgId: string): boolean {
    let cur: string | null | undefined = orgId;
    const seen = new Set<string>();
    while (cur && !seen.has(cur)) {
      if (cur === scopeRoot) return true;
      seen.add(cur);
      cur = this.byId.get(cur)?.parentId;
    }
    return false;
  }

  /** The orgs directly below `id`. */
  childrenOf(id: string): string[] {
    return [...(this.children.get(id) ?? [])];
  }

  parentOf(id: string): Org | undefined {
    const p = this.byId.get(id)?.parentId;
    return p ? this.byId.get(p) : undefined;
  }
}
