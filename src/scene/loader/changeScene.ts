import { SceneTree } from "../SceneTree";
import { loadScene } from "./loadScene";
import type { PackedScene } from "./PackedScene";
import { instancePlaceholders } from "../instance";

// Godot's SceneTree has change_scene_to_file / change_scene_to_packed next to change_scene_to_node.
// They live here, merged into SceneTree, so the engine does not depend on the loader.
declare module "../SceneTree" {
  interface SceneTree {
    /**
     * Loads the scene file and switches to it as `changeSceneToNode` does (the old scene leaves now and
     * is freed at the next safe point, where the new one enters and becomes `currentScene`). Rejects
     * with a SceneError, leaving the current scene alone, when the file is invalid.
     */
    changeSceneToFile(file: string): Promise<void>;
    /**
     * Instantiates `scene`, with the tree's `{index}`, `{count}` and `{seed}` filled into its string
     * props, and switches to it as `changeSceneToNode` does.
     */
    changeSceneToPacked(scene: PackedScene): void;
  }
}

SceneTree.prototype.changeSceneToFile = async function changeSceneToFile(this: SceneTree, file: string) {
  const scene = await loadScene(file);
  this.changeSceneToPacked(scene);
};

SceneTree.prototype.changeSceneToPacked = function changeSceneToPacked(this: SceneTree, scene: PackedScene) {
  this.changeSceneToNode(scene.instantiate({ placeholders: instancePlaceholders(this.instance) }));
};
