import { SceneTreeError } from "../../core/errors";
import { ConnectFlags } from "../../core/signals/ConnectFlags";
import { Callable } from "../Callable";
import { incomingConnections } from "../connections";
import { sceneSourceOf, setSceneSource } from "../sceneInstance";
import { NODE as NODE_KEY, positionOf, type NodeLike } from "./data";
import { emitChild } from "./emit";
import { cleanUpOwner, collectOwnedBy } from "./owner";

// Read once: under tsx an imported binding costs a getter call per use, and this one is on every path.
const NODE: typeof NODE_KEY = NODE_KEY;

/** What replacing needs of a node: Node's public API, named here so this module need not import Node. */
interface Node extends NodeLike {
  readonly name: string;
  owner: Node | null;
  getParent(): Node | null;
  addChild(child: Node): void;
  removeChild(child: Node): void;
  moveChild(child: Node, index: number): void;
  addToGroup(group: string, persistent?: boolean): void;
}

/**
 * Godot's `replace_by`: `node` goes where `old` is (same parent and index), `old`'s children move under
 * it, owners and unique names carry over, persistent connections to `old` are retargeted to `node`, and
 * with `keepGroups` the groups too. `old` is left outside the tree, not freed.
 */
export function replaceNode(old: Node, node: Node, keepGroups: boolean): void {
  if (node === old)
    throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Can't replace "${old.name}" by itself.`);
  if (node.getParent()) {
    throw new SceneTreeError(
      "ERR_ALREADY_HAS_PARENT",
      `Can't replace "${old.name}" by "${node.name}": it already has a parent "${node.getParent()!.name}".`,
    );
  }
  if (node.isAncestorOf(old)) {
    throw new SceneTreeError(
      "ERR_CYCLIC_PARENT",
      `Can't replace "${old.name}" by its own ancestor "${node.name}".`,
    );
  }
  // Checked before anything changes: Godot drops such a connection with an error, half-replaced.
  const retargeted = incomingConnections(old).filter(
    (c) => c.flags & ConnectFlags.PERSIST && c.callable instanceof Callable && c.callable.target === old,
  );
  for (const { signal, callable } of retargeted) {
    const method = (callable as Callable).method;
    if (typeof (node as unknown as Record<string, unknown>)[method] !== "function") {
      throw new SceneTreeError(
        "ERR_NO_SUCH_METHOD",
        `Can't replace "${old.name}" by "${node.name}": signal "${signal}" is connected to its method "${method}", which "${node.name}" lacks.`,
      );
    }
  }
  const owned = old[NODE].owned ? ([...old[NODE].owned] as Node[]) : [];
  const owner = old[NODE].owner as Node | null;
  if (keepGroups && old[NODE].groups) {
    for (const [group, { persistent }] of old[NODE].groups) node.addToGroup(group, persistent);
  }
  for (const { source, signal, callable, flags } of retargeted) {
    const old = callable as Callable;
    const connect = source.connect as (s: string, c: Callable, f: number) => void;
    source.disconnect(signal as never, old as never);
    connect.call(source, signal, new Callable(node, old.method).bind(...old.boundArgs), flags);
  }
  const ownedByOwner: Node[] = [];
  if (owner) {
    collectOwnedBy(old, owner, ownedByOwner);
    cleanUpOwner(old);
  }
  const parent = old.getParent();
  if (parent) {
    const index = positionOf(old);
    parent.removeChild(old);
    parent.addChild(node);
    parent.moveChild(node, index);
  }
  emitChild(old, "replacingBy", node);
  while (old[NODE].children.length > 0) {
    const child = old[NODE].children[0] as Node;
    old.removeChild(child);
    const childOwner = child[NODE].owner === old ? node : (child[NODE].owner as Node | null);
    child.owner = null;
    node.addChild(child);
    ownIfAncestor(child, childOwner);
  }
  ownIfAncestor(node, owner);
  for (const n of owned) if (n[NODE].owner !== node) ownIfAncestor(n, node);
  for (const n of ownedByOwner) if (n[NODE].owner !== owner) ownIfAncestor(n, owner);
  setSceneSource(node, sceneSourceOf(old));
}

/**
 * Godot's `set_owner` as `replace_by` calls it: an owner that is not an ancestor (a branch taken out
 * of its scene outside a tree keeps its owner) is refused and the node left with none, as Godot's
 * `set_owner` leaves it after its error, instead of stopping half way.
 */
function ownIfAncestor(node: Node, owner: Node | null): void {
  node.owner = owner && owner.isAncestorOf(node) ? owner : null;
}
