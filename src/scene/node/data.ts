import type { GodotObject } from "../GodotObject";
import type { TreeHost } from "../treeHost";
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
  _internalProcess(delta: number): void;
  /** @internal */
  _internalPhysicsProcess(delta: number): void;
  setProcess(enable: boolean): void;
  setPhysicsProcess(enable: boolean): void;
  isAncestorOf(node: NodeLike): boolean;
  getPathTo(node: NodeLike): string;
}

/** A deferred call made on a node outside any tree: it runs on the tree the node next enters. */
export interface PendingCall {
  readonly label: string;
  readonly call: () => unknown;
}

/** Shared by every node without children, so a leaf costs no Map; replaced on the first addChild. */
export const NO_CHILDREN: Map<string, NodeLike> = new Map();

/**
 * One node's engine state, as Godot's `Node::Data` (scene/main/node.cpp): kept off the object's own
 * names "to avoid namespace pollution in derived classes". A class, so every record has one shape.
 */
export class NodeData {
  name: string;
  parent: NodeLike | null = null;
  children: NodeLike[] = [];
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
  readyFirst = true;
  freeing = false;
  readyNotified = false;
  /** Above 0 while the engine walks this node's children: adding, removing, moving or freeing them is refused. */
  blocked = 0;
  owner: NodeLike | null = null;
  owned: Set<NodeLike> | null = null;
  ownedUniqueNodes: Map<string, NodeLike> | null = null;
  uniqueNameInOwner = false;
  groups: Map<string, { persistent: boolean }> | null = null;
  processMode = ProcessMode.INHERIT;
  processPriority = 0;
  physicsPriority = 0;
  processEnabled = false;
  physicsEnabled = false;
  internalProcessEnabled = false;
  internalPhysicsEnabled = false;
  /** The process mode after resolving INHERIT, valid while `modeEpoch` equals the tree's. */
  effectiveMode = ProcessMode.PAUSABLE;
  modeEpoch = -1;
  /** Where this node sits in the tree's current idle / physics process plan. */
  idlePlanIndex = -1;
  physicsPlanIndex = -1;
  /** Deferred calls and a pending `queueFree` made while outside any tree. */
  pending: PendingCall[] | null = null;
  deleteWhenEntered = false;

  constructor(name: string) {
    this.name = name;
  }
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
