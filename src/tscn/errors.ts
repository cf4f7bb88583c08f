import { echoedWords } from "../core/echo";
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
    detail = echoedWords(detail);
    super(code, `${file}:${line}:${column}: ${detail}`);
  }
}

/** Godot's binary scenes and its resources: files of a Godot project that are not text scenes. */
export const UNSUPPORTED_GODOT_EXTENSIONS = [".scn", ".tres", ".res"] as const;

/**
 * The 3D model files Godot imports as scenes (`instance=ExtResource` of one is a model instance):
 * scenetree reads none of them, so such an instance becomes a plain Node, with a warning.
 */
export const GODOT_MODEL_EXTENSIONS = [".glb", ".gltf", ".dae", ".fbx", ".blend", ".obj"] as const;

/** Whether `file`'s name says it is a 3D model Godot imports as a scene (`.glb`, `.gltf`, ...). */
export function isGodotModel(file: string): boolean {
  const extension = /\.[^./\\]*$/.exec(file)?.[0].toLowerCase() ?? "";
  return (GODOT_MODEL_EXTENSIONS as readonly string[]).includes(extension);
}

/**
 * Why `file` can't be imported when its name says it is a binary scene (`.scn`) or a resource
 * (`.tres`, `.res`), with what to do instead; null for any other file.
 */
export function unsupportedGodotFile(file: string): string | null {
  const extension = /\.[^./\\]*$/.exec(file)?.[0].toLowerCase();
  const advice = "Save the scene as .tscn in Godot.";
  switch (extension) {
    case ".scn":
      return `This is a binary scene (.scn); only text scenes (.tscn) can be imported. ${advice}`;
    case ".tres":
      return `This is a resource file (.tres), not a scene; only scenes (.tscn) can be imported. ${advice}`;
    case ".res":
      return `This is a binary resource file (.res), not a scene; only scenes (.tscn) can be imported. ${advice}`;
    default:
      return null;
  }
}

export type { TscnWarning, TscnWarningCode } from "../loader/sceneWarning";
import type { TscnWarning } from "../loader/sceneWarning";

/** `file:line: message`, the way the CLI prints a warning. */
export function formatTscnWarning(warning: TscnWarning): string {
  return `${warning.file}:${warning.line}: warning: ${warning.message}`;
}
