/**
 * What PackedScene.instantiate() tells the nodes it builds, as Godot 4's PackedScene::instantiate
 * (`s->notification(Node::NOTIFICATION_SCENE_INSTANTIATED)` on the new root, after
 * SceneState::instantiate) and SceneState::instantiate (names set with `_set_name_nocheck` /
 * `_add_child_nocheck`, so no NOTIFICATION_PATH_RENAMED).
 */
import * as path from "node:path";
import { Node, PackedScene, parseScene, registerNodeType, unregisterNodeType } from "../../src";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

const log: string[] = [];

/** Records SCENE_INSTANTIATED (with what the node is like then) and PATH_RENAMED. */
class Probe extends Node {
  hit(): void {}

  override _notification(what: number): void {
    if (what === Node.NOTIFICATION_SCENE_INSTANTIATED) {
      const file = this.sceneFilePath === "" ? '""' : path.basename(this.sceneFilePath);
      log.push(
        `${this.name} instantiated: parent ${this.getParent()?.name ?? "none"}, ` +
          `${this.getChildCount()} children, ${this.getIncomingConnections().length} connected, file ${file}`,
      );
    } else if (what === Node.NOTIFICATION_PATH_RENAMED) log.push(`${this.name} path renamed`);
  }
}

let box: SceneSandbox;
beforeAll(() => registerNodeType("Probe", Probe));
afterAll(() => unregisterNodeType("Probe"));
beforeEach(() => {
  box = makeSceneSandbox();
  log.length = 0;
});
afterEach(() => box.dispose());

function mainScene(): PackedScene {
  box.write("project/sub.scene.json", {
    format: 1,
    root: { name: "SubRoot", type: "Probe", children: [{ name: "Inner", type: "Probe" }] },
    connections: [{ from: "Inner", signal: "ready", to: ".", method: "hit" }],
  });
  const text = JSON.stringify({
    format: 1,
    root: {
      name: "Main",
      type: "Probe",
      children: [
        { instance: "./sub.scene.json", name: "Two" },
        { name: "Leaf", type: "Probe" },
      ],
    },
    connections: [{ from: "Leaf", signal: "ready", to: ".", method: "hit" }],
  });
  return parseScene(text, { file: path.join(box.project, "main.scene.json") });
}

test("NOTIFICATION_SCENE_INSTANTIATED is 20, as Godot's", () => {
  expect(Node.NOTIFICATION_SCENE_INSTANTIATED).toBe(20);
});

test("each scene's root is told once it is whole: a sub-scene's before the scene around it names and adds it", () => {
  const main = mainScene().instantiate();
  expect(log).toEqual([
    "SubRoot instantiated: parent none, 1 children, 1 connected, file sub.scene.json",
    "Main instantiated: parent none, 2 children, 1 connected, file main.scene.json",
  ]);
  expect(main.getNode("Two").name).toBe("Two");
  main.free();
});

test("building a scene sends no PATH_RENAMED: its nodes are named as they are made", () => {
  const main = mainScene().instantiate();
  expect(log.filter((line) => line.endsWith("path renamed"))).toEqual([]);
  main.name = "Renamed"; // a rename afterwards does, to the whole subtree
  expect(log.filter((line) => line.endsWith("path renamed"))).toEqual([
    "Renamed path renamed",
    "Two path renamed",
    "Inner path renamed",
    "Leaf path renamed",
  ]);
  main.free();
});

test("a packed scene's root is told each time it is instantiated", () => {
  const main = new Probe("Packed");
  const child = new Probe("Child");
  main.addChild(child);
  child.owner = main;
  const packed = PackedScene.pack(main);
  const copies = [packed.instantiate(), packed.instantiate()];
  expect(log).toEqual([
    'Packed instantiated: parent none, 1 children, 0 connected, file ""',
    'Packed instantiated: parent none, 1 children, 0 connected, file ""',
  ]);
  for (const node of [main, ...copies]) node.free();
});

test("a throw in the notification is reported with the node, and the scene is still returned", () => {
  class Thrower extends Node {
    override _notification(what: number): void {
      if (what === Node.NOTIFICATION_SCENE_INSTANTIATED) throw new Error("no");
    }
  }
  registerNodeType("Thrower", Thrower);
  const written: string[] = [];
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const root = parseScene(
      JSON.stringify({ format: 1, root: { name: "T", type: "Thrower" } }),
    ).instantiate();
    expect(root).toBeInstanceOf(Thrower);
    expect(written).toEqual([
      expect.stringMatching(/^ERROR: _notification\(SCENE_INSTANTIATED\) on T threw: Error: no/),
    ]);
    root.free();
  } finally {
    stderr.mockRestore();
    unregisterNodeType("Thrower");
  }
});
