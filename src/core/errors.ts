/**
 * Typed errors thrown on misuse of the engine API. Each carries a stable `code` so callers and tests can
 * branch on it without parsing messages; messages say what to do instead, as Godot's do.
 */
export type SceneTreeErrorCode =
  | "ERR_NODE_NOT_FOUND"
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

export class SceneTreeError extends Error {
  readonly code: SceneTreeErrorCode;

  constructor(code: SceneTreeErrorCode, message: string) {
    super(message);
    this.name = "SceneTreeError";
    this.code = code;
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
export class UserCallbackError extends Error {
  readonly nodePath: string;
  readonly callback: string;
  override readonly cause: unknown;

  constructor(nodePath: string, callback: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${callback} on ${nodePath} threw: ${detail}`);
    this.name = "UserCallbackError";
    this.nodePath = nodePath;
    this.callback = callback;
    this.cause = cause;
  }
}
