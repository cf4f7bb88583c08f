import { SceneTree } from "../../../src/scene/SceneTree";
import { Node } from "../../../src/scene/Node";
import { NodePath } from "../../../src/scene/NodePath";
import { nodePropsSchema, registerNodeType, unregisterNodeType } from "../../../src/loader";

/** NodePath resolution, %Unique names, getNodeAndResource and findChildren (src/scene/node/lookup.ts). */
describe("node lookup", () => {
  let tree: SceneTree;
  beforeEach(() => (tree = new SceneTree({ fatalErrors: true })));
  afterEach(() => tree.finalize());

  class Stats {
    hp = { max: 10 };
  }
  class Holder extends Node {
    stats = new Stats();
    plain = { a: 1 };
  }
  class Special extends Node {}

  /** Main(A(A1, Gun: Special), B: Holder), owned by Main; Gun unique. */
  function scene() {
    const main = new Node("Main");
    const a = new Node("A");
    const a1 = new Node("A1");
    const gun = new Special("Gun");
    const b = new Holder("B");
    main.addChild(a);
    a.addChild(a1);
    a.addChild(gun);
    main.addChild(b);
    for (const n of [a, a1, gun, b]) n.owner = main;
    gun.uniqueNameInOwner = true;
    tree.root.addChild(main);
    return { main, a, a1, gun, b };
  }

  test("relative paths with . and .., and absolute paths only inside a tree", () => {
    const { main, a, a1, b } = scene();
    expect(a1.getNodeOrNull("../../B")).toBe(b);
    expect(a.getNodeOrNull("./A1/.")).toBe(a1);
    expect(b.getNodeOrNull("/root/Main/A/A1")).toBe(a1);
    expect(b.getNodeOrNull("/Main/A")).toBeNull(); // the first name must be the root's
    expect(main.getNodeOrNull("A/Nope")).toBeNull();
    tree.root.removeChild(main);
    expect(a.getNodeOrNull("/Main/A")).toBeNull(); // out of the tree, no absolute path resolves
    expect(a.getNodeOrNull("../B")).toBe(b);
    main.free();
  });

  test("%Unique resolves from the owner and from any node it owns, not from outside the scene", () => {
    const { main, a1, gun } = scene();
    expect(main.getNodeOrNull("%Gun")).toBe(gun);
    expect(a1.getNodeOrNull("%Gun")).toBe(gun);
    expect(tree.root.getNodeOrNull("%Gun")).toBeNull();
    expect(main.getNodeOrNull("%Gun/..")).toBe(gun.getParent());
    gun.uniqueNameInOwner = false;
    expect(main.getNodeOrNull("%Gun")).toBeNull();
  });

  test("getNodeAndResource steps into class instances, leaving plain data as the property path", () => {
    const { main, b } = scene();
    const [node, resource, rest] = main.getNodeAndResource("B:stats:hp:max");
    expect(node).toBe(b);
    expect(resource).toBe(b.stats);
    expect(rest.toString()).toBe(":hp:max");
    const [node2, resource2, rest2] = main.getNodeAndResource("B:plain:a");
    expect([node2, resource2, rest2.toString()]).toEqual([b, null, ":plain:a"]);
    const missing = main.getNodeAndResource("B:nope");
    expect([missing[0], missing[1], missing[2].isEmpty()]).toEqual([null, null, true]);
    // Godot keeps the resource found before the missing subname (its r_res is already set)
    const partial = main.getNodeAndResource("B:stats:nope");
    expect([partial[0], partial[1], partial[2].isEmpty()]).toEqual([null, b.stats, true]);
    expect(main.hasNodeAndResource(new NodePath("B:stats"))).toBe(true);
  });

  test("findChildren: wildcards, type by class or name, owned only, depth first", () => {
    const { main, a, a1, gun, b } = scene();
    const unowned = new Node("A9");
    a.addChild(unowned);
    expect(main.findChildren("*")).toEqual([a, a1, gun, b]);
    expect(main.findChildren("", "Node")).toEqual([a, a1, gun, b]); // "" with a type: every one of that type
    expect(() => main.findChildren("")).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    expect(main.findChildren("", "Object")).toEqual([a, a1, gun, b]);
    expect(main.findChildren("A?")).toEqual([a1]);
    expect(main.findChildren("A?", undefined, true, false)).toEqual([a1, unowned]);
    expect(main.findChildren("*", Special)).toEqual([gun]);
    expect(main.findChildren("*", "Node")).toEqual([a, a1, gun, b]);
    expect(main.findChildren("*", "Holder")).toEqual([b]);
    registerNodeType("Enemy", Holder, nodePropsSchema); // a script's class_name: found by that name too
    try {
      expect(main.findChildren("*", "Enemy")).toEqual([b]);
    } finally {
      unregisterNodeType("Enemy");
    }
    expect(main.findChildren("*", "Enemy")).toEqual([]);
    expect(main.findChildren("*", undefined, false)).toEqual([a, b]);
    expect(main.findChild("*1")).toBe(a1);
    expect(main.findChild("G*", false)).toBeNull();
  });
});
