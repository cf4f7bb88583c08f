import { ErrorCode } from "./ErrorCode";

/** The layer whose code raises an error code (each layer imports only from the ones before it). */
export type ErrorLayer =
  "core" | "metrics" | "scene" | "net" | "nodes" | "loader" | "tscn" | "run" | "inspector" | "fleet" | "cli";

/** One row of the code table. */
export interface ErrorCodeInfo {
  /** What the code means, in one line; one string, one meaning, whichever layer raises it. */
  readonly meaning: string;
  /** The layers that raise it. */
  readonly layers: readonly ErrorLayer[];
  /**
   * Set when Godot's numeric `ErrorCode` has a member of the same name: the same condition, where an API
   * returns it Godot-style instead of throwing (a `send` that returns `ErrorCode.ERR_BUSY`).
   */
  readonly returned?: ErrorCode;
}

/** The table, its rows and their layer lists frozen: it is read by users, never written. */
function frozen<T extends Record<string, ErrorCodeInfo>>(table: T): T {
  for (const info of Object.values(table)) Object.freeze(Object.freeze(info).layers);
  return Object.freeze(table);
}

/**
 * Every `code` a scenetree error can carry. The strings are public contract: callers and tests branch on
 * them, the README's "Error codes" table lists them, and a code keeps its string and its meaning once
 * published. Add a row here before throwing a new code; `CodedError` accepts no other string.
 */
