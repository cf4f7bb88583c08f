import { nodeData as dataOf, positionOf, type NodeLike as Node } from "./node/data";

// Read once: under tsx an imported binding costs a getter call per use.
const nodeData = dataOf;

/** Members a list keeps in an array before it moves them to a Set. */
const FEW = 8;

/** The members of a list with none: shared, and frozen so that a write that missed replacing it fails loudly. */
const NO_MEMBERS: Node[] = Object.freeze([]) as unknown as Node[];

/** The order of a list that never had a member, shared (a snapshot is never mutated). */
const NO_NODES: readonly Node[] = Object.freeze([]);

/**
 * The nodes that process in one kind of step (idle or physics), kept in Godot's order: ascending
 * priority, ties in tree order. Sorted only when membership, priorities or the tree's shape changed,
 * so a frame costs one pass over processing nodes and nothing for the rest.
 */
export class ProcessList {
  /**
   * The members while they are few: a search of a short array costs less than a Set's hash table
   * (~165 bytes), and a fleet bot's list holds one or two nodes. Past {@link FEW} they move to `many`.
   */
  private few: Node[] = NO_MEMBERS;
  private many: Set<Node> | null = null;
  private ordered: readonly Node[] = NO_NODES;
  private dirty = false;

  constructor(private readonly priorityOf: (node: Node) => number) {}

  set(node: Node, present: boolean): void {
    const many = this.many;
    if (many !== null) {
      if (present) {
        if (many.has(node)) return;
        many.add(node);
      } else if (!many.delete(node)) {
        return;
      }
    } else {
      const few = this.few;
      const at = few.indexOf(node);
      if (present) {
        if (at >= 0) return;
        // A first member gets an array of its size: `[]` then push would give it a 17-slot store.
        if (few.length === 0) this.few = [node];
        else few.push(node);
        if (few.length > FEW) {
          this.many = new Set(few);
          this.few = NO_MEMBERS;
        }
      } else {
        if (at < 0) return;
        few.splice(at, 1);
      }
    }
    this.dirty = true;
  }

  markDirty(): void {
    if (this.size > 0) this.dirty = true;
  }

  get size(): number {
    return this.many === null ? this.few.length : this.many.size;
  }

  /**
   * The nodes in processing order. The returned array is never mutated afterwards (a re-sort builds a
   * new one), so callers may iterate it while nodes join or leave, which is Godot's "copy" semantics.
   */
  snapshot(): readonly Node[] {
    if (this.dirty) {
      this.ordered = sortInTreeOrder([...(this.many ?? this.few)], this.priorityOf);
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
