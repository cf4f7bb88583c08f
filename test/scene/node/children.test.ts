import { SceneTree } from "../../../src/scene/SceneTree";
import { Node } from "../../../src/scene/Node";

/** Child index and name rules of addChild / removeChild / moveChild / rename (src/scene/node/children.ts). */
describe("node children", () => {
  let tree: SceneTree;
  beforeEach(() => (tree = new SceneTree({ fatalErrors: true })));
  afterEach(() => tree.finalize());

  function parentWith(...names: string[]): { parent: Node; kids: Node[] } {
    const parent = new Node("P");
    const kids = names.map((name) => new Node(name));
    for (const kid of kids) parent.addChild(kid);
    return { parent, kids };
  }

  const names = (node: Node) => node.getChildren().map((child) => child.name);
  const indices = (node: Node) => node.getChildren().map((child) => child.getIndex());

  test("indices follow removals from the front and the middle", () => {
    const { parent, kids } = parentWith("A", "B", "C", "D");
    parent.removeChild(kids[0]);
    expect(names(parent)).toEqual(["B", "C", "D"]);
    expect(indices(parent)).toEqual([0, 1, 2]);
    parent.removeChild(kids[2]);
    expect(indices(parent)).toEqual([0, 1]);
    expect(kids[0].getParent()).toBeNull();
    parent.addChild(new Node("E"));
    expect(names(parent)).toEqual(["B", "D", "E"]);
    expect(indices(parent)).toEqual([0, 1, 2]);
    expect(parent.getChild(-1)!.name).toBe("E");
  });

  test("moveChild takes negative indices from the end and refuses out of range ones", () => {
    const { parent, kids } = parentWith("A", "B", "C");
    parent.moveChild(kids[0], -1);
    expect(names(parent)).toEqual(["B", "C", "A"]);
    expect(indices(parent)).toEqual([0, 1, 2]);
    parent.moveChild(kids[0], 0);
    expect(names(parent)).toEqual(["A", "B", "C"]);
    // 3 (the count) is the last place, as in Godot; one more is out of range either way.
    for (const index of [4, -4]) {
      expect(() => parent.moveChild(kids[0], index)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
      );
    }
    expect(() => parent.moveChild(new Node("X"), 0)).toThrow(
      expect.objectContaining({ code: "ERR_NOT_A_CHILD" }),
    );
  });

  test("moveChild tells the parent its child order changed, and the moved children nothing (Godot 4)", () => {
    const seen: string[] = [];
    class Kid extends Node {
      override _notification(what: number): void {
        seen.push(`${this.name} ${what}`);
      }
    }
    const parent = new Kid("P");
    for (const name of ["A", "B", "C", "D"]) parent.addChild(new Kid(name));
    parent.connect("childOrderChanged", () => seen.push("order"));
    seen.length = 0;
    parent.moveChild(parent.getChild(2)!, 0); // C to the front: A, B and C change place, D does not
    expect(seen).toEqual([`P ${Node.NOTIFICATION_CHILD_ORDER_CHANGED}`, "order"]);
    expect(names(parent)).toEqual(["C", "A", "B", "D"]);
    expect(indices(parent)).toEqual([0, 1, 2, 3]);
  });

  test("a clashing or empty name becomes @Class@N; forceReadableName gives Name2", () => {
    const { parent } = parentWith("X");
    const clash = new Node("X");
    parent.addChild(clash);
    expect(clash.name).toMatch(/^@Node@\d+$/);
    const readable = new Node("X");
    parent.addChild(readable, true);
    expect(readable.name).toBe("X2");
    const unnamed = new Node();
    parent.addChild(unnamed, true);
    expect(unnamed.name).toBe("Node");
  });

  test("adding refuses itself, a second parent and an ancestor, with stable codes", () => {
    const { parent, kids } = parentWith("A");
    expect(() => parent.addChild(parent)).toThrow(expect.objectContaining({ code: "ERR_CYCLIC_PARENT" }));
    expect(() => new Node("Q").addChild(kids[0])).toThrow(
      expect.objectContaining({ code: "ERR_ALREADY_HAS_PARENT" }),
    );
    expect(() => kids[0].addChild(parent)).toThrow(expect.objectContaining({ code: "ERR_CYCLIC_PARENT" }));
    expect(() => parent.removeChild(new Node("Z"))).toThrow(
      expect.objectContaining({ code: "ERR_NOT_A_CHILD" }),
    );
  });

  test("renaming keeps the child's place, makes the name unique among siblings and emits renamed in a tree", () => {
    const { parent, kids } = parentWith("A", "B", "C");
    tree.root.addChild(parent);
    const renamed: string[] = [];
    kids[0].connect("renamed", () => renamed.push(kids[0].name));
    kids[0].name = "B";
    expect(kids[0].name).toBe("B2");
    expect(names(parent)).toEqual(["B2", "B", "C"]);
    expect(parent.getNode("B2")).toBe(kids[0]);
    expect(parent.hasNode("A")).toBe(false);
    expect(renamed).toEqual(["B2"]);
    expect(() => (kids[1].name = "")).toThrow(expect.objectContaining({ code: "ERR_INVALID_NAME" }));
  });

  test("removing a child while its parent walks it into the tree is refused as busy", () => {
    let error: unknown = null;
    class Busy extends Node {
      override _enterTree(): void {
        try {
          this.getParent()!.removeChild(this);
        } catch (e) {
          error = e;
        }
      }
    }
    const parent = new Node("P");
    parent.addChild(new Busy("B"));
    tree.root.addChild(parent);
    expect(error).toEqual(expect.objectContaining({ code: "ERR_PARENT_BUSY" }));
    expect(parent.getChildCount()).toBe(1);
  });
});
