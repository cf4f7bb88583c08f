/**
 * Scene files: the loader's public surface. Importing this registers the built-in node types and adds
 * `changeSceneToFile` / `changeSceneToPacked` to SceneTree.
 */
import "./builtinTypes";
import "./changeScene";

export {
  loadScene,
  parseScene,
  type LoadSceneOptions,
  type ParseSceneOptions,
  type SceneWarningHandler,
} from "./loadScene";
export { PackedScene, type InstantiateOptions } from "./PackedScene";
export { PackError, type PackErrorCode } from "./packError";
export { saveScene, sceneFileText } from "./saveScene";
export { SceneError, formatProblem, type SceneErrorCode, type SceneProblem } from "./SceneError";
export {
  registerNodeType,
  unregisterNodeType,
  getRegisteredNodeTypes,
  getNodeType,
  NODE_SIGNALS,
  type NodeTypeInfo,
  type NodeTypeOptions,
} from "./registry";
export { nodePropsSchema } from "./nodeProps";
export { timerPropsSchema } from "./builtinTypes";
export { nodePathProp, enumProp, type NodePathSchema, type NodeClassLike } from "./propSchemas";
export { buildSceneJsonSchema, type SceneJsonSchemaOptions } from "./jsonSchema";
export { SCENE_FORMAT_VERSION } from "./format";
export { DEFAULT_SCENE_LIMITS, type SceneLimits } from "./limits";
