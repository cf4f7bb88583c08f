import { nodeData as dataOf, positionOf, type NodeLike as Node } from "./node/data";

// Read once: under tsx an imported binding costs a getter call per use.
const nodeData = dataOf;

/** The order of a list that never had a member, shared (a snapshot is never mutated). */
const NO_NODES: readonly Node[] = Object.freeze([]);

/**
 * The nodes that process in one kind of step (idle or physics), kept in Godot's order: ascending
 * priority, ties in tree order. Sorted only when membership, priorities or the tree's shape changed,
 * so a frame costs one pass over processing nodes and nothing for the rest.
 */
export class ProcessList {
  /** Made on the first member: a tree has two lists, and most have no physics-processing node. */
  private members: Set<Node> | null = null;
  private ordered: readonly Node[] = NO_NODES;
  private dirty = false;

  constructor(private readonly priorityOf: (node: Node) => number) {}

  set(node: Node, present: boolean): void {
    if (present) {
      const members = (this.members ??= new Set());
      if (members.has(node)) return;
      members.add(node);
    } else if (this.members === null || !this.members.delete(node)) {
      return;
    }
    this.dirty = true;
  }

  markDirty(): void {
    if (this.members !== null && this.members.size > 0) this.dirty = true;
  }

  get size(): number {
    return this.members === null ? 0 : this.members.size;
  }

  /**
   * The nodes in processing order. The returned array is never mutated afterwards (a re-sort builds a
   * new one), so callers may iterate it while nodes join or leave, which is Godot's "copy" semantics.
   */
  snapshot(): readonly Node[] {
    if (this.dirty) {
      this.ordered = sortInTreeOrder([...this.members!], this.priorityOf);
      this.dirty = false;
    }
    return this.ordered;
  }
}

/** Sorts `nodes` by `priorityOf` (ascending), ties by position in the tree (pre-order). */
export function sortInTreeOrder(nodes: Node[], priorityOf?: (node: Node) => number): Node[] {
  const keys = new Map<Node, number[]>();
  for (const node of nodes) keys.set(node, treePosition(node));
  return nodes.sort((a, b) => {
    if (priorityOf) {
      const byPriority = priorityOf(a) - priorityOf(b);
      if (byPriority !== 0) return byPriority;
    }
    return comparePositions(keys.get(a)!, keys.get(b)!);
  });
}

/** Indices from the top of the tree down to `node`. */
export function treePosition(node: Node): number[] {
  const path: number[] = [];
  for (let n: Node | null = node; n && nodeData(n).parent; n = nodeData(n).parent) path.push(positionOf(n));
  return path.reverse();
}

/** Tree order of two positions: negative when `a` comes first; an ancestor comes before its descendants. */
export function comparePositions(a: number[], b: number[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length; // an ancestor comes before its descendants
}
