import { SceneTree } from "../../../src/scene/SceneTree";
import { Node } from "../../../src/scene/Node";
import { hostOf, NODE, nodeData, NO_CHILDREN, positionOf } from "../../../src/scene/node/data";

/** A node's engine record (src/scene/node/data.ts): kept off the node's own names. */
describe("node data", () => {
  test("the record lives under a symbol: a subclass's own fields named like it do not clash", () => {
    class Mine extends Node {
      _tree = "mine";
      _parent = 1;
      children = "not the engine's";
    }
    const parent = new Node("P");
    const node = new Mine("M");
    parent.addChild(node);
    expect(node.getParent()).toBe(parent);
    expect(nodeData(node)).toBe(node[NODE]);
    expect(nodeData(node).name).toBe("M");
    expect(Object.keys(node)).not.toContain("name");
    expect(node.children).toBe("not the engine's");
  });

  test("leaves share the empty children map until their first child", () => {
    const a = new Node("A");
    const b = new Node("B");
    expect(nodeData(a).childrenByName).toBe(NO_CHILDREN);
    a.addChild(b);
    expect(nodeData(a).childrenByName).not.toBe(NO_CHILDREN);
    expect(NO_CHILDREN.size).toBe(0);
    expect(nodeData(b).childrenByName).toBe(NO_CHILDREN);
  });

  test("positionOf counts from the parent's offset after removals from the front", () => {
    const parent = new Node("P");
    const kids = ["A", "B", "C"].map((name) => new Node(name));
    for (const kid of kids) parent.addChild(kid);
    parent.removeChild(kids[0]);
    expect(nodeData(parent).indexOffset).toBe(1);
    expect(nodeData(kids[2]).index).toBe(2);
    expect(positionOf(kids[2])).toBe(1);
    expect(kids[2].getIndex()).toBe(1);
  });

  test("hostOf: the tree the node is in, else the one it left while that one runs, else none", () => {
    const tree = new SceneTree({ fatalErrors: true });
    const node = new Node("N");
    expect(hostOf(node)).toBeNull();
    tree.root.addChild(node);
    const host = hostOf(node);
    expect(host).not.toBeNull();
    tree.root.removeChild(node);
    expect(nodeData(node).tree).toBeNull();
    expect(hostOf(node)).toBe(host);
    tree.finalize();
    expect(hostOf(node)).toBeNull();
    node.free();
  });
});
