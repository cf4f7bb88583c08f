import { NodePath } from "../../src/scene/NodePath";
import { SceneTreeError } from "../../src/core/errors";

function expectOutOfRange(fn: () => unknown): void {
  expect(fn).toThrow(SceneTreeError);
  expect(fn).toThrow(expect.objectContaining({ code: "ERR_OUT_OF_RANGE" }));
}

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

  // tests/core/string/test_node_path.h, case by case.

  it("[NodePath] Relative path", () => {
    const path = new NodePath("Path2D/PathFollow2D/Sprite2D:position:x");
    expect(path.getAsPropertyPath().equals(new NodePath(":Path2D/PathFollow2D/Sprite2D:position:x"))).toBe(
      true,
    );
    expect(path.getConcatenatedSubnames()).toBe("position:x");
    expect(path.getName(0)).toBe("Path2D");
    expect(path.getName(1)).toBe("PathFollow2D");
    expect(path.getName(2)).toBe("Sprite2D");
    // Godot prints an error and returns ""; here misuse is a typed error.
    expectOutOfRange(() => path.getName(3));
    expectOutOfRange(() => path.getName(-1));
    expect(path.getNameCount()).toBe(3);
    expect(path.getSubname(0)).toBe("position");
    expect(path.getSubname(1)).toBe("x");
    expectOutOfRange(() => path.getSubname(2));
    expectOutOfRange(() => path.getSubname(-1));
    expect(path.getSubnameCount()).toBe(2);
    expect(path.isAbsolute()).toBe(false);
    expect(path.isEmpty()).toBe(false);
  });

  it("[NodePath] Absolute path", () => {
    const path = new NodePath("/root/Sprite2D");
    expect(path.getAsPropertyPath().equals(new NodePath(":root/Sprite2D"))).toBe(true);
    expect(path.getConcatenatedSubnames()).toBe("");
    expect(path.getName(0)).toBe("root");
    expect(path.getName(1)).toBe("Sprite2D");
    expectOutOfRange(() => path.getName(2));
    expectOutOfRange(() => path.getName(-1));
    expect(path.getNameCount()).toBe(2);
    expect(path.getSubnameCount()).toBe(0);
    expect(path.isAbsolute()).toBe(true);
    expect(path.isEmpty()).toBe(false);
  });

  it("[NodePath] Empty path", () => {
    const path = new NodePath();
    expect(path.getAsPropertyPath().equals(new NodePath())).toBe(true);
    expect(path.getConcatenatedSubnames()).toBe("");
    expect(path.getNameCount()).toBe(0);
    expect(path.getSubnameCount()).toBe(0);
    expect(path.isAbsolute()).toBe(false);
    expect(path.isEmpty()).toBe(true);
  });

  it("[NodePath] From StringName: concatenated names leave out the leading slash", () => {
    const relative = new NodePath("Path2D");
    expect(relative.isAbsolute()).toBe(false);
    expect(relative.getName(0)).toBe("Path2D");
    expect(relative.getConcatenatedNames()).toBe("Path2D");
    const absolute = new NodePath("/Path2D");
    expect(absolute.isAbsolute()).toBe(true);
    expect(absolute.getName(0)).toBe("Path2D");
    expect(absolute.getConcatenatedNames()).toBe("Path2D");
  });

  it("[NodePath] Slice", () => {
    const relative = new NodePath("Parent/Child:prop:subprop");
    const absolute = new NodePath("/root/Parent/Child:prop");
    const same = (a: NodePath, b: string) => expect(String(a)).toBe(String(new NodePath(b)));
    same(relative.slice(0, 2), "Parent/Child");
    same(relative.slice(3), ":subprop");
    same(relative.slice(1), "Child:prop:subprop");
    same(relative.slice(1, 3), "Child:prop");
    same(relative.slice(-1), ":subprop");
    same(relative.slice(0, -1), "Parent/Child:prop");
    same(relative.slice(-2, -1), ":prop");
    same(relative.slice(0, 10), "Parent/Child:prop:subprop");
    same(relative.slice(-10, 2), "Parent/Child");
    same(relative.slice(1, 1), "");
    expect(relative.slice(1, 1).isEmpty()).toBe(true);

    same(absolute.slice(0, 2), "/root/Parent");
    expect(absolute.slice(0, 2).isAbsolute()).toBe(true);
    same(absolute.slice(1, 4), "Parent/Child:prop");
    expect(absolute.slice(1, 4).isAbsolute()).toBe(false);
    same(absolute.slice(3, 4), ":prop");

    expect(new NodePath("").slice(0, 1).isEmpty()).toBe(true);
    expect(new NodePath("").slice(-1, 2).isEmpty()).toBe(true);
    const root = new NodePath("/").slice(-1, 2);
    expect(root.isAbsolute()).toBe(true);
    expect(root.getNameCount()).toBe(0);
    expect(String(root)).toBe("/");
  });

  it("compares like Godot's ==: absoluteness, names and subnames", () => {
    expect(new NodePath("A/B:c").equals("A/B:c")).toBe(true);
    expect(new NodePath("A//B:c:").equals("A/B:c")).toBe(true);
    expect(new NodePath("/A/B").equals("A/B")).toBe(false);
    expect(new NodePath("A/B:c").equals("A/B:d")).toBe(false);
    expect(new NodePath("A/B").equals("A/B:c")).toBe(false);
  });

  it("writes itself the canonical way", () => {
    expect(String(new NodePath("A//B/"))).toBe("A/B");
    expect(String(new NodePath("/root/A:b:"))).toBe("/root/A:b");
    expect(String(new NodePath(":x:y"))).toBe(":x:y");
    expect(String(NodePath.fromParts(["A"], ["b"], true))).toBe("/A:b");
  });

  it("refuses an empty subname between two colons, as Godot's parser does", () => {
    expect(() => new NodePath("A::b")).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    expect(() => new NodePath("A:b::")).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    expect(new NodePath("A:").getSubnameCount()).toBe(0);
  });

  it("counts names and subnames together", () => {
    expect(new NodePath("A/B:c").getTotalNameCount()).toBe(3);
    expect(new NodePath(":c").getAsPropertyPath().equals(":c")).toBe(true);
  });
});
