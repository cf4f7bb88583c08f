import { Callable, getRegisteredNodeTypes, InstancePlaceholder, Node } from "../../src";
import { groupEntries } from "../../src/scene/node/groups";

/** One node of a tree as the round-trip tests compare it. */
export interface DumpedNode {
  path: string;
  type: string;
  /** The owner's path from the root; null for none. */
  owner: string | null;
  /** The scene the node was instanced from (absolute), "" for none; the root's is left out. */
  scene: string;
  props: Record<string, unknown>;
  groups: string[];
  unique: boolean;
  connections: string[];
  /** For an InstancePlaceholder: its scene and stored values. */
  placeholder?: { instance: string; stored: Record<string, unknown> };
}

/**
 * The whole tree under `root`, pre-order: names (as paths), classes, owners, registered props (a node
 * held by a prop as the path to it), groups with their persistence, unique names and connections
 * (persistent ones marked), so two trees built differently can be compared with one `toEqual`.
 */
export function dumpTree(root: Node): DumpedNode[] {
  const out: DumpedNode[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(dumpNode(root, node));
    const children = node.getChildren();
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

function dumpNode(root: Node, node: Node): DumpedNode {
  const info = getRegisteredNodeTypes().find((t) => t.nodeClass === node.constructor);
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(info?.propsSchema.shape ?? {})) {
    const value = (node as unknown as Record<string, unknown>)[key];
    props[key] = value instanceof Node ? `→${root.getPathTo(value)}` : value;
  }
  const groups = [...(groupEntries(node) ?? [])].map(([g, { persistent }]) => (persistent ? g : `${g}?`));
  const connections: string[] = [];
  for (const signal of [...new Set(node.getSignalList().map((s) => s.name))].sort()) {
    for (const c of node.getSignalConnectionList(signal)) {
      const callable = c.callable;
      const to =
        callable instanceof Callable && callable.target instanceof Node
          ? `${root.getPathTo(callable.target)}.${callable.method}(${JSON.stringify(callable.getBoundArguments())})`
          : "<function>";
      connections.push(`${signal}→${to} flags=${c.flags}`);
    }
  }
  const placeholder =
    node instanceof InstancePlaceholder
      ? { placeholder: { instance: node.getInstancePath(), stored: node.getStoredValues(true) } }
      : {};
  return {
    ...placeholder,
    path: root.getPathTo(node),
    type: node.constructor.name,
    owner: node.owner ? root.getPathTo(node.owner) : null,
    scene: node === root ? "" : node.sceneFilePath,
    props,
    groups: groups.sort(),
    unique: node.uniqueNameInOwner,
    connections,
  };
}
