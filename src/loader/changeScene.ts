import { setDefaultSceneFileLoader } from "../scene/SceneTree";
import { loadScene } from "./loadScene";

/**
 * Makes `tree.changeSceneToFile(file)` load with `loadScene` in every tree not given a `loadScene`
 * option. The engine can't import the loader (it is a layer above), so the loader hands it over here,
 * once, from the public entry point.
 */
export function installSceneLoading(): void {
  setDefaultSceneFileLoader((file) => loadScene(file));
}
