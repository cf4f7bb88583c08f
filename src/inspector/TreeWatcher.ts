import type { Node } from "../scene/Node";
import type { SceneTree } from "../scene/SceneTree";
import type { NodeRow, TreeDiff } from "./protocol";
import { typeNameOf } from "./nodeTypes";
import { markOwn } from "./ownListeners";

/**
 * Follows a tree's structure through its public signals (`nodeAdded`, `nodeRemoved`, `nodeRenamed`
 * on the tree, `childOrderChanged` on each node) and turns what changed into batched diffs: between
 * two `takeDiff()` calls any number of changes cost one diff, and nothing is computed per frame.
 * Nodes get small integer ids from a {@link NodeIds}, which outlives watchers: a page that reconnects
 * finds its selected node under the same id.
 */
/** Small integer ids for nodes, handed out on first sight and kept as long as the node lives. */
export class NodeIds {
  private next = 1;
  private readonly ids = new WeakMap<Node, number>();

  of(node: Node): number {
    let id = this.ids.get(node);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(node, id);
    }
    return id;
  }

  has(node: Node): boolean {
    return this.ids.has(node);
  }
}

export class TreeWatcher {
  private readonly byId = new Map<number, Node>();
  private readonly orderListeners = new Map<Node, () => void>();
  private readonly wsNodes = new Set<Node>();
  private readonly types: string[] = [];
  private readonly typeIndex = new Map<string, number>();
  private typesChanged = false;

  private readonly added = new Set<Node>();
  private readonly removed = new Set<Node>();
  private readonly renamed = new Set<Node>();
  private readonly dirtyParents = new Set<Node>();
  /** Called when something changed, so the owner can schedule a flush instead of polling. */
  onChange: () => void = () => {};

  private readonly onAdded = markOwn((node: Node): void => {
    this.added.add(node);
    const parent = node.getParent();
    if (parent) {
      this.dirtyParents.add(parent);
      this.watchOrder(parent);
    }
    this.onChange();
  });

  private readonly onRemoved = markOwn((node: Node): void => {
    if (!this.isTracked(node) && !this.added.has(node)) return;
    this.removed.add(node);
    const parent = node.getParent();
    if (parent) this.dirtyParents.add(parent);
    this.onChange();
  });

  private readonly onRenamed = markOwn((node: Node): void => {
    this.renamed.add(node);
    this.onChange();
  });

  /** `isWatched` says which nodes `watchedNodes()` lists. */
  constructor(
    readonly tree: SceneTree,
    private readonly isWatched: (node: Node) => boolean = () => false,
    private readonly ids: NodeIds = new NodeIds(),
  ) {
    tree.on("nodeAdded", this.onAdded);
    tree.on("nodeRemoved", this.onRemoved);
    tree.on("nodeRenamed", this.onRenamed);
    this.visit(tree.root, (node) => {
      this.track(node);
      this.watchOrder(node);
    });
  }

  /** Stops listening everywhere; the watcher cannot be used afterwards. */
  dispose(): void {
    this.tree.off("nodeAdded", this.onAdded);
    this.tree.off("nodeRemoved", this.onRemoved);
    this.tree.off("nodeRenamed", this.onRenamed);
    for (const [node, listener] of this.orderListeners) node.off("childOrderChanged", listener);
    this.orderListeners.clear();
    this.byId.clear();
  }

  /** The node's id while the watcher tracks it, else 0. */
  idOf(node: Node): number {
    return this.isTracked(node) ? this.ids.of(node) : 0;
  }

  /**
   * The node with `id` while it is in the tree. One that left since the last diff is still listed
   * until the next one, but it is gone for the page: its path and details can't be read.
   */
  nodeById(id: number): Node | undefined {
    const node = this.byId.get(id);
    return node !== undefined && this.inTree(node) ? node : undefined;
  }

  /** The nodes `isWatched` picked out as they were tracked (the WebSocket nodes, for their rates). */
  watchedNodes(): IterableIterator<Node> {
    return this.wsNodes.values();
  }

  /** The type names `NodeRow`s index into. */
  typeNames(): string[] {
    return this.types.slice();
  }

