/**
 * Godot import: `.tscn` text scenes (Godot 3 format=2, Godot 4 format=3) converted into scenetree JSON
 * scenes. `importTscn` for files, `convertTscn` for strings.
 */
import * as path from "node:path";
import { resolveLimits } from "../loader/limits";
import { realPath } from "../loader/projectPolicy";
import { ReadBudget, ReadRefusal } from "../loader/readBudget";
import { jsonFileFor, TscnImporter, type ConvertOptions, type TscnImportResult } from "./convert";
import { TscnError, unsupportedGodotFile } from "./errors";

export { TscnError, formatTscnWarning } from "./errors";
export { registerTscnFormat, tscnSceneFormat } from "./sceneFormat";
export type { TscnErrorCode, TscnWarning, TscnWarningCode } from "./errors";
export type { ConvertOptions, InstanceMode, TscnImportResult } from "./convert";
export type {
  ConvertedSubScene,
  GdScriptUse,
  JsonScene,
  JsonSceneConnection,
  JsonSceneEdit,
  JsonSceneNode,
} from "./scene";

export interface ConvertTscnOptions extends ConvertOptions {
  /** The `.tscn` path the text came from: named in errors, and where `res://` and sub-scenes resolve from. */
  file: string;
}

/**
 * Converts a `.tscn` file into a scenetree JSON scene. Sub-scenes it instances are converted as well
 * (to know their root types); a GDScript on a node is mapped to the TypeScript class registered under
 * its class_name or file name. Rejects with a {@link TscnError} (file, line, column) for a malformed
 * scene; everything converted with a loss is in `warnings`.
 */
export async function importTscn(file: string, options: ConvertOptions = {}): Promise<TscnImportResult> {
  const absolute = path.resolve(file);
  const unsupported = unsupportedGodotFile(absolute);
  if (unsupported !== null) throw new TscnError("ERR_TSCN_UNSUPPORTED", absolute, 1, 1, unsupported);
  const budget = new ReadBudget(resolveLimits(options.limits));
  let text: string;
  try {
    // Read with the loader's byte cap: a 290 MB file is refused after 32 MiB, never read whole.
    text = await budget.read(absolute);
  } catch (error) {
    if (!(error instanceof ReadRefusal)) throw error;
    const limit = error.kind !== "missing" && error.kind !== "unreadable";
    throw new TscnError(
      limit ? "ERR_LIMIT" : "ERR_MISSING_FILE",
      absolute,
      1,
      1,
      error.kind === "missing"
        ? "Scene file not found."
        : limit
          ? error.message
          : `Can't read the scene file: ${error.message}`,
    );
  }
  // Only a .tscn's own text is quoted in errors (a path can lead anywhere, .env files included).
  const quote = /\.tscn$/i.test(realPath(absolute));
  return convertWith(new TscnImporter(options, budget), text, { ...options, file: absolute }, quote);
}

/** {@link importTscn} for text already in memory (synchronous). */
export function convertTscn(text: string, options: ConvertTscnOptions): TscnImportResult {
  return convertWith(new TscnImporter(options), text, options, true);
}

function convertWith(
  importer: TscnImporter,
  text: string,
  options: ConvertTscnOptions,
  quote: boolean,
): TscnImportResult {
  const file = options.file;
  const outFile = options.outFile ?? jsonFileFor(path.resolve(file));
  const { scene } = importer.convert(text, file, outFile, [], quote);
  return {
    scene,
    warnings: importer.warnings,
    scripts: importer.scripts,
    subScenes: importer.subScenes,
  };
}
