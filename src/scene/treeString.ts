import { nodeData as dataOf, type NodeLike as Node } from "./node/data";
import { SceneTreeError } from "../core/errors";

// Read once: under tsx an imported binding costs a getter call per use.
const nodeData = dataOf;

/**
 * Most characters `getTreeStringPretty` / `printTreePretty` build. Each line repeats its depth as a
 * prefix, so the text grows with the square of a deep tree's height (a chain 100,000 deep would be
 * 15 billion characters, far past what a string can hold): past this the call is `ERR_LIMIT`.
 */
export const MAX_TREE_STRING_LENGTH = 64 * 1024 * 1024;

const BRANCH = " ┠╴";
const LAST = " ┖╴";
const PIPE = " ┃ ";
const SPACE = "   ";

/** Godot 4's `get_tree_string_pretty`, walked with an explicit stack so any depth works. */
export function treeStringPretty(root: Node): string {
  if (measure(root) > MAX_TREE_STRING_LENGTH) {
    throw new SceneTreeError(
      "ERR_LIMIT",
      `The tree string of "${nodeData(root).name}" would be over MAX_TREE_STRING_LENGTH (${MAX_TREE_STRING_LENGTH} characters; ` +
        "each line repeats its depth). Print a smaller subtree, or walk getChildren() yourself.",
    );
  }
  const lines: string[] = [];
  const stack: Array<{ node: Node; prefix: string; last: boolean }> = [
    { node: root, prefix: "", last: true },
  ];
  while (stack.length > 0) {
    const { node, prefix, last } = stack.pop()!;
    lines.push(prefix + (last ? LAST : BRANCH) + nodeData(node).name);
    const children = nodeData(node).children;
    const childPrefix = prefix + (last ? SPACE : PIPE);
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i], prefix: childPrefix, last: i === children.length - 1 });
    }
  }
  return lines.join("\n") + "\n";
}

/**
 * Godot 4's `get_tree_string`: one line per node of the subtree, its path from `root` ("." for `root`
 * itself), parents before children. Each line repeats its ancestors' names, so it has the same limit.
 */
export function treeString(root: Node): string {
  const lines: string[] = [];
  let total = 0;
  const stack: Array<{ node: Node; path: string }> = [{ node: root, path: "." }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    total += path.length + 1;
    if (total > MAX_TREE_STRING_LENGTH) {
      throw new SceneTreeError(
        "ERR_LIMIT",
        `The tree string of "${nodeData(root).name}" would be over MAX_TREE_STRING_LENGTH (${MAX_TREE_STRING_LENGTH} characters; ` +
          "each line repeats its ancestors). Print a smaller subtree, or walk getChildren() yourself.",
      );
    }
    lines.push(path);
    const children = nodeData(node).children;
    const base = node === root ? "" : `${path}/`;
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push({ node: children[i], path: base + nodeData(children[i]).name });
    }
  }
  return lines.join("\n") + "\n";
}

/** Characters the tree string of `root` has, counted without building it (stops once over the limit). */
function measure(root: Node): number {
  let total = 0;
  const stack: Array<{ node: Node; level: number }> = [{ node: root, level: 0 }];
  while (stack.length > 0) {
    const { node, level } = stack.pop()!;
    total += level * PIPE.length + LAST.length + nodeData(node).name.length + 1;
    if (total > MAX_TREE_STRING_LENGTH) return total;
    for (const child of nodeData(node).children) stack.push({ node: child, level: level + 1 });
  }
  return total;
}
