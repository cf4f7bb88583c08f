import * as path from "node:path";
import { CodedError } from "../core/errors";

/** Stable codes for everything that can be wrong with a scene file; branch on these, not on messages. */
export type SceneErrorCode =
  | "ERR_JSON_SYNTAX"
  | "ERR_SCHEMA"
  | "ERR_UNSUPPORTED_FORMAT"
  | "ERR_FORBIDDEN_KEY"
  | "ERR_UNKNOWN_PROPERTY"
  | "ERR_WRONG_TYPE"
  | "ERR_OUT_OF_RANGE"
  | "ERR_INVALID_VALUE"
  | "ERR_INVALID_NAME"
  | "ERR_UNKNOWN_TYPE"
  | "ERR_DUPLICATE_NAME"
  | "ERR_BAD_NODE_PATH"
  | "ERR_BAD_CONNECTION"
  | "ERR_INSTANCE_CYCLE"
  | "ERR_MISSING_FILE"
  | "ERR_SCRIPT_LOAD"
  | "ERR_OUTSIDE_PROJECT"
  | "ERR_LIMIT"
  | "ERR_INSTANTIATE"
  /** A Godot `.tscn` given to the loader could not be converted (see `TscnError` for the detail). */
  | "ERR_TSCN"
  /** A Godot file the loader can't read: a binary scene (`.scn`), a resource (`.tres`, `.res`), a Godot 2 `.tscn`. */
  | "ERR_TSCN_UNSUPPORTED";

/** One thing wrong with a scene file, located precisely enough to fix it without searching. */
export interface SceneProblem {
  code: SceneErrorCode;
  /** The scene file (absolute when loaded from disk; whatever `parseScene` was given otherwise). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** JSON path of the offending value, e.g. `root.children[2].props.host` ("" for the whole file). */
  path: string;
  message: string;
  /** What to do about it. */
  hint: string;
  /**
   * For a problem in a sub-scene: the `"instance"` entries that led to its file, the one in the file
   * that instances it first, the top-level file's last (absent for the top-level file's own problems).
   */
  includedFrom?: SceneLocation[];
}

/** A place in a scene file: an `"instance"` entry that includes a sub-scene. */
export interface SceneLocation {
  file: string;
  line: number;
  column: number;
  path: string;
}

/** Problems spelled out in a SceneError's message; `problems` has them all. */
const MESSAGE_PROBLEMS = 20;

/**
 * A scene file that cannot be loaded. Carries every problem found in the file (and in the sub-scenes it
 * instances), not only the first; `code`, `file`, `line`, `column` and `path` repeat the first one.
 */
export class SceneError extends CodedError {
  declare readonly code: SceneErrorCode;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly problems: readonly SceneProblem[];

  constructor(problems: readonly SceneProblem[]) {
    if (problems.length === 0) throw new Error("SceneError needs at least one problem.");
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const shown = problems.slice(0, MESSAGE_PROBLEMS).map((p) => formatProblem(p));
    if (problems.length > MESSAGE_PROBLEMS)
      shown.push(`… and ${problems.length - MESSAGE_PROBLEMS} more (see problems).`);
    super(problems[0].code, `Invalid scene (${count}):\n${shown.join("\n")}`);
    this.name = "SceneError";
    const first = problems[0];
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.path = first.path;
    this.problems = problems;
  }
}

/**
 * `file:line:column  path  CODE: message` and the hint on an indented line, the shape compilers use so
 * editors and terminals turn the location into a link. `relativeTo` shortens absolute file names.
 */
export function formatProblem(problem: SceneProblem, relativeTo?: string): string {
  const shorten = (file: string) =>
    (relativeTo && path.isAbsolute(file) && path.relative(relativeTo, file)) || file;
  const where = `${shorten(problem.file)}:${problem.line}:${problem.column}`;
  const head = [where, problem.path, `${problem.code}: ${problem.message}`].filter(Boolean).join("  ");
  const lines = problem.hint ? [head, `    hint: ${problem.hint}`] : [head];
  for (const at of problem.includedFrom ?? []) {
    lines.push(`    instanced at: ${shorten(at.file)}:${at.line}:${at.column}  ${at.path}`);
  }
  return lines.join("\n");
}
