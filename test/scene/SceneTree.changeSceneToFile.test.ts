/**
 * The engine alone (no `scenetree` entry point imported): `changeSceneToFile` uses the loader the tree
 * is given, and without one it rejects instead of reaching for the loader layer above it.
 */
import { Node } from "../../src/scene/Node";
import { SceneTree, type PackedSceneLike } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";

const scene = (name: string): PackedSceneLike => ({
  instantiate: () => {
    const node = new Node();
    node.name = name;
    return node;
  },
});

test("without a loader installed or given, changeSceneToFile rejects and leaves the scene alone", async () => {
  const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
  await expect(tree.changeSceneToFile("main.scene.json")).rejects.toMatchObject({
    code: "ERR_INVALID_ARGUMENT",
  });
  tree.step(1 / 60);
  expect(tree.currentScene).toBeNull();
});

test("the tree's loadScene option loads the file; the last change asked for wins", async () => {
  const loads: Array<(scene: PackedSceneLike) => void> = [];
  const requested: string[] = [];
  const tree = new SceneTree({
    clock: new TestClock(),
    fatalErrors: true,
    loadScene: (file) => {
      requested.push(file);
      return new Promise((resolve) => loads.push(resolve));
    },
  });
  const first = tree.changeSceneToFile("a.scene.json");
  const second = tree.changeSceneToFile("b.scene.json");
  loads[1](scene("B"));
  await second;
  loads[0](scene("A"));
  await first;
  tree.step(1 / 60);
  expect(requested).toEqual(["a.scene.json", "b.scene.json"]);
  expect(tree.currentScene?.name).toBe("B");
  tree.changeSceneToPacked(scene("C"));
  tree.step(1 / 60);
  expect(tree.currentScene?.name).toBe("C");
});
