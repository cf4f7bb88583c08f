import type { NodeLike as Node } from "./node/data";
import { sortInTreeOrder } from "./ProcessList";

/**
 * The tree's groups: which nodes inside the tree are in each, listed in tree order. The order is
 * computed when asked and kept until membership or the tree's order changes.
 */
export class GroupRegistry {
  /** Made on the first member: most trees of a fleet have no groups at all. */
  private groups: Map<string, { nodes: Set<Node>; ordered: Node[] | null }> | null = null;

  add(group: string, node: Node): void {
    const groups = (this.groups ??= new Map());
    let data = groups.get(group);
    if (!data) groups.set(group, (data = { nodes: new Set(), ordered: null }));
    data.nodes.add(node);
    data.ordered = null;
  }

  remove(group: string, node: Node): void {
    const data = this.groups?.get(group);
    if (!data) return;
    data.nodes.delete(node);
    data.ordered = null;
    if (data.nodes.size === 0) this.groups!.delete(group);
  }

  size(group: string): number {
    return this.groups?.get(group)?.nodes.size ?? 0;
  }

  /** Members in tree order. The array is shared: copy it before handing it out or mutating the tree. */
  ordered(group: string): readonly Node[] {
    const data = this.groups?.get(group);
    if (!data) return [];
    return (data.ordered ??= sortInTreeOrder([...data.nodes]));
  }

  /** The tree's order changed (moveChild): every cached order is stale. */
  invalidateOrder(): void {
    if (this.groups === null) return;
    for (const data of this.groups.values()) data.ordered = null;
  }
}
