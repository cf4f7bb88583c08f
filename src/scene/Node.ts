import { GodotObject, DEFER, DESCRIBE, QUEUED, TRY_CONTEXT } from "./GodotObject";
import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { NodePath } from "./NodePath";
import { NodeNotFoundError, SceneTreeError } from "../core/errors";
import { matchesPattern, validateNodeName } from "./naming";
import type { TreeContext } from "./context";
import type { NodeTree } from "./node/data";
import type { Tween } from "./tween/Tween";
import { comparePositions, treePosition } from "./ProcessList";
import { markEngineClass } from "./classInfo";
import { DuplicateFlags, duplicateNode } from "./duplicate";

export { DuplicateFlags } from "./duplicate";
import { sceneSourceOf } from "./sceneInstance";
import { treeString, treeStringPretty } from "./treeString";
import { nodeLogger, type Logger } from "./log";
import {
  DELETE_WHEN_ENTERED,
  FREEING,
  INTERNAL_PHYSICS_ENABLED,
  INTERNAL_PROCESS_ENABLED,
  NODE as NODE_KEY,
  NodeData,
  PHYSICS_ENABLED,
  PROCESS_ENABLED,
  READY_FIRST,
  hasFlag,
  hostOf,
  positionOf,
  setFlag,
  type NodeLike,
  INTERNAL_PHYSICS_PROCESS,
  INTERNAL_PROCESS,
} from "./node/data";
import { ProcessMode } from "./node/processMode";
import * as N from "./node/notifications";
import { addChild, moveChild, namePath, removeChild, rename } from "./node/children";
import { findChildren, nodeAndResource, resolvePath, resolveText } from "./node/lookup";
import { setBaseVirtuals } from "./node/lifecycle";
import { guard, notify } from "./node/guard";
import { canProcess, setProcessMode, updateProcessLists } from "./node/processing";
import { addToGroup, removeFromGroup } from "./node/groups";
import { collectOwnedBy, setOwner, setUniqueNameInOwner } from "./node/owner";
import { freeNode } from "./node/free";
import { replaceNode } from "./node/replace";
import { walkBlocked, walkChildrenFirst } from "./node/walk";

// Read once: under tsx an imported binding costs a getter call per use, and this one is on every path.
const NODE: typeof NODE_KEY = NODE_KEY;

export { ProcessMode } from "./node/processMode";
export { forEachDescendant } from "./node/walk";

/**
 * A node as the signals of nodes pass it (`childEnteredTree(node)`…): the same type as {@link Node}.
 * It exists because the signal declaration below cannot name `Node` itself while `Node`'s own type
 * parameter is derived from that declaration.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TreeNode extends Node<NodeSignals> {}

const nodeSignals = GodotObject.signals.extend({
  ready: signal(),
  treeEntered: signal(),
  treeExiting: signal(),
  treeExited: signal(),
  childEnteredTree: signal<[node: TreeNode]>("node"),
  childExitingTree: signal<[node: TreeNode]>("node"),
  childOrderChanged: signal(),
  renamed: signal(),
  replacingBy: signal<[node: TreeNode]>("node"),
});

/** Signals every node has (Godot's names in camelCase). Subclasses add theirs with `Node.signals.extend`. */
export type NodeSignals = SignalsOf<typeof nodeSignals>;

/** A node class that can be constructed with no arguments (what scenes and `findChildren` need). */
export type NodeClass<T extends Node = Node> = new () => T;

/**
 * Godot's `Node`: a named element of the scene tree with Godot 4's lifecycle, processing, groups,
 * owner and signals. Subclass it and override the virtual callbacks (`_enterTree`, `_ready`,
 * `_process(delta)`, `_physicsProcess(delta)`, `_exitTree`); only the most-derived override runs.
 *
 * The engine's state of a node lives in one record behind a module-private symbol (as Godot's
 * `Node::Data`), so a subclass may name its own fields anything; the code that moves nodes through
 * the tree is in `./node/`, one job per module.
 */
export class Node<S extends NodeSignals = NodeSignals> extends GodotObject<S> implements NodeLike {
  static override readonly signals = nodeSignals;

