import { GodotObject } from "./GodotObject";
import { ConnectFlags } from "../core/signals/ConnectFlags";
import { Callable } from "./Callable";
import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { NodePath } from "./NodePath";
import { NodeNotFoundError, SceneTreeError } from "../core/errors";
import { fastUniqueName, matchesPattern, readableUniqueName, validateNodeName } from "./naming";
import { isThenable, type TreeContext } from "./context";
import type { SceneTree } from "./SceneTree";
import type { Tween } from "./tween/Tween";
import { comparePositions, treePosition } from "./ProcessList";
import { markEngineClass } from "./classInfo";
import { incomingConnections } from "./connections";
import { duplicateNode } from "./duplicate";
import { sceneSourceOf, setSceneSource } from "./sceneInstance";
import { treeStringPretty } from "./treeString";
import { nodeLogger, type Logger } from "./log";

/** Godot's `Node.ProcessMode`, same values. */
export enum ProcessMode {
  INHERIT = 0,
  PAUSABLE = 1,
  WHEN_PAUSED = 2,
  ALWAYS = 3,
  DISABLED = 4,
}

/** Godot's `Node.DuplicateFlags` for `duplicate(flags)`, same values. */
export enum DuplicateFlags {
  /** Connections made with `ConnectFlags.PERSIST` (scene connections) inside the copy. */
  SIGNALS = 1,
  GROUPS = 2,
  /** The node's own class; without it each copy is of the nearest engine class (Node, Timer...). */
  SCRIPTS = 4,
  /** A node instanced from a scene is copied by instancing that scene again. */
  USE_INSTANTIATION = 8,
  DEFAULT = 15,
}

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

const BUSY_HINT = {
  addChild:
    'Parent node is busy setting up children, `addChild()` failed. Consider using `parent.callDeferred("addChild", child)` instead.',
  removeChild:
    'Parent node is busy adding/removing children, `removeChild()` can\'t be called at this time. Consider using `parent.callDeferred("removeChild", child)` instead.',
  moveChild:
    'Parent node is busy setting up children, `moveChild()` failed. Consider using `parent.callDeferred("moveChild", child, index)` instead.',
};

// Set by Node's static block (it sees private state); read through the exported functions at the end.
let groupsOf: (node: Node) => ReadonlyMap<string, { persistent: boolean }> | null;
let pauseNotifier: (root: Node, paused: boolean) => void;

/**
 * Godot's `Node`: a named element of the scene tree with Godot 4's lifecycle, processing, groups,
 * owner and signals. Subclass it and override the virtual callbacks (`_enterTree`, `_ready`,
 * `_process(delta)`, `_physicsProcess(delta)`, `_exitTree`); only the most-derived override runs.
 */
export class Node<S extends NodeSignals = NodeSignals> extends GodotObject<S> {
  static override readonly signals = nodeSignals;

  // Godot's notification numbers, for `_notification(what)` overrides.
  static readonly NOTIFICATION_PREDELETE = 1;
  static readonly NOTIFICATION_ENTER_TREE = 10;
  static readonly NOTIFICATION_EXIT_TREE = 11;
  static readonly NOTIFICATION_MOVED_IN_PARENT = 12;
  static readonly NOTIFICATION_READY = 13;
  static readonly NOTIFICATION_PAUSED = 14;
  static readonly NOTIFICATION_UNPAUSED = 15;
  static readonly NOTIFICATION_PARENTED = 18;
  static readonly NOTIFICATION_UNPARENTED = 19;
  static readonly NOTIFICATION_PATH_RENAMED = 23;
  static readonly NOTIFICATION_CHILD_ORDER_CHANGED = 24;
  static readonly NOTIFICATION_POST_ENTER_TREE = 27;
  static readonly NOTIFICATION_DISABLED = 28;
  static readonly NOTIFICATION_ENABLED = 29;

  /** @internal */ _name: string;
  /** @internal */ _parent: Node | null = null;
  /** @internal */ _children: Node[] = [];
  /**
   * @internal Children by name in insertion order. Godot propagates enter/ready/exit in the order of its
   * children hash map, which `moveChild` does not reorder; keeping the same order keeps traces identical.
   */
  _childrenByName: Map<string, Node> = NO_CHILDREN;
  /**
   * @internal Position among the siblings plus the parent's `_indexOffset`: removing the first child
   * bumps the offset instead of renumbering every sibling, so freeing many children in creation order
   * stays linear. Read it through `_position()`.
   */
  _index = -1;
  /** @internal See `_index`. */ _indexOffset = 0;
  /** @internal */ _tree: SceneTree | null = null;
  /** @internal */ _depth = -1;
  private _readyFirst = true;
  private _freeing = false;
  private _readyNotified = false;
  private _blocked = 0;
  private _owner: Node | null = null;
  private _owned: Set<Node> | null = null;
  private _ownedUniqueNodes: Map<string, Node> | null = null;
  private _uniqueNameInOwner = false;
  private _groups: Map<string, { persistent: boolean }> | null = null;
  /** @internal */ _processMode = ProcessMode.INHERIT;
  /** @internal */ _processPriority = 0;
  /** @internal */ _physicsPriority = 0;
  /** @internal */ _processEnabled = false;
  /** @internal */ _physicsEnabled = false;
  /** @internal */ _internalProcessEnabled = false;
  /** @internal */ _internalPhysicsEnabled = false;

  constructor(name = "") {
    super();
    this._name = name === "" ? "" : validateNodeName(name);
  }

