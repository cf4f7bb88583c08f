import { GodotObject } from "./GodotObject";
import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { NodePath } from "./NodePath";
import { NodeNotFoundError, SceneTreeError } from "./errors";
import { fastUniqueName, matchesPattern, readableUniqueName, validateNodeName } from "./naming";
import { isThenable, type TreeContext } from "./context";
import type { SceneTree } from "./SceneTree";
import { comparePositions, treePosition } from "./ProcessList";

/** Godot's `Node.ProcessMode`, same values. */
export enum ProcessMode {
  INHERIT = 0,
  PAUSABLE = 1,
  WHEN_PAUSED = 2,
  ALWAYS = 3,
  DISABLED = 4,
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
    if (child.isAncestorOf(this)) {
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
    child._propagateAfterExitTree(wasInside);
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

  private _collectOwnedBy(owner: Node, out: Node[]): void {
    for (const child of this._children) {
      if (child._owner === owner) out.push(child);
      child._collectOwnedBy(owner, out);
    }
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

  /** Absolute path such as `/root/Main/A`; a node outside a tree gets its path from its topmost ancestor. */
  getPath(): string {
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
    if (!node) throw new NodeNotFoundError(String(path), this.getPath());
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
    for (const child of this._children) {
      if (owned && !child._owner) continue;
      if (matchesPattern(child._name, pattern)) return child;
      if (!recursive) continue;
      const found = child.findChild(pattern, true, owned);
      if (found) return found;
    }
    return null;
  }

  /** Every descendant matching `pattern` ("" matches all) and, if given, of class `type`. */
  findChildren<T extends Node = Node>(
    pattern: string,
    type?: string | (abstract new (...args: never[]) => T),
    recursive = true,
    owned = true,
  ): T[] {
    const out: T[] = [];
    for (const child of this._children) {
      if (owned && !child._owner) continue;
      if (pattern === "" || matchesPattern(child._name, pattern)) {
        if (type === undefined || type === "" || isOfType(child, type)) out.push(child as T);
      }
      if (recursive) out.push(...child.findChildren<T>(pattern, type, true, owned));
    }
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
    this._processMode = mode;
    modeEpoch++; // every cached effective mode may be stale now
    this._tree?._processingChanged(null);
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

  // ---------------------------------------------------------------- deletion

  /** Frees the node at the end of the current frame (after timers), as Godot's `queue_free`. */
  queueFree(): void {
    if (!this.isInstanceValid()) return;
    const context = this._tree ?? this._context("queueFree");
    context.queueDelete(this);
  }

  protected override _predelete(): void {
    this._notification(Node.NOTIFICATION_PREDELETE);
    if (this._owner) this._cleanUpOwner();
    if (this._owned) for (const node of [...this._owned]) node._cleanUpOwner();
    if (this._parent) this._parent.removeChild(this);
    // Children go last to first, like Godot ("more consistent with creation").
    if (this._childrenByName.size === 0) return;
    const children = [...this._childrenByName.values()];
    for (let i = children.length - 1; i >= 0; i--) children[i].free();
  }

  // ---------------------------------------------------------------- debugging

  /** The subtree drawn like Godot 4's `get_tree_string_pretty()`. */
  getTreeStringPretty(): string {
    const lines: string[] = [];
    this._treeLines("", true, lines);
    return lines.join("\n") + "\n";
  }

  /** Prints the subtree like Godot 4's `print_tree_pretty()`. */
  printTreePretty(): void {
    process.stdout.write(this.getTreeStringPretty());
  }

  private _treeLines(prefix: string, last: boolean, lines: string[]): void {
    lines.push(prefix + (last ? " ┖╴" : " ┠╴") + this._name);
    const count = this._children.length;
    for (let i = 0; i < count; i++) {
      this._children[i]._treeLines(prefix + (last ? "   " : " ┃ "), i === count - 1, lines);
    }
  }

  override toString(): string {
    return `${this._name}:<${this.constructor.name}>`;
  }

  // ---------------------------------------------------------------- lifecycle propagation (node.cpp)

  /** @internal Enters or leaves `tree` with the whole subtree, then readies it if the parent is ready. */
  _setTree(tree: SceneTree | null): void {
    if (this._tree) this._propagateExitTree();
    if (tree) {
      this._tree = tree;
      this._propagateEnterTree();
      if (!this._parent || this._parent._readyNotified) this._propagateReady();
    }
  }

  private _propagateEnterTree(): void {
    this._modeEpoch = -1; // new ancestors: resolve the inherited process mode afresh
    const parent = this._parent;
    if (parent) {
      this._tree = parent._tree;
      this._depth = parent._depth + 1;
    } else {
      this._depth = 1;
    }
    const tree = this._tree!;
    if (this._groups) for (const group of this._groups.keys()) tree._groupAdd(group, this);
    this._updateProcessLists();
    this._notify(Node.NOTIFICATION_ENTER_TREE, "ENTER_TREE");
    this._callVirtual("_enterTree", this._enterTree);
    this._emitNoArgs("treeEntered");
    tree._nodeAdded(this);
    if (parent) parent._emitChild("childEnteredTree", this);
    if (this._childrenByName.size === 0) return;
    this._blocked++;
    try {
      for (const child of this._childrenByName.values()) {
        if (!child._tree) child._propagateEnterTree(); // it may have been added during _enterTree
      }
    } finally {
      this._blocked--;
    }
  }

  private _propagateReady(): void {
    this._readyNotified = true;
    if (this._childrenByName.size > 0) {
      this._blocked++;
      try {
        for (const child of this._childrenByName.values()) child._propagateReady();
      } finally {
        this._blocked--;
      }
    }
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
  }

  private _propagateExitTree(): void {
    if (this._childrenByName.size > 0) {
      this._blocked++;
      try {
        const children = [...this._childrenByName.values()];
        for (let i = children.length - 1; i >= 0; i--) children[i]._propagateExitTree();
      } finally {
        this._blocked--;
      }
    }
    this._callVirtual("_exitTree", this._exitTree);
    this._emitNoArgs("treeExiting");
    this._notify(Node.NOTIFICATION_EXIT_TREE, "EXIT_TREE");
    const tree = this._tree!;
    tree._setInProcessList(this, false, false);
    tree._setInProcessList(this, true, false);
    tree._nodeRemoved(this);
    if (this._parent) this._parent._emitChild("childExitingTree", this);
    if (this._groups) for (const group of this._groups.keys()) tree._groupRemove(group, this);
    this._readyNotified = false;
    this._tree = null;
    this._depth = -1;
  }

  /** @internal `treeExited` after the whole subtree has left, children first (last child first). */
  _propagateAfterExitTree(emitExited: boolean): void {
    if (this._owner && !this._owner.isAncestorOf(this)) this._cleanUpOwner();
    if (this._childrenByName.size > 0) {
      this._blocked++;
      try {
        const children = [...this._childrenByName.values()];
        for (let i = children.length - 1; i >= 0; i--) children[i]._propagateAfterExitTree(emitExited);
      } finally {
        this._blocked--;
      }
    }
    if (emitExited) this._emitNoArgs("treeExited");
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

  override _describe(): string {
    return this.getPath() || `<unnamed ${this.constructor.name}>`;
  }

  override _tryContext(): TreeContext | null {
    return this._tree ?? super._tryContext();
  }

  override _context(what: string): TreeContext {
    return this._tree ?? super._context(what);
  }
}

/** Bumped when any process mode changes; see `_effectiveProcessMode`. */
let modeEpoch = 0;

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
