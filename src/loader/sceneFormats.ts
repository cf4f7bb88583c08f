import type { ReadBudget } from "./readBudget";
import type { NodeTypeRegistry } from "./registry";
import type { SceneWarningHandler } from "./sceneWarning";

/** What one load gives a format's conversions. */
export interface SceneFormatLoad {
  /** The load's limits and what it may still read; a format reads the files its files name through it. */
  readonly budget: ReadBudget;
  /** The node types the load validates against (what a conversion maps classes to). */
  readonly registry: NodeTypeRegistry;
  /** Where what a conversion loses goes, each warning once (the load's `onWarning`). */
  readonly onWarning: SceneWarningHandler | undefined;
  /**
   * A first look before the load imports its scenes' scripts, which may register the types the files
   * name: keep a name no type is registered under yet, as a scene file naming it would (the first
   * check allows it). The load converts the files again once the scripts ran.
   */
  readonly typesMayComeFromScripts?: boolean;
}

/** The conversions of one load: files of one format turned into scene JSON text. */
export interface SceneFormatReader {
  /** The JSON of the file at real path `file` if this load has converted it already (as a sub-scene of another). */
  cached(file: string): string | null;
  /** The scene JSON for `text`, the file at real path `file`. Throws a SceneError when it can't be converted. */
  convert(text: string, file: string): string;
}

/** A scene file format other than JSON, converted to scene JSON while loading. */
export interface SceneFormat {
  /** File name endings it reads, with the dot (`[".tscn"]`), matched without regard to case. */
  readonly extensions: readonly string[];
  /** Starts one load's conversions; called at most once per load, for its first file of the format. */
  open(load: SceneFormatLoad): SceneFormatReader;
}

const formats = new Map<string, SceneFormat>();

/**
 * Lets scene loads (`loadScene`, `"instance"` sub-scenes, `scenetree run`) read files ending in one of
 * `format.extensions`. A later registration for an extension replaces the earlier one.
 */
export function registerSceneFormat(format: SceneFormat): void {
  for (const extension of format.extensions) formats.set(extension.toLowerCase(), format);
}

/** The extensions of every registered format, lower case, with the dot (`[".tscn"]`), sorted. */
export function registeredSceneExtensions(): string[] {
  return [...formats.keys()].sort();
}

/** The format registered for `file`'s extension; undefined for JSON and for files of no known format. */
export function sceneFormatFor(file: string): SceneFormat | undefined {
  if (formats.size === 0) return undefined;
  const dot = file.lastIndexOf(".");
  return dot < 0 ? undefined : formats.get(file.slice(dot).toLowerCase());
}
