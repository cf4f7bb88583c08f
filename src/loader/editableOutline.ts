import { INVALID_NAME_CHARACTERS } from "./format";
import { OutlineNode } from "./outline";

/**
 * The outline of an instance whose nodes a scene edits (`"editable"`). An instance is normally a view
 * of its sub-scene's outline, shared by every instance and never changed; one that is edited gets a
 * copy of the sub-scene's nodes instead, so that the children and overrides the scene adds inside it
 * are visible to its node paths and connections without touching the sub-scene's own outline. Only
 * the instances an edit goes into are copied: nested instances elsewhere stay views.
 */

/**
 * Turns the instance view `node` into a node of its own holding copies of its sub-scene's nodes (and
 * those of the scenes that one instances at its root), owned by `node` as they will be once built.
 */
export function materializeInstance(node: OutlineNode): void {
  const chain: OutlineNode[] = [];
  for (let n = node.sub; n; n = n.sub) chain.push(n);
  if (chain.length === 0) return;
  const copies = new Map<OutlineNode, OutlineNode>();
  for (const level of chain) copies.set(level, node);
  const own = node.children;
  node.children = new Map();
  node.sub = null;
  for (const level of chain) {
    for (const child of level.children.values()) node.addChild(copyTree(child, node, copies));
  }
  for (const child of own.values()) node.addChild(child);
  if (node.ownedUniques) {
    const uniques = new Map<string, OutlineNode>();
    for (const [name, unique] of node.ownedUniques) uniques.set(name, copies.get(unique) ?? unique);
    node.ownedUniques = uniques;
  }
}

/** A copy of `original` and the nodes below it (nested instances copied as views), under `parent`. */
function copyTree(
  original: OutlineNode,
  parent: OutlineNode,
  copies: Map<OutlineNode, OutlineNode>,
): OutlineNode {
  const top = copyOne(original, parent, copies);
  const stack: Array<[OutlineNode, OutlineNode]> = [[original, top]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    for (const child of from.children.values()) {
      const copy = copyOne(child, to, copies);
      to.addChild(copy);
      stack.push([child, copy]);
    }
  }
  return top;
}

function copyOne(original: OutlineNode, parent: OutlineNode, copies: Map<OutlineNode, OutlineNode>) {
  const copy = original.sub
    ? OutlineNode.view(original.sub, parent)
    : new OutlineNode(original.name, original.info, parent);
  copy.name = original.name;
  copy.unique = original.unique;
  copy.opaque = original.opaque;
  copy.ownedUniques = original.ownedUniques;
  // Owners are scene roots above the node, so they are copied (or not part of the copy) already.
  copy.owner = original.owner && (copies.get(original.owner) ?? original.owner);
  copies.set(original, copy);
  return copy;
}

/** Why an `"editable"` key is not a path of names, or null when it is one. */
export function editPathProblem(key: string): string | null {
  if (key === "." || key === "") return 'The instance root itself is not an "editable" key.';
  for (const name of key.split("/")) {
    if (name === "" || INVALID_NAME_CHARACTERS.test(name))
      return `"editable" keys are node names joined by "/" (no ".", "..", "%" or leading "/"): ${JSON.stringify(key)} is not.`;
  }
  return null;
}

/**
 * The node of the (materialized) instance `instance` at `key`, copying each nested instance the path
 * goes into; null when there is none. An instance whose sub-scene could not be loaded is opaque:
 * whatever lies below it is accepted (the missing file is reported already).
 */
export function resolveEditPath(instance: OutlineNode, key: string): OutlineNode | null {
  const names = key.split("/");
  let current = instance;
  for (let i = 0; i < names.length; i++) {
    if (current.opaque) return current;
    if (current.sub) materializeInstance(current);
    const child = current.children.get(names[i]);
    if (!child) return null;
    current = child;
  }
  return current;
}
