import { registerBuiltinNodeTypes } from "../loader/builtinTypes";
import { installSceneLoading } from "../loader/changeScene";
import { registerTscnFormat } from "../tscn/sceneFormat";

/**
 * Everything the library provides out of the box, installed in one explicit call (no module does it
 * as a side effect of being imported): the built-in node types in the default registry, Godot `.tscn`
 * as a scene format, and `loadScene` behind `tree.changeSceneToFile`. Called by `src/index.ts` and by
 * the CLI's and fleet workers' entry points; calling it again changes nothing.
 */
export function installBuiltins(): void {
  registerBuiltinNodeTypes();
  registerTscnFormat();
  installSceneLoading();
}
