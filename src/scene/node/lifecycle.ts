/**
 * Entering, getting ready and leaving the tree, as Godot's `_propagate_enter_tree`, `_propagate_ready`,
 * `_propagate_exit_tree` and `_propagate_after_exit_tree` (scene/main/node.cpp). Godot recurses; these
 * walk with explicit stacks in the same order, so a tree of any depth works.
 */
import type { TreeHost } from "./data";
import {
  DELETE_WHEN_ENTERED,
  NODE as NODE_KEY,
  READY_FIRST,
  READY_NOTIFIED,
  hasFlag,
  setFlag,
  type NodeLike,
} from "./data";
import * as emit from "./emit";
import * as groups from "./groups";
import * as guards from "./guard";
import * as notifications from "./notifications";
import * as owner from "./owner";
import * as processing from "./processing";

// Read once: under tsx an imported binding costs a getter call per use, and these are on every path.
const NODE: typeof NODE_KEY = NODE_KEY;
const { emitChild, emitNoArgs } = emit;
const { guard, notify } = guards;
const { NOTIFICATION_ENTER_TREE, NOTIFICATION_EXIT_TREE, NOTIFICATION_POST_ENTER_TREE, NOTIFICATION_READY } =
  notifications;
const { cleanUpOwner } = owner;
const { updateProcessLists } = processing;
const { joinTreeGroups } = groups;

const ENTERING = "entering the tree (in _enterTree or a treeEntered handler)";
const READYING = "getting ready (in _ready or a ready handler)";
const EXITING = "leaving the tree (in _exitTree or a treeExiting handler)";

/** Node's own `_process` and `_physicsProcess`: overriding one turns that processing on at ready. */
let baseProcess: unknown = null;
let basePhysicsProcess: unknown = null;

/** Called once by Node: the base virtuals `readyOwn` compares overrides against. */
export function setBaseVirtuals(base: { _process: unknown; _physicsProcess: unknown }): void {
  baseProcess = base._process;
  basePhysicsProcess = base._physicsProcess;
}

/** Enters or leaves `tree` with the whole subtree, then readies it if the parent is ready. */
export function setTree(node: NodeLike, tree: TreeHost | null): void {
  const data = node[NODE];
  if (data.tree) propagateExitTree(node);
  if (tree) {
    data.tree = tree;
    propagateEnterTree(node);
    // A node that left the tree again while entering is not readied outside it.
    if (data.tree === tree && (!data.parent || hasFlag(data.parent[NODE], READY_NOTIFIED)))
      propagateReady(node);
  }
  // As Godot's _set_tree: once the node has entered (and is ready), the tree hears of it once more.
  // Leaving adds nothing: each node that left already told its tree in exitOwn, and Godot's
  // `tree_changed_a = data.tree;` reads the tree after `_propagate_exit_tree()` has cleared it, so
  // its `tree_changed_a->tree_changed()` never runs (the godot3 tree_signals trace shows the same).
  tree?.treeChanged();
}

/** Parents first; each node's children in children-map order, added during `_enterTree` included. */
function propagateEnterTree(root: NodeLike): void {
  enterOwn(root);
  const rootData = root[NODE];
  if (rootData.childrenByName.size === 0) return;
  const stack: Array<{ node: NodeLike; children: Iterator<NodeLike> }> = [];
  rootData.blocked++;
  stack.push({ node: root, children: rootData.childrenByName.values() });
  try {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const next = frame.children.next();
      if (next.done) {
        frame.node[NODE].blocked--;
        stack.pop();
        continue;
      }
      const child = next.value;
      const data = child[NODE];
      // Skipped: a child already in (added during _enterTree), or below a node that left meanwhile.
      if (data.tree || !frame.node[NODE].tree) continue;
      enterOwn(child);
      if (data.childrenByName.size > 0) {
        data.blocked++;
        stack.push({ node: child, children: data.childrenByName.values() });
      }
    }
  } finally {
    for (const frame of stack) frame.node[NODE].blocked--;
  }
}

function enterOwn(node: NodeLike): void {
  const data = node[NODE];
  data.modeEpoch = -1; // new ancestors: resolve the inherited process mode afresh
  const parent = data.parent;
  if (parent) {
    data.tree = parent[NODE].tree;
    data.depth = parent[NODE].depth + 1;
  } else {
    data.depth = 1;
  }
  const tree = data.tree!;
  beginBusy(tree, node, ENTERING);
  try {
    joinTreeGroups(node, true);
    updateProcessLists(node);
    notify(node, NOTIFICATION_ENTER_TREE, "ENTER_TREE");
    guard(node, "_enterTree", node._enterTree);
    emitNoArgs(node, "treeEntered");
    tree.nodeAdded(node);
    if (parent) emitChild(parent, "childEnteredTree", node);
  } finally {
    endBusy(tree);
  }
  if (data.pending !== null || hasFlag(data, DELETE_WHEN_ENTERED)) handOverPending(node, tree);
}

/** What the node was asked to defer while outside any tree goes to the tree it entered. */
function handOverPending(node: NodeLike, tree: TreeHost): void {
  const data = node[NODE];
  const pending = data.pending;
  data.pending = null;
  if (pending) for (const { label, call } of pending) tree.messageQueue.push(node, label, call);
  if (hasFlag(data, DELETE_WHEN_ENTERED)) {
    setFlag(data, DELETE_WHEN_ENTERED, false);
    tree.queueDelete(node);
  }
}

