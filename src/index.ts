/**
 * scenetree's public API. Everything a user may import is listed here by name; anything else is
 * internal and may change.
 */

// Engine
export { Node, ProcessMode, type NodeSignals, type NodeClass } from "./scene/Node";
export {
  SceneTree,
  GroupCallFlags,
  type SceneTreeSignals,
  type SceneTreeOptions,
  type RunOptions,
} from "./scene/SceneTree";
export { SceneTreeTimer, type SceneTreeTimerSignals } from "./scene/SceneTreeTimer";
export { GodotObject, ConnectFlags, isInstanceValid, type SignalCallable } from "./scene/GodotObject";
export { Callable } from "./scene/Callable";
export { NodePath } from "./scene/NodePath";
export {
  SceneTreeError,
  NodeNotFoundError,
  UserCallbackError,
  type SceneTreeErrorCode,
} from "./scene/errors";
export { ErrorCode } from "./scene/ErrorCode";
export { SystemClock, TestClock, type Clock, type ScheduledTask } from "./scene/clock";
export { toSignal } from "./scene/toSignal";

// Built-in nodes
export { Timer, TimerProcessCallback, type TimerSignals } from "./nodes/Timer";

// Scenes: JSON scene files validated by zod (importing these also registers the built-in node types
// and adds SceneTree.changeSceneToFile / changeSceneToPacked)
export {
  loadScene,
  parseScene,
  PackedScene,
  SceneError,
  formatProblem,
  registerNodeType,
  unregisterNodeType,
  getRegisteredNodeTypes,
  getNodeType,
  NODE_SIGNALS,
  nodePropsSchema,
  timerPropsSchema,
  nodePathProp,
  enumProp,
  buildSceneJsonSchema,
  SCENE_FORMAT_VERSION,
  DEFAULT_SCENE_LIMITS,
  type SceneLimits,
  type LoadSceneOptions,
  type ParseSceneOptions,
  type SceneErrorCode,
  type SceneProblem,
  type NodeTypeInfo,
  type NodeTypeOptions,
} from "./scene/loader";

// WebSocket nodes (importing this module also registers them for scene files)
import "./nodes/websocketTypes";
export {
  WebsocketClient,
  ConnectionWaitError,
  type ConnectionWaitErrorCode,
  type WebsocketClientSignals,
} from "./nodes/WebsocketClient";
export { WebSocketNode, AutoconnectMode, type WebSocketNodeSignals } from "./nodes/WebSocketNode";
export {
  WebSocketServer,
  type WebSocketServerSignals,
  type WebSocketServerTls,
} from "./nodes/WebSocketServer";
export { WebSocketConnectionNode, type WebSocketConnectionSignals } from "./nodes/websocketConnection";
export {
  websocketClientPropsSchema,
  webSocketNodePropsSchema,
  webSocketServerPropsSchema,
} from "./nodes/websocketTypes";
export {
  WebSocketPeer,
  WebSocketPeerState,
  WebSocketWriteMode,
  ReconnectingSocket,
  CloseCode,
  type DispatchMode,
  type OutgoingData,
  type WebSocketConnectOptions,
  type WebSocketPeerOptions,
  type WebSocketTlsOptions,
  type ReconnectingSocketOptions,
  type ReconnectingSocketEvents,
} from "./net";

// ---------------------------------------------------------------------------------------------------
// Godot import: .tscn text scenes (Godot 3 and 4) converted into JSON scenes
export {
  importTscn,
  convertTscn,
  TscnError,
  formatTscnWarning,
  type ConvertOptions as TscnConvertOptions,
  type ConvertTscnOptions,
  type InstanceMode as TscnInstanceMode,
  type TscnImportResult,
  type TscnErrorCode,
  type TscnWarning,
  type TscnWarningCode,
  type GdScriptUse,
  type JsonScene,
  type JsonSceneNode,
  type JsonSceneConnection,
  type ConvertedSubScene,
} from "./tscn";
