/**
 * Importing a module registers nothing: the built-ins come from one explicit `installBuiltins()` call.
 * This file imports the layers directly, never `src/index.ts` (which makes that call itself).
 */
import * as path from "node:path";
import { installBuiltins } from "../../src/run/builtins";
import { defaultNodeTypes } from "../../src/loader/registry";
import { loadScene, parseScene } from "../../src/loader/loadScene";
import { isSceneFileName } from "../../src/loader/projectPolicy";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import "../../src/nodes/Timer";
import "../../src/nodes/WebsocketClient";
import "../../src/tscn";

const GODOT4 = path.join(__dirname, "..", "fixtures", "tscn", "godot4", "main.tscn");
const SUB = path.join(__dirname, "..", "fixtures", "scenes", "parts-sub.scene.json");
const NODE_SCENE = '{"format": 1, "root": {"name": "N", "type": "Node"}}';

test("before installBuiltins, importing every layer has registered no type, format or scene loader", async () => {
  expect(defaultNodeTypes.list()).toEqual([]);
  expect(() => parseScene(NODE_SCENE)).toThrow(/Unknown node type "Node"/);
  expect(isSceneFileName(GODOT4)).toBe(false);
  const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
  await expect(tree.changeSceneToFile(SUB)).rejects.toMatchObject({ code: "ERR_INVALID_ARGUMENT" });
});

test("installBuiltins installs the types, .tscn and changeSceneToFile, and is harmless twice", async () => {
  installBuiltins();
  installBuiltins();
  expect(defaultNodeTypes.list().map((type) => type.name)).toEqual([
    "InstancePlaceholder",
    "Node",
    "Timer",
    "WebSocketNode",
    "WebSocketServer",
    "WebsocketClient",
  ]);
  expect(parseScene(NODE_SCENE).instantiate().name).toBe("N");
  expect(isSceneFileName(GODOT4)).toBe(true);
  expect((await loadScene(GODOT4)).instantiate().name).toBeTruthy();
  const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
  await tree.changeSceneToFile(SUB);
  tree.step(1 / 60);
  expect(tree.currentScene).not.toBeNull();
});