  static {
    // Module functions other engine files use, with access to private state and no public member.
    groupsOf = (node) => node._groups;
    pauseNotifier = (root, paused) => root._propagatePauseNotification(paused);
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
  _internalProcess(_delta: number): void {}
  /** @internal */ _internalPhysicsProcess(_delta: number): void {}

  // ---------------------------------------------------------------- naming

  get name(): string {
    return this._name;
  }

  set name(value: string) {
    this.assertValid("set name");
    const name = validateNodeName(String(value));
    if (name.length === 0) throw new SceneTreeError("ERR_INVALID_NAME", "Node name cannot be empty.");
    const oldName = this._name;
    if (name === oldName) return;
    const owner = this._owner;
    if (this._uniqueNameInOwner && owner) owner._releaseUnique(this);
    const parent = this._parent;
    if (parent) {
      this._name = readableUniqueName(name, (n) => n !== oldName && parent._childrenByName.has(n));
      parent._renameChildKey(oldName, this);
    } else {
      this._name = name;
    }
    if (this._uniqueNameInOwner && owner) owner._acquireUnique(this);
    if (this._tree) {
      this._emitNoArgs("renamed");
      this._tree._nodeRenamed(this);
    }
  }

  /** Godot's `get_name()`/`set_name()` for code ported from GDScript. */
  getName(): string {
    return this._name;
  }

  setName(name: string): void {
    this.name = name;
  }

  // ---------------------------------------------------------------- children

  getParent(): Node | null {
    return this._parent;
  }

  getChildren(): Node[] {
    return this._children.slice();
  }

  getChildCount(): number {
    return this._children.length;
  }

  /** Child at `index`; negative counts from the end. Returns null when out of range, as Godot does. */
  getChild(index: number): Node | null {
    const i = index < 0 ? this._children.length + index : index;
    return this._children[i] ?? null;
  }

  getIndex(): number {
    return this._parent ? this._position() : -1;
  }

  /** @internal The index among the siblings (see `_index`). */
  _position(): number {
    return this._index - this._parent!._indexOffset;
  }

  /**
   * Adds `child` at the end of the children. A clashing name becomes `@Class@N`, or `Name2` with
   * `forceReadableName`. Inside the tree, the child's whole subtree enters (and becomes ready) now.
   */
  addChild(child: Node, forceReadableName = false): void {
    this.assertValid("addChild");
    if (!(child instanceof Node))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "addChild() needs a Node.");
    if (child === this) {
      throw new SceneTreeError("ERR_CYCLIC_PARENT", `Can't add child "${child._name}" to itself.`);
    }
    if (child._parent) {
      throw new SceneTreeError(
        "ERR_ALREADY_HAS_PARENT",
        `Can't add child "${child._name}" to "${this._name}", already has a parent "${child._parent._name}". ` +
          "Use reparent() to move it.",
      );
    }
    // A node outside the tree can't be an ancestor of one inside it: adding in the tree costs no walk.
    if (!(this._tree && !child._tree) && child.isAncestorOf(this)) {
      throw new SceneTreeError(
        "ERR_CYCLIC_PARENT",
        `Can't add child "${child._name}" to "${this._name}" as it would result in a cyclic dependency since "${child._name}" is already a parent of "${this._name}".`,
      );
    }
    if (this._blocked > 0) throw new SceneTreeError("ERR_PARENT_BUSY", BUSY_HINT.addChild);
    child.assertValid("addChild");

    this._validateChildName(child, forceReadableName);
    this._children.push(child);
    if (this._childrenByName === NO_CHILDREN) this._childrenByName = new Map();
    this._childrenByName.set(child._name, child);
    child._index = this._children.length - 1 + this._indexOffset;
    child._parent = this;
    child._notification(Node.NOTIFICATION_PARENTED);
    if (this._tree) child._setTree(this._tree);
    this._notification(Node.NOTIFICATION_CHILD_ORDER_CHANGED);
    this._emitNoArgs("childOrderChanged");
  }

  /** Removes `child` (it leaves the tree if inside it) without freeing it; it can be added again. */
  removeChild(child: Node): void {
    this._removeChild(child, true);
  }

  /**
   * `removeChild`; without `cleanOwnersOutside`, a child removed outside the tree skips the walk that
   * clears owners below it (Godot walks only inside the tree): `free()` clears each node's own anyway.
   */
  private _removeChild(child: Node, cleanOwnersOutside: boolean): void {
    this.assertValid("removeChild");
    if (this._blocked > 0) throw new SceneTreeError("ERR_PARENT_BUSY", BUSY_HINT.removeChild);
    if (child?._parent !== this) {
      throw new SceneTreeError("ERR_NOT_A_CHILD", `"${child?._name}" is not a child of "${this._name}".`);
    }
    const wasInside = this._tree !== null;
    this._blocked++;
    try {
      if (wasInside) child._setTree(null);
      child._notification(Node.NOTIFICATION_UNPARENTED);
    } finally {
      this._blocked--;
    }
    const position = child._position();
    if (position === 0) {
      this._children.shift();
      this._indexOffset++;
    } else {
      this._children.splice(position, 1);
      for (let i = position; i < this._children.length; i++) this._children[i]._index = i + this._indexOffset;
    }
    if (this._children.length === 0) this._indexOffset = 0;
    this._childrenByName.delete(child._name);
    child._parent = null;
    child._index = -1;
    this._notification(Node.NOTIFICATION_CHILD_ORDER_CHANGED);
    this._emitNoArgs("childOrderChanged");
    if (wasInside || cleanOwnersOutside) child._propagateAfterExitTree(wasInside);
  }

  /** Moves `child` to `toIndex` among its siblings (negative counts from the end). */
  moveChild(child: Node, toIndex: number): void {
    this.assertValid("moveChild");
    if (child?._parent !== this) {
      throw new SceneTreeError("ERR_NOT_A_CHILD", `"${child?._name}" is not a child of "${this._name}".`);
    }
    if (this._blocked > 0) throw new SceneTreeError("ERR_PARENT_BUSY", BUSY_HINT.moveChild);
    const count = this._children.length;
    const index = toIndex < 0 ? toIndex + count : toIndex;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid new child index: ${toIndex}.`);
    }
    const from = child._position();
    if (index === from) return;
    this._children.splice(from, 1);
    this._children.splice(index, 0, child);
    const start = Math.min(from, index);
    const end = Math.max(from, index);
    this._blocked++;
    try {
      for (let i = start; i <= end; i++) {
        this._children[i]._index = i + this._indexOffset;
        this._children[i]._notification(Node.NOTIFICATION_MOVED_IN_PARENT);
      }
    } finally {
      this._blocked--;
    }
    if (this._tree) this._tree._structureChanged();
    this._notification(Node.NOTIFICATION_CHILD_ORDER_CHANGED);
    this._emitNoArgs("childOrderChanged");
  }

  /** Adds `sibling` to this node's parent, right after this node (Godot's `add_sibling`). */
  addSibling(sibling: Node, forceReadableName = false): void {
    const parent = this._parent;
    if (!parent)
      throw new SceneTreeError("ERR_NOT_A_CHILD", "Can't add a sibling to a node without a parent.");
    parent.addChild(sibling, forceReadableName);
    parent.moveChild(sibling, this._position() + 1);
  }

  /** True when this node comes after `node` in tree order (Godot's `is_greater_than`). */
  isGreaterThan(node: Node): boolean {
    return comparePositions(treePosition(this), treePosition(node)) > 0;
  }

  /** Moves this node under `newParent`, keeping its owner (and its scene's owners) where Godot does. */
  reparent(newParent: Node): void {
    this.assertValid("reparent");
    if (!this._parent) throw new SceneTreeError("ERR_NOT_A_CHILD", "Node needs a parent to be reparented.");
    if (newParent === this)
      throw new SceneTreeError("ERR_CYCLIC_PARENT", `Can't reparent "${this._name}" to itself.`);
    if (newParent === this._parent) return;
    const owner = this._owner;
    const preserveOwner = !!owner && (owner === newParent || owner.isAncestorOf(newParent));
    const sameScene: Node[] = [];
    if (preserveOwner) this._collectOwnedBy(owner!, sameScene);
    this._parent.removeChild(this);
    newParent.addChild(this);
    if (preserveOwner) {
      this.owner = owner;
      for (const node of sameScene) node.owner = owner;
    }
  }

