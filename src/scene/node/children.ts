import { SceneTreeError } from "../../core/errors";
import { fastUniqueName, readableUniqueName, validateNodeName } from "../naming";
import * as data from "./data";
import type { NodeLike } from "./data";
import * as emit from "./emit";
import * as lifecycle from "./lifecycle";
import * as guards from "./guard";
import * as notifications from "./notifications";
import { acquireUnique, checkUniqueFree, releaseUnique } from "./owner";
import { walkBlocked } from "./walk";

// Read once: under tsx an imported binding costs a getter call per use, and these are on every path.
const NODE: typeof data.NODE = data.NODE;
const { NO_CHILDREN, NO_CHILD_LIST, positionOf } = data;
const { emitNoArgs } = emit;
const { propagateAfterExitTree, setTree } = lifecycle;
const { notify } = guards;
const {
  NOTIFICATION_CHILD_ORDER_CHANGED,
  NOTIFICATION_PARENTED,
  NOTIFICATION_PATH_RENAMED,
  NOTIFICATION_UNPARENTED,
} = notifications;

const BUSY_HINT = {
  addChild:
    'Parent node is busy setting up children, `addChild()` failed. Consider using `parent.callDeferred("addChild", child)` instead.',
  removeChild:
    'Parent node is busy adding/removing children, `removeChild()` can\'t be called at this time. Consider using `parent.callDeferred("removeChild", child)` instead.',
  moveChild:
    'Parent node is busy setting up children, `moveChild()` failed. Consider using `parent.callDeferred("moveChild", child, index)` instead.',
};

/** Godot's `add_child` once the argument is known to be a valid node. */
export function addChild(parent: NodeLike, child: NodeLike, forceReadableName: boolean): void {
  const data = parent[NODE];
  const childData = child[NODE];
  if (child === parent) {
    throw new SceneTreeError("ERR_CYCLIC_PARENT", `Can't add child "${childData.name}" to itself.`);
  }
  if (childData.parent) {
    throw new SceneTreeError(
      "ERR_ALREADY_HAS_PARENT",
      `Can't add child "${childData.name}" to "${data.name}", already has a parent "${childData.parent[NODE].name}". ` +
        "Use reparent() to move it.",
    );
  }
  // A node outside the tree can't be an ancestor of one inside it: adding in the tree costs no walk.
  if (!(data.tree && !childData.tree) && child.isAncestorOf(parent)) {
    throw new SceneTreeError(
      "ERR_CYCLIC_PARENT",
      `Can't add child "${childData.name}" to "${data.name}" as it would result in a cyclic dependency since "${childData.name}" is already a parent of "${data.name}".`,
    );
  }
  if (data.blocked > 0) throw new SceneTreeError("ERR_PARENT_BUSY", BUSY_HINT.addChild);
  if (!child.isInstanceValid()) {
    throw new SceneTreeError("ERR_FREED", `addChild() called on a freed ${child.constructor.name}.`);
  }
  validateChildName(parent, child, forceReadableName);
  // A first child gets an array of its size: `[]` then push would give it a 17-slot store.
  if (data.children === NO_CHILD_LIST) data.children = [child];
  else data.children.push(child);
  if (data.childrenByName === NO_CHILDREN) data.childrenByName = new Map();
  data.childrenByName.set(childData.name, child);
  childData.index = data.children.length - 1 + data.indexOffset;
  childData.parent = parent;
  child._notification(NOTIFICATION_PARENTED);
  if (data.tree) setTree(child, data.tree);
  parent._notification(NOTIFICATION_CHILD_ORDER_CHANGED);
  emitNoArgs(parent, "childOrderChanged");
}

/**
 * Godot's `remove_child`. Only a child that leaves the tree has the owners below it that are no longer
 * ancestors cleared (Godot's `_propagate_after_exit_tree` runs `if (data.tree)`): removed outside a
 * tree, the nodes keep their owners, so a branch taken out of a scene being built and added back in it
 * is still saved with it.
 */
export function removeChild(parent: NodeLike, child: NodeLike): void {
  const data = parent[NODE];
  if (data.blocked > 0) throw new SceneTreeError("ERR_PARENT_BUSY", BUSY_HINT.removeChild);
  const childData = child?.[NODE];
  if (childData?.parent !== parent) {
    throw new SceneTreeError("ERR_NOT_A_CHILD", `"${childData?.name}" is not a child of "${data.name}".`);
  }
  const wasInside = data.tree !== null;
  data.blocked++;
  try {
    if (wasInside) setTree(child, null);
    child._notification(NOTIFICATION_UNPARENTED);
  } finally {
    data.blocked--;
  }
  const position = positionOf(child);
  const children = data.children;
  if (position === 0) {
    children.shift();
    data.indexOffset++;
  } else {
    children.splice(position, 1);
    for (let i = position; i < children.length; i++) children[i][NODE].index = i + data.indexOffset;
  }
  if (children.length === 0) data.indexOffset = 0;
  data.childrenByName.delete(childData.name);
  childData.parent = null;
  childData.index = -1;
  parent._notification(NOTIFICATION_CHILD_ORDER_CHANGED);
  emitNoArgs(parent, "childOrderChanged");
  if (wasInside) propagateAfterExitTree(child, true);
}

/**
 * Godot's `move_child`: `toIndex` from 0 to the child count, where the count (one place beyond the end)
 * means the last index as in Godot; a negative one counts from the end (-1 is the last). Godot 4 sends
 * the moved children nothing (NOTIFICATION_MOVED_IN_PARENT is deprecated, never sent), only the
 * parent's NOTIFICATION_CHILD_ORDER_CHANGED and `childOrderChanged`.
 */