export const ERROR_CODES = frozen({
  // The engine: misuse of nodes, paths, signals, callables and tweens (SceneTreeError).
  ERR_NODE_NOT_FOUND: {
    meaning: "No node at the given path (NodeNotFoundError names the path).",
    layers: ["scene", "nodes"],
  },
  ERR_WRONG_NODE_TYPE: {
    meaning: "The node at the path is not of the class asked for (getNode(path, Class)).",
    layers: ["scene"],
  },
  ERR_PARENT_BUSY: {
    meaning: "The parent is busy setting up or tearing down children; defer the call.",
    layers: ["scene"],
  },
  ERR_ALREADY_HAS_PARENT: {
    meaning: "The node already has a parent; remove it from that one first.",
    layers: ["scene"],
  },
  ERR_CYCLIC_PARENT: {
    meaning: "The new parent is the node itself or one of its descendants.",
    layers: ["scene"],
  },
  ERR_NOT_A_CHILD: { meaning: "The node is not a child of the node it was asked of.", layers: ["scene"] },
  ERR_INVALID_OWNER: { meaning: "The owner is not an ancestor of the node.", layers: ["scene"] },
  ERR_INVALID_NAME: {
    meaning: "A node name that is empty or holds a character names can't hold.",
    layers: ["scene", "loader"],
  },
  ERR_NOT_IN_TREE: {
    meaning: "The call needs the node inside a tree and it is not.",
    layers: ["scene", "nodes"],
  },
  ERR_NO_TREE: { meaning: "The call needs a SceneTree and none is there.", layers: ["scene"] },
  ERR_ALREADY_CONNECTED: {
    meaning: "The same signal, target and method are already connected.",
    layers: ["scene"],
  },
  ERR_NOT_CONNECTED: { meaning: "Disconnecting something that is not connected.", layers: ["scene"] },
  ERR_NO_SUCH_METHOD: { meaning: "The object has no method of that name.", layers: ["scene"] },
  ERR_NO_SUCH_SIGNAL: { meaning: "The object has no signal of that name.", layers: ["scene"] },
  ERR_SIGNAL_EXISTS: {
    meaning: "A signal of that name already exists on the object or its class.",
    layers: ["core", "scene"],
  },
  ERR_FREED: {
    meaning: "The object the call or the wait needs was freed (a Callable's target, an awaited client).",
    layers: ["scene", "nodes"],
  },
  ERR_INVALID_ARGUMENT: {
    meaning: "An argument the API can't take (wrong kind, empty, not a number...).",
    layers: ["core", "net", "scene", "nodes", "loader", "inspector"],
  },
  ERR_STEP_REENTERED: { meaning: "A frame was stepped from inside a frame.", layers: ["scene"] },
  ERR_UNIQUE_NAME_TAKEN: {
    meaning: "Another node of the same owner already has that %unique name.",
    layers: ["scene"],
  },
  ERR_TWEEN_INVALID: {
    meaning: "The tween is not usable: made with new Tween(), or finished and discarded.",
    layers: ["scene"],
  },
  ERR_TWEEN_STARTED: {
    meaning: "Appending to a tween that has started; stop() it first.",
    layers: ["scene"],
  },
  ERR_OUT_OF_RANGE: { meaning: "A number or index outside its allowed range.", layers: ["scene", "loader"] },
  ERR_BUSY: {
    meaning:
      "The object is busy and can't do that now (free() on a node being walked; a unique deferred group call made while the frame's unique group calls run, which Godot refuses too).",
    layers: ["scene"],
    returned: ErrorCode.ERR_BUSY,
  },
  ERR_LIMIT: {
    meaning:
      "Past one of the configured limits (file size, bytes or files read, nesting, depth, node count, problems reported, tree text length).",
    layers: ["scene", "loader", "tscn"],
  },
  ERR_USER_CALLBACK: {
    meaning: "A user callback threw, and the tree was made with fatalErrors (UserCallbackError).",
    layers: ["scene"],
  },

  // Metrics and thresholds (MetricsError, ThresholdError).
  ERR_INVALID_METRIC_NAME: {
    meaning:
      "A metric name that is not [A-Za-z_][A-Za-z0-9_]* (at most 128 characters), in the registry or in a summary file.",
    layers: ["metrics"],
  },
  ERR_METRIC_TYPE_MISMATCH: {
    meaning: "One metric name used for two kinds (counter after trend).",
    layers: ["metrics"],
  },
  ERR_INVALID_METRIC_VALUE: {
    meaning: "NaN, an infinity, or a negative value for a Counter or a Trend.",
    layers: ["metrics"],
  },
  ERR_METRICS_IN_USE: { meaning: "The tree already has another metrics registry.", layers: ["metrics"] },
  ERR_SUMMARY_FORMAT: {
    meaning: "A file that is not a scenetree summary, or summaries that can't be merged.",
    layers: ["metrics"],
  },
  ERR_THRESHOLD_SYNTAX: {
    meaning: "A threshold with no or an unknown comparison operator.",
    layers: ["metrics"],
  },
  ERR_THRESHOLD_METHOD: {
    meaning: "A threshold aggregation method that does not exist.",
    layers: ["metrics"],
  },
  ERR_THRESHOLD_PERCENTILE: { meaning: "p(N) with N not a number from 0 to 100.", layers: ["metrics"] },
  ERR_THRESHOLD_VALUE: {
    meaning: "A threshold's right-hand side that is not a number.",
    layers: ["metrics"],
  },
  ERR_THRESHOLD_METRIC: {
    meaning: "A threshold's metric part (name or name{tag:value}) malformed or missing.",
    layers: ["metrics"],
  },
  ERR_THRESHOLD_UNSUPPORTED: {
    meaning: "An aggregation method the metric's kind does not have (p(95) on a Counter).",
    layers: ["metrics", "loader"],
  },

  // A WebsocketClient's waitConnectionEstablished() / waitForMessage() (ConnectionWaitError).
  ERR_TIMEOUT: {
    meaning: "The wait's timeout passed first.",
    layers: ["nodes"],
    returned: ErrorCode.ERR_TIMEOUT,
  },
  ERR_CLOSED: { meaning: "The connection closed while waiting, or close() was called.", layers: ["nodes"] },
  ERR_GAVE_UP: { meaning: "The client gave up reconnecting (its attempts ran out).", layers: ["nodes"] },
  ERR_LEFT_TREE: { meaning: "The node left the tree while waiting.", layers: ["nodes"] },
  ERR_CONNECT_FAILED: {
    meaning: "A connection attempt failed and nothing will retry it.",
    layers: ["nodes"],
  },
  ERR_MATCH_FAILED: {
    meaning: "The waitForMessage predicate threw (cause holds the error).",
    layers: ["nodes"],
  },

  // Registering node types (the loader's NodeTypeRegistry, NodeTypeError).
  ERR_REGISTRY: {
    meaning:
      "registerNodeType misuse: a class not extending Node, a bad or taken type name, a props schema not from nodePropsSchema.",
    layers: ["loader"],
  },

  // Scene files (SceneError, one code per problem).
  ERR_JSON_SYNTAX: { meaning: "The scene file is not valid JSON.", layers: ["loader"] },
  ERR_SCHEMA: { meaning: "The scene's shape is wrong (a missing or misplaced key).", layers: ["loader"] },
  ERR_UNSUPPORTED_FORMAT: {
    meaning: "A scene format version this scenetree does not read.",
    layers: ["loader"],
  },
  ERR_FORBIDDEN_KEY: {
    meaning:
      "__proto__, constructor or prototype as a key of a scene file: removed before anything reads it.",
    layers: ["loader"],
  },
  ERR_UNKNOWN_PROPERTY: {
    meaning: "A prop the node type does not have (with a did-you-mean).",
    layers: ["loader"],
  },
  ERR_WRONG_TYPE: { meaning: "A prop value of the wrong type.", layers: ["loader"] },
  ERR_INVALID_VALUE: {
    meaning: "A value of the right type that is not allowed (also an instance that names no scene file).",
    layers: ["loader"],
  },
  ERR_UNKNOWN_TYPE: {
    meaning: "A node type that is not registered (the hint lists the registered ones).",
    layers: ["loader"],
  },
  ERR_DUPLICATE_NAME: { meaning: "Two siblings with the same name.", layers: ["loader"] },
  ERR_BAD_NODE_PATH: {
    meaning: "A NodePath that names no node, or a node of the wrong kind.",
    layers: ["loader"],
  },
  ERR_BAD_CONNECTION: {
    meaning: "A connection whose node, signal or method is missing, or one listed twice.",
    layers: ["loader"],
  },
  ERR_INSTANCE_CYCLE: {
    meaning: "Scenes that instance each other (also through symlinks).",
    layers: ["loader", "tscn"],
  },
  ERR_MISSING_FILE: {
    meaning:
      "A scene, sub-scene or script file that does not exist, or is not a regular file (a folder, a pipe, a device).",
    layers: ["loader", "tscn"],
  },
  ERR_SCRIPT_LOAD: {
    meaning: "A script module that threw while imported, or lies outside the project folder.",
    layers: ["loader"],
  },
  ERR_OUTSIDE_PROJECT: {
    meaning: "A sub-scene outside the project folder, when loaded with confineInstancesToProject.",
    layers: ["loader"],
  },
  ERR_INSTANTIATE: {
    meaning: "Building the nodes failed (a constructor or a setter threw).",
    layers: ["loader"],
  },
  ERR_TSCN: {
    meaning: "A Godot .tscn given to the loader could not be converted.",
    layers: ["loader", "tscn"],
  },

  // Godot .tscn conversion (TscnError).
  ERR_TSCN_SYNTAX: {
    meaning: "Not Godot's text resource syntax (unterminated string, stray character...).",
    layers: ["tscn"],
  },
  ERR_TSCN_STRUCTURE: {
    meaning: "A .tscn that does not hold together (no root, unknown parent or resource id).",
    layers: ["tscn"],
  },
  ERR_TSCN_UNSUPPORTED: {
    meaning: "A .tscn of Godot 2 (format=1) or newer than format=4, or a .tres resource.",
    layers: ["loader", "tscn"],
  },

  // The command line (InputError, UsageError).
  ERR_INPUT: {
    meaning: "Input the user got wrong that is not a command-line mistake (a script that throws).",
    layers: ["run", "cli"],
  },
  ERR_USAGE: { meaning: "A mistake on the command line.", layers: ["run", "cli"] },
} as const satisfies Record<`ERR_${string}`, ErrorCodeInfo>);

