import * as path from "node:path";
import { buildScenes } from "./buildScenes";
import { resolveLimits, type SceneLimits } from "./limits";
import type { PackedScene } from "./PackedScene";
import { ReportBudget } from "./problems";
import { isSceneFileName, isTscnFileName, projectFolder, realPath } from "./projectPolicy";
import { ReadBudget, ReadRefusal } from "./readBudget";
import { SceneError } from "./SceneError";
import { walkScenes, type ReadReply, type ReadRequest, type WalkContext } from "./sceneGraph";
import { TscnSource } from "./tscnSource";
import { setSyncSceneLoader } from "./placeholderLoader";
import type { TscnWarning } from "../tscn/errors";

/** Called for each thing a `.tscn` conversion lost (the scene itself, or `.tscn` sub-scenes). */
export type SceneWarningHandler = (warning: TscnWarning) => void;

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
}

export interface ParseSceneOptions {
  /** Name used in errors, and the folder sub-scene paths resolve from. Default `<string>` in the cwd. */
  file?: string;
  confineInstancesToProject?: boolean;
  limits?: Partial<SceneLimits>;
  /** See {@link LoadSceneOptions.onWarning}: `.tscn` sub-scenes are converted on the fly too. */
  onWarning?: SceneWarningHandler;
}

/** What one load shares between its files: limits, what it may still read, its `.tscn` conversions. */
interface Load {
  readonly limits: SceneLimits;
  readonly budget: ReadBudget;
  readonly tscn: TscnSource;
  readonly walk: WalkContext;
}

/**
 * Reads, validates and packs a scene file. Sub-scenes (`"instance"`) are read the same way; the
 * modules in `"scripts"` (relative to the file, `.ts` allowed when running under tsx) are imported only
 * once every file of the scene, sub-scenes included, is valid as far as it can be checked without
 * them, so no user code runs from a broken scene. Rejects with a {@link SceneError} carrying every
 * problem found.
 */
export async function loadScene(file: string, options: LoadSceneOptions = {}): Promise<PackedScene> {
  const absolute = path.resolve(file);
  const load = startLoad(absolute, options, true);
  const walk = walkScenes({ file: absolute, quote: isSceneFileName(realPath(absolute)) }, load.walk);
  let step = walk.next();
  while (!step.done) step = walk.next(await readAsync(step.value, load));
  return buildScenes(step.value, load.limits, true);
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
  return buildScenes(step.value, load.limits, false);
}

/**
 * {@link loadScene}, synchronously: what an InstancePlaceholder loads its scene with (Godot's
 * `ResourceLoader.load` blocks too). Scripts are imported as loadScene imports them.
 */
export function loadSceneSync(file: string, options: LoadSceneOptions = {}): PackedScene {
  const absolute = path.resolve(file);
  const load = startLoad(absolute, options, true);
  const walk = walkScenes({ file: absolute, quote: isSceneFileName(realPath(absolute)) }, load.walk);
  let step = walk.next();
  while (!step.done) step = walk.next(readSync(step.value, load));
  return buildScenes(step.value, load.limits, true);
}

setSyncSceneLoader((file) => loadSceneSync(file));

function startLoad(file: string, options: LoadSceneOptions, scripts: boolean): Load {
  const limits = resolveLimits(options.limits);
  const budget = new ReadBudget(limits);
  let project: string | undefined;
  return {
    limits,
    budget,
    tscn: new TscnSource(budget, options.onWarning),
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

/** Reads the real file, converting a `.tscn` (already converted as a sub-scene of another: not re-read). */
async function readAsync({ real }: ReadRequest, load: Load): Promise<ReadReply> {
  try {
    if (!isTscnFileName(real)) return await load.budget.read(real);
    return load.tscn.cached(real) ?? load.tscn.convert(await load.budget.read(real), real);
  } catch (error) {
    return asReply(error);
  }
}

function readSync({ real }: ReadRequest, load: Load): ReadReply {
  try {
    if (!isTscnFileName(real)) return load.budget.readSync(real);
    return load.tscn.cached(real) ?? load.tscn.convert(load.budget.readSync(real), real);
  } catch (error) {
    return asReply(error);
  }
}

function asReply(error: unknown): ReadReply {
  if (error instanceof ReadRefusal || error instanceof SceneError) return error;
  throw error;
}
