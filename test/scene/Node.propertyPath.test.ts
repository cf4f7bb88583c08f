import { Node } from "../../src/scene/Node";
import { NodePath } from "../../src/scene/NodePath";

/** A resource-like object: an instance of a class, not plain data. */
class Texture {
  size = { x: 4, y: 2 };
  atlas: Texture | null = null;
}

class Sprite extends Node {
  texture = new Texture();
  position = { x: 1, y: 2 };
  other: Node | null = null;
}

describe("Node#getNodeAndResource (Godot's get_node_and_resource)", () => {
  function scene() {
    const main = new Node("Main");
    const sprite = new Sprite("Sprite");
    main.addChild(sprite);
    sprite.texture.atlas = new Texture();
    sprite.other = main;
    return { main, sprite };
  }

  const rest = (path: NodePath) => String(path);

  it("returns the node, no resource and no rest for a path without subnames", () => {
    const { main, sprite } = scene();
    const [node, resource, left] = main.getNodeAndResource("Sprite");
    expect([node, resource, left.isEmpty()]).toEqual([sprite, null, true]);
  });

  it("steps into resources and leaves the rest as a property path", () => {
    const { main, sprite } = scene();
    const [node, resource, left] = main.getNodeAndResource("Sprite:texture:size:x");
    expect([node, resource, rest(left)]).toEqual([sprite, sprite.texture, ":size:x"]);
    expect(left.getSubnameCount()).toBe(2);
    const [, atlas, atlasRest] = main.getNodeAndResource(new NodePath("Sprite:texture:atlas"));
    expect([atlas, rest(atlasRest)]).toEqual([sprite.texture.atlas, ""]);
  });

  it("treats plain data and nodes as properties, not resources (as Vector2 and Node in Godot)", () => {
    const { main, sprite } = scene();
    const [node, resource, left] = main.getNodeAndResource("Sprite:position:x");
    expect([node, resource, rest(left)]).toEqual([sprite, null, ":position:x"]);
    const [, none, otherRest] = main.getNodeAndResource("Sprite:other:name");
    expect([none, rest(otherRest)]).toEqual([null, ":other:name"]);
  });

  it("is [null, null, empty] when the node or a subname does not exist (keeping a resource found before it)", () => {
    const { main, sprite } = scene();
    for (const path of ["Missing:texture", "Sprite:nope"]) {
      const [node, resource, left] = main.getNodeAndResource(path);
      expect([node, resource, left.isEmpty()]).toEqual([null, null, true]);
      expect(main.hasNodeAndResource(path)).toBe(false);
    }
    // Godot's r_res is already set when a later subname is missing, and its binding returns it.
    const [node, resource, left] = main.getNodeAndResource("Sprite:texture:nope:x");
    expect([node, resource, left.isEmpty()]).toEqual([null, sprite.texture, true]);
    expect(main.hasNodeAndResource("Sprite:texture:nope:x")).toBe(false);
    expect(main.hasNodeAndResource("Sprite:texture:size:x")).toBe(true);
    expect(main.hasNodeAndResource("Sprite")).toBe(true);
  });
});
