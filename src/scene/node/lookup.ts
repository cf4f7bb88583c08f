import { matchesPattern } from "../naming";
import { isOfClassNamed } from "../classInfo";
import { NodePath } from "../NodePath";
import { NODE as NODE_KEY, type NodeLike } from "./data";
import { DESCEND, SKIP, STOP, walkDescendants } from "./walk";

// Read once: under tsx an imported binding costs a getter call per use, and this one is on every path.
const NODE: typeof NODE_KEY = NODE_KEY;

/** The node at `path` from `from` (Godot's `get_node_or_null`): none for the empty path. */
export function resolvePath(from: NodeLike, path: NodePath): NodeLike | null {
  if (path.isEmpty()) return null;
  const names = path.names;
  let current: NodeLike | null = from;
  let i = 0;
  if (path.absolute) {
    while (current[NODE].parent) current = current[NODE].parent!;
    if (!current[NODE].tree || names[0] !== current[NODE].name) return null;
    i = 1;
  }
  for (; i < names.length && current; i++) current = step(current, names[i]);
  return current;
}

/**
 * `resolvePath(from, new NodePath(text))` without parsing: a path of one name (`Ws`, `..`, `%Name`)
 * is one step. Bots look up their nodes by such names once per instance, thousands of times over.
 */
export function resolveText(from: NodeLike, text: string): NodeLike | null {
  if (text.length === 0) return null;
  if (text.includes("/") || text.includes(":")) return resolvePath(from, new NodePath(text));
  return step(from, text);
}

/** One step of a NodePath from `node`: `.`, `..`, `%Unique` or a child's name. */
export function step(node: NodeLike, name: string): NodeLike | null {
  const data = node[NODE];
  if (name === ".") return node;
  if (name === "..") return data.parent;
  if (name.startsWith("%")) {
    const unique = name.slice(1);
    const own = data.ownedUniqueNodes?.get(unique);
    if (own) return own;
    return data.owner?.[NODE].ownedUniqueNodes?.get(unique) ?? null;
  }
  return data.childrenByName.get(name) ?? null;
}

/**
 * Godot's `get_node_and_resource`: the node at `path`, then, following its subnames while they name
 * objects (a class instance that is not a node: scenetree's resources), the last such object, and the
 * subnames left (`:position:x`) as a property path. `[null, null, empty]` when the node or a subname
 * does not exist. `nodeClass` tells nodes from resources.
 */
export function nodeAndResource(
  from: NodeLike,
  path: NodePath,
  nodeClass: abstract new () => NodeLike,
): [node: NodeLike | null, resource: object | null, rest: NodePath] {
  const node = resolvePath(from, path);
  if (!node) return [null, null, new NodePath()];
  const subnames = path.subnames;
  let resource: object | null = null;
  let i = 0;
  for (; i < subnames.length; i++) {
    const holder = (resource ?? node) as Record<string, unknown>;
    // As Godot's: no node then, but the resources found before the missing subname are kept.
    if (!(subnames[i] in holder)) return [null, resource, new NodePath()];
    const value = holder[subnames[i]];
    if (!isResource(value, nodeClass)) break;
    resource = value;
  }
  return [node, resource, NodePath.fromParts([], subnames.slice(i))];
}

/** What `getNodeAndResource` steps into: an instance of a class other than a node (not plain data). */
function isResource(value: unknown, nodeClass: abstract new () => NodeLike): value is object {
  if (value === null || typeof value !== "object" || value instanceof nodeClass || Array.isArray(value))
    return false;
  const proto = Object.getPrototypeOf(value);
  return proto !== null && proto !== Object.prototype;
}

/**
 * Descendants matching `pattern` (`*` and `?` wildcards; "" matches all) and, if given, of class
 * `type`, depth first in child order; with `owned` (the default, as in Godot) only nodes that have an
 * owner (and nothing below one that has none). `first` stops at the first match (`findChild`).
 */
export function findChildren(
  root: NodeLike,
  pattern: string,
  type: string | (abstract new (...args: never[]) => NodeLike) | undefined,
  recursive: boolean,
  owned: boolean,
  first: boolean,
): NodeLike[] {
  const out: NodeLike[] = [];
  walkDescendants(root, (child) => {
    if (owned && !child[NODE].owner) return SKIP;
    if (pattern === "" || matchesPattern(child[NODE].name, pattern)) {
      if (type === undefined || type === "" || isOfType(child, type)) {
        out.push(child);
        if (first) return STOP;
      }
    }
    return recursive ? DESCEND : SKIP;
  });
  return out;
}

function isOfType(node: NodeLike, type: string | (abstract new (...args: never[]) => NodeLike)): boolean {
  return typeof type === "string" ? isOfClassNamed(node, type) : node instanceof type;
}