  // Godot's notification numbers, for `_notification(what)` overrides.
  static readonly NOTIFICATION_PREDELETE = N.NOTIFICATION_PREDELETE;
  static readonly NOTIFICATION_ENTER_TREE = N.NOTIFICATION_ENTER_TREE;
  static readonly NOTIFICATION_EXIT_TREE = N.NOTIFICATION_EXIT_TREE;
  /** Deprecated in Godot 4, which never sends it; kept for ported code. */
  static readonly NOTIFICATION_MOVED_IN_PARENT = N.NOTIFICATION_MOVED_IN_PARENT;
  static readonly NOTIFICATION_READY = N.NOTIFICATION_READY;
  static readonly NOTIFICATION_PAUSED = N.NOTIFICATION_PAUSED;
  static readonly NOTIFICATION_UNPAUSED = N.NOTIFICATION_UNPAUSED;
  static readonly NOTIFICATION_PARENTED = N.NOTIFICATION_PARENTED;
  static readonly NOTIFICATION_UNPARENTED = N.NOTIFICATION_UNPARENTED;
  static readonly NOTIFICATION_SCENE_INSTANTIATED = N.NOTIFICATION_SCENE_INSTANTIATED;
  static readonly NOTIFICATION_PATH_RENAMED = N.NOTIFICATION_PATH_RENAMED;
  static readonly NOTIFICATION_CHILD_ORDER_CHANGED = N.NOTIFICATION_CHILD_ORDER_CHANGED;
  static readonly NOTIFICATION_POST_ENTER_TREE = N.NOTIFICATION_POST_ENTER_TREE;
  static readonly NOTIFICATION_DISABLED = N.NOTIFICATION_DISABLED;
  static readonly NOTIFICATION_ENABLED = N.NOTIFICATION_ENABLED;
  static readonly NOTIFICATION_SUSPENDED = N.NOTIFICATION_SUSPENDED;
  static readonly NOTIFICATION_UNSUSPENDED = N.NOTIFICATION_UNSUSPENDED;

  /** @internal */
  readonly [NODE]: NodeData;

  constructor(name = "") {
    super();
    this[NODE] = new NodeData(name === "" ? "" : validateNodeName(name));
  }

  static {
    setBaseVirtuals(Node.prototype);
    markEngineClass(Node);
  }

  // ---------------------------------------------------------------- virtual callbacks

  /** Called when the node enters the tree (parents before children). */
  _enterTree(): void {}
  /** Called once when the node and all its children are in the tree (children first). */
  _ready(): void {}
  /** Called every idle frame while processing; overriding it turns processing on at ready. */
  _process(_delta: number): void {}
  /** Called every physics step while physics processing; overriding it turns it on at ready. */
  _physicsProcess(_delta: number): void {}
  /** Called when the node leaves the tree (children first, last child first). */
  _exitTree(): void {}
  /** Godot's `_notification(what)`: built-in nodes hook into the lifecycle here; call `super`. */
  _notification(_what: number): void {}
  /** @internal Built-in nodes' per-frame work (a Timer ticks here), just before `_process`. */
  [INTERNAL_PROCESS](_delta: number): void {}
  /** @internal */
  [INTERNAL_PHYSICS_PROCESS](_delta: number): void {}

  // ---------------------------------------------------------------- naming

  get name(): string {
    return this[NODE].name;
  }

  set name(value: string) {
    this.assertValid("set name");
    rename(this, value);
  }

  /** Godot's `get_name()`/`set_name()` for code ported from GDScript. */
  getName(): string {
    return this[NODE].name;
  }

  setName(name: string): void {
    this.name = name;
  }

  // ---------------------------------------------------------------- children

  getParent(): Node | null {
    return this[NODE].parent as Node | null;
  }

  // Godot's `include_internal` arguments are accepted so that Godot's calls translate as written
  // (`get_child(0, false)`); scenetree has no internal children, so either value gives the same answer.

  getChildren(_includeInternal = false): Node[] {
    return this[NODE].children.slice() as Node[];
  }

  getChildCount(_includeInternal = false): number {
    return this[NODE].children.length;
  }

  /** Child at `index`; negative counts from the end. Returns null when out of range, as Godot does. */
  getChild(index: number, _includeInternal = false): Node | null {
    const children = this[NODE].children;
    return (children[index < 0 ? children.length + index : index] as Node | undefined) ?? null;
  }

