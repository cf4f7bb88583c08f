import { SceneTreeError } from "../../core/errors";
import { describeObject } from "../GodotObject";
import { FREEING, NODE as NODE_KEY, hasFlag, setFlag, type NodeLike } from "./data";
import { removeChild } from "./children";
import { notify } from "./guard";
import { NOTIFICATION_PREDELETE } from "./notifications";
import { cleanUpOwner } from "./owner";

// Read once: under tsx an imported binding costs a getter call per use, and this one is on every path.
const NODE: typeof NODE_KEY = NODE_KEY;

/**
 * Godot's `free()` of a node: it leaves its parent (the subtree exits the tree), then its children are
 * freed last first. Godot frees children from inside NOTIFICATION_PREDELETE, recursively; an explicit
 * stack keeps that order (each node: PREDELETE, leave the parent, free the children, then gone) at any
 * depth. `ownFree(node)` tells whether a class has its own `free()` (then it runs, and must call super);
 * `finish(node)` marks one node freed.
 */
export function freeNode(
  root: NodeLike,
  ownFree: (node: NodeLike) => boolean,
  finish: (node: NodeLike) => void,
): void {
  assertCanFree(root);
  const stack: Array<{ node: NodeLike; pending: NodeLike[] }> = [];
  const begin = (node: NodeLike): void => {
    beginFree(node);
    stack.push({ node, pending: [...node[NODE].childrenByName.values()] });
  };
  const selfFreed = new Set<NodeLike>();
  begin(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const child = frame.pending.pop();
    if (child !== undefined) {
      if (child[NODE].parent !== frame.node || hasFlag(child[NODE], FREEING)) continue;
      if (!ownFree(child)) {
        begin(child);
      } else {
        selfFreed.add(child); // a class's own free() runs, as before
        child.free();
      }
    } else if (frame.node[NODE].childrenByName.size > 0) {
      // Children added while their siblings were being freed go too, as Godot's `while (children)`.
      frame.pending = [...frame.node[NODE].childrenByName.values()].filter((c) => !hasFlag(c[NODE], FREEING));
      const kept = frame.pending.find((c) => selfFreed.has(c));
      if (kept)
        throw new Error(
          `${kept.constructor.name}.free() did not call super.free(); "${kept[NODE].name}" is still a child.`,
        );
    } else {
      stack.pop();
      finish(frame.node);
    }
  }
}

/** Godot's NOTIFICATION_PREDELETE for this node alone: the notification, owners, the parent. */
function beginFree(node: NodeLike): void {
  const data = node[NODE];
  setFlag(data, FREEING, true);
  notify(node, NOTIFICATION_PREDELETE, "PREDELETE");
  if (data.owner) cleanUpOwner(node);
  if (data.owned) for (const owned of [...data.owned]) cleanUpOwner(owned);
  if (data.parent) removeChild(data.parent, node);
}

function assertCanFree(node: NodeLike): void {
  const data = node[NODE];
  const parent = data.parent;
  let reason: string | null = null;
  if (data.blocked > 0) reason = "it is busy with its children (they are entering, getting ready or leaving)";
  else if (parent && parent[NODE].blocked > 0) {
    reason = `its parent "${describeObject(parent)}" is busy with its children (they are entering, getting ready or leaving)`;
  } else if (data.tree) {
    const { busyNodes, busyPhases } = data.tree;
    for (let i = busyNodes.length - 1; i >= 0 && reason === null; i--) {
      const busy = busyNodes[i];
      if (busy === node) reason = `it is ${busyPhases[i]}`;
      else if (node.isAncestorOf(busy))
        reason = `its descendant "${describeObject(busy)}" is ${busyPhases[i]}`;
    }
  }
  if (reason !== null) {
    throw new SceneTreeError(
      "ERR_BUSY",
      `Can't free "${describeObject(node)}" now: ${reason}. Use queueFree() instead, which frees it at the end of the frame.`,
    );
  }
}
