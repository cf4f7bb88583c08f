import { NodePath } from "../scene/NodePath";
import type { NodeTypeInfo } from "./registry";
import { didYouMean, type SuggestionBudget } from "./suggest";

/**
 * The shape of a scene before any node exists: names, types, owners and unique names. Validation walks
 * it to check NodePath props and connections the way `Node.getNode` would resolve them after
 * instantiating, without running a single constructor.
 *
 * An instanced sub-scene is not copied into the outline of the scene that instances it: the instance
 * is a view of the sub-scene's own outline (shared by every instance, never changed), so validating a
 * file costs what the file holds, not every node its sub-scenes expand to.
 */

/** Shared by every outline leaf so a 10,000-node scene does not allocate 10,000 empty Maps. */
const NO_CHILDREN: ReadonlyMap<string, OutlineNode> = new Map();

export class OutlineNode {
  /** This file's children (for an instance: those added beside the sub-scene's own). */
  children: ReadonlyMap<string, OutlineNode> = NO_CHILDREN;
  owner: OutlineNode | null = null;
  /** Set on scene roots: the `%Name` nodes of their scene (Godot's owned unique nodes). */
  ownedUniques: Map<string, OutlineNode> | null = null;
  unique = false;
  /** An instance whose sub-scene could not be loaded: what lies below it is unknown. */
  opaque = false;
  /** For an instance: the root of the sub-scene's own outline, which this node stands for. */
  sub: OutlineNode | null = null;

  constructor(
    public name: string,
    readonly info: NodeTypeInfo | null,
    public parent: OutlineNode | null,
  ) {}

  /** An instance of the sub-scene whose outline root is `sub`, placed under `parent`. */
  static view(sub: OutlineNode, parent: OutlineNode | null): OutlineNode {
    const view = new OutlineNode(sub.name, sub.info, parent);
    view.sub = sub;
    view.unique = sub.unique;
    view.ownedUniques = sub.ownedUniques;
    return view;
  }

  addChild(child: OutlineNode): void {
    if (this.children === NO_CHILDREN) this.children = new Map();
    (this.children as Map<string, OutlineNode>).set(child.name, child);
  }

  /** Whether a child of that name exists: this file's, or (for an instance) in the sub-scene's. */
  hasChild(name: string): boolean {
    if (this.children.has(name)) return true;
    for (let n = this.sub; n; n = n.sub) if (n.children.has(name)) return true;
    return false;
  }

  /** This scene root's unique names, ready to take more (an instance root's copied from its sub-scene). */
  uniquesToFill(): Map<string, OutlineNode> {
    if (!this.ownedUniques || this.ownedUniques === this.sub?.ownedUniques)
      this.ownedUniques = new Map(this.ownedUniques ?? []);
    return this.ownedUniques;
  }

  /** How messages name a node of this file: its path from the scene root, root first (`Main/Clock`). */
  label(): string {
    const names: string[] = [];
    for (let n: OutlineNode | null = this; n; n = n.parent) names.push(n.name);
    return names.reverse().join("/");
  }
}

/**
 * Where a walk through the outline stands: a node, and the instances it went into to get there
 * (innermost last). A sub-scene's nodes know only their own scene; the instances say where it is.
 */
export interface OutlineCursor {
  readonly node: OutlineNode;
  readonly mounts: readonly OutlineNode[];
}

/** How messages name the node a walk reached, through the instances it went into (`Main/Part/Inner`). */
export function cursorLabel({ node, mounts }: OutlineCursor): string {
  const names: string[] = [];
  let current = node;
  for (let i = mounts.length - 1; i >= 0; i--) {
    for (let n: OutlineNode | null = current; n && n !== mounts[i].sub; n = n.parent) names.push(n.name);
    current = mounts[i];
  }
  return [current.label(), ...names.reverse()].join("/");
}

/** A sub-scene's root is the instance that stands for it: the walk goes on from the instance. */
function settle(node: OutlineNode, mounts: readonly OutlineNode[]): OutlineCursor {
  let list = mounts;
  while (list.length > 0 && node === list[list.length - 1].sub) {
    node = list[list.length - 1];
    list = list.slice(0, -1);
  }
  return { node, mounts: list };
}

