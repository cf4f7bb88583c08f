/**
 * scenetree's public API. Everything a user may import is listed here by name; anything else is
 * internal and may change.
 */

// Engine
export {
  Node,
  ProcessMode,
  DuplicateFlags,
  type NodeSignals,
  type NodeClass,
  type TreeNode,
} from "./scene/Node";
export { MAX_TREE_STRING_LENGTH } from "./scene/treeString";
export {
  SceneTree,
  GroupCallFlags,
  type SceneTreeSignals,
  type SceneTreeOptions,
  type RunOptions,
  type PackedSceneLike,
  type SceneFileLoader,
} from "./scene/SceneTree";
export type { MessageQueue } from "./scene/MessageQueue";
/** What `node.getTree()` is declared to return: the `SceneTree` (the tree module fills the type in). */
export type { NodeTree } from "./scene/node/data";
export type { TreeInstance } from "./scene/instance";
export { SceneTreeTimer, type SceneTreeTimerSignals } from "./scene/SceneTreeTimer";
// The pino Logger type of `SceneTreeOptions.logger`, `tree.log` and `node.log`.
export type { Logger } from "./scene/log";
export {
  GodotObject,
  ConnectFlags,
  isInstanceValid,
  type SignalCallable,
  type SignalConnection,
} from "./scene/GodotObject";
export {
  SignalSet,
  signal,
  type SignalsOf,
  type SignalSpec,
  type SignalInfo,
  type SignalMap,
  type NoSignals,
} from "./core/signals/SignalSet";
export { SignalEmitter, type SignalListeners, type SignalMapOf } from "./core/signals/SignalEmitter";
export { Callable } from "./scene/Callable";
export { NodePath } from "./scene/NodePath";
export {
  CodedError,
  ERROR_CODES,
  SceneTreeError,
  NodeNotFoundError,
  UserCallbackError,
  type CodedErrorOptions,
  type ErrorCodeInfo,
  type ErrorCodeName,
  type ErrorLayer,
  type SceneTreeErrorCode,
} from "./core/errors";
export { ErrorCode } from "./core/ErrorCode";
export {
  MAX_TIMER_DELAY_MS,
  SystemClock,
  TestClock,
  type Clock,
  type ScheduledTask,
  type SystemClockOptions,
} from "./core/clock";
export { toSignal, type SignalNameOf, type SignalArgumentsOf } from "./scene/toSignal";
export { Tween, TweenProcessMode, TweenPauseMode, type TweenSignals } from "./scene/tween/Tween";
export { TransitionType, EaseType } from "./scene/tween/easing";
export {
  Tweener,
  PropertyTweener,
  IntervalTweener,
  CallbackTweener,
  MethodTweener,
  type TweenerSignals,
  type TweenCallback,
} from "./scene/tween/tweeners";
export type { TweenValue } from "./scene/tween/values";

// zod, the very copy scene validation uses: build props schemas with it (`nodePropsSchema.extend({...})`)
// without adding a second zod to the project.
export { z } from "zod";

// Metrics: k6-style counters, gauges, rates and trends (tree.metrics), thresholds, summaries, merges
export {
  Metrics,
  Counter,
  Gauge,
  Rate,
  Trend,
  useMetrics,
  hasMetrics,
  recordWs,
  BUILTIN_METRICS,
  MetricsError,
  ThresholdError,
  parseThresholdExpression,
  parseThresholdArg,
  parseThresholds,
  thresholdsSchema,
  evaluateThresholds,
  createSummary,
  withThresholds,
  mergeSummaries,
  formatSummary,
  parseSummary,
  serializeSummary,
  type AnyMetric,
  type MetricsOptions,
  type MetricOptions,
  type MetricsErrorCode,
  type ThresholdErrorCode,
  type WsMetricEvent,
  type Tags,
  type TagSet,
  type MetricSnapshot,
  type AggregationMethod,
  type ThresholdOperator,
  type MetricType,
  type MetricContains,
  type Threshold,
  type ThresholdExpression,
  type ThresholdResult,
  type ShardInfo,
  type Summary,
  type SummaryMetric,
  type SummaryOptions,
} from "./metrics";

// Built-in nodes
export { Timer, TimerProcessCallback, type TimerSignals } from "./nodes/Timer";
export {
  InstancePlaceholder,
  type InstantiableScene,
  type PlaceholderLoader,
  type NodeResolver,
} from "./nodes/InstancePlaceholder";

// Scenes: JSON scene files validated by zod, against a registry of node types
export {
  loadScene,
  parseScene,
  PackedScene,
  PackError,
  SceneState,
  type PackOptions,
  saveScene,
  sceneFileText,
  SceneError,
  formatProblem,
  NodeTypeRegistry,
  defaultNodeTypes,
  NodeTypeError,
  registerBuiltinNodeTypes,
  registerSceneFormat,
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
  type InstantiateOptions,
  type SceneWarningHandler,
  type SceneJsonSchemaOptions,
  type NodePathSchema,
  type NodeClassLike,
  type SceneErrorCode,
  type SceneProblem,
  type SceneLocation,
  type PackErrorCode,
  type NodeTypeInfo,
  type NodeTypeOptions,
  type NodeTypeErrorCode,
  type SceneFormat,
  type SceneFormatLoad,
  type SceneFormatReader,
} from "./loader";

// WebSocket nodes
export {
  WebsocketClient,
  ConnectionWaitError,
  type ConnectionWaitErrorCode,
  type MessageMatch,
  type MessageSubset,
  type WaitForMessageOptions,
  type WebsocketClientSignals,
} from "./nodes/WebsocketClient";
export { WebSocketNode, AutoconnectMode, type WebSocketNodeSignals } from "./nodes/WebSocketNode";
export {
  WebSocketServer,
  type WebSocketServerSignals,
  type WebSocketServerTls,
} from "./nodes/WebSocketServer";
export { WebSocketConnectionNode, type WebSocketConnectionSignals } from "./nodes/websocketConnection";
export { websocketClientPropsSchema } from "./nodes/WebsocketClient.props";
export { webSocketNodePropsSchema } from "./nodes/WebSocketNode.props";
export { webSocketServerPropsSchema } from "./nodes/WebSocketServer.props";
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
  CONNECTION_SETTINGS,
  DEFAULT_CONNECTION_SETTINGS,
  type ConnectionSettings,
  type ConnectionSettingName,
  type HeadersProvider,
  type ReconnectPolicy,
  type UrlProvider,
} from "./net";

// Inspector: the running tree live in a browser (its server is loaded on the first call)
export { startInspector, type Inspector, type InspectorOptions } from "./inspector";

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

// The one explicit installation of what the package provides out of the box: the built-in node types
// in the default registry, `.tscn` as a scene format, loadScene behind tree.changeSceneToFile.
import { installBuiltins } from "./run/builtins";
installBuiltins();
