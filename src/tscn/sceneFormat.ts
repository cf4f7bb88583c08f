import type { SceneFormat, SceneFormatLoad, SceneFormatReader } from "../loader/sceneFormats";
import { registerSceneFormat } from "../loader/sceneFormats";
import { SceneError, type SceneErrorCode } from "../loader/SceneError";
import type { SceneWarningHandler } from "../loader/sceneWarning";
import { TscnImporter } from "./convert";
import { TscnError, UNSUPPORTED_GODOT_EXTENSIONS, unsupportedGodotFile } from "./errors";
import { located, MESSAGES } from "../loader/messages";

/**
 * Godot `.tscn` files as scene JSON text, so `scenetree run` and instances accept Godot scenes
 * directly. One per load: a conversion reads the sub-scenes it instances (through the load's read
 * budget) and keeps them, so when the load reaches one of them it is neither read nor converted again,
 * and each warning goes once to `onWarning` (the load's option of that name, the same warnings
 * `scenetree import` prints). A file that can't be converted becomes a SceneError at the `.tscn`
 * line:column.
 */
export class TscnSource implements SceneFormatReader {
  private readonly importer: TscnImporter;
  private reported = 0;
  private readonly onWarning: SceneWarningHandler | undefined;

  constructor({ budget, registry, onWarning, typesMayComeFromScripts }: SceneFormatLoad) {
    this.importer = new TscnImporter({ limits: budget.limits, registry }, budget, typesMayComeFromScripts);
    this.onWarning = onWarning;
  }

  /** The JSON of a `.tscn` (a real path) already converted as another one's sub-scene, if any. */
  cached(file: string): string | null {
    const converted = this.importer.converted(file);
    return converted ? JSON.stringify(converted.scene, null, 2) : null;
  }

  /** The JSON for `text`, the `.tscn` at real path `file`. */
  convert(text: string, file: string): string {
    try {
      const { scene } = this.importer.convertFile(text, file);
      return JSON.stringify(scene, null, 2);
    } catch (error) {
      if (!(error instanceof TscnError)) throw error;
      // The codes both layers share stay as they are; the rest are ERR_TSCN (the TscnError has the detail).
      const { file, line, column } = error;
      const problem = { ...MESSAGES.ERR_TSCN.conversion(error.detail), code: sceneCode(error) };
      throw new SceneError([located(problem, file, line, column)]);
    } finally {
      const warnings = this.importer.warnings;
      for (; this.reported < warnings.length; this.reported++) this.onWarning?.(warnings[this.reported]);
    }
  }
}

function sceneCode(error: TscnError): SceneErrorCode {
  switch (error.code) {
    case "ERR_TSCN_UNSUPPORTED":
    case "ERR_MISSING_FILE":
    case "ERR_INSTANCE_CYCLE":
    case "ERR_LIMIT":
      return error.code;
    default:
      return "ERR_TSCN";
  }
}

/** Godot text scenes as a scene format: one {@link TscnSource} per load. */
export const tscnSceneFormat: SceneFormat = {
  extensions: [".tscn"],
  open: (load) => new TscnSource(load),
};

/**
 * Godot's other scene and resource files (binary `.scn`, `.tres`, `.res`) as a scene format that
 * converts none of them: a load that reaches one (the scene, or an `"instance"`) reports
 * ERR_TSCN_UNSUPPORTED, saying to save the scene as `.tscn`, instead of reading it as JSON.
 */
export const unsupportedGodotFormat: SceneFormat = {
  extensions: UNSUPPORTED_GODOT_EXTENSIONS,
  open: () => ({
    cached: () => null,
    convert(_text, file) {
      const problem = MESSAGES.ERR_TSCN_UNSUPPORTED.godotFile(unsupportedGodotFile(file) ?? "");
      throw new SceneError([located(problem, file, 1, 1)]);
    },
  }),
};

/** Lets every scene load read Godot `.tscn` files, and refuse `.scn`/`.tres`/`.res` (`src/index.ts` calls it once). */
export function registerTscnFormat(): void {
  registerSceneFormat(tscnSceneFormat);
  registerSceneFormat(unsupportedGodotFormat);
}
