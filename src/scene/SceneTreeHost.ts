import { hasListeners, type GodotObject } from "./GodotObject";
import { MessageQueue } from "./MessageQueue";
import { ProcessList } from "./ProcessList";
import { ProcessRunner, type ProcessHost } from "./ProcessRunner";
import { GroupRegistry } from "./GroupRegistry";
import { nodeData as dataOf, type NodeLike, type NodeTree, type TreeHost } from "./node/data";
import type { Tween } from "./tween/Tween";
import { PATHS_EPOCH } from "./log";
import { CATCH_UP, WAKE } from "./frameSleep";

// Read once: under tsx an imported binding costs a getter call per use.
const nodeData = dataOf;

// Shared by every tree: a closure per list would be per-tree memory for nothing.
const idlePriority = (node: NodeLike): number => nodeData(node).processPriority;
const physicsPriority = (node: NodeLike): number => nodeData(node).physicsPriority;

const NO_NODES: readonly NodeLike[] = Object.freeze([]);

/** What the host needs of its SceneTree (the tree's class satisfies it; this module can't import it). */
export interface HostedTree extends GodotObject {
  currentScene: NodeLike | null;
  [PATHS_EPOCH]: number;
  reportError(source: GodotObject | null, what: string, error: unknown, path?: string): void;
  queueDelete(object: GodotObject): void;
  createTween(): Tween;
  [CATCH_UP](): void;
  [WAKE](): void;
}

/**
 * What every node inside one SceneTree reaches it through (a node record's `tree`), and the tree's
 * bookkeeping those nodes change: its process lists and their runners, its groups, the nodes that left
 * during a pass. One object per tree with its methods on the prototype and every field set here, so a
 * fleet of thousands of trees pays for no closures and no dictionary-mode objects; containers that
 * most trees never use (groups, nodes removed during a pass) are made on first use.
 */
export class SceneTreeHost implements TreeHost, ProcessHost {
  readonly tree: NodeTree;
  readonly messageQueue: MessageQueue;
  paused = false;
  suspended = false;
  finalized = false;
  /** True while the tree sleeps (frameSleep.ts): what changes a node makes must wake it first. */
  asleep = false;
  modeEpoch = 0;
  readonly busyNodes: NodeLike[] = [];
  readonly busyPhases: string[] = [];
  /** Made with the list's first member, with its runner: most trees have no physics-processing node. */
  idleList: ProcessList | null = null;
  physicsList: ProcessList | null = null;
  idleRunner: ProcessRunner | null = null;
  physicsRunner: ProcessRunner | null = null;
  readonly groups = new GroupRegistry();
  /** Nesting of processing passes and group calls running now. */
  passDepth = 0;
  /** Nodes that left the tree during processing or a group call: skipped for the rest of that pass. */
  removedDuringPass: Set<NodeLike> | null = null;
  readonly #tree: HostedTree;

  constructor(tree: HostedTree) {
    this.#tree = tree;
    this.tree = tree as unknown as NodeTree;
    this.messageQueue = new MessageQueue(this);
  }

  /** The nodes of one kind of step in processing order (an empty list is shared, never mutated). */
  snapshot(physics: boolean): readonly NodeLike[] {
    const list = physics ? this.physicsList : this.idleList;
    return list === null ? NO_NODES : list.snapshot();
  }

  /** True when `node` is inside this tree and did not leave it during the current pass. */
  isPresent(node: NodeLike): boolean {
    return nodeData(node).tree === this && !(this.removedDuringPass?.has(node) ?? false);
  }

  beginPass(): void {
    this.passDepth++;
  }

  endPass(): void {
    // Set#clear allocates a fresh table even when empty: twice a frame for every tree of a fleet.
    if (--this.passDepth === 0 && this.removedDuringPass !== null && this.removedDuringPass.size > 0)
      this.removedDuringPass.clear();
  }

  /** Whether `node` left the tree during the pass running now. */
  removedNow(node: NodeLike): boolean {
    return this.removedDuringPass?.has(node) ?? false;
  }

  /** Before a change that could give the tree's next frame work: a sleeping tree catches up and wakes. */
  wake(): void {
    if (this.asleep) this.#tree[WAKE]();
  }

  /** Before reading what frames change (a Timer's time left): a sleeping tree replays what it slept through. */
  catchUp(): void {
    if (this.asleep) this.#tree[CATCH_UP]();
  }

  reportError(source: object | null, what: string, error: unknown, path?: string): void {
    this.#tree.reportError(source as GodotObject | null, what, error, path);
  }

  queueDelete(object: object): void {
    this.#tree.queueDelete(object as GodotObject);
  }

  createTween(): Tween {
    return this.#tree.createTween();
  }

  groupAdd(group: string, node: NodeLike): void {
    this.groups.add(group, node);
  }

  groupRemove(group: string, node: NodeLike): void {
    this.groups.remove(group, node);
  }

  setInProcessList(node: NodeLike, physics: boolean, present: boolean): void {
    this.wake();
    let list = physics ? this.physicsList : this.idleList;
    if (list === null) {
      if (!present) return;
      list = new ProcessList(physics ? physicsPriority : idlePriority);
      if (physics) {
        this.physicsList = list;
        this.physicsRunner = new ProcessRunner(this, true);
      } else {
        this.idleList = list;
        this.idleRunner = new ProcessRunner(this, false);
      }
    }
    list.set(node, present);
  }

  processingChanged(node: NodeLike | null): void {
    this.wake();
    this.idleRunner?.changed(node);
    this.physicsRunner?.changed(node);
  }

  processOrderChanged(physics: boolean): void {
    this.wake();
    (physics ? this.physicsList : this.idleList)?.markDirty();
  }

  structureChanged(): void {
    this.wake();
    this.idleList?.markDirty();
    this.physicsList?.markDirty();
    this.groups.invalidateOrder();
  }

  nodeAdded(node: NodeLike): void {
    this.wake();
    this.#emit("nodeAdded", node);
  }

  nodeRemoved(node: NodeLike): void {
    this.wake();
    const tree = this.#tree;
    if (tree.currentScene === node) tree.currentScene = null;
    if (this.passDepth > 0) (this.removedDuringPass ??= new Set()).add(node);
    tree[PATHS_EPOCH]++;
    this.processingChanged(node);
    this.#emit("nodeRemoved", node);
  }

  nodeRenamed(node: NodeLike): void {
    this.#tree[PATHS_EPOCH]++;
    this.#emit("nodeRenamed", node);
  }

  treeChanged(): void {
    const tree = this.#tree;
    if (hasListeners(tree, "treeChanged")) tree.emit("treeChanged");
  }

  #emit(signal: string, node: NodeLike): void {
    const tree = this.#tree;
    if (hasListeners(tree, signal)) tree.emit(signal, node);
  }
}
