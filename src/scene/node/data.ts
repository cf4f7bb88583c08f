import type { TreeContext } from "../context";
import type { GodotObject } from "../GodotObject";
import type { Tween } from "../tween/Tween";
import { ProcessMode } from "./processMode";

/**
 * Key of a node's engine state. Not exported from the package: user subclasses can name their own
 * fields anything (`_tree`, `_parent`, `_children`…) without touching the engine's.
 */
export const NODE: unique symbol = Symbol("scenetree.node");

/**
 * A node as the engine modules see it: the virtuals they call and its record. `Node` is one; this
 * interface lets the modules below `Node.ts` work on nodes without importing the class.
 */
/**
 * @internal Built-in nodes' per-frame work (a Timer ticks here), run just before `_process` /
 * `_physicsProcess`; symbol-keyed so that no engine hook takes a name a user's subclass might use.
 */
export const INTERNAL_PROCESS: unique symbol = Symbol("scenetree.internalProcess");
/** @internal */
export const INTERNAL_PHYSICS_PROCESS: unique symbol = Symbol("scenetree.internalPhysicsProcess");

export interface NodeLike extends GodotObject {
  /** @internal */
  readonly [NODE]: NodeData;
  _enterTree(): void;
  _ready(): void;
  _exitTree(): void;
  _process(delta: number): void;
  _physicsProcess(delta: number): void;
  _notification(what: number): void;
  /** @internal */
  [INTERNAL_PROCESS](delta: number): void;
  /** @internal */
  [INTERNAL_PHYSICS_PROCESS](delta: number): void;
  setProcess(enable: boolean): void;
  setPhysicsProcess(enable: boolean): void;
  isAncestorOf(node: NodeLike): boolean;
  getPathTo(node: NodeLike): string;
}

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
  /** The tree's pause (kept up to date by the tree; plain fields keep this object out of dictionary mode). */
  paused: boolean;
  /** The tree's suspend (`setSuspend`): while it is on, no node can process (Godot's `can_process`). */
  suspended: boolean;
  /** True once the tree has been torn down: it runs nothing any more. */
  finalized: boolean;
  /**
   * Bumped when a process mode inside this tree changes (a node entering resolves its own afresh): a
   * node's cached effective mode holds while its epoch equals this one. Per tree, so one tree's changes
   * cost another nothing.
   */
  modeEpoch: number;
  /** Before a change that could give the tree's next frame work (see frameSleep.ts). */
  wake(): void;
  /** Before reading what frames change, such as a Timer's time left (see frameSleep.ts). */
  catchUp(): void;
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
  /** Godot's `SceneTree::tree_changed`: a node entered, left, moved among its siblings or was renamed. */
  treeChanged(): void;
  /**
   * Nodes of this tree running their own lifecycle callbacks now, innermost last, and what they are
   * doing: freeing one of them (or an ancestor) then would pull it out from under the engine.
   */
  readonly busyNodes: NodeLike[];
  readonly busyPhases: string[];
  createTween(): Tween;
}

/**
 * What a node instanced from a scene remembers of it: Godot's `scene_file_path`, and a way to build it
 * again (see sceneInstance.ts).
 */
export interface SceneSource {
  readonly file: string;
  instantiate(): NodeLike;
}

/** A deferred call made on a node outside any tree: it runs on the tree the node next enters. */
export interface PendingCall {
  readonly label: string;
  readonly call: () => unknown;
}

/** Shared by every node without children, so a leaf costs no Map; replaced on the first addChild. */
export const NO_CHILDREN: Map<string, NodeLike> = new Map();

/**
 * The same for the children list (a leaf's own empty array is 32 B). Frozen, so that a write that
 * missed the replacement fails loudly instead of giving every leaf a child.
 */
export const NO_CHILD_LIST: NodeLike[] = Object.freeze([]) as unknown as NodeLike[];