/** Children first (in children-map order), then the node. */
function propagateReady(root: NodeLike): void {
  const rootData = root[NODE];
  setFlag(rootData, READY_NOTIFIED, true);
  if (rootData.childrenByName.size === 0) {
    readyOwn(root);
    return;
  }
  const stack: Array<{ node: NodeLike; children: Iterator<NodeLike> }> = [];
  rootData.blocked++;
  stack.push({ node: root, children: rootData.childrenByName.values() });
  try {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const next = frame.children.next();
      if (next.done) {
        stack.pop();
        frame.node[NODE].blocked--;
        readyOwn(frame.node);
        continue;
      }
      const child = next.value;
      const data = child[NODE];
      setFlag(data, READY_NOTIFIED, true);
      if (data.childrenByName.size > 0) {
        data.blocked++;
        stack.push({ node: child, children: data.childrenByName.values() });
      } else {
        readyOwn(child);
      }
    }
  } finally {
    for (const frame of stack) frame.node[NODE].blocked--;
  }
}

function readyOwn(node: NodeLike): void {
  const data = node[NODE];
  const tree = data.tree!;
  beginBusy(tree, node, READYING);
  try {
    notify(node, NOTIFICATION_POST_ENTER_TREE, "POST_ENTER_TREE");
    if (hasFlag(data, READY_FIRST)) {
      setFlag(data, READY_FIRST, false);
      // As Godot's NOTIFICATION_READY: overriding a process virtual turns that processing on first.
      if (node._process !== baseProcess) node.setProcess(true);
      if (node._physicsProcess !== basePhysicsProcess) node.setPhysicsProcess(true);
      guard(node, "_ready", node._ready);
      notify(node, NOTIFICATION_READY, "READY");
      emitNoArgs(node, "ready");
    }
  } finally {
    endBusy(tree);
  }
}

/** Children first, last child first (the children map walked backwards), then the node. */
function propagateExitTree(root: NodeLike): void {
  if (root[NODE].childrenByName.size === 0) {
    exitOwn(root);
    return;
  }
  const stack: Array<{ node: NodeLike; children: NodeLike[]; i: number }> = [];
  const push = (node: NodeLike): void => {
    const data = node[NODE];
    data.blocked++;
    const children = [...data.childrenByName.values()];
    stack.push({ node, children, i: children.length - 1 });
  };
  push(root);
  try {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.i < 0) {
        stack.pop();
        frame.node[NODE].blocked--;
        exitOwn(frame.node);
        continue;
      }
      const child = frame.children[frame.i--];
      if (!child[NODE].tree) continue;
      if (child[NODE].childrenByName.size > 0) push(child);
      else exitOwn(child);
    }
  } finally {
    for (const frame of stack) frame.node[NODE].blocked--;
  }
}

function exitOwn(node: NodeLike): void {
  const data = node[NODE];
  const tree = data.tree!;
  beginBusy(tree, node, EXITING);
  try {
    guard(node, "_exitTree", node._exitTree);
    emitNoArgs(node, "treeExiting");
    notify(node, NOTIFICATION_EXIT_TREE, "EXIT_TREE");
    tree.setInProcessList(node, false, false);
    tree.setInProcessList(node, true, false);
    tree.nodeRemoved(node);
    if (data.parent) emitChild(data.parent, "childExitingTree", node);
    joinTreeGroups(node, false);
    tree.treeChanged();
  } finally {
    endBusy(tree);
  }
  setFlag(data, READY_NOTIFIED, false);
  data.lastTree = tree;
  data.tree = null;
  data.depth = -1;
}

/**
 * `treeExited` after the whole subtree has left, children first (last child first). An owner that is
 * no longer an ancestor is cleared first, as Godot's `_propagate_after_exit_tree`.
 */
export function propagateAfterExitTree(root: NodeLike, emitExited: boolean): void {
  // Inside the detached subtree, a node's ancestors are the nodes on the walk's path: a set lookup
  // instead of a walk up the parents per node.
  const onPath = new Set<NodeLike>();
  const stack: Array<{ node: NodeLike; children: NodeLike[]; i: number }> = [];
  const enter = (node: NodeLike): boolean => {
    const data = node[NODE];
    const owner = data.owner;
    if (owner && !(onPath.has(owner) || (node === root && owner.isAncestorOf(node)))) cleanUpOwner(node);
    if (data.childrenByName.size === 0) return false;
    data.blocked++;
    onPath.add(node);
    const children = [...data.childrenByName.values()];
    stack.push({ node, children, i: children.length - 1 });
    return true;
  };
  if (!enter(root)) {
    if (emitExited) emitNoArgs(root, "treeExited");
    return;
  }
  try {
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.i >= 0) {
        const child = frame.children[frame.i--];
        if (!enter(child) && emitExited) emitNoArgs(child, "treeExited");
        continue;
      }
      stack.pop();
      onPath.delete(frame.node);
      frame.node[NODE].blocked--;
      if (emitExited) emitNoArgs(frame.node, "treeExited");
    }
  } finally {
    for (const frame of stack) frame.node[NODE].blocked--;
  }
}

/** `node` is busy with `phase` on its tree (what ERR_BUSY names) until {@link endBusy}. */
function beginBusy(tree: TreeHost, node: NodeLike, phase: string): void {
  tree.busyNodes.push(node);
  tree.busyPhases.push(phase);
}

function endBusy(tree: TreeHost): void {
  tree.busyNodes.pop();
  tree.busyPhases.pop();
}
