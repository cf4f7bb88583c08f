import { CodedError } from "../core/errors";

/** Stable codes for a `.tscn` file that can't be converted; branch on these, not on messages. */
export type TscnErrorCode =
  /** The text is not Godot's text resource syntax (unterminated string, stray character, ...). */
  | "ERR_TSCN_SYNTAX"
  /** The syntax is fine but the scene doesn't hold together (no root, unknown parent, unknown resource id). */
  | "ERR_TSCN_STRUCTURE"
  /** `format=1` (Godot 2) or newer than Godot 4's `format=4`, or a `.tres`/`gd_resource` file. */
  | "ERR_TSCN_UNSUPPORTED"
  /** A sub-scene named by `instance=ExtResource(..)` does not exist. */
  | "ERR_MISSING_FILE"
  /** Scenes that instance each other. */
  | "ERR_INSTANCE_CYCLE"
  /** Past one of the loader's limits: a file too large, too many bytes or files in all, nodes nested too deep. */
  | "ERR_LIMIT";

/** A `.tscn` file that cannot be converted, located at the line and column of the problem (1-based). */
export class TscnError extends CodedError {
  declare readonly code: TscnErrorCode;
  override readonly name = "TscnError";

  constructor(
    code: TscnErrorCode,
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** The problem alone, without the location (`message` is `file:line:column: detail`). */
    readonly detail: string,
  ) {
    super(code, `${file}:${line}:${column}: ${detail}`);
  }
}

/** Stable codes for something the importer converted with a loss or left out. */
export type TscnWarningCode =
  /** A Godot class scenetree has no node type for: the node became a plain `Node`. */
  | "W_UNKNOWN_TYPE"
  /** A GDScript on a node: it can't run here (mapped to a TypeScript class when one is registered). */
  | "W_SCRIPT"
  /** A property the target node type does not have, or whose value it can't take: left out. */
  | "W_PROPERTY_DROPPED"
  /** A connection whose signal or method the nodes don't have here: left out. */
  | "W_CONNECTION_DROPPED"
  /** A connection kept with a difference (unbinds, flags scenetree doesn't know). */
  | "W_CONNECTION_CHANGED"
  /** A construct the JSON scene format can't express (editable children, overrides inside sub-scenes, ...). */
  | "W_UNSUPPORTED"
  /** `res://` paths resolved without a `project.godot` above the file. */
  | "W_NO_PROJECT";

/** Something converted with a loss: where it is in the `.tscn` file and what happened. */
export interface TscnWarning {
  code: TscnWarningCode;
  file: string;
  line: number;
  message: string;
}

/** `file:line: message`, the way the CLI prints a warning. */
export function formatTscnWarning(warning: TscnWarning): string {
  return `${warning.file}:${warning.line}: warning: ${warning.message}`;
}
