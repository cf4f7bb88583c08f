import { TscnImporter } from "../tscn/convert";
import { TscnError, type TscnWarning } from "../tscn/errors";
import { located, MESSAGES } from "./messages";
import type { ReadBudget } from "./readBudget";
import { SceneError, type SceneErrorCode } from "./SceneError";

/**
 * Godot `.tscn` files as scene JSON text, so `scenetree run` and instances accept Godot scenes
 * directly. One per load: a conversion reads the sub-scenes it instances (through the load's read
 * budget) and keeps them, so when the load reaches one of them it is neither read nor converted again,
 * and each warning goes once to `onWarning` (the load's option of that name, the same warnings
 * `scenetree import` prints). A file that can't be converted becomes a SceneError at the `.tscn`
 * line:column.
 */
export class TscnSource {
  private readonly importer: TscnImporter;
  private reported = 0;

  constructor(
    budget: ReadBudget,
    private readonly onWarning: ((warning: TscnWarning) => void) | undefined,
  ) {
    this.importer = new TscnImporter({ limits: budget.limits }, budget);
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
    case "ERR_MISSING_FILE":
    case "ERR_INSTANCE_CYCLE":
    case "ERR_LIMIT":
      return error.code;
    default:
      return "ERR_TSCN";
  }
}
