import { SceneTree } from "../scene/SceneTree";
import type { Node } from "../scene/Node";
import { loadScene } from "./loadScene";
import type { PackedScene } from "./PackedScene";
import { instancePlaceholders } from "../scene/instance";

// Godot's SceneTree has change_scene_to_file / change_scene_to_packed next to change_scene_to_node.
// They live here, merged into SceneTree, so the engine does not depend on the loader.
declare module "../scene/SceneTree" {
  interface SceneTree {
    /**
     * Loads the scene file and switches to it as `changeSceneToNode` does (the old scene leaves now and
     * is freed at the next safe point, where the new one enters and becomes `currentScene`). Rejects
     * with a SceneError, leaving the current scene alone, when the file is invalid. The last scene
     * change asked for wins, as in Godot: if another one (`changeSceneToFile`, `changeSceneToPacked`,
     * `changeSceneToNode`, `unloadCurrentScene`) comes before this file is loaded, this one resolves
     * without changing anything, whichever file loads first.
     */
    changeSceneToFile(file: string): Promise<void>;
    /**
     * Instantiates `scene`, with the tree's `{index}`, `{count}` and `{seed}` filled into its string
     * props, and switches to it as `changeSceneToNode` does.
     */
    changeSceneToPacked(scene: PackedScene): void;
  }
}

/** The number of the latest scene change asked of each tree. */
const latestChange = new WeakMap<SceneTree, number>();

function askForChange(tree: SceneTree): number {
  const change = (latestChange.get(tree) ?? 0) + 1;
  latestChange.set(tree, change);
  return change;
}

// The engine's own scene changes count too, so a file still loading never overrides one made after it.
const changeSceneToNode = SceneTree.prototype.changeSceneToNode;
SceneTree.prototype.changeSceneToNode = function (this: SceneTree, node: Node) {
  askForChange(this);
  changeSceneToNode.call(this, node);
};
const unloadCurrentScene = SceneTree.prototype.unloadCurrentScene;
SceneTree.prototype.unloadCurrentScene = function (this: SceneTree) {
  askForChange(this);
  unloadCurrentScene.call(this);
};

SceneTree.prototype.changeSceneToFile = async function changeSceneToFile(this: SceneTree, file: string) {
  const change = askForChange(this);
  const scene = await loadScene(file);
  if (latestChange.get(this) === change) this.changeSceneToPacked(scene);
};

SceneTree.prototype.changeSceneToPacked = function changeSceneToPacked(this: SceneTree, scene: PackedScene) {
  this.changeSceneToNode(scene.instantiate({ placeholders: instancePlaceholders(this.instance) }));
};
