import { CodedError } from "../core/errors";

/** Why `PackedScene.pack` refused a tree; the same code strings the loader uses for the same faults. */
export type PackErrorCode =
  /** A node to save is of a class no `registerNodeType` made available to scene files. */
  | "ERR_UNKNOWN_TYPE"
  /** A node to save has no name, or one with a character node paths reserve (`. : @ / " %`). */
  | "ERR_INVALID_NAME"
  /** A prop or a bound argument holds a value a scene file can't hold (a class instance, NaN, undefined...). */
  | "ERR_INVALID_VALUE"
  /** A node prop points at a node that is not saved with the scene. */
  | "ERR_BAD_NODE_PATH"
  /** A persistent connection the format can't express (a callable with unbinds). */
  | "ERR_BAD_CONNECTION"
  /** Not a node, or a freed one. */
  | "ERR_INVALID_ARGUMENT";

/**
 * Thrown by `PackedScene.pack` when the tree can't be written as a scene file. `nodePath` names the
 * node from the packed root (`Main/Enemy/Gun`); `prop` the property, when one is at fault.
 */
export class PackError extends CodedError {
  declare readonly code: PackErrorCode;
  readonly nodePath: string;
  readonly prop: string | null;

  constructor(code: PackErrorCode, nodePath: string, message: string, prop: string | null = null) {
    super(code, message);
    this.name = "PackError";
    this.nodePath = nodePath;
    this.prop = prop;
  }
}

/** What a misused API was given, briefly: `an object`, `a PackedScene`, `a string`, `null`. */
export function describeArgument(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return `a ${typeof value}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" && name !== "Object" ? `a ${name}` : "an object";
}
