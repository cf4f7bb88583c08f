import { setDefaultSceneFileLoader } from "../scene/SceneTree";
import { loadScene, loadSceneSync } from "./loadScene";
import { setSyncSceneLoader } from "./placeholderLoader";

/**
 * Makes `tree.changeSceneToFile(file)` load with `loadScene` in every tree not given a `loadScene`
 * option. The engine can't import the loader (it is a layer above), so the loader hands it over here,
 * once, from the public entry point. InstancePlaceholder.createInstance() loads through the same hand-over.
 */
export function installSceneLoading(): void {
  setDefaultSceneFileLoader((file) => loadScene(file));
  setSyncSceneLoader((file) => loadSceneSync(file));
}