/** A code from the table: the only strings a scenetree error's `code` can be. */
export type ErrorCodeName = keyof typeof ERROR_CODES;

/** Options every coded error takes. */
export interface CodedErrorOptions {
  cause?: unknown;
  /** Facts about the failure a caller may branch on (a path, a limit), beyond the code. */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * The base of every error scenetree throws on purpose: `SceneTreeError`, `SceneError`, `TscnError`,
 * `MetricsError`, `ConnectionWaitError`, the CLI's input errors... Branch on `code` (a row of
 * `ERROR_CODES`), or on `instanceof` a subclass; messages say what to do and may be reworded.
 */
export class CodedError extends Error {
  readonly code: ErrorCodeName;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCodeName, message: string, options?: CodedErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CodedError";
    this.code = code;
    this.details = options?.details;
  }
}

/**
 * Typed errors thrown on misuse of the engine API. Each carries a stable `code` so callers and tests can
 * branch on it without parsing messages; messages say what to do instead, as Godot's do.
 */
export type SceneTreeErrorCode =
  | "ERR_NODE_NOT_FOUND"
  | "ERR_WRONG_NODE_TYPE"
  | "ERR_PARENT_BUSY"
  | "ERR_ALREADY_HAS_PARENT"
  | "ERR_CYCLIC_PARENT"
  | "ERR_NOT_A_CHILD"
  | "ERR_INVALID_OWNER"
  | "ERR_INVALID_NAME"
  | "ERR_NOT_IN_TREE"
  | "ERR_NO_TREE"
  | "ERR_ALREADY_CONNECTED"
  | "ERR_NOT_CONNECTED"
  | "ERR_NO_SUCH_METHOD"
  | "ERR_NO_SUCH_SIGNAL"
  | "ERR_SIGNAL_EXISTS"
  | "ERR_FREED"
  | "ERR_INVALID_ARGUMENT"
  | "ERR_STEP_REENTERED"
  | "ERR_UNIQUE_NAME_TAKEN"
  | "ERR_TWEEN_INVALID"
  | "ERR_TWEEN_STARTED"
  | "ERR_OUT_OF_RANGE"
  | "ERR_BUSY"
  | "ERR_LIMIT";

