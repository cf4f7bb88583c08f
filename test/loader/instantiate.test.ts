import * as path from "node:path";
import { Callable } from "../../src/scene/Callable";
import { loadScene, parseScene } from "../../src";
import { SceneTree } from "../../src/scene/SceneTree";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

let box: SceneSandbox;
beforeEach(() => (box = makeSceneSandbox()));
afterEach(() => box.dispose());

test("999 sub-scenes each instancing the next (a valid scene at maxDepth): it builds, enters and leaves a tree", async () => {
  const levels = 999;
  for (let i = 0; i < levels; i++) {
    const root: Record<string, unknown> = { name: `S${i}`, type: "Node" };
    if (i + 1 < levels) root.children = [{ name: "C", instance: `./s${i + 1}.scene.json` }];
    box.write(`project/s${i}.scene.json`, { format: 1, root });
  }
  const root = (await loadScene(path.join(box.project, "s0.scene.json"))).instantiate();
  let depth = 1;
  let deepest = root;
  for (; deepest.getChildCount() > 0; depth++) {
    const child = deepest.getChild(0)!;
    expect(child.owner).toBe(deepest); // an instance root is owned by the scene that instances it
    deepest = child;
  }
  expect(depth).toBe(levels);
  const tree = new SceneTree({ fatalErrors: true });
  tree.root.addChild(root);
  tree.step(1 / 60);
  tree.finalize();
});

test("each instance of a sub-scene gets its own connections, and the scene around it its own", () => {
  box.write("project/sub.scene.json", {
    format: 1,
    root: { name: "Sub", type: "Timer", children: [{ name: "Inner", type: "Node" }] },
    connections: [{ from: "Inner", signal: "ready", to: ".", method: "stop" }],
  });
  const text = JSON.stringify({
    format: 1,
    root: {
      name: "Main",
      type: "Node",
      children: [{ instance: "./sub.scene.json" }, { instance: "./sub.scene.json", name: "Two" }],
    },
    connections: [{ from: "Sub/Inner", signal: "ready", to: "Two", method: "stop" }],
  });
  const root = parseScene(text, { file: path.join(box.project, "main.scene.json") }).instantiate();
  const connected = (from: string, to: string) =>
    root.getNode(from).isConnected("ready", new Callable(root.getNode(to), "stop"));
  expect([
    connected("Sub/Inner", "Sub"),
    connected("Two/Inner", "Two"),
    connected("Sub/Inner", "Two"),
  ]).toEqual([true, true, true]);
  expect(connected("Two/Inner", "Sub")).toBe(false);
  root.free();
});
