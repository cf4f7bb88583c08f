import { NodePath } from "../NodePath";
import type { NodeTypeInfo } from "./registry";
import { didYouMean, type SuggestionBudget } from "./suggest";

/**
 * The shape of a scene before any node exists: names, types, owners and unique names. Validation walks
 * it to check NodePath props and connections the way `Node.getNode` would resolve them after
 * instantiating, without running a single constructor.
 */
/** Shared by every outline leaf so a 10,000-node scene does not allocate 10,000 empty Maps. */
const NO_CHILDREN: ReadonlyMap<string, OutlineNode> = new Map();

export class OutlineNode {
  children: ReadonlyMap<string, OutlineNode> = NO_CHILDREN;
  owner: OutlineNode | null = null;
  /** Set on scene roots: the `%Name` nodes of their scene (Godot's owned unique nodes). */
  ownedUniques: Map<string, OutlineNode> | null = null;
  unique = false;
  /** An instance whose sub-scene could not be loaded: what lies below it is unknown. */
  opaque = false;

  constructor(
    public name: string,
    readonly info: NodeTypeInfo | null,
    public parent: OutlineNode | null,
  ) {}

  addChild(child: OutlineNode): void {
    if (this.children === NO_CHILDREN) this.children = new Map();
    (this.children as Map<string, OutlineNode>).set(child.name, child);
  }

  /** How messages name the node: its path from the scene root, the root's name first (`Main/Clock`). */
  label(): string {
    const names: string[] = [];
    for (let n: OutlineNode | null = this; n; n = n.parent) names.push(n.name);
    return names.reverse().join("/");
  }
}

/** One step of a node path, as `Node.getNode` takes it; from an opaque node, anything may be there. */
function step(current: OutlineNode, name: string): OutlineNode | null {
  if (name === ".") return current;
  if (name === "..") return current.parent;
  if (current.opaque) return current;
  if (name.startsWith("%")) {
    const unique = name.slice(1);
    return current.ownedUniques?.get(unique) ?? current.owner?.ownedUniques?.get(unique) ?? null;
  }
  return current.children.get(name) ?? null;
}

/** What `from.getNodeOrNull(path)` will return once the scene exists; null for absolute paths. */
export function resolveOutlinePath(from: OutlineNode, path: string): OutlineNode | null {
  const nodePath = new NodePath(path);
  if (nodePath.absolute || nodePath.subnames.length > 0) return null;
  let current: OutlineNode | null = from;
  for (const name of nodePath.names) {
    if (!current) return null;
    current = step(current, name);
  }
  return current;
}

/** Mistyped steps a suggestion may correct in one path. */
const MAX_FIXES = 2;

/**
 * The path `path` was likely meant to be, or null: walked one name at a time, each name that leads
 * nowhere replaced by the closest name that exists there. The work is the path's length plus a bounded
 * did-you-mean per corrected step, whatever the size of the scene.
 */
export function suggestNodePath(from: OutlineNode, path: string, budget: SuggestionBudget): string | null {
  const nodePath = new NodePath(path);
  if (nodePath.absolute || nodePath.subnames.length > 0) return null;
  const names = [...nodePath.names];
  let current = from;
  let fixes = 0;
  for (let i = 0; i < names.length; i++) {
    const next = step(current, names[i]);
    if (next) {
      current = next;
      continue;
    }
    const guess = ++fixes <= MAX_FIXES ? didYouMean(names[i], namesAt(current, names[i]), budget) : null;
    if (guess === null) return null;
    names[i] = guess;
    current = step(current, guess)!;
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
  yield* node.children.keys();
}

/** A copy of a sub-scene's outline to hang into another scene's (its owners remapped to the copies). */
export function cloneOutline(source: OutlineNode, parent: OutlineNode | null): OutlineNode {
  const copies = new Map<OutlineNode, OutlineNode>();
  const copy = (node: OutlineNode, newParent: OutlineNode | null): OutlineNode => {
    const clone = new OutlineNode(node.name, node.info, newParent);
    clone.unique = node.unique;
    copies.set(node, clone);
    for (const child of node.children.values()) clone.addChild(copy(child, clone));
    return clone;
  };
  const root = copy(source, parent);
  for (const [original, clone] of copies) {
    if (original.owner) clone.owner = copies.get(original.owner) ?? null;
    if (original.ownedUniques) {
      clone.ownedUniques = new Map();
      for (const [name, node] of original.ownedUniques)
        clone.ownedUniques.set(name, copies.get(node) ?? node);
    }
  }
  return root;
}
