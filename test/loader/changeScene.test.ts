import * as path from "node:path";
import { Node, parseScene, SceneError, SceneTree, TestClock } from "../../src";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

const FIXTURES = path.join(__dirname, "..", "fixtures", "scenes");

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

  test("reloadCurrentScene builds the current scene's file again; with none, or one built in code, it rejects", async () => {
    const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
    await expect(tree.reloadCurrentScene()).rejects.toMatchObject({ code: "ERR_INVALID_ARGUMENT" });
    await tree.changeSceneToFile(path.join(FIXTURES, "parts-sub.scene.json"));
    tree.step(1 / 60);
    const first = tree.currentScene!;
    first.name = "Changed";
    await tree.reloadCurrentScene();
    tree.step(1 / 60);
    expect(tree.currentScene?.name).toBe("Sub");
    expect(tree.currentScene).not.toBe(first);
    expect(first.isInstanceValid()).toBe(false);
    const inCode = new Node("InCode");
    tree.changeSceneToNode(inCode);
    tree.step(1 / 60);
    await expect(tree.reloadCurrentScene()).rejects.toThrow(/"InCode" was not instanced from a scene file/);
    tree.finalize();
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

  test("currentScene is null, never undefined, between the old scene leaving and the new one entering", async () => {
    const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
    const file = path.join(FIXTURES, "parts-sub.scene.json");
    expect(tree.currentScene).toBeNull(); // no scene yet
    await tree.changeSceneToFile(file);
    expect(tree.currentScene).toBeNull(); // loaded, not yet entered
    tree.step(1 / 60);
    const old = tree.currentScene;
    expect(old?.name).toBe("Sub");
    await tree.changeSceneToFile(file);
    expect(tree.currentScene).toBeNull(); // the old scene left, the new one enters at the safe point
    expect(old?.isInsideTree()).toBe(false);
    tree.step(1 / 60);
    expect(tree.currentScene?.name).toBe("Sub");
    expect(tree.currentScene).not.toBe(old);
    tree.unloadCurrentScene();
    expect(tree.currentScene).toBeNull();
    tree.finalize();
  });

  describe("the last scene change asked for wins, whichever file loads first", () => {
    let box: SceneSandbox;
    let big: string;
    let small: string;
    beforeEach(() => {
      box = makeSceneSandbox();
      const children = Array.from({ length: 20_000 }, (_, i) => ({ name: `N${i}`, type: "Node" }));
      big = box.write("project/big.scene.json", { format: 1, root: { name: "Big", type: "Node", children } });
      small = box.write("project/small.scene.json", { format: 1, root: { name: "Small", type: "Node" } });
    });
    afterEach(() => box.dispose());

    async function finalScene(change: (tree: SceneTree) => Promise<unknown>[]): Promise<string | undefined> {
      const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
      await Promise.all(change(tree));
      tree.step(1 / 60);
      const name = tree.currentScene?.name;
      expect(tree.root.getChildCount()).toBe(name === undefined ? 0 : 1); // the loser never entered
      tree.finalize();
      return name;
    }

    test("big then small ends on small; small then big ends on big", async () => {
      expect(await finalScene((t) => [t.changeSceneToFile(big), t.changeSceneToFile(small)])).toBe("Small");
      expect(await finalScene((t) => [t.changeSceneToFile(small), t.changeSceneToFile(big)])).toBe("Big");
    });

    test("a scene changed in code after a file was asked for is not replaced when the file arrives", async () => {
      const later = new Node("Later");
      const name = await finalScene((t) => {
        const loading = t.changeSceneToFile(small);
        t.changeSceneToNode(later);
        return [loading];
      });
      expect(name).toBe("Later");
      const packed = parseScene('{"format": 1, "root": {"name": "Packed", "type": "Node"}}');
      expect(
        await finalScene((t) => {
          const loading = t.changeSceneToFile(big);
          t.changeSceneToPacked(packed);
          return [loading];
        }),
      ).toBe("Packed");
      // unloadCurrentScene cancels no change: in Godot (whose file load is synchronous) the scene asked
      // for is pending by then, and unloading finds no current scene.
      expect(
        await finalScene((t) => {
          const loading = t.changeSceneToFile(small);
          t.unloadCurrentScene();
          return [loading];
        }),
      ).toBe("Small");
    });

    test("a superseded file that is invalid still rejects, and changes nothing", async () => {
      const broken = box.write("project/broken.scene.json", "{");
      const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
      const first = tree.changeSceneToFile(broken).then(
        () => null,
        (error: unknown) => error,
      );
      await tree.changeSceneToFile(small);
      expect(await first).toBeInstanceOf(SceneError);
      tree.step(1 / 60);
      expect(tree.currentScene?.name).toBe("Small");
      tree.finalize();
    });
  });
});
