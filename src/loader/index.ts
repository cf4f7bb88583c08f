/**
 * Scene files: the loader's public surface. Importing it installs nothing: `installBuiltins()`
 * (src/run/builtins.ts, called by src/index.ts) registers the built-in node types and formats.
 */
export {
  loadScene,
  parseScene,
  type LoadSceneOptions,
  type ParseSceneOptions,
  type SceneWarningHandler,
} from "./loadScene";
export { PackedScene, type InstantiateOptions, type PackOptions } from "./PackedScene";
export { SceneState } from "./SceneState";
export { PackError, type PackErrorCode } from "./packError";
export { saveScene, sceneFileText } from "./saveScene";
export {
  SceneError,
  formatProblem,
  type SceneErrorCode,
  type SceneLocation,
  type SceneProblem,
} from "./SceneError";
export {
  NodeTypeRegistry,
  defaultNodeTypes,
  registerNodeType,
  unregisterNodeType,
  getRegisteredNodeTypes,
  getNodeType,
  NODE_SIGNALS,
  type NodeTypeInfo,
  type NodeTypeOptions,
} from "./registry";
export { NodeTypeError, type NodeTypeErrorCode } from "./registryError";
export { registerBuiltinNodeTypes } from "./builtinTypes";
export {
  registerSceneFormat,
  type SceneFormat,
  type SceneFormatLoad,
  type SceneFormatReader,
} from "./sceneFormats";
export { nodePropsSchema } from "../nodes/nodeProps";
export { timerPropsSchema } from "../nodes/Timer.props";
export { nodePathProp, enumProp, type NodePathSchema, type NodeClassLike } from "../nodes/propSchemas";
export { buildSceneJsonSchema, type SceneJsonSchemaOptions } from "./jsonSchema";
export { SCENE_FORMAT_VERSION } from "./format";
export { DEFAULT_SCENE_LIMITS, type SceneLimits } from "./limits";