export function moveChild(parent: NodeLike, child: NodeLike, toIndex: number): void {
  const data = parent[NODE];
  const childData = child?.[NODE];
  if (childData?.parent !== parent) {
    throw new SceneTreeError("ERR_NOT_A_CHILD", `"${childData?.name}" is not a child of "${data.name}".`);
  }
  if (data.blocked > 0) throw new SceneTreeError("ERR_PARENT_BUSY", BUSY_HINT.moveChild);
  const children = data.children;
  const count = children.length;
  let index = toIndex < 0 ? toIndex + count : toIndex;
  if (!Number.isInteger(index) || index < 0 || index > count) {
    throw new SceneTreeError(
      "ERR_INVALID_ARGUMENT",
      `Invalid new child index: ${toIndex} (from ${-count} to ${count} for ${count} children).`,
    );
  }
  if (index === count) index--;
  const from = positionOf(child);
  if (index === from) return;
  children.splice(from, 1);
  children.splice(index, 0, child);
  const end = Math.max(from, index);
  for (let i = Math.min(from, index); i <= end; i++) children[i][NODE].index = i + data.indexOffset;
  data.tree?.structureChanged();
  data.tree?.treeChanged();
  parent._notification(NOTIFICATION_CHILD_ORDER_CHANGED);
  emitNoArgs(parent, "childOrderChanged");
}

/**
 * Godot's `_validate_child_name`: a clashing or empty name becomes `@Class@N`, N counted per parent,
 * or `Name2` with `forceReadable`.
 */
function validateChildName(parent: NodeLike, child: NodeLike, forceReadable: boolean): void {
  const data = parent[NODE];
  const childData = child[NODE];
  if (forceReadable) {
    childData.name = readableUniqueName(childData.name || child.constructor.name, (name) =>
      takenByOther(data.childrenByName, name, child),
    );
    return;
  }
  if (childData.name !== "" && !takenByOther(data.childrenByName, childData.name, child)) return;
  do {
    childData.name = fastUniqueName(child.constructor.name, ++data.autoNames);
  } while (takenByOther(data.childrenByName, childData.name, child));
}

function takenByOther(byName: Map<string, NodeLike>, name: string, child: NodeLike): boolean {
  const existing = byName.get(name);
  return existing !== undefined && existing !== child;
}

/**
 * Godot's `set_name`: unique among the siblings (readable scheme), keeping its place in their order.
 * NOTIFICATION_PATH_RENAMED goes to the node and then its descendants, parents first, in the tree or
 * not (Godot's `propagate_notification`, before `renamed`, which only a node in the tree emits).
 */
export function rename(node: NodeLike, value: string): void {
  const name = validateNodeName(String(value));
  if (name.length === 0) throw new SceneTreeError("ERR_INVALID_NAME", "Node name cannot be empty.");
  const data = node[NODE];
  const oldName = data.name;
  if (name === oldName) return;
  const owner = data.owner;
  const parent = data.parent;
  const byName = parent ? parent[NODE].childrenByName : null;
  const newName = byName ? readableUniqueName(name, (n) => n !== oldName && byName.has(n)) : name;
  // A unique name the owner already has is refused before anything changes.
  if (data.uniqueNameInOwner && owner) checkUniqueFree(owner, node, newName);
  if (data.uniqueNameInOwner && owner) releaseUnique(owner, node);
  data.name = newName;
  if (parent) renameChildKey(parent, oldName, node);
  if (data.uniqueNameInOwner && owner) acquireUnique(owner, node);
  walkBlocked(node, notifyPathRenamed, descendAll, true);
  if (data.tree) {
    emitNoArgs(node, "renamed");
    data.tree.nodeRenamed(node);
    data.tree.treeChanged();
  }
}

function notifyPathRenamed(node: NodeLike): void {
  notify(node, NOTIFICATION_PATH_RENAMED, "PATH_RENAMED");
}

function descendAll(): boolean {
  return true;
}

/**
 * Godot's `_set_name_nocheck`, as SceneState::instantiate names the nodes it builds: the name is set and
 * nothing is told (no PATH_RENAMED). Only for a node with no parent and no owner yet, where no sibling
 * can clash and no scene holds its unique name.
 */
export function nameBuiltNode(node: NodeLike, value: string): void {
  const data = node[NODE];
  if (data.parent || data.owner) {
    throw new SceneTreeError("ERR_INVALID_ARGUMENT", "nameBuiltNode() is for a node not yet in a scene.");
  }
  const name = validateNodeName(String(value));
  if (name.length === 0) throw new SceneTreeError("ERR_INVALID_NAME", "Node name cannot be empty.");
  data.name = name;
}

/** Keeps the renamed child at its place in insertion order (Godot's `replace_key`). */
function renameChildKey(parent: NodeLike, oldName: string, child: NodeLike): void {
  const byName = parent[NODE].childrenByName;
  const entries = [...byName.entries()];
  byName.clear();
  for (const [name, node] of entries) byName.set(name === oldName ? child[NODE].name : name, node);
}

/** Names from the topmost ancestor down, `/`-prefixed inside a tree: how messages name a node. */
export function namePath(node: NodeLike): string {
  const names: string[] = [];
  let top = node[NODE];
  for (let n: NodeLike | null = node; n; n = n[NODE].parent) {
    top = n[NODE];
    names.push(top.name);
  }
  names.reverse();
  return top.tree ? "/" + names.join("/") : names.join("/");
}