export class SceneTreeError extends CodedError {
  declare readonly code: SceneTreeErrorCode;

  constructor(code: SceneTreeErrorCode, message: string) {
    super(code, message);
    this.name = "SceneTreeError";
  }
}

/** Thrown by `getNode()` when nothing is at the path; names the path and the node it was relative to. */
export class NodeNotFoundError extends SceneTreeError {
  readonly nodePath: string;
  readonly relativeTo: string;

  constructor(nodePath: string, relativeTo: string) {
    super("ERR_NODE_NOT_FOUND", `Node not found: "${nodePath}" (relative to "${relativeTo}").`);
    this.name = "NodeNotFoundError";
    this.nodePath = nodePath;
    this.relativeTo = relativeTo;
  }
}

/**
 * A user callback (virtual, signal handler, deferred call, timer) threw. The tree reports it with the
 * node's path and keeps running, unless it was created with `fatalErrors`, in which case this is thrown.
 */
/**
 * What user code threw, as text for a report, whatever it is: an Error's message (or, with
 * `withStack`, its stack), else `String(value)`. Never throws: a value without a string form
 * (`Object.create(null)`), one whose `toString` or `message` throws, a hostile Proxy are described as
 * `[object Object]`-style tags or `<a value that can't be printed>`, so reporting one never crashes the tree.
 */
export function describeThrown(value: unknown, withStack = false): string {
  try {
    if (value instanceof Error) {
      const text = withStack ? (value.stack ?? value.message) : value.message;
      return typeof text === "string" ? text : String(text);
    }
  } catch {
    // a message or stack getter that throws, a Proxy that refuses instanceof: try the plainer forms
  }
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return "<a value that can't be printed>";
    }
  }
}

export class UserCallbackError extends CodedError {
  declare readonly code: "ERR_USER_CALLBACK";
  readonly nodePath: string;
  readonly callback: string;
  override readonly cause: unknown;

  constructor(nodePath: string, callback: string, cause: unknown) {
    super("ERR_USER_CALLBACK", `${callback} on ${nodePath} threw: ${describeThrown(cause)}`);
    this.name = "UserCallbackError";
    this.nodePath = nodePath;
    this.callback = callback;
    this.cause = cause;
  }
}
