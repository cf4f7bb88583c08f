import { SceneTreeError } from "../../core/errors";
import {
  INTERNAL_PHYSICS_ENABLED,
  INTERNAL_PROCESS_ENABLED,
  NODE as NODE_KEY,
  PHYSICS_ENABLED,
  PROCESS_ENABLED,
  hasFlag,
  type NodeLike,
} from "./data";
import { notify } from "./guard";
import {
  NOTIFICATION_DISABLED,
  NOTIFICATION_ENABLED,
  NOTIFICATION_PAUSED,
  NOTIFICATION_SUSPENDED,
  NOTIFICATION_UNPAUSED,
  NOTIFICATION_UNSUSPENDED,
} from "./notifications";
import { ProcessMode, modeAllows } from "./processMode";
import { walkBlocked } from "./walk";

// Read once: under tsx an imported binding costs a getter call per use, and this one is on every path.
const NODE: typeof NODE_KEY = NODE_KEY;

/**
 * The process mode of `node` (inside a tree) after resolving INHERIT up the parents (the root counts
 * as PAUSABLE). Cached per node and invalidated tree-wide whenever a mode or the tree's shape changes,
 * so the frame loop pays one comparison per node instead of a walk up the parents.
 */
export function effectiveProcessMode(node: NodeLike): ProcessMode {
  const data = node[NODE];
  const epoch = data.tree!.modeEpoch;
  if (data.modeEpoch === epoch) return data.effectiveMode;
  let top = data;
  while (top.processMode === ProcessMode.INHERIT && top.parent) top = top.parent[NODE];
  const mode = top.processMode === ProcessMode.INHERIT ? ProcessMode.PAUSABLE : top.processMode;
  data.effectiveMode = mode;
  data.modeEpoch = epoch;
  return mode;
}

/**
 * Godot 4's `can_process`: false outside a tree and while the tree is suspended, else what the node's
 * (inherited) process mode allows under the tree's pause.
 */
export function canProcess(node: NodeLike): boolean {
  const tree = node[NODE].tree;
  return tree !== null && !tree.suspended && modeAllows(effectiveProcessMode(node), tree.paused);
}

/** Puts the node in or out of its tree's process lists after a processing flag changed. */
export function updateProcessLists(node: NodeLike): void {
  const data = node[NODE];
  const tree = data.tree;
  if (!tree) return;
  tree.setInProcessList(
    node,
    false,
    hasFlag(data, PROCESS_ENABLED) || hasFlag(data, INTERNAL_PROCESS_ENABLED),
  );
  tree.setInProcessList(
    node,
    true,
    hasFlag(data, PHYSICS_ENABLED) || hasFlag(data, INTERNAL_PHYSICS_ENABLED),
  );
  tree.processingChanged(node);
}

/** Godot's `set_process_mode`. */
export function setProcessMode(node: NodeLike, mode: ProcessMode): void {
  if (!(mode in ProcessMode))
    throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid process mode: ${mode}.`);
  const data = node[NODE];
  const tree = data.tree;
  if (mode === ProcessMode.INHERIT && tree && !data.parent) {
    throw new SceneTreeError("ERR_INVALID_ARGUMENT", "The root node can't be set to Inherit process mode.");
  }
  if (mode === data.processMode) return;
  const before = tree ? effectiveProcessMode(node) : mode;
  data.processMode = mode;
  if (!tree) return; // cached modes are resolved afresh when the subtree enters a tree
  tree.modeEpoch++; // every cached effective mode in this tree may be stale now
  tree.processingChanged(null);
  // The node and the descendants inheriting from it hear whether they can now process (PAUSED /
  // UNPAUSED) and whether they are now enabled (DISABLED / ENABLED).
  const after = effectiveProcessMode(node);
  // Godot compares can_process() before and after, which a suspended tree makes false both times.
  const couldProcess = !tree.suspended && modeAllows(before, tree.paused);
  const nowProcess = !tree.suspended && modeAllows(after, tree.paused);
  const pause = couldProcess === nowProcess ? 0 : nowProcess ? NOTIFICATION_UNPAUSED : NOTIFICATION_PAUSED;
  const wasEnabled = before !== ProcessMode.DISABLED;
  const isEnabled = after !== ProcessMode.DISABLED;
  const enabled = wasEnabled === isEnabled ? 0 : isEnabled ? NOTIFICATION_ENABLED : NOTIFICATION_DISABLED;
  if (pause !== 0 || enabled !== 0) propagateProcessOwner(node, pause, enabled);
}

/** Godot's `_propagate_process_owner`: the notifications go down through children that inherit. */
function propagateProcessOwner(root: NodeLike, pause: number, enabled: number): void {
  const visit = (node: NodeLike): void => {
    if (pause !== 0) notify(node, pause, pause === NOTIFICATION_PAUSED ? "PAUSED" : "UNPAUSED");
    if (enabled !== 0) notify(node, enabled, enabled === NOTIFICATION_ENABLED ? "ENABLED" : "DISABLED");
  };
  walkBlocked(root, visit, (child) => child[NODE].processMode === ProcessMode.INHERIT);
}

/** Godot's `_propagate_pause_notification`, from SceneTree's pause setter: every node, parents first. */
export function propagatePauseNotification(root: NodeLike, paused: boolean): void {
  walkBlocked(
    root,
    (node) => {
      // Parents come first, so an inheriting node reads its parent's freshly cached mode: no walk up.
      const data = node[NODE];
      const epoch = data.tree!.modeEpoch;
      const parent = data.parent?.[NODE];
      let mode = data.processMode;
      if (mode === ProcessMode.INHERIT) {
        mode = parent && parent.modeEpoch === epoch ? parent.effectiveMode : effectiveProcessMode(node);
      }
      data.effectiveMode = mode;
      data.modeEpoch = epoch;
      const couldProcess = modeAllows(mode, !paused);
      const nowProcess = modeAllows(mode, paused);
      if (couldProcess && !nowProcess) notify(node, NOTIFICATION_PAUSED, "PAUSED");
      else if (!couldProcess && nowProcess) notify(node, NOTIFICATION_UNPAUSED, "UNPAUSED");
    },
    () => true,
  );
}

/** Godot 4's `_propagate_suspend_notification`, from SceneTree's `set_suspend`: every node, parents first. */
export function propagateSuspendNotification(root: NodeLike, suspended: boolean): void {
  const what = suspended ? NOTIFICATION_SUSPENDED : NOTIFICATION_UNSUSPENDED;
  const label = suspended ? "SUSPENDED" : "UNSUSPENDED";
  walkBlocked(
    root,
    (node) => notify(node, what, label),
    () => true,
  );
}
