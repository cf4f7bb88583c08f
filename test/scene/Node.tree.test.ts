import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { NodeNotFoundError, SceneTreeError } from "../../src/core/errors";
import { Timer } from "../../src/nodes/Timer";
import { Log } from "../helpers/recording";

describe("Node", () => {
  let tree: SceneTree;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
  });

  afterEach(() => tree.finalize());

  /** Main(A(A1, A2), B) with Main owning everything, as a loaded scene would be. */
  function scene() {
    const main = new Node("Main");
    const a = new Node("A");
    const a1 = new Node("A1");
    const a2 = new Node("A2");
    const b = new Node("B");
    main.addChild(a);
    a.addChild(a1);
    a.addChild(a2);
    main.addChild(b);
    for (const n of [a, a1, a2, b]) n.owner = main;
    tree.root.addChild(main);
    return { main, a, a1, a2, b };
  }

  describe("#getChild / #getChildCount / #getChildren / #getIndex", () => {
    it("accept Godot's include_internal argument; with no internal children it changes nothing", () => {
      const { main, a, b } = scene();
      for (const includeInternal of [false, true]) {
        expect(main.getChildCount(includeInternal)).toBe(2);
        expect(main.getChildren(includeInternal)).toEqual([a, b]);
        expect(main.getChild(0, includeInternal)).toBe(a);
        expect(main.getChild(-1, includeInternal)).toBe(b);
        expect(b.getIndex(includeInternal)).toBe(1);
      }
    });
  });

  describe("#name", () => {
    it("gives an unnamed or clashing child a fast @Class@N name by default", () => {
      const parent = new Node("P");
      parent.addChild(new Node("X"));
      const clash = new Node("X");
      parent.addChild(clash);
      expect(clash.name).toMatch(/^@Node@\d+$/);
      const unnamed = new Node();
      parent.addChild(unnamed);
      expect(unnamed.name).toMatch(/^@Node@\d+$/);
    });

    it("makes readable names with forceReadableName and on rename: X → X2 → X3, A01 → A02", () => {
      const parent = new Node("P");
      parent.addChild(new Node("X"));
      const x2 = new Node("X");
      parent.addChild(x2, true);
      expect(x2.name).toBe("X2");
      const x3 = new Node("Y");
      parent.addChild(x3);
      x3.name = "X";
      expect(x3.name).toBe("X3");
      parent.addChild(new Node("A01"));
      const padded = new Node("A01");
      parent.addChild(padded, true);
      expect(padded.name).toBe("A02");
    });

    it("replaces characters that would break paths and refuses empty names", () => {
      const node = new Node("a/b:c.d");
      expect(node.name).toBe("a_b_c_d");
      expect(() => (node.name = "")).toThrow(expect.objectContaining({ code: "ERR_INVALID_NAME" }));
    });

    it("emits renamed inside the tree and keeps the node reachable under the new name", () => {
      const { main, a } = scene();
      const log = new Log();
      a.on("renamed", () => log.push("renamed"));
      a.name = "Alpha";
      expect(log.take()).toEqual(["renamed"]);
      expect(main.getNode("Alpha/A1")).toBe(a.getChild(0));
      expect(main.hasNode("A")).toBe(false);
    });
  });

  describe("#getNode", () => {
    it("with a class, checks what it found and is typed by it, as Godot C#'s GetNode<T> casts", () => {
      const main = new Node("Main");
      const timer = new Timer("Tick");
      main.addChild(timer);
      main.addChild(new Node("Plain"));
      const found: Timer = main.getNode("Tick", Timer); // typed: no cast, no type argument
      expect(found).toBe(timer);
      expect(main.getNodeOrNull("Nope", Timer)).toBeNull(); // missing is still null
      expect(() => main.getNode("Plain", Timer)).toThrow(
        expect.objectContaining({
          code: "ERR_WRONG_NODE_TYPE",
          message: '"Plain" (relative to "Main") is a Node, not a Timer.',
        }),
      );
      expect(() => main.getNodeOrNull("Plain", Timer)).toThrow(SceneTreeError);
      expect(main.getNode("Tick", Node)).toBe(timer); // a subclass will do
      main.free();
    });

    it("resolves relative, ., .., absolute and unique-name paths", () => {
      const { main, a, a1, a2, b } = scene();
      a2.uniqueNameInOwner = true;
      expect(main.getNode("A/A1")).toBe(a1);
      expect(a1.getNode(".")).toBe(a1);
      expect(a1.getNode("../A2")).toBe(a2);
      expect(a1.getNode("../../B")).toBe(b);
      expect(a1.getNode("/root/Main/B")).toBe(b);
      expect(b.getNode("%A2")).toBe(a2);
      expect(main.getNode("%A2")).toBe(a2);
      expect(a.getNodeOrNull("%Nope")).toBeNull();
      expect(main.getNode("/root")).toBe(tree.root);
    });

    it("throws a NodeNotFoundError naming the path and the node it was relative to", () => {
      const { a } = scene();
      expect(() => a.getNode("Missing/Child")).toThrow(NodeNotFoundError);
      expect(() => a.getNode("Missing/Child")).toThrow(
        'Node not found: "Missing/Child" (relative to "/root/Main/A").',
      );
      expect(a.getNodeOrNull("Missing")).toBeNull();
    });

    it("gives paths between nodes", () => {
      const { a1, b, main } = scene();
      expect(a1.getPathTo(b)).toBe("../../B");
      expect(main.getPathTo(a1)).toBe("A/A1");
      expect(a1.getNode(a1.getPathTo(b))).toBe(b);
    });

    it("refuses two unique names that clash in one owner", () => {
      const { a1, b } = scene();
      a1.uniqueNameInOwner = true;
      b.name = "A1";
      expect(() => (b.uniqueNameInOwner = true)).toThrow(
        expect.objectContaining({ code: "ERR_UNIQUE_NAME_TAKEN" }),
      );
    });

    it("names the node that holds the unique name, by its path from the owner", () => {
      // Main(A(Uniq), B(C(Uniq))): the second Uniq is deeper, so a path between the two reads "../../…".
      const main = new Node("Main");
      const [a, b, c, first, second] = ["A", "B", "C", "Uniq", "Uniq"].map((name) => new Node(name));
      main.addChild(a);
      a.addChild(first);
      main.addChild(b);
      b.addChild(c);
      c.addChild(second);
      for (const n of [a, b, c, first, second]) n.owner = main;
      first.uniqueNameInOwner = true;
      const message =
        'Setting node name "Uniq" to be unique within scene for "Main", but it\'s already claimed by "Main/A/Uniq". Rename one of them.';
      expect(() => (second.uniqueNameInOwner = true)).toThrow(
        expect.objectContaining({ code: "ERR_UNIQUE_NAME_TAKEN", message }),
      );
      // The same when the clash comes from giving the owner (inside a tree, too).
      tree.root.addChild(main);
      const third = new Node("Uniq");
      third.uniqueNameInOwner = true;
      b.addChild(third);
      expect(() => (third.owner = main)).toThrow(message);
      main.free();
    });
  });

  describe("#findChild / #findChildren", () => {
    it("finds by wildcard pattern, depth first, only owned nodes by default", () => {
      const { main, a1, a2 } = scene();
      const unowned = new Node("A3");
      a1.getParent()!.addChild(unowned);
      expect(main.findChild("A?")).toBe(main.getNode("A/A1"));
      expect(main.findChild("A2")).toBe(a2);
      expect(main.findChild("A3")).toBeNull();
      expect(main.findChild("A3", true, false)).toBe(unowned);
      expect(main.findChild("A1", false)).toBeNull();
      expect(main.findChildren("A*").map((n) => n.name)).toEqual(["A", "A1", "A2"]);
      expect(main.findChildren("", "Node", false).map((n) => n.name)).toEqual(["A", "B"]);
    });
  });

  describe("#owner", () => {
    it("must be an ancestor", () => {
      const { a1, b } = scene();
      expect(() => (a1.owner = b)).toThrow(expect.objectContaining({ code: "ERR_INVALID_OWNER" }));
    });

    it("is cleared when the node leaves its owner's subtree, kept for nodes that leave with their owner", () => {
      const { main, a, a1 } = scene();
      a1.owner = a;
      main.removeChild(a);
      expect(a.owner).toBeNull();
      expect(a1.owner).toBe(a);
    });

    it("freeing an owner of a few or of many nodes, some given away meanwhile, clears every owner it still had", () => {
      for (const count of [3, 20]) {
        const main = new Node("Main");
        const other = new Node("Other");
        main.addChild(other);
        const kids = Array.from({ length: count }, (_, i) => new Node(`K${i}`));
        for (const kid of kids) {
          other.addChild(kid);
          kid.owner = main;
        }
        for (let i = 0; i < count; i += 2) kids[i].owner = other; // leaves main's owned nodes
        other.owner = main;
        main.removeChild(other);
        main.free();
        expect(kids.map((kid) => kid.owner)).toEqual(kids.map((_, i) => (i % 2 === 0 ? other : null)));
        expect(other.owner).toBeNull();
        other.free();
      }
    });

    it("reparent keeps the owner when the new parent is inside the same scene", () => {
      const { main, a1, b } = scene();
      a1.reparent(b);
      expect(a1.getParent()).toBe(b);
      expect(a1.owner).toBe(main);
      expect(main.getNode("B/A1")).toBe(a1);
    });
  });

  describe("#moveChild", () => {
    it("reorders children, updates indices and emits childOrderChanged", () => {
      const { main, a, b } = scene();
      let changes = 0;
      main.on("childOrderChanged", () => changes++);
      main.moveChild(b, 0);
      expect(main.getChildren()).toEqual([b, a]);
      expect(b.getIndex()).toBe(0);
      expect(a.getIndex()).toBe(1);
      main.moveChild(b, -1);
      expect(main.getChildren()).toEqual([a, b]);
      expect(changes).toBe(2);
    });
  });

  describe("#addSibling / #isGreaterThan", () => {
    it("adds right after this node, and compares tree order", () => {
      const { main, a, a1, b } = scene();
      const s = new Node("S");
      a.addSibling(s);
      expect(main.getChildren().map((c) => c.name)).toEqual(["A", "S", "B"]);
      expect(s.isGreaterThan(a)).toBe(true);
      expect(s.isGreaterThan(a1)).toBe(true);
      expect(a1.isGreaterThan(a)).toBe(true);
      expect(a.isGreaterThan(b)).toBe(false);
      expect(() => new Node("Loose").addSibling(new Node("X"))).toThrow(
        expect.objectContaining({ code: "ERR_NOT_A_CHILD" }),
      );
    });
  });

  describe("#getIndex after removals", () => {
    it("stays right when children leave from the front, the middle and the back, and after moves", () => {
      const parent = new Node("P");
      const kids = Array.from({ length: 6 }, (_, i) => new Node(`K${i}`));
      for (const k of kids) parent.addChild(k);
      parent.removeChild(kids[0]); // front
      parent.removeChild(kids[1]); // front again
      expect(parent.getChildren().map((c) => c.getIndex())).toEqual([0, 1, 2, 3]);
      parent.removeChild(kids[3]); // middle
      parent.addChild(kids[0]);
      parent.moveChild(kids[0], 0);
      expect(parent.getChildren().map((c) => `${c.name}@${c.getIndex()}`)).toEqual([
        "K0@0",
        "K2@1",
        "K4@2",
        "K5@3",
      ]);
      parent.removeChild(kids[5]); // back
      expect(kids[5].getIndex()).toBe(-1);
      expect(parent.getChildren().map((c) => c.getIndex())).toEqual([0, 1, 2]);
    });
  });

  describe("#addChild misuse", () => {
    it("refuses a node that already has a parent, itself, or an ancestor", () => {
      const { main, a, a1 } = scene();
      expect(() => main.addChild(a1)).toThrow(expect.objectContaining({ code: "ERR_ALREADY_HAS_PARENT" }));
      expect(() => a.addChild(a)).toThrow(expect.objectContaining({ code: "ERR_CYCLIC_PARENT" }));
      const loose = new Node("Loose");
      const inner = new Node("Inner");
      loose.addChild(inner);
      expect(() => inner.addChild(loose)).toThrow(expect.objectContaining({ code: "ERR_CYCLIC_PARENT" }));
    });
  });

  describe("#getTreeStringPretty", () => {
    it("draws the tree like Godot 4's print_tree_pretty", () => {
      scene();
      expect(tree.root.getTreeStringPretty()).toBe(
        [" ┖╴root", "    ┖╴Main", "       ┠╴A", "       ┃  ┠╴A1", "       ┃  ┖╴A2", "       ┖╴B", ""].join(
          "\n",
        ),
      );
    });
  });

  describe("#getTreeString, #printTree, #printTreePretty", () => {
    it("lists each node's path from the node, parents first, like Godot 4's get_tree_string", () => {
      const { main } = scene();
      expect(main.getTreeString()).toBe([".", "A", "A/A1", "A/A2", "B", ""].join("\n"));
    });

    it("print_tree and print_tree_pretty print the text and print_line's line end", () => {
      const { main } = scene();
      const written: string[] = [];
      const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
      try {
        main.printTree();
        main.printTreePretty();
      } finally {
        spy.mockRestore();
      }
      expect(written).toEqual([`${main.getTreeString()}\n`, `${main.getTreeStringPretty()}\n`]);
    });
  });

  describe("#isGreaterThan, #findParent", () => {
    it("isGreaterThan needs both nodes in the tree; findParent matches ancestors' names by pattern", () => {
      const { main, a, a1, b } = scene();
      expect([b.isGreaterThan(a1), a1.isGreaterThan(b)]).toEqual([true, false]);
      const loose = new Node("Loose");
      expect(() => loose.isGreaterThan(a)).toThrow(expect.objectContaining({ code: "ERR_NOT_IN_TREE" }));
      expect(() => a.isGreaterThan(loose)).toThrow(expect.objectContaining({ code: "ERR_NOT_IN_TREE" }));
      loose.free();
      expect(a1.findParent("M*")).toBe(main);
      expect(a1.findParent("A")).toBe(a);
      expect(a1.findParent("Nope*")).toBeNull();
    });
  });

  describe("#free", () => {
    it("frees the subtree: leaves the tree, then children are invalid too", () => {
      const { main, a, a1 } = scene();
      const log = new Log();
      a.on("treeExited", () => log.push("A:treeExited"));
      a.free();
      expect(log.take()).toEqual(["A:treeExited"]);
      expect(a.isInstanceValid()).toBe(false);
      expect(a1.isInstanceValid()).toBe(false);
      expect(main.getChildCount()).toBe(1);
    });

    it("queueFree on a node just removed from the tree frees it at the end of that tree's frame", () => {
      const removed = new Node("Removed");
      tree.root.addChild(removed);
      tree.root.removeChild(removed);
      removed.queueFree();
      expect(removed.isQueuedForDeletion()).toBe(true);
      expect(removed.isInstanceValid()).toBe(true);
      tree.step(1 / 60);
      expect(removed.isInstanceValid()).toBe(false);
    });

    it("queueFree on a node never in a tree frees it at the end of the frame of the tree it enters", () => {
      const loose = new Node("Loose");
      loose.queueFree();
      expect(loose.isQueuedForDeletion()).toBe(true);
      tree.step(1 / 60);
      expect(loose.isInstanceValid()).toBe(true); // no tree of the process owns it yet
      tree.root.addChild(loose);
      expect(loose.isInsideTree()).toBe(true);
      tree.step(1 / 60);
      expect(loose.isInstanceValid()).toBe(false);
    });
  });
});
