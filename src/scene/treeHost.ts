import type { TreeContext } from "./context";
import type { NodeLike } from "./node/data";
import type { Tween } from "./tween/Tween";

/**
 * The type `node.getTree()` returns. Empty here, so that the node modules need not import the tree;
 * SceneTree.ts augments it to be the SceneTree class.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NodeTree {}

/**
 * What a node needs from the tree it is in: the services SceneTree hands to every node that enters it
 * (Godot's `data.tree` pointer, minus everything a node has no business calling).
 */
export interface TreeHost extends TreeContext {
  /** The tree itself, as `getTree()` returns it. */
  readonly tree: NodeTree;
  readonly paused: boolean;
  /** True once the tree has been torn down: it runs nothing any more. */
  readonly finalized: boolean;
  /**
   * Bumped when a process mode inside this tree changes or its shape changes: a node's cached effective
   * mode holds while its epoch equals this one. Per tree, so one tree's changes cost another nothing.
   */
  modeEpoch: number;
  groupAdd(group: string, node: NodeLike): void;
  groupRemove(group: string, node: NodeLike): void;
  setInProcessList(node: NodeLike, physics: boolean, present: boolean): void;
  /** Whether `node`, or any node (`null`), may now process differently. */
  processingChanged(node: NodeLike | null): void;
  processOrderChanged(physics: boolean): void;
  /** The order of existing nodes changed (moveChild): cached orders are stale. */
  structureChanged(): void;
  nodeAdded(node: NodeLike): void;
  nodeRemoved(node: NodeLike): void;
  nodeRenamed(node: NodeLike): void;
  /**
   * Nodes of this tree running their own lifecycle callbacks now, innermost last, and what they are
   * doing: freeing one of them (or an ancestor) then would pull it out from under the engine.
   */
  readonly busyNodes: NodeLike[];
  readonly busyPhases: string[];
  createTween(): Tween;
}
