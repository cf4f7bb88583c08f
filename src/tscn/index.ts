/**
 * Godot import: `.tscn` text scenes (Godot 3 format=2, Godot 4 format=3) converted into scenetree JSON
 * scenes. `importTscn` for files, `convertTscn` for strings.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import "../scene/loader/builtinTypes"; // Node and Timer must be registered for the mapping
import "../nodes/websocketTypes";
import { jsonFileFor, TscnImporter, type ConvertOptions, type TscnImportResult } from "./convert";
import { TscnError } from "./errors";

export { TscnError, formatTscnWarning } from "./errors";
export type { TscnErrorCode, TscnWarning, TscnWarningCode } from "./errors";
export type { ConvertOptions, InstanceMode, TscnImportResult } from "./convert";
export type { ConvertedSubScene, GdScriptUse, JsonScene, JsonSceneConnection, JsonSceneNode } from "./scene";

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
  let text: string;
  try {
    text = await fs.promises.readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TscnError(
      "ERR_MISSING_FILE",
      absolute,
      1,
      1,
      code === "ENOENT" ? "Scene file not found." : `Can't read the scene file: ${String(error)}.`,
    );
  }
  return convertTscn(text, { ...options, file: absolute });
}

/** {@link importTscn} for text already in memory (synchronous). */
export function convertTscn(text: string, options: ConvertTscnOptions): TscnImportResult {
  const importer = new TscnImporter(options);
  const file = options.file;
  const outFile = options.outFile ?? jsonFileFor(path.resolve(file));
  const { scene } = importer.convert(text, file, outFile);
  return {
    scene,
    warnings: importer.warnings,
    scripts: importer.scripts,
    subScenes: importer.subScenes,
  };
}
