import * as path from "node:path";
import {
  ConnectFlags,
  loadScene,
  Node,
  parseScene,
  ProcessMode,
  SceneTree,
  TestClock,
  Timer,
} from "../../src";
import type { Pointer } from "../fixtures/scenes/fixtureTypes";

const FIXTURES = path.join(__dirname, "..", "fixtures", "scenes");

describe("PackedScene", () => {
  describe("#instantiate", () => {
    test("applies props by name, enum names as numbers, groups, unique names; all owned by the root", () => {
      const scene = parseScene(
        JSON.stringify({
          format: 1,
          root: {
            name: "Main",
            type: "Node",
            props: { processMode: "ALWAYS", processPriority: 3 },
            children: [
              {
                name: "T",
                type: "Timer",
                groups: ["timers"],
                uniqueNameInOwner: true,
                props: { waitTime: 2.5, oneShot: true, processCallback: "PHYSICS" },
                children: [{ name: "Leaf", type: "Node" }],
              },
            ],
          },
        }),
      );
      const root = scene.instantiate();
      const timer = root.getNode<Timer>("%T");
      expect([root.name, root.processMode, root.processPriority]).toEqual(["Main", ProcessMode.ALWAYS, 3]);
      expect([timer.waitTime, timer.oneShot, timer.processCallback]).toEqual([2.5, true, 0]);
      expect(timer.getGroups()).toEqual(["timers"]);
      expect(root.owner).toBeNull();
      expect(timer.owner).toBe(root);
      expect(root.getNode("T/Leaf").owner).toBe(root);
      expect(scene.instantiate()).not.toBe(root); // a fresh tree each time
    });

    test("sub-scenes: inner nodes stay owned by the sub-scene root, which the outer root owns", async () => {
      const scene = await loadScene(path.join(FIXTURES, "with-sub.scene.json"));
      const root = scene.instantiate<Pointer>();
      const first = root.getNode<Timer>("First");
      const second = root.getNode<Timer>("Sub");
      expect(first.owner).toBe(root);
      expect(first.getNode("Inner").owner).toBe(first);
      expect(first.getNode("Inner/Leaf").owner).toBe(first);
      expect(second.getNode("Extra").owner).toBe(root);
      expect([first.waitTime, second.waitTime]).toEqual([0.5, 3]); // props override the sub-scene root's
      expect(first.getGroups()).toEqual(["subs"]);
      // %Inner is scoped to the owner: the outer scene's Inner, not the sub-scenes'.
      expect(root.getNode("%Inner")).toBe(root.getNode("Inner"));
      expect(first.getNode("%Inner")).toBe(first.getNode("Inner"));
      // The NodePath prop was resolved to the node before the scene entered a tree.
      expect(root.target).toBe(first.getNode("Inner"));
      expect(root.isInsideTree()).toBe(false);
    });

    test("connections are made before entering the tree, with binds and flags", async () => {
      const scene = await loadScene(path.join(FIXTURES, "with-sub.scene.json"));
      const root = scene.instantiate<Pointer>();
      const first = root.getNode<Timer>("First");
      expect(first.listenerCount("timeout")).toBe(1);
      const hits: unknown[][] = [];
      (globalThis as { pointerHits?: unknown[][] }).pointerHits = hits;
      const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
      tree.root.addChild(root);
      first.start(0.5);
      for (let i = 0; i < 70; i++) tree.step(1 / 60);
      expect(hits).toEqual([["first", { n: 1 }]]); // ONE_SHOT: the second timeout no longer calls it
      root.getNode("%Inner").name = "Renamed";
      expect(hits).toHaveLength(1); // DEFERRED (flags: 1): runs at the next flush
      tree.step(1 / 60);
      expect(hits).toHaveLength(2);
      expect(ConnectFlags.DEFERRED).toBe(1);
      tree.quit();
      tree.step(0);
    });

    test("binds and array props are copied per instance", () => {
      const scene = parseScene(
        JSON.stringify({ format: 1, root: { name: "R", type: "Timer", props: { waitTime: 1 } } }),
      );
      expect(scene.instantiate()).toBeInstanceOf(Timer);
      expect(scene.instantiate()).toBeInstanceOf(Node);
    });
  });
});
