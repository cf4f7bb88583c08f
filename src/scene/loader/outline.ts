import { NodePath } from "../NodePath";
import type { NodeTypeInfo } from "./registry";

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

  constructor(
    public name: string,
    readonly info: NodeTypeInfo | null,
    public parent: OutlineNode | null,
  ) {}

  addChild(child: OutlineNode): void {
    if (this.children === NO_CHILDREN) this.children = new Map();
    (this.children as Map<string, OutlineNode>).set(child.name, child);
  }

  /** Path from `ancestor` (e.g. `A/B`), for messages. */
  pathFrom(ancestor: OutlineNode): string {
    const names: string[] = [];
    for (let n: OutlineNode | null = this; n && n !== ancestor; n = n.parent) names.push(n.name);
    return names.reverse().join("/") || ".";
  }

  /** Every node of the subtree, pre-order. */
  *walk(): Generator<OutlineNode> {
    yield this;
    for (const child of this.children.values()) yield* child.walk();
  }
}

/** What `from.getNodeOrNull(path)` will return once the scene exists; null for absolute paths. */
export function resolveOutlinePath(from: OutlineNode, path: string): OutlineNode | null {
  let nodePath: NodePath;
  try {
    nodePath = new NodePath(path);
  } catch {
    return null; // not a valid NodePath (an empty subname): nothing is there
  }
  if (nodePath.absolute || nodePath.subnames.length > 0) return null;
  let current: OutlineNode | null = from;
  for (const name of nodePath.names) {
    if (!current) return null;
    if (name === ".") continue;
    if (name === "..") current = current.parent;
    else if (name.startsWith("%")) {
      const unique = name.slice(1);
      current = current.ownedUniques?.get(unique) ?? current.owner?.ownedUniques?.get(unique) ?? null;
    } else current = current.children.get(name) ?? null;
  }
  return current;
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
