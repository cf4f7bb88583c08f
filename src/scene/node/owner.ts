import { SceneTreeError } from "../../core/errors";
import { describeObject } from "../GodotObject";
import { NODE as NODE_KEY, type NodeLike } from "./data";
import { forEachDescendant } from "./walk";

// Read once: under tsx an imported binding costs a getter call per use, and this one is on every path.
const NODE: typeof NODE_KEY = NODE_KEY;

/** Godot's `set_owner`: `owner` must be an ancestor (or null to clear). */
export function setOwner(node: NodeLike, owner: NodeLike | null): void {
  const data = node[NODE];
  if (owner === data.owner) return;
  if (owner && (owner === node || !owner.isAncestorOf(node))) {
    throw new SceneTreeError("ERR_INVALID_OWNER", "Invalid owner. Owner must be an ancestor in the tree.");
  }
  // A unique name the new owner already has is refused before anything changes.
  if (owner && data.uniqueNameInOwner) checkUniqueFree(owner, node, data.name);
  if (data.owner) cleanUpOwner(node);
  if (!owner) return;
  data.owner = owner;
  addOwned(owner, node);
  if (data.uniqueNameInOwner) acquireUnique(owner, node);
}

/** Forgets the node's owner (it has one), and its unique name there. */
export function cleanUpOwner(node: NodeLike): void {
  const data = node[NODE];
  const owner = data.owner!;
  if (data.uniqueNameInOwner) releaseUnique(owner, node);
  removeOwned(owner, node);
  data.owner = null;
}

/** Owned nodes a scene root keeps in an array before it moves them to a Set. */
const FEW_OWNED = 8;

/**
 * Adds `node` to the nodes `owner` owns (it is not among them: it had another owner or none). A scene
 * root of a bot owns a few nodes: an array made at its size, where a Set's smallest table is ~140 bytes;
 * past {@link FEW_OWNED} a Set, so that freeing a scene of thousands of nodes stays linear.
 */
function addOwned(owner: NodeLike, node: NodeLike): void {
  const data = owner[NODE];
  const owned = data.owned;
  if (owned === null) data.owned = [node];
  else if (!Array.isArray(owned)) owned.add(node);
  else if (owned.length < FEW_OWNED) data.owned = owned.concat([node]);
  else data.owned = new Set([...owned, node]);
}

function removeOwned(owner: NodeLike, node: NodeLike): void {
  const owned = owner[NODE].owned;
  if (owned === null) return;
  if (!Array.isArray(owned)) {
    owned.delete(node);
    return;
  }
  const at = owned.indexOf(node);
  if (at !== -1) owned.splice(at, 1);
}

export function setUniqueNameInOwner(node: NodeLike, enabled: boolean): void {
  const data = node[NODE];
  if (enabled === data.uniqueNameInOwner) return;
  if (data.owner && enabled)
    acquireUnique(data.owner, node); // a name taken throws: nothing changed
  else if (data.owner) releaseUnique(data.owner, node);
  data.uniqueNameInOwner = enabled;
}

/** Makes `node` reachable as `%Name` from the scene of `owner`. */
export function acquireUnique(owner: NodeLike, node: NodeLike): void {
  const name = node[NODE].name;
  checkUniqueFree(owner, node, name);
  (owner[NODE].ownedUniqueNodes ??= new Map()).set(name, node);
}

/**
 * Throws `ERR_UNIQUE_NAME_TAKEN` when another node of `owner` holds the unique `name` (Godot warns and
 * drops the newcomer's unique flag; a throw lets the caller change nothing instead).
 */
export function checkUniqueFree(owner: NodeLike, node: NodeLike, name: string): void {
  const existing = owner[NODE].ownedUniqueNodes?.get(name);
  if (existing && existing !== node) {
    // Godot names the node that holds the name (`which`); here by its path from the owner, the
    // owner's name first, as the scene loader's message does ("Main/A/Uniq").
    // A holder removed from the scene outside a tree keeps its owner (and the name) but has no path
    // from it: it is named by its own branch then.
    const ownerName = owner[NODE].name;
    const holder = owner.isAncestorOf(existing)
      ? `"${ownerName}/${owner.getPathTo(existing)}"`
      : `"${describeObject(existing)}" (removed from "${ownerName}", still owned by it)`;
    throw new SceneTreeError(
      "ERR_UNIQUE_NAME_TAKEN",
      `Setting node name "${name}" to be unique within scene for "${ownerName}", but it's already claimed by ${holder}. Rename one of them.`,
    );
  }
}

export function releaseUnique(owner: NodeLike, node: NodeLike): void {
  const map = owner[NODE].ownedUniqueNodes;
  const name = node[NODE].name;
  if (map?.get(name) === node) map.delete(name);
}

/** Descendants of `root` owned by `owner`, in tree order (Godot's `get_owned_by` below a node). */
export function collectOwnedBy(root: NodeLike, owner: NodeLike, out: NodeLike[]): void {
  forEachDescendant(root, (node) => {
    if (node[NODE].owner === owner) out.push(node);
  });
}
