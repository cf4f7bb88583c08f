import { Node } from "../../../src/scene/Node";

/** Owners and %unique names (src/scene/node/owner.ts): Godot's set_owner and unique_name_in_owner. */
describe("owner", () => {
  it("an owner must be an ancestor; clearing it forgets the node's unique name there", () => {
    const main = new Node("Main");
    const child = new Node("Child");
    main.addChild(child);
    expect(() => (main.owner = child)).toThrow(expect.objectContaining({ code: "ERR_INVALID_OWNER" }));
    child.owner = main;
    child.uniqueNameInOwner = true;
    expect(main.getNode("%Child")).toBe(child);
    child.owner = null;
    expect(main.getNodeOrNull("%Child")).toBeNull();
    main.free();
  });

  it("a refused unique name changes nothing: the flag, the owner and %Name stay as they were", () => {
    const main = new Node("Main");
    const [a, b, first, second] = ["A", "B", "Uniq", "Uniq"].map((name) => new Node(name));
    main.addChild(a);
    main.addChild(b);
    a.addChild(first);
    b.addChild(second);
    for (const n of [a, b, first, second]) n.owner = main;
    first.uniqueNameInOwner = true;
    expect(() => (second.uniqueNameInOwner = true)).toThrow(
      expect.objectContaining({ code: "ERR_UNIQUE_NAME_TAKEN" }),
    );
    expect(second.uniqueNameInOwner).toBe(false);
    expect(main.getNode("%Uniq")).toBe(first);
    // Giving an owner that already has the name: the node keeps no owner, the holder keeps the name.
    const c = new Node("C");
    main.addChild(c);
    const third = new Node("Uniq");
    third.uniqueNameInOwner = true;
    c.addChild(third);
    expect(() => (third.owner = main)).toThrow(expect.objectContaining({ code: "ERR_UNIQUE_NAME_TAKEN" }));
    expect([third.owner, third.uniqueNameInOwner, main.getNode("%Uniq")]).toEqual([null, true, first]);
    // Renaming a unique node to a name its owner has: the old name and its %Name stay.
    const other = new Node("Other");
    c.addChild(other);
    other.owner = main;
    other.uniqueNameInOwner = true;
    third.free();
    expect(() => (other.name = "Uniq")).toThrow(expect.objectContaining({ code: "ERR_UNIQUE_NAME_TAKEN" }));
    expect([other.name, main.getNode("%Other"), main.getNode("%Uniq")]).toEqual(["Other", other, first]);
    main.free();
  });
});
