import { Node } from "../../src/scene/Node";

/** A new node `name` added under `parent` and owned by `owner`, as a scene being built has them. */
export function owned(owner: Node, parent: Node, name: string): Node {
  const node = new Node(name);
  parent.addChild(node);
  node.owner = owner;
  return node;
}

/** The names of `node`'s children, in order. */
export const childNames = (node: Node): string[] => node.getChildren().map((child) => child.name);
