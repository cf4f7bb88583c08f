import * as path from "node:path";
import { buildScenes, checkAndImportScripts, hasScripts } from "./buildScenes";
import { resolveLimits, type SceneLimits } from "./limits";
import type { PackedScene } from "./PackedScene";
import { ReportBudget } from "./problems";
import { isSceneFileName, projectFolder, realPath } from "./projectPolicy";
import { ReadBudget, ReadRefusal } from "./readBudget";
import { defaultNodeTypes, type NodeTypeRegistry } from "./registry";
import { SceneError } from "./SceneError";
import { sceneFormatFor, type SceneFormat, type SceneFormatReader } from "./sceneFormats";
import {
  walkScenes,
  type ReadReply,
  type ReadRequest,
  type SceneGraph,
  type TopScene,
  type WalkContext,
} from "./sceneGraph";
import type { SceneWarningHandler, TscnWarning } from "./sceneWarning";

export type { SceneWarningHandler } from "./sceneWarning";

export interface LoadSceneOptions {
  /**
   * Let `"scripts"` name modules outside the scene's project folder (the nearest folder above the scene
   * file that has a package.json). Off by default: a scene file should not be able to run arbitrary code
   * from elsewhere on the disk.
   */
  allowScriptsOutsideProject?: boolean;
  /**
   * Refuse `"instance"` paths outside the project folder (`ERR_OUTSIDE_PROJECT`), as Godot's `res://`
   * confines scenes. Off by default: a sub-scene is data, and the scripts of every sub-scene are checked
   * against the top-level scene's project anyway, so one from elsewhere cannot run code from elsewhere.
   */
  confineInstancesToProject?: boolean;
  /** Size, nesting, node-count and read limits; see {@link SceneLimits} for the defaults. */
  limits?: Partial<SceneLimits>;
  /**
   * Receives what converting a Godot `.tscn` (the scene, or a sub-scene) could not carry over, the same
   * warnings `scenetree import` prints, each once; format one with `formatTscnWarning`. Default: ignored.
   */
  onWarning?: SceneWarningHandler;
  /**
   * The node types the scene files may name (and a `.tscn` conversion maps classes to). Default: the
   * default registry, the one `registerNodeType` fills.
   */
  registry?: NodeTypeRegistry;
}

export interface ParseSceneOptions {
  /** Name used in errors, and the folder sub-scene paths resolve from. Default `<string>` in the cwd. */
  file?: string;
  confineInstancesToProject?: boolean;
  limits?: Partial<SceneLimits>;
  /** See {@link LoadSceneOptions.onWarning}: `.tscn` sub-scenes are converted on the fly too. */
  onWarning?: SceneWarningHandler;
  /** See {@link LoadSceneOptions.registry}. */
  registry?: NodeTypeRegistry;
}

/**
 * What one walk over a scene's files shares between them: limits, what it may still read, its format
 * conversions, and the warnings they give (handed to the caller's `onWarning` only for the walk whose
 * files are built).
 */
interface Load {
  readonly limits: SceneLimits;
  readonly registry: NodeTypeRegistry;
  readonly budget: ReadBudget;
  readonly onWarning: SceneWarningHandler | undefined;
  /** See {@link SceneFormatLoad.typesMayComeFromScripts}. */
  readonly typesMayComeFromScripts: boolean;
  /** Each format's conversions, started when the load reaches its first file of that format. */
  readonly readers: Map<SceneFormat, SceneFormatReader>;
  readonly walk: WalkContext;
  /** Hands the conversions' warnings, in order, to the caller's `onWarning`. */
  reportWarnings(): void;
}

/**
 * Reads, validates and packs a scene file. Sub-scenes (`"instance"`) are read the same way; the
 * modules in `"scripts"` (relative to the file, `.ts` allowed when running under tsx) are imported only
 * once every file of the scene, sub-scenes included, is valid as far as it can be checked without
 * them, so no user code runs from a broken scene. `.tscn` files of a scene with scripts are converted
 * again once those are imported, with the types they register (the first check keeps the names they
 * may register, as it does in scene files). Rejects with a {@link SceneError} carrying every problem
 * found.
 */
export async function loadScene(file: string, options: LoadSceneOptions = {}): Promise<PackedScene> {
  const top = topScene(file);
  let load = startLoad(top.file, options, true);
  let graph = await walkAsync(top, load);
  if (convertedBeforeScripts(graph, load)) {
    const first = startLoad(top.file, options, true, true);
    importScriptsFirst(await walkAsync(top, first), first, load);
    load = startLoad(top.file, options, true);
    graph = await walkAsync(top, load);
  }
  load.reportWarnings();
  return buildScenes(graph, load, true);
}

/**
 * Validates and packs a scene from a string, synchronously. `"scripts"` are not imported here: the
 * types they would register must be registered already (use {@link loadScene} for files with scripts).
 */
