import type { Node } from "../scene/Node";
import { getRegisteredNodeTypes, type NodeTypeInfo } from "../loader/registry";

/** Per class: the registered type of the nearest registered class in its chain (a script's base). */
const byClass = new Map<object, NodeTypeInfo | null>();
let registrySize = -1;

/**
 * The registered node type whose class is the node's class or its nearest registered ancestor: a
 * scene file's `"type"`, or the type a script extends. Null for classes registered nowhere up the chain.
 */
export function typeInfoOf(node: Node): NodeTypeInfo | null {
  const types = getRegisteredNodeTypes();
  // Registering a type can change the answer for classes already looked up.
  if (types.length !== registrySize) {
    registrySize = types.length;
    byClass.clear();
  }
  const ctor = node.constructor;
  const cached = byClass.get(ctor);
  if (cached !== undefined) return cached;
  let found: NodeTypeInfo | null = null;
  for (let proto = Object.getPrototypeOf(node); proto && !found; proto = Object.getPrototypeOf(proto)) {
    // A class registered under several names: the alphabetically first (getRegisteredNodeTypes' order).
    found = types.find((type) => type.nodeClass === proto.constructor) ?? null;
  }
  byClass.set(ctor, found);
  return found;
}

/** What the tree shows as a node's type: its class name (the registered type's for anonymous classes). */
export function typeNameOf(node: Node): string {
  const name = node.constructor.name;
  if (name !== "") return name;
  return typeInfoOf(node)?.name ?? "Node";
}