  /** Descendants owned by `owner`, in tree order (Godot's `get_owned_by` below this node). */
  private _collectOwnedBy(owner: Node, out: Node[]): void {
    forEachDescendant(this, (node) => {
      if (node._owner === owner) out.push(node);
    });
  }

  isAncestorOf(node: Node): boolean {
    for (let p = node._parent; p; p = p._parent) if (p === this) return true;
    return false;
  }

  isInsideTree(): boolean {
    return this._tree !== null;
  }

  /** True once `_ready` has run, until `requestReady()` is called. */
  isNodeReady(): boolean {
    return !this._readyFirst;
  }

  /** Makes `_ready` (and the `ready` signal) run again the next time the node enters the tree. */
  requestReady(): void {
    this._readyFirst = true;
  }

  getTree(): SceneTree {
    if (!this._tree) {
      throw new SceneTreeError(
        "ERR_NOT_IN_TREE",
        `"${this._name}" is not inside a SceneTree; check isInsideTree() first.`,
      );
    }
    return this._tree;
  }

  /** This node's pino logger: the tree's, with `{ node: path, instance }` bound (see src/scene/log.ts). */
  get log(): Logger {
    return nodeLogger(this);
  }

  /** Absolute path such as `/root/Main/A`. A node outside the tree has none: `ERR_NOT_IN_TREE`. */
  getPath(): string {
    if (!this._tree) {
      throw new SceneTreeError(
        "ERR_NOT_IN_TREE",
        `Can't get the path of "${this._describe()}": it is not inside a SceneTree. ` +
          "Check isInsideTree() first, or use getPathTo() between nodes of one branch.",
      );
    }
    return this._namePath();
  }

  /** Names from the topmost ancestor down, `/`-prefixed inside a tree: how messages name a node. */
  private _namePath(): string {
    const names: string[] = [];
    let top: Node = this;
    for (let n: Node | null = this; n; n = n._parent) {
      names.push(n._name);
      top = n;
    }
    names.reverse();
    return top._tree ? "/" + names.join("/") : names.join("/");
  }

  /** Relative path from this node to `node` (Godot's `get_path_to`). */
  getPathTo(node: Node): string {
    if (node === this) return ".";
    const ancestors = new Map<Node, number>();
    let depth = 0;
    for (let n: Node | null = this; n; n = n._parent) ancestors.set(n, depth++);
    const down: string[] = [];
    let common: Node | null = node;
    while (common && !ancestors.has(common)) {
      down.push(common._name);
      common = common._parent;
    }
    if (!common) throw new SceneTreeError("ERR_INVALID_ARGUMENT", "The nodes are not in the same tree.");
    const up = new Array<string>(ancestors.get(common)!).fill("..");
    return [...up, ...down.reverse()].join("/") || ".";
  }

  // ---------------------------------------------------------------- lookup

  /** The node at `path`, or throws a NodeNotFoundError naming the path and this node. */
  getNode<T extends Node = Node>(path: string | NodePath): T {
    const node = this.getNodeOrNull<T>(path);
    if (!node) throw new NodeNotFoundError(String(path), this._describe());
    return node;
  }

  getNodeOrNull<T extends Node = Node>(path: string | NodePath): T | null {
    const nodePath = NodePath.from(path);
    let current: Node | null = this;
    if (nodePath.absolute) {
      current = this;
      while (current._parent) current = current._parent;
      const first = nodePath.names[0];
      if (!current._tree) return null;
      if (first !== current._name) return null;
      for (let i = 1; i < nodePath.names.length && current; i++) current = current._step(nodePath.names[i]);
      return current as T | null;
    }
    for (let i = 0; i < nodePath.names.length && current; i++) current = current._step(nodePath.names[i]);
    return current as T | null;
  }

  hasNode(path: string | NodePath): boolean {
    return this.getNodeOrNull(path) !== null;
  }

  private _step(name: string): Node | null {
    if (name === ".") return this;
    if (name === "..") return this._parent;
    if (name.startsWith("%")) {
      const unique = name.slice(1);
      const own = this._ownedUniqueNodes?.get(unique);
      if (own) return own;
      return this._owner?._ownedUniqueNodes?.get(unique) ?? null;
    }
    return this._childrenByName.get(name) ?? null;
  }

