import { GroupRegistry } from "../../src/scene/GroupRegistry";
import { Node } from "../../src/scene/Node";

describe("GroupRegistry", () => {
  it("lists members in tree order and forgets empty groups", () => {
    const root = new Node("R");
    const a = new Node("A");
    const b = new Node("B");
    const a1 = new Node("A1");
    root.addChild(a);
    root.addChild(b);
    a.addChild(a1);
    const groups = new GroupRegistry();
    groups.add("g", b);
    groups.add("g", a1);
    groups.add("g", a);
    expect(groups.ordered("g")).toEqual([a, a1, b]);
    root.moveChild(b, 0);
    groups.invalidateOrder();
    expect(groups.ordered("g")).toEqual([b, a, a1]);
    for (const n of [a, a1, b]) groups.remove("g", n);
    expect(groups.size("g")).toBe(0);
    expect(groups.ordered("g")).toEqual([]);
  });
});