/** `_ready` has not run yet since the node was made or `requestReady()` was called. */
export const READY_FIRST = 1;
/** The node is being freed: walks skip it. */
export const FREEING = 2;
/** NOTIFICATION_READY has reached this node in the current stay in the tree. */
export const READY_NOTIFIED = 4;
export const PROCESS_ENABLED = 8;
export const PHYSICS_ENABLED = 16;
export const INTERNAL_PROCESS_ENABLED = 32;
export const INTERNAL_PHYSICS_ENABLED = 64;
/** A `queueFree` made outside any tree: the node is freed when it next enters one. */
export const DELETE_WHEN_ENTERED = 128;

/**
 * One node's engine state, as Godot's `Node::Data` (scene/main/node.cpp): kept off the object's own
 * names "to avoid namespace pollution in derived classes". A class, so every record has one shape.
 */
export class NodeData {
  name: string;
  parent: NodeLike | null = null;
  children: NodeLike[] = NO_CHILD_LIST;
  /**
   * Children by name in insertion order. Godot propagates enter/ready/exit in the order of its
   * children hash map, which `moveChild` does not reorder; keeping the same order keeps traces identical.
   */
  childrenByName: Map<string, NodeLike> = NO_CHILDREN;
  /**
   * Position among the siblings plus the parent's `indexOffset`: removing the first child bumps the
   * offset instead of renumbering every sibling, so freeing many children in creation order stays
   * linear. Read it through `positionOf`.
   */
  index = -1;
  indexOffset = 0;
  /** Serial for `@Class@N` names of this node's children (Godot's fast child names). */
  autoNames = 1;
  tree: TreeHost | null = null;
  /** The tree the node last left: its errors and deferred work still go there while that tree runs. */
  lastTree: TreeHost | null = null;
  depth = -1;
  /** The node's yes/no state, as the bits below ({@link hasFlag}): eight booleans would be 56 B more. */
  flags = READY_FIRST;
  /** Above 0 while the engine walks this node's children: adding, removing, moving or freeing them is refused. */
  blocked = 0;
  owner: NodeLike | null = null;
  /** The nodes this one owns, in the order they were given to it: an array while few, then a Set (see owner.ts). */
  owned: NodeLike[] | Set<NodeLike> | null = null;
  ownedUniqueNodes: Map<string, NodeLike> | null = null;
  uniqueNameInOwner = false;
  groups: Map<string, { persistent: boolean }> | null = null;
  processMode = ProcessMode.INHERIT;
  processPriority = 0;
  physicsPriority = 0;
  /** The process mode after resolving INHERIT, valid while `modeEpoch` equals the tree's. */
  effectiveMode = ProcessMode.PAUSABLE;
  modeEpoch = -1;
  /** Where this node sits in the tree's current idle / physics process plan. */
  idlePlanIndex = -1;
  physicsPlanIndex = -1;
  /** Deferred calls and a pending `queueFree` made while outside any tree. */
  pending: PendingCall[] | null = null;
  /** The scene this node is the root of an instance of (Godot's `scene_file_path`): see sceneInstance.ts. */
  sceneSource: SceneSource | null = null;

  constructor(name: string) {
    this.name = name;
  }
}

export function hasFlag(data: NodeData, flag: number): boolean {
  return (data.flags & flag) !== 0;
}

export function setFlag(data: NodeData, flag: number, on: boolean): void {
  data.flags = on ? data.flags | flag : data.flags & ~flag;
}

/** The engine state of `node`: the one accessor other engine modules use. */
export function nodeData(node: NodeLike): NodeData {
  return node[NODE];
}

/** The index of `node` among its siblings (it has a parent). */
export function positionOf(node: NodeLike): number {
  const data = node[NODE];
  return data.index - data.parent![NODE].indexOffset;
}

/**
 * The tree that takes a node's deferred work and errors: the one it is in, else the one it last left
 * while that one still runs (`removeChild(n); n.queueFree()` frees it at the end of that frame, as in
 * Godot), else none: then the work waits for the tree it next enters.
 */
export function hostOf(node: NodeLike): TreeHost | null {
  const data = node[NODE];
  if (data.tree !== null) return data.tree;
  const last = data.lastTree;
  return last !== null && !last.finalized ? last : null;
}