  /**
   * First descendant whose name matches `pattern` (`*` and `?` wildcards), depth first in child order.
   * With `owned` (the default, as in Godot) only nodes that have an owner are considered.
   */
  findChild(pattern: string, recursive = true, owned = true): Node | null {
    if (pattern.length === 0)
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "findChild() needs a pattern.");
    let found: Node | null = null;
    walkDescendants(this, (child) => {
      if (owned && !child._owner) return SKIP;
      if (matchesPattern(child._name, pattern)) {
        found = child;
        return STOP;
      }
      return recursive ? DESCEND : SKIP;
    });
    return found;
  }

  /** Every descendant matching `pattern` ("" matches all) and, if given, of class `type`. */
  findChildren<T extends Node = Node>(
    pattern: string,
    type?: string | (abstract new (...args: never[]) => T),
    recursive = true,
    owned = true,
  ): T[] {
    const out: T[] = [];
    walkDescendants(this, (child) => {
      if (owned && !child._owner) return SKIP;
      if (pattern === "" || matchesPattern(child._name, pattern)) {
        if (type === undefined || type === "" || isOfType(child, type)) out.push(child as T);
      }
      return recursive ? DESCEND : SKIP;
    });
    return out;
  }

  // ---------------------------------------------------------------- owner and unique names

  /** The scene root this node was saved with; must be an ancestor. Cleared when it stops being one. */
  get owner(): Node | null {
    return this._owner;
  }

  set owner(owner: Node | null) {
    this.assertValid("set owner");
    if (owner === this._owner) return;
    if (owner && (owner === this || !owner.isAncestorOf(this))) {
      throw new SceneTreeError("ERR_INVALID_OWNER", "Invalid owner. Owner must be an ancestor in the tree.");
    }
    if (this._owner) this._cleanUpOwner();
    if (!owner) return;
    this._owner = owner;
    (owner._owned ??= new Set()).add(this);
    if (this._uniqueNameInOwner) owner._acquireUnique(this);
  }

  getOwner(): Node | null {
    return this._owner;
  }

  setOwner(owner: Node | null): void {
    this.owner = owner;
  }

  /** Makes this node reachable as `%Name` from every node of its owner's scene. */
  get uniqueNameInOwner(): boolean {
    return this._uniqueNameInOwner;
  }

  set uniqueNameInOwner(enabled: boolean) {
    if (enabled === this._uniqueNameInOwner) return;
    if (this._owner && this._uniqueNameInOwner) this._owner._releaseUnique(this);
    this._uniqueNameInOwner = enabled;
    if (this._owner && enabled) this._owner._acquireUnique(this);
  }

  /** @internal */
  _acquireUnique(node: Node): void {
    const map = (this._ownedUniqueNodes ??= new Map());
    const existing = map.get(node._name);
    if (existing && existing !== node) {
      throw new SceneTreeError(
        "ERR_UNIQUE_NAME_TAKEN",
        `Setting node name "${node._name}" to be unique within scene for "${this._name}", but it's already claimed by "${existing.getPathTo(node)}". Rename one of them.`,
      );
    }
    map.set(node._name, node);
  }

  /** @internal */
  _releaseUnique(node: Node): void {
    if (this._ownedUniqueNodes?.get(node._name) === node) this._ownedUniqueNodes.delete(node._name);
  }

  private _cleanUpOwner(): void {
    const owner = this._owner!;
    if (this._uniqueNameInOwner) owner._releaseUnique(this);
    owner._owned?.delete(this);
    this._owner = null;
  }

  // ---------------------------------------------------------------- groups

  /** Adds the node to `group` (works outside the tree too; it joins the tree's group when it enters). */
  addToGroup(group: string, persistent = false): void {
    const groups = (this._groups ??= new Map());
    if (groups.has(group)) return;
    groups.set(group, { persistent });
    if (this._tree) this._tree._groupAdd(group, this);
  }

  removeFromGroup(group: string): void {
    if (!this._groups?.delete(group)) return;
    if (this._tree) this._tree._groupRemove(group, this);
  }

  isInGroup(group: string): boolean {
    return this._groups?.has(group) ?? false;
  }

  getGroups(): string[] {
    return this._groups ? [...this._groups.keys()] : [];
  }

  // ---------------------------------------------------------------- processing

  setProcess(enable: boolean): void {
    if (this._processEnabled === enable) return;
    this._processEnabled = enable;
    this._updateProcessLists();
  }

  isProcessing(): boolean {
    return this._processEnabled;
  }

  setPhysicsProcess(enable: boolean): void {
    if (this._physicsEnabled === enable) return;
    this._physicsEnabled = enable;
    this._updateProcessLists();
  }

  isPhysicsProcessing(): boolean {
    return this._physicsEnabled;
  }

  setProcessInternal(enable: boolean): void {
    if (this._internalProcessEnabled === enable) return;
    this._internalProcessEnabled = enable;
    this._updateProcessLists();
  }

  isProcessingInternal(): boolean {
    return this._internalProcessEnabled;
  }

  setPhysicsProcessInternal(enable: boolean): void {
    if (this._internalPhysicsEnabled === enable) return;
    this._internalPhysicsEnabled = enable;
    this._updateProcessLists();
  }

  isPhysicsProcessingInternal(): boolean {
    return this._internalPhysicsEnabled;
  }

  /** Order among all processing nodes: ascending, ties in tree order. */
  get processPriority(): number {
    return this._processPriority;
  }

  set processPriority(priority: number) {
    if (priority === this._processPriority) return;
    this._processPriority = priority;
    this._tree?._processOrderChanged(false);
  }

  get processPhysicsPriority(): number {
    return this._physicsPriority;
  }

  set processPhysicsPriority(priority: number) {
    if (priority === this._physicsPriority) return;
    this._physicsPriority = priority;
    this._tree?._processOrderChanged(true);
  }

  get processMode(): ProcessMode {
    return this._processMode;
  }

  set processMode(mode: ProcessMode) {
    if (!(mode in ProcessMode))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid process mode: ${mode}.`);
    if (mode === ProcessMode.INHERIT && this._tree && !this._parent) {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "The root node can't be set to Inherit process mode.");
    }
    if (mode === this._processMode) return;
    const tree = this._tree;
    const before = tree ? this._effectiveProcessMode() : mode;
    this._processMode = mode;
    modeEpoch++; // every cached effective mode may be stale now
    if (!tree) return;
    tree._processingChanged(null);
    // Godot's set_process_mode: the node and the descendants inheriting from it hear whether they can
    // now process (PAUSED / UNPAUSED) and whether they are now enabled (DISABLED / ENABLED).
    const after = this._effectiveProcessMode();
    const couldProcess = modeAllows(before, tree.paused);
    const canProcess = modeAllows(after, tree.paused);
    const pause =
      couldProcess === canProcess ? 0 : canProcess ? Node.NOTIFICATION_UNPAUSED : Node.NOTIFICATION_PAUSED;
    const wasEnabled = before !== ProcessMode.DISABLED;
    const isEnabled = after !== ProcessMode.DISABLED;
    const enabled =
      wasEnabled === isEnabled ? 0 : isEnabled ? Node.NOTIFICATION_ENABLED : Node.NOTIFICATION_DISABLED;
    if (pause !== 0 || enabled !== 0) this._propagateProcessOwner(pause, enabled);
  }

  /** Godot's `_propagate_process_owner`: the notifications go down through children that inherit. */
  private _propagateProcessOwner(pause: number, enabled: number): void {
    const visit = (node: Node): void => {
      if (pause !== 0) node._notify(pause, pause === Node.NOTIFICATION_PAUSED ? "PAUSED" : "UNPAUSED");
      if (enabled !== 0)
        node._notify(enabled, enabled === Node.NOTIFICATION_ENABLED ? "ENABLED" : "DISABLED");
    };
    Node._walkBlocked(this, visit, (child) => child._processMode === ProcessMode.INHERIT);
  }

  /** Godot's `_propagate_pause_notification`, from SceneTree's pause setter: every node, parents first. */
  private _propagatePauseNotification(paused: boolean): void {
    Node._walkBlocked(
      this,
      (node) => {
        // Parents come first, so an inheriting node reads its parent's freshly cached mode: no walk up.
        const parent = node._parent;
        let mode = node._processMode;
        if (mode === ProcessMode.INHERIT) {
          mode =
            parent && parent._modeEpoch === modeEpoch ? parent._effectiveMode : node._effectiveProcessMode();
        }
        node._effectiveMode = mode;
        node._modeEpoch = modeEpoch;
        const couldProcess = modeAllows(mode, !paused);
        const canProcess = modeAllows(mode, paused);
        if (couldProcess && !canProcess) node._notify(Node.NOTIFICATION_PAUSED, "PAUSED");
        else if (!couldProcess && canProcess) node._notify(Node.NOTIFICATION_UNPAUSED, "UNPAUSED");
      },
      () => true,
    );
  }

  /** Whether the node would process now, given its (inherited) process mode and the tree's pause. */
  canProcess(): boolean {
    if (!this._tree) return false;
    return modeAllows(this._effectiveProcessMode(), this._tree.paused);
  }

  /**
   * @internal The process mode after resolving INHERIT up the parents (the root counts as PAUSABLE).
   * Cached per node and invalidated tree-wide whenever a mode or the tree's shape changes, so the frame
   * loop pays one comparison per node instead of a walk up the parents.
   */
  _effectiveProcessMode(): ProcessMode {
    if (this._modeEpoch === modeEpoch) return this._effectiveMode;
    let node: Node = this;
    while (node._processMode === ProcessMode.INHERIT && node._parent) node = node._parent;
    const mode = node._processMode === ProcessMode.INHERIT ? ProcessMode.PAUSABLE : node._processMode;
    this._effectiveMode = mode;
    this._modeEpoch = modeEpoch;
    return mode;
  }

  /**
   * Pre-order over the subtree in children-map order (as Godot's propagate loops), with an explicit
   * stack. Each node is blocked while its children are visited, and during its own visit too with
   * `blockOwnVisit` (as `propagate_notification` does). `descend` picks the children to visit.
   */
  private static _walkBlocked(
    root: Node,
    visit: (node: Node) => void,
    descend: (child: Node) => boolean,
    blockOwnVisit = false,
  ): void {
    const stack: Array<{ node: Node; children: Iterator<Node> }> = [];
    const enter = (node: Node): void => {
      if (blockOwnVisit) node._blocked++;
      try {
        visit(node);
      } catch (error) {
        if (blockOwnVisit) node._blocked--;
        throw error;
      }
      if (node._childrenByName.size === 0) {
        if (blockOwnVisit) node._blocked--;
        return;
      }
      if (!blockOwnVisit) node._blocked++;
      stack.push({ node, children: node._childrenByName.values() });
    };
    try {
      enter(root);
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        const next = frame.children.next();
        if (next.done) {
          frame.node._blocked--;
          stack.pop();
        } else if (descend(next.value)) {
          enter(next.value);
        }
      }
    } finally {
      for (const frame of stack) frame.node._blocked--;
    }
  }

  /** @internal */ _effectiveMode = ProcessMode.PAUSABLE;
  /** @internal */ _modeEpoch = -1;
  /** @internal Where this node sits in the tree's current idle / physics process plan. */
  _idlePlanIndex = -1;
  /** @internal */ _physicsPlanIndex = -1;

  private _updateProcessLists(): void {
    const tree = this._tree;
    if (!tree) return;
    tree._setInProcessList(this, false, this._processEnabled || this._internalProcessEnabled);
    tree._setInProcessList(this, true, this._physicsEnabled || this._internalPhysicsEnabled);
    tree._processingChanged(this);
  }

  // ---------------------------------------------------------------- tweens

  /**
   * A Tween bound to this node (Godot's `create_tween`): it runs only while the node is in the tree
   * and may process (pause and process mode), and it dies with the node. Made by the node's tree, or
   * by the current tree when the node is outside one.
   */
  createTween(): Tween {
    return (this._tree ?? this._context("createTween")).createTween().bindNode(this);
  }

  // ---------------------------------------------------------------- deletion

  /** Frees the node at the end of the current frame (after timers), as Godot's `queue_free`. */
  queueFree(): void {
    if (!this.isInstanceValid()) return;
    const context = this._tree ?? this._context("queueFree");
    context.queueDelete(this);
  }

  /**
   * Frees the node and its subtree now, as Godot's `free()`: it leaves its parent (the subtree exits
   * the tree), then its children are freed last first. A node that is busy (entering, getting ready,
   * leaving, or whose parent is walking its children) can't be freed: `ERR_BUSY`; use `queueFree()`.
   */
  override free(): void {
    if (!this.isInstanceValid() || this._freeing) return;
    this._assertCanFree();
    // Godot frees children from inside NOTIFICATION_PREDELETE, recursively; an explicit stack keeps
    // that order (each node: PREDELETE, leave the parent, free the children, then gone) at any depth.
    const stack: Array<{ node: Node; pending: Node[] }> = [];
    const begin = (node: Node): void => {
      node._beginFree();
      stack.push({ node, pending: [...node._childrenByName.values()] });
    };
    const ownFree = new Set<Node>();
    begin(this);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const child = frame.pending.pop();
      if (child !== undefined) {
        if (child._parent !== frame.node || child._freeing) continue;
        if (child.free === Node.prototype.free) {
          begin(child);
        } else {
          ownFree.add(child); // a class's own free() runs, as before
          child.free();
        }
      } else if (frame.node._childrenByName.size > 0) {
        // Children added while their siblings were being freed go too, as Godot's `while (children)`.
        frame.pending = [...frame.node._childrenByName.values()].filter((c) => !c._freeing);
        const kept = frame.pending.find((c) => ownFree.has(c));
        if (kept)
          throw new Error(
            `${kept.constructor.name}.free() did not call super.free(); "${kept._name}" is still a child.`,
          );
      } else {
        stack.pop();
        GodotObject.prototype.free.call(frame.node);
      }
    }
  }

  /** Godot's NOTIFICATION_PREDELETE for this node alone: the notification, owners, the parent. */
  private _beginFree(): void {
    this._freeing = true;
    this._notify(Node.NOTIFICATION_PREDELETE, "PREDELETE");
    if (this._owner) this._cleanUpOwner();
    if (this._owned) for (const node of [...this._owned]) node._cleanUpOwner();
    if (this._parent) this._parent._removeChild(this, false);
  }

  private _assertCanFree(): void {
    const parent = this._parent;
    let reason: string | null = null;
    if (this._blocked > 0)
      reason = "it is busy with its children (they are entering, getting ready or leaving)";
    else if (parent && parent._blocked > 0) {
      reason = `its parent "${parent._describe()}" is busy with its children (they are entering, getting ready or leaving)`;
    } else {
      for (let i = busyNodes.length - 1; i >= 0 && reason === null; i--) {
        const node = busyNodes[i];
        if (node === this) reason = `it is ${busyPhases[i]}`;
        else if (this.isAncestorOf(node)) reason = `its descendant "${node._describe()}" is ${busyPhases[i]}`;
      }
    }
    if (reason !== null) {
      throw new SceneTreeError(
        "ERR_BUSY",
        `Can't free "${this._describe()}" now: ${reason}. Use queueFree() instead, which frees it at the end of the frame.`,
      );
    }
  }

  // ---------------------------------------------------------------- notifications and calls

  /**
   * Sends notification `what` to this node's `_notification` (Godot's `notification`). A throw is
   * reported with the node's path. `reversed` is accepted for ported code; in TypeScript each
   * `_notification` override calls `super` itself, so it decides the order of the class levels.
   */
  notification(what: number, reversed = false): void {
    void reversed;
    this._notify(what, String(what));
  }

  /** Sends `what` to this node and then to every descendant, parents first (Godot's `propagate_notification`). */
  propagateNotification(what: number): void {
    this.assertValid("propagateNotification");
    Node._walkBlocked(
      this,
      (node) => node._notify(what, String(what)),
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
    const call = (node: Node): void => {
      const fn = (node as unknown as Record<string, unknown>)[method];
      if (typeof fn === "function") node._guard(`${method}() (propagateCall)`, () => fn.apply(node, args));
    };
    if (parentFirst) {
      Node._walkBlocked(this, call, () => true, true);
      return;
    }
    // Children first: each node is called once its whole subtree has been.
    const stack: Array<{ node: Node; children: Iterator<Node> }> = [];
    const enter = (node: Node): void => {
      node._blocked++;
      stack.push({ node, children: node._childrenByName.values() });
    };
    try {
      enter(this);
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        const next = frame.children.next();
        if (!next.done) {
          enter(next.value);
          continue;
        }
        stack.pop();
        try {
          call(frame.node);
        } finally {
          frame.node._blocked--;
        }
      }
    } finally {
      for (const frame of stack) frame.node._blocked--;
    }
  }

  // ---------------------------------------------------------------- duplicate and replace

  /**
   * A copy of this node and its subtree, out of the tree, as Godot 4's `duplicate(flags)`: the stored
   * props (those of the class's registered props schema) with node references inside the copy pointing
   * into the copy, and, per `flags`, groups, the class, persistent connections, and scene instances
   * instanced again. Owners are not copied, except inside scenes instanced again (as in Godot).
   */
  duplicate<T extends Node = this>(flags: number = DuplicateFlags.DEFAULT): T {
    this.assertValid("duplicate");
    return duplicateNode(this, flags) as T;
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
    if (node === this)
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Can't replace "${this._name}" by itself.`);
    if (node._parent) {
      throw new SceneTreeError(
        "ERR_ALREADY_HAS_PARENT",
        `Can't replace "${this._name}" by "${node._name}": it already has a parent "${node._parent._name}".`,
      );
    }
    if (node.isAncestorOf(this)) {
      throw new SceneTreeError(
        "ERR_CYCLIC_PARENT",
        `Can't replace "${this._name}" by its own ancestor "${node._name}".`,
      );
    }
    // Checked before anything changes: Godot drops such a connection with an error, half-replaced.
    const retargeted = incomingConnections(this).filter(
      (c) => c.flags & ConnectFlags.PERSIST && c.callable instanceof Callable && c.callable.target === this,
    );
    for (const { signal, callable } of retargeted) {
      const method = (callable as Callable).method;
      if (typeof (node as unknown as Record<string, unknown>)[method] !== "function") {
        throw new SceneTreeError(
          "ERR_NO_SUCH_METHOD",
          `Can't replace "${this._name}" by "${node._name}": signal "${signal}" is connected to its method "${method}", which "${node._name}" lacks.`,
        );
      }
    }
    const owned = this._owned ? [...this._owned] : [];
    const owner = this._owner;
    if (keepGroups && this._groups) {
      for (const [group, { persistent }] of this._groups) node.addToGroup(group, persistent);
    }
    for (const { source, signal, callable, flags } of retargeted) {
      const old = callable as Callable;
      const connect = source.connect as (s: string, c: Callable, f: number) => void;
      source.disconnect(signal as never, old as never);
      connect.call(source, signal, new Callable(node, old.method).bind(...old.boundArgs), flags);
    }
    const ownedByOwner: Node[] = [];
    if (owner) {
      this._collectOwnedBy(owner, ownedByOwner);
      this._cleanUpOwner();
    }
    const parent = this._parent;
    if (parent) {
      const index = this._position();
      parent.removeChild(this);
      parent.addChild(node);
      parent.moveChild(node, index);
    }
    this._emitChild("replacingBy", node);
    while (this._children.length > 0) {
      const child = this._children[0];
      this.removeChild(child);
      const childOwner = child._owner === this ? node : child._owner;
      child.owner = null;
      node.addChild(child);
      child.owner = childOwner;
    }
    node.owner = owner;
    for (const n of owned) if (n._owner !== node) n.owner = node;
    for (const n of ownedByOwner) if (n._owner !== owner) n.owner = owner;
    setSceneSource(node, sceneSourceOf(this));
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
    const nodePath = NodePath.from(path);
    const node = this.getNodeOrNull(nodePath);
    if (!node) return [null, null, new NodePath()];
    const subnames = nodePath.subnames;
    let resource: object | null = null;
    let i = 0;
    for (; i < subnames.length; i++) {
      const holder = (resource ?? node) as Record<string, unknown>;
      if (!(subnames[i] in holder)) return [null, null, new NodePath()];
      const value = holder[subnames[i]];
      if (!isResource(value)) break;
      resource = value;
    }
    return [node, resource, NodePath.fromParts([], subnames.slice(i))];
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

  /** Prints the subtree like Godot 4's `print_tree_pretty()` (same limit as `getTreeStringPretty`). */
  printTreePretty(): void {
    process.stdout.write(this.getTreeStringPretty());
  }

  override toString(): string {
    return `${this._name}:<${this.constructor.name}>`;
  }

  // ---------------------------------------------------------------- lifecycle propagation (node.cpp)
  // Godot recurses; these walk with explicit stacks in the same order, so a tree of any depth works.

  /** @internal Enters or leaves `tree` with the whole subtree, then readies it if the parent is ready. */
  _setTree(tree: SceneTree | null): void {
    if (this._tree) this._propagateExitTree();
    if (tree) {
      this._tree = tree;
      this._propagateEnterTree();
      // A node that left the tree again while entering is not readied outside it.
      if (this._tree === tree && (!this._parent || this._parent._readyNotified)) this._propagateReady();
    }
  }

  /** Parents first; each node's children in children-map order, added during `_enterTree` included. */
  private _propagateEnterTree(): void {
    this._enterOwn();
    if (this._childrenByName.size === 0) return;
    const stack: Array<{ node: Node; children: Iterator<Node> }> = [];
    this._blocked++;
    stack.push({ node: this, children: this._childrenByName.values() });
    try {
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        const next = frame.children.next();
        if (next.done) {
          frame.node._blocked--;
          stack.pop();
          continue;
        }
        const child = next.value;
        // Skipped: a child already in (added during _enterTree), or below a node that left meanwhile.
        if (child._tree || !frame.node._tree) continue;
        child._enterOwn();
        if (child._childrenByName.size > 0) {
          child._blocked++;
          stack.push({ node: child, children: child._childrenByName.values() });
        }
      }
    } finally {
      for (const frame of stack) frame.node._blocked--;
    }
  }

  private _enterOwn(): void {
    this._modeEpoch = -1; // new ancestors: resolve the inherited process mode afresh
    const parent = this._parent;
    if (parent) {
      this._tree = parent._tree;
      this._depth = parent._depth + 1;
    } else {
      this._depth = 1;
    }
    const tree = this._tree!;
    busyNodes.push(this);
    busyPhases.push(ENTERING);
    try {
      if (this._groups) for (const group of this._groups.keys()) tree._groupAdd(group, this);
      this._updateProcessLists();
      this._notify(Node.NOTIFICATION_ENTER_TREE, "ENTER_TREE");
      this._callVirtual("_enterTree", this._enterTree);
      this._emitNoArgs("treeEntered");
      tree._nodeAdded(this);
      if (parent) parent._emitChild("childEnteredTree", this);
    } finally {
      busyNodes.pop();
      busyPhases.pop();
    }
  }

  /** Children first (in children-map order), then the node. */
  private _propagateReady(): void {
    this._readyNotified = true;
    if (this._childrenByName.size === 0) {
      this._readyOwn();
      return;
    }
    const stack: Array<{ node: Node; children: Iterator<Node> }> = [];
    this._blocked++;
    stack.push({ node: this, children: this._childrenByName.values() });
    try {
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        const next = frame.children.next();
        if (next.done) {
          stack.pop();
          frame.node._blocked--;
          frame.node._readyOwn();
          continue;
        }
        const child = next.value;
        child._readyNotified = true;
        if (child._childrenByName.size > 0) {
          child._blocked++;
          stack.push({ node: child, children: child._childrenByName.values() });
        } else {
          child._readyOwn();
        }
      }
    } finally {
      for (const frame of stack) frame.node._blocked--;
    }
  }

  private _readyOwn(): void {
    busyNodes.push(this);
    busyPhases.push(READYING);
    try {
      this._notify(Node.NOTIFICATION_POST_ENTER_TREE, "POST_ENTER_TREE");
      if (this._readyFirst) {
        this._readyFirst = false;
        // As Godot's NOTIFICATION_READY: overriding a process virtual turns that processing on first.
        if (this._process !== Node.prototype._process) this.setProcess(true);
        if (this._physicsProcess !== Node.prototype._physicsProcess) this.setPhysicsProcess(true);
        this._callVirtual("_ready", this._ready);
        this._notify(Node.NOTIFICATION_READY, "READY");
        this._emitNoArgs("ready");
      }
    } finally {
      busyNodes.pop();
      busyPhases.pop();
    }
  }

  /** Children first, last child first (the children map walked backwards), then the node. */
  private _propagateExitTree(): void {
    if (this._childrenByName.size === 0) {
      this._exitOwn();
      return;
    }
    const stack: Array<{ node: Node; children: Node[]; i: number }> = [];
    const push = (node: Node): void => {
      node._blocked++;
      const children = [...node._childrenByName.values()];
      stack.push({ node, children, i: children.length - 1 });
    };
    push(this);
    try {
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        if (frame.i < 0) {
          stack.pop();
          frame.node._blocked--;
          frame.node._exitOwn();
          continue;
        }
        const child = frame.children[frame.i--];
        if (!child._tree) continue;
        if (child._childrenByName.size > 0) push(child);
        else child._exitOwn();
      }
    } finally {
      for (const frame of stack) frame.node._blocked--;
    }
  }

  private _exitOwn(): void {
    const tree = this._tree!;
    busyNodes.push(this);
    busyPhases.push(EXITING);
    try {
      this._callVirtual("_exitTree", this._exitTree);
      this._emitNoArgs("treeExiting");
      this._notify(Node.NOTIFICATION_EXIT_TREE, "EXIT_TREE");
      tree._setInProcessList(this, false, false);
      tree._setInProcessList(this, true, false);
      tree._nodeRemoved(this);
      if (this._parent) this._parent._emitChild("childExitingTree", this);
      if (this._groups) for (const group of this._groups.keys()) tree._groupRemove(group, this);
    } finally {
      busyNodes.pop();
      busyPhases.pop();
    }
    this._readyNotified = false;
    this._tree = null;
    this._depth = -1;
  }

  /**
   * @internal `treeExited` after the whole subtree has left, children first (last child first). An
   * owner that is no longer an ancestor is cleared first, as Godot's `_propagate_after_exit_tree`.
   */
  _propagateAfterExitTree(emitExited: boolean): void {
    // Inside the detached subtree, a node's ancestors are the nodes on the walk's path: a set lookup
    // instead of a walk up the parents per node.
    const onPath = new Set<Node>();
    const stack: Array<{ node: Node; children: Node[]; i: number }> = [];
    const enter = (node: Node): boolean => {
      const owner = node._owner;
      if (owner && !(onPath.has(owner) || (node === this && owner.isAncestorOf(node)))) node._cleanUpOwner();
      if (node._childrenByName.size === 0) return false;
      node._blocked++;
      onPath.add(node);
      const children = [...node._childrenByName.values()];
      stack.push({ node, children, i: children.length - 1 });
      return true;
    };
    if (!enter(this)) {
      if (emitExited) this._emitNoArgs("treeExited");
      return;
    }
    try {
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        if (frame.i >= 0) {
          const child = frame.children[frame.i--];
          if (!enter(child) && emitExited) child._emitNoArgs("treeExited");
          continue;
        }
        stack.pop();
        onPath.delete(frame.node);
        frame.node._blocked--;
        if (emitExited) frame.node._emitNoArgs("treeExited");
      }
    } finally {
      for (const frame of stack) frame.node._blocked--;
    }
  }

  private _validateChildName(child: Node, forceReadable: boolean): void {
    if (forceReadable) {
      const byName = this._childrenByName;
      child._name = readableUniqueName(child._name || child.constructor.name, (name) => {
        const existing = byName.get(name);
        return existing !== undefined && existing !== child;
      });
      return;
    }
    const existing = child._name === "" ? undefined : this._childrenByName.get(child._name);
    if (child._name === "" || (existing !== undefined && existing !== child)) {
      child._name = fastUniqueName(child.constructor.name);
    }
  }

  /** @internal Keeps the renamed child at its place in insertion order (Godot's `replace_key`). */
  _renameChildKey(oldName: string, child: Node): void {
    const entries = [...this._childrenByName.entries()];
    this._childrenByName.clear();
    for (const [name, node] of entries) this._childrenByName.set(name === oldName ? child._name : name, node);
  }

  /** @internal */
  _emitNoArgs(signal: string): void {
    if (this._hasListeners(signal)) (this.emit as unknown as (event: string) => boolean)(signal);
  }

  /** @internal */
  _emitChild(signal: string, child: Node): void {
    if (this._hasListeners(signal)) {
      (this.emit as unknown as (event: string, node: Node) => boolean)(signal, child);
    }
  }

  /**
   * @internal A virtual such as `_ready`, called without allocating; a throw is reported, not thrown,
   * and so is the rejection of the promise an async override returns.
   */
  private _callVirtual(what: string, method: (this: Node) => unknown): void {
    let result: unknown;
    try {
      result = method.call(this);
    } catch (error) {
      this._reportError(what, error);
      return;
    }
    if (result !== undefined) this.#reportRejection(what, result);
  }

  private _notify(what: number, label: string): void {
    let result: unknown;
    try {
      result = this._notification(what);
    } catch (error) {
      this._reportError(`_notification(${label})`, error);
      return;
    }
    if (result !== undefined) this.#reportRejection(`_notification(${label})`, result);
  }

  /**
   * A lifecycle callback returned a promise: its rejection is reported with the path the node had when
   * the callback ran (after `_exitTree` the node is no longer where it was).
   */
  #reportRejection(what: string, result: unknown): void {
    if (!isThenable(result)) return;
    const path = this._describe();
    result.then(undefined, (error: unknown) => this._reportError(what, error, path));
  }

  /** @internal Runs a user callback; a throw or a rejection is reported with this node's path. */
  _guard(what: string, fn: () => unknown): void {
    this._callVirtual(what, fn);
  }

  /** @internal */
  override _describe(): string {
    return this._namePath() || `<unnamed ${this.constructor.name}>`;
  }

  /** @internal */
  override _tryContext(): TreeContext | null {
    return this._tree ?? super._tryContext();
  }

  /** @internal */
  override _context(what: string): TreeContext {
    return this._tree ?? super._context(what);
  }
}

