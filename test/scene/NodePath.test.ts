import { NodePath } from "../../src/scene/NodePath";

describe("NodePath", () => {
  it("parses relative, absolute, unique and property paths", () => {
    const relative = new NodePath("../A/B");
    expect(relative.isAbsolute()).toBe(false);
    expect(relative.names).toEqual(["..", "A", "B"]);
    const absolute = new NodePath("/root/Main");
    expect(absolute.isAbsolute()).toBe(true);
    expect(absolute.getNameCount()).toBe(2);
    expect(absolute.getName(1)).toBe("Main");
    expect(new NodePath("%Unique").names).toEqual(["%Unique"]);
    const property = new NodePath("Sprite:position:x");
    expect(property.names).toEqual(["Sprite"]);
    expect(property.subnames).toEqual(["position", "x"]);
    expect(new NodePath("").isEmpty()).toBe(true);
    expect(String(NodePath.from("A/B"))).toBe("A/B");
  });
});