export function parseScene(text: string, options: ParseSceneOptions = {}): PackedScene {
  const file = options.file ?? "<string>";
  const load = startLoad(path.resolve(file), options, false);
  load.budget.claim(text);
  const walk = walkScenes({ file, text, quote: true }, load.walk);
  let step = walk.next();
  while (!step.done) step = walk.next(readSync(step.value, load));
  load.reportWarnings();
  return buildScenes(step.value, load, false);
}

/**
 * {@link loadScene}, synchronously: what an InstancePlaceholder loads its scene with (Godot's
 * `ResourceLoader.load` blocks too). Scripts are imported as loadScene imports them.
 */
export function loadSceneSync(file: string, options: LoadSceneOptions = {}): PackedScene {
  const top = topScene(file);
  let load = startLoad(top.file, options, true);
  let graph = walkSync(top, load);
  if (convertedBeforeScripts(graph, load)) {
    const first = startLoad(top.file, options, true, true);
    importScriptsFirst(walkSync(top, first), first, load);
    load = startLoad(top.file, options, true);
    graph = walkSync(top, load);
  }
  load.reportWarnings();
  return buildScenes(graph, load, true);
}

function topScene(file: string): TopScene {
  const absolute = path.resolve(file);
  return { file: absolute, quote: isSceneFileName(realPath(absolute)) };
}

async function walkAsync(top: TopScene, load: Load): Promise<SceneGraph> {
  const walk = walkScenes(top, load.walk);
  let step = walk.next();
  while (!step.done) step = walk.next(await readAsync(step.value, load));
  return step.value;
}

function walkSync(top: TopScene, load: Load): SceneGraph {
  const walk = walkScenes(top, load.walk);
  let step = walk.next();
  while (!step.done) step = walk.next(readSync(step.value, load));
  return step.value;
}

/**
 * Whether a walk converted files (`.tscn`) before the scripts of its scenes were imported: those may
 * register the types the files name, which the conversion then did not know (a sub-scene root of a
 * class a script registers became a plain Node, and a connection to its signal failed).
 */
function convertedBeforeScripts(graph: SceneGraph, load: Load): boolean {
  return load.readers.size > 0 && hasScripts(graph);
}

/**
 * The scripts of a graph whose conversions keep the names scripts may register, imported once every
 * file is valid as far as it can be checked without them (no user code runs from an invalid scene).
 * The scene is then walked again, converted with the types they registered. When that check or a
 * script fails, the warnings are those of the conversion before it (`before`), as without scripts.
 */
function importScriptsFirst(graph: SceneGraph, first: Load, before: Load): void {
  try {
    checkAndImportScripts(graph, first);
  } catch (error) {
    before.reportWarnings();
    throw error;
  }
}

function startLoad(
  file: string,
  options: LoadSceneOptions,
  scripts: boolean,
  typesMayComeFromScripts = false,
): Load {
  const limits = resolveLimits(options.limits);
  const budget = new ReadBudget(limits);
  const warnings: TscnWarning[] = [];
  const onWarning = options.onWarning;
  let project: string | undefined;
  return {
    limits,
    registry: options.registry ?? defaultNodeTypes,
    budget,
    onWarning: onWarning && ((warning) => void warnings.push(warning)),
    typesMayComeFromScripts,
    reportWarnings: () => {
      for (const warning of warnings.splice(0)) onWarning?.(warning);
    },
    readers: new Map(),
    walk: {
      limits,
      scripts,
      report: new ReportBudget(limits.maxProblems),
      policy: {
        // Found when first needed: most loads never ask (no scripts, no confinement).
        get project() {
          return (project ??= realPath(projectFolder(path.dirname(file))));
        },
        allowScriptsOutsideProject: options.allowScriptsOutsideProject === true,
        confineInstancesToProject: options.confineInstancesToProject === true,
      },
    },
  };
}

/**
 * Reads the real file, converting one of a registered format (`.tscn`); one already converted as a
 * sub-scene of another is not re-read.
 */
async function readAsync({ real }: ReadRequest, load: Load): Promise<ReadReply> {
  try {
    const reader = readerFor(real, load);
    if (!reader) return await load.budget.read(real);
    return reader.cached(real) ?? reader.convert(await load.budget.read(real), real);
  } catch (error) {
    return asReply(error);
  }
}

function readSync({ real }: ReadRequest, load: Load): ReadReply {
  try {
    const reader = readerFor(real, load);
    if (!reader) return load.budget.readSync(real);
    return reader.cached(real) ?? reader.convert(load.budget.readSync(real), real);
  } catch (error) {
    return asReply(error);
  }
}

function readerFor(file: string, load: Load): SceneFormatReader | null {
  const format = sceneFormatFor(file);
  if (!format) return null;
  let reader = load.readers.get(format);
  if (!reader) {
    reader = format.open(load);
    load.readers.set(format, reader);
  }
  return reader;
}

function asReply(error: unknown): ReadReply {
  if (error instanceof ReadRefusal || error instanceof SceneError) return error;
  throw error;
}