/** Bumped when any process mode changes; see `_effectiveProcessMode`. */
let modeEpoch = 0;

// Nodes running their own lifecycle callbacks now, innermost last, and what they are doing: freeing
// one of them (or an ancestor) then would pull it out from under the engine.
const ENTERING = "entering the tree (in _enterTree or a treeEntered handler)";
const READYING = "getting ready (in _ready or a ready handler)";
const EXITING = "leaving the tree (in _exitTree or a treeExiting handler)";
const busyNodes: Node[] = [];
const busyPhases: string[] = [];

/** What `getNodeAndResource` steps into: an instance of a class other than Node (not plain data). */
function isResource(value: unknown): value is object {
  if (value === null || typeof value !== "object" || value instanceof Node || Array.isArray(value))
    return false;
  const proto = Object.getPrototypeOf(value);
  return proto !== null && proto !== Object.prototype;
}

/** @internal A node's groups with their `persistent` flag (for `duplicate`). */
export function groupEntries(node: Node): ReadonlyMap<string, { persistent: boolean }> | null {
  return groupsOf(node);
}

/** @internal Sends PAUSED / UNPAUSED through the tree after its pause changed (SceneTree's setter). */
export function propagatePauseNotification(root: Node, paused: boolean): void {
  pauseNotifier(root, paused);
}

