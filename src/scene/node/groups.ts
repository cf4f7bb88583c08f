import { SceneTreeError } from "../../core/errors";
import { NODE as NODE_KEY, type NodeLike } from "./data";

// Read once: under tsx an imported binding costs a getter call per use, and this one is on every path.
const NODE: typeof NODE_KEY = NODE_KEY;

/** Adds the node to `group` (outside the tree too: it joins the tree's group when it enters). */
export function addToGroup(node: NodeLike, group: string, persistent: boolean): void {
  if (group === "")
    throw new SceneTreeError(
      "ERR_INVALID_ARGUMENT",
      `Cannot add node "${node[NODE].name}" to a group with an empty name.`, // Godot's add_to_group message
    );
  const data = node[NODE];
  const groups = (data.groups ??= new Map());
  if (groups.has(group)) return;
  groups.set(group, { persistent });
  data.tree?.groupAdd(group, node);
}

export function removeFromGroup(node: NodeLike, group: string): void {
  const data = node[NODE];
  if (!data.groups?.delete(group)) return;
  data.tree?.groupRemove(group, node);
}

/** The node's groups join its tree's (entering) or leave them (exiting). */
export function joinTreeGroups(node: NodeLike, join: boolean): void {
  const data = node[NODE];
  if (!data.groups) return;
  const tree = data.tree!;
  for (const group of data.groups.keys()) {
    if (join) tree.groupAdd(group, node);
    else tree.groupRemove(group, node);
  }
}

/** A node's groups with their `persistent` flag (for `duplicate`). */
export function groupEntries(node: NodeLike): ReadonlyMap<string, { persistent: boolean }> | null {
  return node[NODE].groups;
}
