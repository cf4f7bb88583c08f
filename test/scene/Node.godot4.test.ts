/**
 * Node API details checked against Godot 4's scene/main/node.cpp: `move_child` at the child count,
 * owners kept by `remove_child` outside a tree, the empty NodePath, `get_path_to(node, use_unique_path)`,
 * and which notifications `move_child` and `set_name` send. Each case names the Godot code it follows.
 */
import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { owned, childNames as names } from "../helpers/ownedNodes";
import { NodePath } from "../../src/scene/NodePath";
import { PackedScene, sceneFileText } from "../../src"; // the package entry: built-in types registered

/** Records every notification it gets, and `renamed`, as "Name what". */
class Recorder extends Node {
  constructor(
    name: string,
    readonly record: string[],
  ) {
    super(name);
    this.connect("renamed", () => record.push(`${this.name} renamed`));
  }
  override _notification(what: number): void {
    this.record.push(`${this.name} ${what}`);
  }
}

describe("Godot 4's Node", () => {
  let tree: SceneTree;
  beforeEach(() => (tree = new SceneTree({ fatalErrors: true })));
  afterEach(() => tree.finalize());

  // _move_child: "Specifying one place beyond the end means the same as moving to the last index";
  // move_child: `if (p_index < 0) p_index += get_child_count(false);` then
  // ERR_FAIL_INDEX_MSG(p_index, children_cache.size() + 1 - ...).
  describe("moveChild", () => {
    function abc(): [Node, Node[]] {
      const parent = new Node("P");
      const kids = ["A", "B", "C"].map((name) => new Node(name));
      for (const kid of kids) parent.addChild(kid);
      return [parent, kids];
    }

    test("the child count moves the child to the last place", () => {
      const [parent, [a]] = abc();
      parent.moveChild(a, parent.getChildCount());
      expect(names(parent)).toEqual(["B", "C", "A"]);
      expect(a.getIndex()).toBe(2);
    });

    test("the child count for the last child changes nothing and sends nothing", () => {
      const [parent, [, , c]] = abc();
      let orders = 0;
      parent.connect("childOrderChanged", () => orders++);
      parent.moveChild(c, 3);
      expect(names(parent)).toEqual(["A", "B", "C"]);
      expect(orders).toBe(0);
    });

    test("negative indices count from the end down to minus the count; beyond either end is refused", () => {
      const [parent, [a, , c]] = abc();
      parent.moveChild(c, -3);
      expect(names(parent)).toEqual(["C", "A", "B"]);
      parent.moveChild(c, -1);
      expect(names(parent)).toEqual(["A", "B", "C"]);
      for (const index of [4, -4]) {
        expect(() => parent.moveChild(a, index)).toThrow(
          expect.objectContaining({
            code: "ERR_INVALID_ARGUMENT",
            message: `Invalid new child index: ${index} (from -3 to 3 for 3 children).`,
          }),
        );
      }
      expect(names(parent)).toEqual(["A", "B", "C"]);
    });

    test("addSibling after the last child still lands at the end", () => {
      const [parent, [, , c]] = abc();
      c.addSibling(new Node("D"));
      expect(names(parent)).toEqual(["A", "B", "C", "D"]);
    });
  });

  // remove_child: `if (data.tree) { child->_propagate_after_exit_tree(); }`: owners are cleared only
  // for a child that leaves the tree (add_child then warns of an "inconsistent" owner, which it keeps).
  describe("removeChild and owners", () => {
    test("outside a tree the removed branch keeps its owners, so the scene packs it when it comes back", () => {
      const main = new Node("Main");
      const a = owned(main, main, "A");
      const b = owned(main, a, "B");
      main.removeChild(a);
      expect([a.owner, b.owner]).toEqual([main, main]);
      main.addChild(a);
      const root = JSON.parse(sceneFileText(PackedScene.pack(main))).root;
      expect(root.children).toEqual([{ name: "A", type: "Node", children: [{ name: "B", type: "Node" }] }]);
      main.free();
    });

    test("inside the tree the branch leaving it loses the owner that stays behind", () => {
      const main = new Node("Main");
      const a = owned(main, main, "A");
      const b = owned(main, a, "B");
      const c = owned(a, a, "C"); // owned inside the branch: kept
      tree.root.addChild(main);
      main.removeChild(a);
      expect([a.owner, b.owner, c.owner]).toEqual([null, null, a]);
      main.free();
      a.free();
    });

    test("a branch reparented outside a tree keeps its owner even where it is no longer an ancestor", () => {
      const main = new Node("Main");
      const a = owned(main, main, "A");
      const elsewhere = new Node("Elsewhere");
      a.reparent(elsewhere);
      expect(a.getParent()).toBe(elsewhere);
      expect(a.owner).toBe(main);
      main.free(); // the owner's end clears it, as NOTIFICATION_PREDELETE's owned loop
      expect(a.owner).toBeNull();
      elsewhere.free();
    });

    test("a removed %Unique node keeps its name in its owner's scene, so a second claim is refused", () => {
      const main = new Node("Main");
      const u = owned(main, main, "U");
      u.uniqueNameInOwner = true;
      main.removeChild(u);
      expect(main.getNode("%U")).toBe(u);
      const other = owned(main, main, "Other");
      other.name = "U";
      expect(() => (other.uniqueNameInOwner = true)).toThrow(
        expect.objectContaining({
          code: "ERR_UNIQUE_NAME_TAKEN",
          message:
            'Setting node name "U" to be unique within scene for "Main", but it\'s already claimed by "U" (removed from "Main", still owned by it). Rename one of them.',
        }),
      );
      main.free();
      u.free();
    });
  });

  // get_node_or_null: `if (p_path.is_empty()) { return nullptr; }`; get_node then fails with
  // "Node not found"; get_node_and_resource starts from get_node_or_null.
  describe("the empty NodePath", () => {
    test("names no node: getNodeOrNull is null, hasNode false, getNode throws NodeNotFoundError", () => {
      const node = new Node("P");
      for (const path of ["", new NodePath(), new NodePath(""), ":"]) {
        expect(node.getNodeOrNull(path)).toBeNull();
        expect(node.hasNode(path)).toBe(false);
        expect(node.getNodeAndResource(path)).toEqual([null, null, new NodePath()]);
        expect(node.hasNodeAndResource(path)).toBe(false);
      }
      expect(() => node.getNode("")).toThrow(
        expect.objectContaining({
          name: "NodeNotFoundError",
          code: "ERR_NODE_NOT_FOUND",
          message: 'Node not found: "" (relative to "P").',
        }),
      );
      node.free();
    });

    test('"." and a path of subnames alone (":name") still start at the node itself', () => {
      const node = new Node("P");
      expect(node.getNode(".")).toBe(node);
      expect(node.getNodeOrNull(":name")).toBe(node);
      expect(node.getNodeAndResource(":name:x")[0]).toBe(node);
      node.free();
    });
  });

  // get_path_to(p_node, p_use_unique_path): the first unique node (of this node's owner) up from the
  // target ends the path; else the topmost one between this node and the common ancestor starts it.
  describe("getPathTo(node, useUniquePath)", () => {
    let main: Node;
    let nodes: Record<string, Node>;
    beforeEach(() => {
      // Main ┬ A% ─ B ─ C
      //      ├ D ┬ E% ─ F
      //      │   └ G
      //      └ X ┬ Y% ─ Z (owned by X, as inside an instance)
      //          └ W (owned by X)
      main = new Node("Main");
      const a = owned(main, main, "A");
      const b = owned(main, a, "B");
      const c = owned(main, b, "C");
      const d = owned(main, main, "D");
      const e = owned(main, d, "E");
      const f = owned(main, e, "F");
      const g = owned(main, d, "G");
      const x = owned(main, main, "X");
      const y = owned(x, x, "Y");
      const z = owned(x, y, "Z");
      const w = owned(x, x, "W");
      for (const unique of [a, e, y]) unique.uniqueNameInOwner = true;
      nodes = { a, b, c, d, e, f, g, x, y, z, w };
    });
    afterEach(() => main.free());

    test.each([
      ["f", "c", "../../../A/B/C", "%A/B/C"],
      ["c", "f", "../../../D/E/F", "%E/F"],
      ["c", "a", "../..", "../.."],
      ["f", "d", "../..", "%E/.."],
      ["f", "g", "../../G", "%E/../G"],
      ["f", "y", "../../../X/Y", "%E/../../X/Y"],
      ["w", "z", "../Y/Z", "%Y/Z"],
      ["z", "y", "..", ".."],
      ["b", "b", ".", "."],
    ])("from %s to %s: %s, and %s with useUniquePath", (from, to, plain, unique) => {
      const source = nodes[from];
      const target = nodes[to];
      expect(source.getPathTo(target)).toBe(plain);
      expect(source.getPathTo(target, false)).toBe(plain);
      expect(source.getPathTo(target, true)).toBe(unique);
      expect(source.getNode(unique)).toBe(target);
    });

    test("from the scene root (which has no owner) no unique name is used, as in Godot", () => {
      expect(main.getPathTo(nodes.c, true)).toBe("A/B/C");
      expect(main.getPathTo(nodes.f, true)).toBe("D/E/F");
    });
  });

  describe("notifications", () => {
    // _move_child notifies only the parent: move_child_notify, NOTIFICATION_CHILD_ORDER_CHANGED,
    // child_order_changed (NOTIFICATION_MOVED_IN_PARENT: "no longer emitted").
    test("moveChild sends NOTIFICATION_MOVED_IN_PARENT to no one", () => {
      const log: string[] = [];
      const parent = new Recorder("P", log);
      for (const name of ["A", "B", "C"]) parent.addChild(new Recorder(name, log));
      tree.root.addChild(parent);
      log.length = 0;
      parent.moveChild(parent.getChild(0)!, 2);
      expect(log).toEqual([`P ${Node.NOTIFICATION_CHILD_ORDER_CHANGED}`]);
      expect(Node.NOTIFICATION_MOVED_IN_PARENT).toBe(12);
    });

    // set_name: `propagate_notification(NOTIFICATION_PATH_RENAMED);` then, only `if (is_inside_tree())`,
    // `emit_signal(SNAME("renamed"))`.
    test("a rename outside a tree sends PATH_RENAMED to the node and its descendants, parents first", () => {
      const log: string[] = [];
      const top = new Recorder("Top", log);
      const p = new Recorder("P", log);
      const c1 = new Recorder("C1", log);
      const gc = new Recorder("GC", log);
      const c2 = new Recorder("C2", log);
      top.addChild(p);
      p.addChild(c1);
      c1.addChild(gc);
      p.addChild(c2);
      top.addChild(new Recorder("Sibling", log));
      log.length = 0;
      p.name = "Q";
      const renamed = Node.NOTIFICATION_PATH_RENAMED;
      expect(log).toEqual([`Q ${renamed}`, `C1 ${renamed}`, `GC ${renamed}`, `C2 ${renamed}`]);
      top.free();
    });

    test("in the tree, PATH_RENAMED reaches the subtree before the renamed signal", () => {
      const log: string[] = [];
      const p = new Recorder("P", log);
      p.addChild(new Recorder("C", log));
      tree.root.addChild(p);
      log.length = 0;
      p.name = "Q";
      expect(log).toEqual([
        `Q ${Node.NOTIFICATION_PATH_RENAMED}`,
        `C ${Node.NOTIFICATION_PATH_RENAMED}`,
        "Q renamed",
      ]);
      expect(Node.NOTIFICATION_PATH_RENAMED).toBe(23);
    });

    test("the renamed node is busy while PATH_RENAMED is propagated (Godot's propagate_notification)", () => {
      const errors: unknown[] = [];
      class Adder extends Node {
        override _notification(what: number): void {
          if (what !== Node.NOTIFICATION_PATH_RENAMED) return;
          try {
            this.addChild(new Node("Late"));
          } catch (error) {
            errors.push(error);
          }
        }
      }
      const node = new Adder("A");
      node.name = "B";
      expect(errors).toEqual([expect.objectContaining({ code: "ERR_PARENT_BUSY" })]);
      expect(node.getChildCount()).toBe(0);
      node.free();
    });
  });
});
