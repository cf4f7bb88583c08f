import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { Callable } from "../../src/scene/Callable";
import { ConnectFlags } from "../../src/scene/GodotObject";
import { parseScene } from "../../src";

class Target extends Node {
  hits: string[] = [];
  hit(tag: string): void {
    this.hits.push(tag);
  }
}

describe("Node#replaceBy", () => {
  let tree: SceneTree;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
  });

  afterEach(() => tree.finalize());

  /** Main(A, Old(Sub(Leaf)), B): everything owned by Main, Leaf owned by Sub (a sub-scene root). */
  function scene() {
    const main = new Node("Main");
    const a = new Node("A");
    const old = new Target("Old");
    const sub = new Node("Sub");
    const leaf = new Node("Leaf");
    const b = new Node("B");
    main.addChild(a);
    main.addChild(old);
    old.addChild(sub);
    sub.addChild(leaf);
    main.addChild(b);
    for (const n of [a, old, sub, b]) n.owner = main;
    leaf.owner = sub;
    sub.uniqueNameInOwner = true;
    tree.root.addChild(main);
    return { main, a, old, sub, leaf, b };
  }

  it("takes the node's place: same index, its children, owners and unique names kept", () => {
    const { main, old, sub, leaf } = scene();
    const replacement = new Target("New");
    old.replaceBy(replacement);
    expect(main.getChildren().map((c) => c.name)).toEqual(["A", "New", "B"]);
    expect(replacement.getChildren()).toEqual([sub]);
    expect([replacement.owner, sub.owner, leaf.owner]).toEqual([main, main, sub]);
    expect(main.getNode("%Sub")).toBe(sub);
    expect(old.isInsideTree()).toBe(false);
    expect(old.getChildCount()).toBe(0);
    expect(old.isInstanceValid()).toBe(true); // replaced, not freed
  });

  it("gives nodes the replaced node owned to the replacement", () => {
    const { old } = scene();
    const inner = new Node("Inner");
    old.getNode("Sub").addChild(inner);
    inner.owner = old;
    const replacement = new Target("New");
    old.replaceBy(replacement);
    expect(inner.owner).toBe(replacement);
  });

  it("emits replacingBy once the replacement is in place, before the children move", () => {
    const { main, old } = scene();
    const replacement = new Target("New");
    const seen: unknown[] = [];
    old.connect("replacingBy", (node) =>
      seen.push([node === replacement, node.getParent() === main, old.getChildCount()]),
    );
    old.replaceBy(replacement);
    expect(seen).toEqual([[true, true, 1]]);
  });

  it("retargets persistent connections to the replacement; others stay with the old node", () => {
    const { old, a } = scene();
    a.connect("renamed", new Callable(old, "hit").bind("scene"), ConnectFlags.PERSIST);
    a.connect("renamed", new Callable(old, "hit").bind("code"));
    const replacement = new Target("New");
    old.replaceBy(replacement);
    a.name = "A2";
    expect(replacement.hits).toEqual(["scene"]);
    expect(old.hits).toEqual(["code"]);
  });

  it("keeps the groups with keepGroups, and not without", () => {
    const { old } = scene();
    old.addToGroup("g");
    const kept = new Target("Kept");
    old.replaceBy(kept, true);
    expect(tree.getNodesInGroup("g")).toEqual([kept]);
    const dropped = new Target("Dropped");
    kept.replaceBy(dropped);
    expect(tree.getNodesInGroup("g")).toEqual([]);
    expect(dropped.isInGroup("g")).toBe(false);
  });

  it("carries the scene file the replaced node was instanced from", () => {
    const instance = parseScene(JSON.stringify({ format: 1, root: { name: "I", type: "Node" } }), {
      file: "i.scene.json",
    }).instantiate();
    tree.root.addChild(instance);
    const replacement = new Node("R");
    instance.replaceBy(replacement);
    expect(replacement.sceneFilePath).toBe("i.scene.json");
  });

  it("refuses a replacement with a parent, or one lacking a connected method, and changes nothing", () => {
    const { main, old, a } = scene();
    expect(() => old.replaceBy(a)).toThrow(expect.objectContaining({ code: "ERR_ALREADY_HAS_PARENT" }));
    a.connect("renamed", new Callable(old, "hit").bind("x"), ConnectFlags.PERSIST);
    expect(() => old.replaceBy(new Node("Plain"))).toThrow(
      expect.objectContaining({ code: "ERR_NO_SUCH_METHOD" }),
    );
    expect(main.getChildren().map((c) => c.name)).toEqual(["A", "Old", "B"]);
    expect(old.getChildCount()).toBe(1);
    expect(a.isConnected("renamed", new Callable(old, "hit").bind("x") as never)).toBe(true);
    expect(() => old.replaceBy(old)).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
  });
});