/** @internal Whether a node whose effective mode is `mode` processes when the tree's pause is `paused`. */
export function modeAllows(mode: ProcessMode, paused: boolean): boolean {
  switch (mode) {
    case ProcessMode.PAUSABLE:
      return !paused;
    case ProcessMode.ALWAYS:
      return true;
    case ProcessMode.WHEN_PAUSED:
      return paused;
    default:
      return false;
  }
}

const DESCEND = 0;
const SKIP = 1;
const STOP = 2;

/**
 * Visits the descendants of `root` in tree order (parents first, children by index) with an explicit
 * stack, so any depth works; `visit` returns SKIP not to go below a node, STOP to end the walk.
 */
function walkDescendants(root: Node, visit: (node: Node) => number): void {
  const stack: Array<{ children: readonly Node[]; i: number }> = [];
  if (root._children.length > 0) stack.push({ children: root._children, i: 0 });
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.i >= frame.children.length) {
      stack.pop();
      continue;
    }
    const node = frame.children[frame.i++];
    const next = visit(node);
    if (next === STOP) return;
    if (next === DESCEND && node._children.length > 0) stack.push({ children: node._children, i: 0 });
  }
}

/** `walkDescendants` for visits that look at every descendant. */
export function forEachDescendant(root: Node, visit: (node: Node) => void): void {
  walkDescendants(root, (node) => {
    visit(node);
    return DESCEND;
  });
}

/** Shared by every node without children, so a leaf costs no Map; replaced on the first addChild. */
const NO_CHILDREN: Map<string, Node> = new Map();

function isOfType(node: Node, type: string | (abstract new (...args: never[]) => Node)): boolean {
  if (typeof type !== "string") return node instanceof type;
  for (
    let proto = Object.getPrototypeOf(node);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (proto.constructor?.name === type) return true;
  }
  return false;
}
