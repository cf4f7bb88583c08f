import * as path from "node:path";
import { parseScene, SceneError, SceneTree, TestClock } from "../../../src";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "scenes");

describe("SceneTree scene changes from files", () => {
  test("changeSceneToPacked: the new scene becomes current at the safe point", () => {
    const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
    const packed = parseScene('{"format": 1, "root": {"name": "Next", "type": "Node"}}');
    tree.changeSceneToPacked(packed);
    expect(tree.currentScene).toBeNull();
    tree.step(1 / 60);
    expect(tree.currentScene?.name).toBe("Next");
    expect(tree.currentScene?.getPath()).toBe("/root/Next");
  });

  test("changeSceneToFile loads the file; an invalid one rejects and leaves the scene alone", async () => {
    const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
    await tree.changeSceneToFile(path.join(FIXTURES, "parts-sub.scene.json"));
    tree.step(1 / 60);
    const current = tree.currentScene;
    expect(current?.name).toBe("Sub");
    await expect(
      tree.changeSceneToFile(path.join(FIXTURES, "unknown-type.scene.json")),
    ).rejects.toBeInstanceOf(SceneError);
    tree.step(1 / 60);
    expect(tree.currentScene).toBe(current);
  });
});