/**
 * The walk that reaches `unique` from the map of scene root `root` (at `mounts`): a unique node is
 * owned by the root of its own scene, which is `root` or a sub-scene `root` stands for.
 */
function reachUnique(root: OutlineNode, mounts: readonly OutlineNode[], unique: OutlineNode): OutlineCursor {
  const entered: OutlineNode[] = [];
  for (let n: OutlineNode | null = root; n; n = n.sub) {
    if (n === unique.owner) return settle(unique, [...mounts, ...entered]);
    entered.push(n);
  }
  return settle(unique, mounts);
}

/** One step of a node path, exactly as `Node.getNode` takes it; from an opaque node, anything may be there. */
function step({ node, mounts }: OutlineCursor, name: string): OutlineCursor | null {
  if (name === ".") return { node, mounts };
  if (name === "..") return node.parent ? settle(node.parent, mounts) : null;
  if (node.opaque) return { node, mounts };
  if (name.startsWith("%")) {
    // The node's own scene first (an instance root's is its sub-scene's), then its owner's, as Godot does.
    const unique = name.slice(1);
    const own = node.ownedUniques?.get(unique);
    if (own) return reachUnique(node, mounts, own);
    if (!node.owner) return null;
    // The owner as the walk sees it: a sub-scene's root is the instance that stands for it, whose
    // unique names include those the scene around it added (one node once built).
    const owner = settle(node.owner, mounts);
    const owned = owner.node.ownedUniques?.get(unique);
    return owned ? reachUnique(owner.node, owner.mounts, owned) : null;
  }
  let list = mounts;
  for (let at: OutlineNode | null = node; at; at = at.sub) {
    const child = at.children.get(name);
    if (child) return { node: child, mounts: list };
    list = [...list, at];
  }
  return null;
}

/** What `from.getNodeOrNull(path)` will return once the scene exists; null for absolute paths. */
export function resolveOutlinePath(from: OutlineNode, path: string): OutlineCursor | null {
  const nodePath = parseNodePath(path);
  if (!nodePath) return null; // not a valid NodePath (an empty subname): nothing is there
  if (nodePath.isEmpty()) return null; // "" and ":" name no node, as getNodeOrNull("") finds none
  if (nodePath.absolute || nodePath.subnames.length > 0) return null;
  let current: OutlineCursor | null = { node: from, mounts: [] };
  for (const name of nodePath.names) {
    if (!current) return null;
    current = step(current, name);
  }
  return current;
}

function parseNodePath(path: string): NodePath | null {
  try {
    return new NodePath(path);
  } catch {
    return null;
  }
}

/** Mistyped steps a suggestion may correct in one path. */
const MAX_FIXES = 2;

/**
 * The path `path` was likely meant to be, or null: walked one name at a time, each name that leads
 * nowhere replaced by the closest name that exists there. The work is the path's length plus a bounded
 * did-you-mean per corrected step, whatever the size of the scene.
 */
export function suggestNodePath(from: OutlineNode, path: string, budget: SuggestionBudget): string | null {
  const nodePath = parseNodePath(path);
  if (!nodePath || nodePath.absolute || nodePath.subnames.length > 0) return null;
  const names = [...nodePath.names];
  let current: OutlineCursor = { node: from, mounts: [] };
  let fixes = 0;
  for (let i = 0; i < names.length; i++) {
    const next = step(current, names[i]);
    if (next) {
      current = next;
      continue;
    }
    const guess = ++fixes <= MAX_FIXES ? didYouMean(names[i], namesAt(current.node, names[i]), budget) : null;
    if (guess === null) return null;
    names[i] = guess;
    const corrected = step(current, guess);
    if (!corrected) return null;
    current = corrected;
  }
  return names.join("/");
}

/** What could stand in for `name` at `node`: its children (and ".."), or the unique names in reach. */
function* namesAt(node: OutlineNode, name: string): Generator<string> {
  if (name.startsWith("%")) {
    for (const unique of node.ownedUniques?.keys() ?? []) yield `%${unique}`;
    for (const unique of node.owner?.ownedUniques?.keys() ?? []) yield `%${unique}`;
    return;
  }
  if (node.parent) yield "..";
  for (let n: OutlineNode | null = node; n; n = n.sub) yield* n.children.keys();
}