  /** The whole tree in tree order (each parent before its children, children in order). */
  snapshot(): NodeRow[] {
    this.flushPending();
    const rows: NodeRow[] = [];
    this.visit(this.tree.root, (node) => rows.push(this.row(node)));
    this.typesChanged = false;
    return rows;
  }

  /** What changed since the last diff or snapshot, or null when nothing did. */
  takeDiff(): (TreeDiff & { types?: string[] }) | null {
    if (
      this.added.size === 0 &&
      this.removed.size === 0 &&
      this.renamed.size === 0 &&
      this.dirtyParents.size === 0
    )
      return null;
    const diff: TreeDiff & { types?: string[] } = { nodes: [], removed: [], order: [], names: [] };
    for (const node of this.removed) {
      if (this.inTree(node)) continue; // it came back (a reparent): listed below as a moved node
      if (!this.isTracked(node)) continue;
      const id = this.ids.of(node);
      diff.removed.push(id);
      this.untrack(node, id);
    }
    for (const node of this.added) {
      if (!this.inTree(node)) continue;
      this.track(node);
      diff.nodes.push(this.row(node));
    }
    for (const parent of this.dirtyParents) {
      if (!this.inTree(parent)) continue;
      diff.order.push([this.idOf(parent), parent.getChildren().map((child) => this.track(child))]);
    }
    for (const node of this.renamed) {
      if (this.inTree(node) && !this.added.has(node)) diff.names.push([this.idOf(node), node.name]);
    }
    this.clearPending();
    if (this.typesChanged) {
      diff.types = this.typeNames();
      this.typesChanged = false;
    }
    return diff;
  }

  private flushPending(): void {
    for (const node of this.removed) {
      if (!this.inTree(node) && this.isTracked(node)) this.untrack(node, this.ids.of(node));
    }
    for (const node of this.added) if (this.inTree(node)) this.track(node);
    this.clearPending();
  }

  private clearPending(): void {
    this.added.clear();
    this.removed.clear();
    this.renamed.clear();
    this.dirtyParents.clear();
  }

  private isTracked(node: Node): boolean {
    return this.ids.has(node) && this.byId.get(this.ids.of(node)) === node;
  }

  private inTree(node: Node): boolean {
    return node.isInstanceValid() && node.isInsideTree() && node.getTree() === this.tree;
  }

  private row(node: Node): NodeRow {
    const parent = node.getParent();
    return [this.track(node), parent ? this.idOf(parent) : 0, node.name, this.typeIndexOf(node)];
  }

  private typeIndexOf(node: Node): number {
    const name = typeNameOf(node);
    let index = this.typeIndex.get(name);
    if (index === undefined) {
      index = this.types.length;
      this.types.push(name);
      this.typeIndex.set(name, index);
      this.typesChanged = true;
    }
    return index;
  }

  private track(node: Node): number {
    const id = this.ids.of(node);
    if (this.byId.get(id) === node) return id;
    this.byId.set(id, node);
    if (this.isWatched(node)) this.wsNodes.add(node);
    return id;
  }

  /**
   * Follows `childOrderChanged` on nodes that have siblings to reorder (two children or more): a
   * 10,000-node tree of small groups needs a listener per group, not per node.
   */
  private watchOrder(node: Node): void {
    if (node.getChildCount() < 2 || this.orderListeners.has(node)) return;
    const listener = markOwn((): void => {
      this.dirtyParents.add(node);
      this.onChange();
    });
    node.on("childOrderChanged", listener);
    this.orderListeners.set(node, listener);
  }

  private untrack(node: Node, id: number): void {
    this.byId.delete(id);
    this.wsNodes.delete(node);
    const listener = this.orderListeners.get(node);
    if (listener) {
      this.orderListeners.delete(node);
      if (node.isInstanceValid()) node.off("childOrderChanged", listener);
    }
  }

  private visit(root: Node, fn: (node: Node) => void): void {
    // Iterative: a scene may be deeper than the call stack.
    const stack: Node[] = [root];
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      fn(node);
      const children = node.getChildren();
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
}
