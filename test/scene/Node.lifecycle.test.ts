import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { Log, RecordingNode } from "../helpers/recording";

function nested(log: Log, withSignals = false) {
  // Main
  // ├─ A
  // │  ├─ A1
  // │  └─ A2
  // └─ B
  const main = new RecordingNode("Main", log, withSignals);
  const a = new RecordingNode("A", log, withSignals);
  const a1 = new RecordingNode("A1", log, withSignals);
  const a2 = new RecordingNode("A2", log, withSignals);
  const b = new RecordingNode("B", log, withSignals);
  main.addChild(a);
  a.addChild(a1);
  a.addChild(a2);
  main.addChild(b);
  return { main, a, a1, a2, b };
}

describe("Node lifecycle", () => {
  let tree: SceneTree;
  let log: Log;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = new Log();
  });

  afterEach(() => tree.finalize());

  describe("startup of a nested tree", () => {
    it("enters top-down in pre-order, then readies bottom-up with children in tree order", () => {
      const { main } = nested(log);
      expect(log.take()).toEqual([]); // nothing happens outside a tree
      tree.root.addChild(main);
      expect(log.take()).toEqual([
        "Main:enter",
        "A:enter",
        "A1:enter",
        "A2:enter",
        "B:enter",
        "A1:ready",
        "A2:ready",
        "A:ready",
        "B:ready",
        "Main:ready",
      ]);
    });

    it("emits treeEntered after _enterTree, childEnteredTree on the parent, ready after _ready", () => {
      const { main } = nested(log, true);
      log.take(); // the childOrderChanged of building the subtree
      tree.root.addChild(main);
      expect(log.take()).toEqual([
        "Main:enter",
        "Main:treeEntered",
        "A:enter",
        "A:treeEntered",
        "Main:childEnteredTree(A)",
        "A1:enter",
        "A1:treeEntered",
        "A:childEnteredTree(A1)",
        "A2:enter",
        "A2:treeEntered",
        "A:childEnteredTree(A2)",
        "B:enter",
        "B:treeEntered",
        "Main:childEnteredTree(B)",
        "A1:ready",
        "A1:readySignal",
        "A2:ready",
        "A2:readySignal",
        "A:ready",
        "A:readySignal",
        "B:ready",
        "B:readySignal",
        "Main:ready",
        "Main:readySignal",
      ]);
    });

    it("marks nodes inside the tree and ready", () => {
      const { main, a1 } = nested(log);
      expect(a1.isInsideTree()).toBe(false);
      expect(a1.isNodeReady()).toBe(false);
      tree.root.addChild(main);
      expect(a1.isInsideTree()).toBe(true);
      expect(a1.isNodeReady()).toBe(true);
      expect(a1.getTree()).toBe(tree);
      expect(a1.getPath()).toBe("/root/Main/A/A1");
    });
  });

  describe("exit", () => {
    it("runs children first, last child first, and treeExited after the whole subtree has left", () => {
      const { main } = nested(log, true);
      tree.root.addChild(main);
      log.take();
      tree.root.removeChild(main);
      expect(log.take()).toEqual([
        "B:exit",
        "B:treeExiting",
        "Main:childExitingTree(B)",
        "A2:exit",
        "A2:treeExiting",
        "A:childExitingTree(A2)",
        "A1:exit",
        "A1:treeExiting",
        "A:childExitingTree(A1)",
        "A:exit",
        "A:treeExiting",
        "Main:childExitingTree(A)",
        "Main:exit",
        "Main:treeExiting",
        "B:treeExited",
        "A2:treeExited",
        "A1:treeExited",
        "A:treeExited",
        "Main:treeExited",
      ]);
      expect(main.isInsideTree()).toBe(false);
      expect(main.getParent()).toBeNull();
    });
  });

  describe("add, remove and re-add at runtime", () => {
    it("runs _enterTree again on re-add, but not _ready", () => {
      const { main, a } = nested(log);
      tree.root.addChild(main);
      log.take();
      main.removeChild(a);
      expect(log.take()).toEqual(["A2:exit", "A1:exit", "A:exit"]);
      main.addChild(a);
      expect(log.take()).toEqual(["A:enter", "A1:enter", "A2:enter"]);
      expect(a.isNodeReady()).toBe(true);
    });

    it("runs _ready again after requestReady()", () => {
      const { main, a, a1 } = nested(log);
      tree.root.addChild(main);
      main.removeChild(a);
      a1.requestReady();
      expect(a1.isNodeReady()).toBe(false);
      log.take();
      main.addChild(a);
      expect(log.take()).toEqual(["A:enter", "A1:enter", "A2:enter", "A1:ready"]);
    });

    it("readies a child added during its parent's _enterTree together with the parent", () => {
      class Spawner extends RecordingNode {
        override _enterTree(): void {
          super._enterTree();
          if (this.getChildCount() < 2) this.addChild(new RecordingNode("Spawned", this.events));
        }
      }
      const spawner = new Spawner("Spawner", log);
      spawner.addChild(new RecordingNode("Existing", log));
      tree.root.addChild(spawner);
      expect(log.take()).toEqual([
        "Spawner:enter",
        "Spawned:enter", // enters at once: the parent is already inside the tree
        "Existing:enter",
        "Existing:ready", // but is readied with the parent, in children order
        "Spawned:ready",
        "Spawner:ready",
      ]);
    });

    it("readies a child added in _ready at once", () => {
      class Spawner extends RecordingNode {
        override _ready(): void {
          this.addChild(new RecordingNode("Spawned", this.events));
          super._ready();
        }
      }
      tree.root.addChild(new Spawner("Spawner", log));
      expect(log.take()).toEqual(["Spawner:enter", "Spawned:enter", "Spawned:ready", "Spawner:ready"]);
    });

    it("follows insertion order, not moveChild order, for enter/ready/exit (as Godot's children map)", () => {
      const parent = new RecordingNode("P", log);
      parent.addChild(new RecordingNode("X", log));
      parent.addChild(new RecordingNode("Y", log));
      parent.moveChild(parent.getChild(1)!, 0);
      expect(parent.getChildren().map((c) => c.name)).toEqual(["Y", "X"]);
      tree.root.addChild(parent);
      expect(log.take()).toEqual(["P:enter", "X:enter", "Y:enter", "X:ready", "Y:ready", "P:ready"]);
    });
  });

  describe("busy guard", () => {
    it("refuses to add to a parent that is setting up its children, and says to use callDeferred", () => {
      let caught: unknown;
      class Child extends Node {
        override _ready(): void {
          try {
            this.getParent()!.addChild(new Node("Late"));
          } catch (error) {
            caught = error;
          }
        }
      }
      const parent = new Node("Parent");
      parent.addChild(new Child("C"));
      tree.root.addChild(parent);
      expect(caught).toMatchObject({ code: "ERR_PARENT_BUSY" });
      expect(String((caught as Error).message)).toContain('callDeferred("addChild", child)');
      expect(parent.getChildCount()).toBe(1);
    });

    it("lets the deferred form through at the next flush", () => {
      class Child extends Node {
        override _ready(): void {
          this.getParent()!.callDeferred("addChild", new Node("Late"));
        }
      }
      const parent = new Node("Parent");
      parent.addChild(new Child("C"));
      tree.root.addChild(parent);
      expect(parent.getChildCount()).toBe(1);
      tree.step(1 / 60);
      expect(parent.getChildren().map((c) => c.name)).toEqual(["C", "Late"]);
    });
  });
});
