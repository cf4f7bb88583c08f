import { NODE as NODE_KEY, type NodeLike } from "./data";

// Read once: under tsx an imported binding costs a getter call per use, and this one is on every path.
const NODE: typeof NODE_KEY = NODE_KEY;

export const DESCEND = 0;
export const SKIP = 1;
export const STOP = 2;

/**
 * Visits the descendants of `root` in tree order (parents first, children by index) with an explicit
 * stack, so any depth works; `visit` returns SKIP not to go below a node, STOP to end the walk.
 */
export function walkDescendants(root: NodeLike, visit: (node: NodeLike) => number): void {
  const stack: Array<{ children: readonly NodeLike[]; i: number }> = [];
  if (root[NODE].children.length > 0) stack.push({ children: root[NODE].children, i: 0 });
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.i >= frame.children.length) {
      stack.pop();
      continue;
    }
    const node = frame.children[frame.i++];
    const next = visit(node);
    if (next === STOP) return;
    const children = node[NODE].children;
    if (next === DESCEND && children.length > 0) stack.push({ children, i: 0 });
  }
}

/** `walkDescendants` for visits that look at every descendant. */
export function forEachDescendant<N extends NodeLike>(root: N, visit: (node: N) => void): void {
  walkDescendants(root, (node) => {
    visit(node as N);
    return DESCEND;
  });
}

/**
 * Pre-order over the subtree in children-map order (as Godot's propagate loops), with an explicit
 * stack. Each node is blocked while its children are visited, and during its own visit too with
 * `blockOwnVisit` (as `propagate_notification` does). `descend` picks the children to visit.
 */
export function walkBlocked(
  root: NodeLike,
  visit: (node: NodeLike) => void,
  descend: (child: NodeLike) => boolean,
  blockOwnVisit = false,
): void {
  const stack: Array<{ node: NodeLike; children: Iterator<NodeLike> }> = [];
  const enter = (node: NodeLike): void => {
    const data = node[NODE];
    if (blockOwnVisit) data.blocked++;
    try {
      visit(node);
    } catch (error) {
      if (blockOwnVisit) data.blocked--;
      throw error;
    }
    if (data.childrenByName.size === 0) {
      if (blockOwnVisit) data.blocked--;
      return;
    }
    if (!blockOwnVisit) data.blocked++;
    stack.push({ node, children: data.childrenByName.values() });
  };
  try {
    enter(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const next = frame.children.next();
      if (next.done) {
        frame.node[NODE].blocked--;
        stack.pop();
      } else if (descend(next.value)) {
        enter(next.value);
      }
    }
  } finally {
    for (const frame of stack) frame.node[NODE].blocked--;
  }
}

/**
 * Children first: each node is visited once its whole subtree has been (Godot's `propagate_call`
 * without `parent_first`); every node is blocked from its children's visits to its own.
 */
export function walkChildrenFirst(root: NodeLike, visit: (node: NodeLike) => void): void {
  const stack: Array<{ node: NodeLike; children: Iterator<NodeLike> }> = [];
  const enter = (node: NodeLike): void => {
    node[NODE].blocked++;
    stack.push({ node, children: node[NODE].childrenByName.values() });
  };
  try {
    enter(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const next = frame.children.next();
      if (!next.done) {
        enter(next.value);
        continue;
      }
      stack.pop();
      try {
        visit(frame.node);
      } finally {
        frame.node[NODE].blocked--;
      }
    }
  } finally {
    for (const frame of stack) frame.node[NODE].blocked--;
  }
}