  getIndex(_includeInternal = false): number {
    return this[NODE].parent ? positionOf(this) : -1;
  }

  /**
   * Adds `child` at the end of the children. A clashing name becomes `@Class@N`, or `Name2` with
   * `forceReadableName`. Inside the tree, the child's whole subtree enters (and becomes ready) now.
   */
  addChild(child: Node, forceReadableName = false): void {
    this.assertValid("addChild");
    if (!(child instanceof Node))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "addChild() needs a Node.");
    addChild(this, child, forceReadableName);
  }

  /**
   * Removes `child` without freeing it; it can be added again. Inside the tree it leaves the tree, and
   * the nodes of its branch whose owner stays behind lose that owner; outside a tree owners are kept,
   * as in Godot.
   */
  removeChild(child: Node): void {
    this.assertValid("removeChild");
    removeChild(this, child);
  }

  /**
   * Moves `child` to `toIndex` among its siblings, as Godot's `move_child`: the child count (one place
   * beyond the end) means the last place; negative counts from the end (-1 is the last).
   */
  moveChild(child: Node, toIndex: number): void {
    this.assertValid("moveChild");
    moveChild(this, child, toIndex);
  }

  /** Adds `sibling` to this node's parent, right after this node (Godot's `add_sibling`). */
  addSibling(sibling: Node, forceReadableName = false): void {
    const parent = this.getParent();
    if (!parent)
      throw new SceneTreeError("ERR_NOT_A_CHILD", "Can't add a sibling to a node without a parent.");
    parent.addChild(sibling, forceReadableName);
    parent.moveChild(sibling, positionOf(this) + 1);
  }

  /** True when this node comes after `node` in tree order (Godot's `is_greater_than`). */
  isGreaterThan(node: Node): boolean {
    if (!this.isInsideTree() || !node.isInsideTree())
      throw new SceneTreeError(
        "ERR_NOT_IN_TREE",
        `isGreaterThan(): "${(this.isInsideTree() ? node : this).name}" is not inside the tree; tree order needs both nodes in one.`,
      );
    return comparePositions(treePosition(this), treePosition(node)) > 0;
  }

  /** Moves this node under `newParent`, keeping its owner (and its scene's owners) where Godot does. */
  reparent(newParent: Node): void {
    this.assertValid("reparent");
    const parent = this.getParent();
    if (!parent) throw new SceneTreeError("ERR_NOT_A_CHILD", "Node needs a parent to be reparented.");
    if (newParent === this)
      throw new SceneTreeError("ERR_CYCLIC_PARENT", `Can't reparent "${this.name}" to itself.`);
    if (newParent === parent) return;
    const owner = this.owner;
    const preserveOwner = !!owner && (owner === newParent || owner.isAncestorOf(newParent));
    const sameScene: NodeLike[] = [];
    if (preserveOwner) collectOwnedBy(this, owner, sameScene);
    parent.removeChild(this);
    newParent.addChild(this);
    if (preserveOwner) {
      this.owner = owner;
      for (const node of sameScene) (node as Node).owner = owner;
    }
  }

  isAncestorOf(node: Node): boolean {
    for (let p = node[NODE].parent; p; p = p[NODE].parent) if (p === this) return true;
    return false;
  }

  isInsideTree(): boolean {
    return this[NODE].tree !== null;
  }

  /** True once `_ready` has run, until `requestReady()` is called. */
  isNodeReady(): boolean {
    return !hasFlag(this[NODE], READY_FIRST);
  }

  /** Makes `_ready` (and the `ready` signal) run again the next time the node enters the tree. */
  requestReady(): void {
    setFlag(this[NODE], READY_FIRST, true);
  }

  /** The SceneTree this node is in; outside one, `ERR_NOT_IN_TREE`. */
  getTree(): NodeTree {
    const tree = this[NODE].tree;
    if (!tree) {
      throw new SceneTreeError(
        "ERR_NOT_IN_TREE",
        `"${this.name}" is not inside a SceneTree; check isInsideTree() first.`,
      );
    }
    return tree.tree;
  }

  /**
   * This node's pino logger: the tree's (`--log-level` / `--log-format` under the CLI), with
   * `{ node: path, instance }` bound; a disabled level costs nothing.
   */
  get log(): Logger {
    return nodeLogger(this);
  }

  /** Absolute path such as `/root/Main/A`. A node outside the tree has none: `ERR_NOT_IN_TREE`. */
  getPath(): string {
    if (!this[NODE].tree) {
      throw new SceneTreeError(
        "ERR_NOT_IN_TREE",
        `Can't get the path of "${this[DESCRIBE]()}": it is not inside a SceneTree. ` +
          "Check isInsideTree() first, or use getPathTo() between nodes of one branch.",
      );
    }
    return namePath(this);
  }

  /**
   * Relative path from this node to `node` (Godot's `get_path_to`). With `useUniquePath`, as Godot: a
   * node marked `uniqueNameInOwner` with the same owner as this node stands for the names above it, the
   * first such node up from `node` (`%Unique/Child`), else the topmost one between this node and their
   * common ancestor (`%Unique/../Other`). Nodes with no common ancestor: `ERR_INVALID_ARGUMENT`.
   */
  getPathTo(node: Node, useUniquePath = false): string {
    if (node === this) return ".";
    const ancestors = new Map<NodeLike, number>();
    let depth = 0;
    for (let n: NodeLike | null = this; n; n = n[NODE].parent) ancestors.set(n, depth++);
    const down: NodeLike[] = [];
    let common: NodeLike | null = node;
    while (common && !ancestors.has(common)) {
      down.push(common);
      common = common[NODE].parent;
    }
    if (!common) throw new SceneTreeError("ERR_INVALID_ARGUMENT", "The nodes are not in the same tree.");
    // Built from the end, as Godot's: names from `node` up, then the `..`s, then reversed.
    const path: string[] = [];
    if (!useUniquePath) {
      for (const n of down) path.push(n[NODE].name);
      for (let i = ancestors.get(common)!; i > 0; i--) path.push("..");
      return path.reverse().join("/");
    }
    const owner = this[NODE].owner;
    const isUnique = (n: NodeLike): boolean => n[NODE].uniqueNameInOwner && n[NODE].owner === owner;
    for (const n of down) {
      if (isUnique(n)) {
        path.push("%" + n[NODE].name);
        return path.reverse().join("/");
      }
      path.push(n[NODE].name);
    }
    let unique: string | null = null;
    let up = 0;
    for (let n: NodeLike = this; n !== common; n = n[NODE].parent!) {
      if (isUnique(n)) {
        unique = n[NODE].name;
        up = 0;
      }
      up++;
    }
    for (let i = 0; i < up; i++) path.push("..");
    if (unique !== null) path.push("%" + unique);
    return path.reverse().join("/");
  }

  // ---------------------------------------------------------------- lookup

  /**
   * The node at `path`, or throws a NodeNotFoundError naming the path and this node. The empty path
   * names no node, as in Godot (`"."` is this node). `getNode<Timer>(path)` only types the result;
   * `getNode(path, Timer)` also checks it, as Godot C#'s `GetNode<T>` does (`ERR_WRONG_NODE_TYPE`).
   */
  getNode<T extends Node = Node>(path: string | NodePath, type?: abstract new (...args: never[]) => T): T {
    const node = this.getNodeOrNull<T>(path, type);
    if (!node) throw new NodeNotFoundError(String(path), this[DESCRIBE]());
    return node;
  }

  /**
   * The node at `path`, or null; null for the empty path too, as Godot's `get_node_or_null`. With
   * `type` the node found must be an instance of it (`SceneTreeError` `ERR_WRONG_NODE_TYPE` otherwise,
   * as Godot C#'s `GetNodeOrNull<T>` refuses the cast), and the result is typed by it.
   */
  getNodeOrNull<T extends Node = Node>(
    path: string | NodePath,
    type?: abstract new (...args: never[]) => T,
  ): T | null {
    const node = typeof path === "string" ? resolveText(this, path) : resolvePath(this, NodePath.from(path));
    if (type !== undefined && node !== null && !(node instanceof type)) {
      throw new SceneTreeError(
        "ERR_WRONG_NODE_TYPE",
        `"${String(path)}" (relative to "${this[DESCRIBE]()}") is a ${node.constructor.name}, not a ${type.name}.`,
      );
    }
    return node as T | null;
  }

  hasNode(path: string | NodePath): boolean {
    return this.getNodeOrNull(path) !== null;
  }

  /**
   * First descendant whose name matches `pattern` (`*` and `?` wildcards), depth first in child order.
   * With `owned` (the default, as in Godot) only nodes that have an owner are considered.
   */
  findChild(pattern: string, recursive = true, owned = true): Node | null {
    if (pattern.length === 0)
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "findChild() needs a pattern.");
    return (findChildren(this, pattern, undefined, recursive, owned, true)[0] as Node | undefined) ?? null;
  }

  /**
   * Every descendant matching `pattern` ("" matches all) and, if given, of class `type`: a class, or a
   * class name (a JavaScript class's, a registered node type's, "Object" for all). A pattern and a type
   * both empty is `ERR_INVALID_ARGUMENT`, as Godot refuses them.
   */
  findChildren<T extends Node = Node>(
    pattern: string,
    type?: string | (abstract new (...args: never[]) => T),
    recursive = true,
    owned = true,
  ): T[] {
    if (pattern.length === 0 && (type === undefined || type === ""))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "findChildren() needs a pattern or a type.");
    return findChildren(this, pattern, type, recursive, owned, false) as T[];
  }

  /** The nearest ancestor whose name matches `pattern` (Godot's `find_parent`), or null. */
  findParent(pattern: string): Node | null {
    for (let node = this.getParent(); node !== null; node = node.getParent()) {
      if (matchesPattern(node.name, pattern)) return node;
    }
    return null;
  }

  // ---------------------------------------------------------------- owner and unique names

  /** The scene root this node was saved with; must be an ancestor. Cleared when it stops being one. */
  get owner(): Node | null {
    return this[NODE].owner as Node | null;
  }

  set owner(owner: Node | null) {
    this.assertValid("set owner");
    setOwner(this, owner);
  }

  getOwner(): Node | null {
    return this.owner;
  }

  setOwner(owner: Node | null): void {
    this.owner = owner;
  }

  /** Makes this node reachable as `%Name` from every node of its owner's scene. */
  get uniqueNameInOwner(): boolean {
    return this[NODE].uniqueNameInOwner;
  }

  set uniqueNameInOwner(enabled: boolean) {
    setUniqueNameInOwner(this, enabled);
  }

  // ---------------------------------------------------------------- groups

  /** Adds the node to `group` (works outside the tree too; it joins the tree's group when it enters). */
  addToGroup(group: string, persistent = false): void {
    addToGroup(this, group, persistent);
  }

  removeFromGroup(group: string): void {
    removeFromGroup(this, group);
  }

  isInGroup(group: string): boolean {
    return this[NODE].groups?.has(group) ?? false;
  }

  getGroups(): string[] {
    const groups = this[NODE].groups;
    return groups ? [...groups.keys()] : [];
  }

  // ---------------------------------------------------------------- processing

  setProcess(enable: boolean): void {
    if (hasFlag(this[NODE], PROCESS_ENABLED) === enable) return;
    setFlag(this[NODE], PROCESS_ENABLED, enable);
    updateProcessLists(this);
  }

  isProcessing(): boolean {
    return hasFlag(this[NODE], PROCESS_ENABLED);
  }

  setPhysicsProcess(enable: boolean): void {
    if (hasFlag(this[NODE], PHYSICS_ENABLED) === enable) return;
    setFlag(this[NODE], PHYSICS_ENABLED, enable);
    updateProcessLists(this);
  }

  isPhysicsProcessing(): boolean {
    return hasFlag(this[NODE], PHYSICS_ENABLED);
  }

  setProcessInternal(enable: boolean): void {
    if (hasFlag(this[NODE], INTERNAL_PROCESS_ENABLED) === enable) return;
    setFlag(this[NODE], INTERNAL_PROCESS_ENABLED, enable);
    updateProcessLists(this);
  }

  isProcessingInternal(): boolean {
    return hasFlag(this[NODE], INTERNAL_PROCESS_ENABLED);
  }

  setPhysicsProcessInternal(enable: boolean): void {
    if (hasFlag(this[NODE], INTERNAL_PHYSICS_ENABLED) === enable) return;
    setFlag(this[NODE], INTERNAL_PHYSICS_ENABLED, enable);
    updateProcessLists(this);
  }

  isPhysicsProcessingInternal(): boolean {
    return hasFlag(this[NODE], INTERNAL_PHYSICS_ENABLED);
  }

  /** Order among all processing nodes: ascending, ties in tree order. */
  get processPriority(): number {
    return this[NODE].processPriority;
  }

  set processPriority(priority: number) {
    const data = this[NODE];
    if (priority === data.processPriority) return;
    data.processPriority = priority;
    data.tree?.processOrderChanged(false);
  }

  get processPhysicsPriority(): number {
    return this[NODE].physicsPriority;
  }

  set processPhysicsPriority(priority: number) {
    const data = this[NODE];
    if (priority === data.physicsPriority) return;
    data.physicsPriority = priority;
    data.tree?.processOrderChanged(true);
  }

  get processMode(): ProcessMode {
    return this[NODE].processMode;
  }

  set processMode(mode: ProcessMode) {
    setProcessMode(this, mode);
  }

  /** Whether the node would process now, given its (inherited) process mode and the tree's pause. */
  canProcess(): boolean {
    return canProcess(this);
  }

  // ---------------------------------------------------------------- tweens

  /**
   * A Tween bound to this node (Godot's `create_tween`): it runs only while the node is in the tree
   * and may process (pause and process mode), and it dies with the node. Outside a tree, as in Godot 4:
   * `ERR_NOT_IN_TREE` (a node's tween belongs to the node's tree).
   */
  createTween(): Tween {
    const tree = this[NODE].tree;
    if (!tree) {
      throw new SceneTreeError(
        "ERR_NOT_IN_TREE",
        `Can't create a Tween on "${this[DESCRIBE]()}": it is not inside a SceneTree. Add it to the tree first.`,
      );
    }
    return tree.createTween().bindNode(this);
  }

  // ---------------------------------------------------------------- deletion

  /**
   * Frees the node at the end of the current frame (after timers), as Godot's `queue_free`. Just
   * removed from a tree, at the end of that tree's frame; never in one, at the end of the frame of the
   * tree it next enters (no other tree of the process frees it).
   */
  queueFree(): void {
    if (!this.isInstanceValid() || this[QUEUED]) return;
    const tree = hostOf(this);
    if (tree) tree.queueDelete(this);
    else {
      this[QUEUED] = true;
      setFlag(this[NODE], DELETE_WHEN_ENTERED, true);
    }
  }

  /**
   * Frees the node and its subtree now, as Godot's `free()`: it leaves its parent (the subtree exits
   * the tree), then its children are freed last first. A node that is busy (entering, getting ready,
   * leaving, or whose parent is walking its children) can't be freed: `ERR_BUSY`; use `queueFree()`.
   */
  override free(): void {
    if (!this.isInstanceValid() || hasFlag(this[NODE], FREEING)) return;
    freeNode(this, hasOwnFree, finishFree);
  }

  // ---------------------------------------------------------------- notifications and calls

  /**
   * Sends notification `what` to this node's `_notification` (Godot's `notification`). A throw is
   * reported with the node's path. `reversed` is accepted for ported code; in TypeScript each
   * `_notification` override calls `super` itself, so it decides the order of the class levels.
   */
  notification(what: number, reversed = false): void {
    void reversed;
    notify(this, what, String(what));
  }

  /** Sends `what` to this node and then to every descendant, parents first (Godot's `propagate_notification`). */
  propagateNotification(what: number): void {
    this.assertValid("propagateNotification");
    walkBlocked(
      this,
      (node) => notify(node, what, String(what)),
      () => true,
      true,
    );
  }

  /**
   * Calls `method` with `args` on this node and every descendant that has it, children before their
   * parent unless `parentFirst` (Godot's `propagate_call`). A throw is reported and the walk goes on.
   */
  propagateCall(method: string, args: readonly unknown[] = [], parentFirst = false): void {
    this.assertValid("propagateCall");
    const call = (node: NodeLike): void => {
      const fn = (node as unknown as Record<string, unknown>)[method];
      if (typeof fn === "function") guard(node, `${method}() (propagateCall)`, () => fn.apply(node, args));
    };
    if (parentFirst) walkBlocked(this, call, () => true, true);
    else walkChildrenFirst(this, call);
  }

  // ---------------------------------------------------------------- duplicate and replace

  /**
   * A copy of this node and its subtree, out of the tree, as Godot 4's `duplicate(flags)`: the stored
   * props (those of the class's registered props schema) with node references inside the copy pointing
   * into the copy, and, per `flags`, groups, the class, persistent connections, and scene instances
   * instanced again. Owners are not copied, except inside scenes instanced again and, with
   * `DuplicateFlags.INTERNAL_STATE`, within the copied branch (as in Godot).
   */
  duplicate<T extends Node = this>(flags: number = DuplicateFlags.DEFAULT): T {
    this.assertValid("duplicate");
    return duplicateNode(this, flags, Node) as T;
  }

  /**
   * Puts `node` where this node is, as Godot's `replace_by`: same parent and index, this node's
   * children moved under it, owners and unique names carried over, persistent connections to this node
   * retargeted to `node`, and with `keepGroups` the groups too. This node is left outside the tree,
   * not freed.
   */
  replaceBy(node: Node, keepGroups = false): void {
    this.assertValid("replaceBy");
    if (!(node instanceof Node))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "replaceBy() needs a Node.");
    node.assertValid("replaceBy");
    replaceNode(this, node, keepGroups);
  }

  /** The scene file this node was instanced from (Godot's `scene_file_path`), "" for other nodes. */
  get sceneFilePath(): string {
    return sceneSourceOf(this)?.file ?? "";
  }

  // ---------------------------------------------------------------- property paths

  /**
   * Godot's `get_node_and_resource`: the node at `path`, then, following its subnames while they name
   * objects (a class instance that is not a Node: scenetree's resources), the last such object, and the
   * subnames left (`:position:x`) as a property path. `[null, null, empty]` when the node or a
   * subname does not exist.
   */
  getNodeAndResource(path: string | NodePath): [node: Node | null, resource: object | null, rest: NodePath] {
    const [node, resource, rest] = nodeAndResource(this, NodePath.from(path), Node);
    return [node as Node | null, resource, rest];
  }

  /** True when `getNodeAndResource(path)` finds the node and every subname. */
  hasNodeAndResource(path: string | NodePath): boolean {
    return this.getNodeAndResource(path)[0] !== null;
  }

  // ---------------------------------------------------------------- debugging

  /** The subtree drawn like Godot 4's `get_tree_string_pretty()`; over `MAX_TREE_STRING_LENGTH`: `ERR_LIMIT`. */
  getTreeStringPretty(): string {
    return treeStringPretty(this);
  }

  /**
   * Prints the subtree like Godot 4's `print_tree_pretty()` (same limit as `getTreeStringPretty`): the
   * text and the line end `print_line` adds, so it ends with an empty line as Godot's does.
   */
  printTreePretty(): void {
    process.stdout.write(`${this.getTreeStringPretty()}\n`);
  }

  /** Each node's path from this one, one a line (Godot 4's `get_tree_string()`); same limit as the pretty one. */
  getTreeString(): string {
    return treeString(this);
  }

  /** Prints `getTreeString()` as Godot 4's `print_tree()` does (with `print_line`'s line end). */
  printTree(): void {
    process.stdout.write(`${this.getTreeString()}\n`);
  }

  override toString(): string {
    return `${this.name}:<${this.constructor.name}>`;
  }

  // ---------------------------------------------------------------- engine hooks

  /** @internal */
  override [DESCRIBE](): string {
    return namePath(this) || `<unnamed ${this.constructor.name}>`;
  }

  /** @internal */
  override [TRY_CONTEXT](): TreeContext | null {
    return hostOf(this);
  }

  /** @internal Outside any tree (see `hostOf`), a deferred call waits for the tree the node next enters. */
  override [DEFER](_what: string, label: string, call: () => unknown): void {
    const tree = hostOf(this);
    if (tree) tree.messageQueue.push(this, label, call);
    else (this[NODE].pending ??= []).push({ label, call });
  }
}

/** Whether `node`'s class has its own `free()` (which then runs for it, and must call super). */
function hasOwnFree(node: NodeLike): boolean {
  return node.free !== Node.prototype.free;
}

function finishFree(node: NodeLike): void {
  GodotObject.prototype.free.call(node);
}
