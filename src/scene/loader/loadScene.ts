import * as fs from "node:fs";
import * as path from "node:path";
import { parseJsonWithPositions } from "./parseJson";
import type { JsonPathSegment } from "./jsonPath";
import { PackedScene } from "./PackedScene";
import { ProblemList } from "./problems";
import { SceneError, type SceneProblem } from "./SceneError";
import { validateScene } from "./validate";
import { firstTooDeep, resolveLimits, type SceneLimits } from "./limits";
import { eachWarningOnce, tscnAsSceneJson } from "./tscnSource";
import { JsonSource } from "./parseJson";
import { describeScriptFailure, requireScript } from "./scriptModule";
import type { TscnWarning } from "../../tscn/errors";

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
  /** Size, nesting and node-count limits; see {@link SceneLimits} for the defaults. */
  limits?: Partial<SceneLimits>;
  /**
   * Receives what converting a Godot `.tscn` (the scene, or a sub-scene) could not carry over, the same
   * warnings `scenetree import` prints; format one with `formatTscnWarning`. Default: ignored.
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

/** What one top-level load carries down to its sub-scenes. */
interface LoadContext {
  limits: SceneLimits;
  /**
   * The top-level scene's project folder (real path). Every sub-scene's scripts and instances are
   * checked against it, so a sub-scene elsewhere cannot bring its own folder's modules along.
   */
  project: string;
  allowScripts: boolean;
  confineInstances: boolean;
  onWarning: SceneWarningHandler | undefined;
}

interface Reference {
  ref: string;
  at: JsonPathSegment[];
}

/** A scene file parsed as JSON, with what it refers to: sub-scenes and scripts. */
interface ParsedFile {
  file: string;
  raw: unknown;
  source: JsonSource;
  problems: ProblemList;
  instances: Reference[];
  scripts: Reference[];
}

/** Sub-scenes loaded during one top-level load, so a scene instanced twice is read once. */
type Cache = Map<string, PackedScene | SceneError>;

/**
 * Reads, validates and packs a scene file. Sub-scenes (`"instance"`) are loaded the same way; the
 * modules in `"scripts"` (relative to the file, `.ts` allowed when running under tsx) are imported only
 * once everything that can be checked without them is valid, so no user code runs from a broken file.
 * Rejects with a {@link SceneError} carrying every problem found.
 */
export async function loadScene(file: string, options: LoadSceneOptions = {}): Promise<PackedScene> {
  const absolute = path.resolve(file);
  return loadFile(absolute, [], new Map(), contextFor(absolute, options));
}

/**
 * Validates and packs a scene from a string, synchronously. `"scripts"` are not imported here: the
 * types they would register must be registered already (use {@link loadScene} for files with scripts).
 */
export function parseScene(text: string, options: ParseSceneOptions = {}): PackedScene {
  const file = options.file ?? "<string>";
  return parseSync(text, file, [], new Map(), contextFor(path.resolve(file), options));
}

function contextFor(file: string, options: LoadSceneOptions): LoadContext {
  return {
    limits: resolveLimits(options.limits),
    project: realPath(projectFolder(path.dirname(file))),
    allowScripts: options.allowScriptsOutsideProject === true,
    confineInstances: options.confineInstancesToProject === true,
    onWarning: eachWarningOnce(options.onWarning),
  };
}

async function loadFile(
  file: string,
  chain: string[],
  cache: Cache,
  context: LoadContext,
): Promise<PackedScene> {
  const cached = cache.get(file);
  if (cached instanceof PackedScene) return cached;
  if (cached) throw cached;
  try {
    const parsed = parseFile(
      await readSceneFile(file, context.limits, context.onWarning),
      file,
      context.limits,
    );
    const instances = new Map<string, PackedScene>();
    for (const { ref, at } of parsed.instances) {
      const target = checkInstance(parsed, ref, at, chain, context);
      if (target && !instances.has(ref)) {
        try {
          instances.set(ref, await loadFile(target, [...chain, file], cache, context));
        } catch (error) {
          if (!(error instanceof SceneError)) throw error;
          parsed.problems.addAll(error.problems);
        }
      }
    }
    const scriptPaths = checkScripts(parsed, context);
    const scene = finish(parsed, instances, scriptPaths, context.limits);
    cache.set(file, scene);
    return scene;
  } catch (error) {
    if (error instanceof SceneError) cache.set(file, error);
    throw error;
  }
}

function parseSync(
  text: string,
  file: string,
  chain: string[],
  cache: Cache,
  context: LoadContext,
): PackedScene {
  const parsed = parseFile(text, file, context.limits);
  const instances = new Map<string, PackedScene>();
  for (const { ref, at } of parsed.instances) {
    const target = checkInstance(parsed, ref, at, chain, context);
    if (!target || instances.has(ref)) continue;
    const cached = cache.get(target);
    try {
      if (cached instanceof SceneError) throw cached;
      const scene =
        cached ??
        parseSync(
          readSceneFileSync(target, context.limits, context.onWarning),
          target,
          [...chain, file],
          cache,
          context,
        );
      cache.set(target, scene);
      instances.set(ref, scene);
    } catch (error) {
      if (!(error instanceof SceneError)) throw error;
      cache.set(target, error);
      parsed.problems.addAll(error.problems);
    }
  }
  return finish(parsed, instances, null, context.limits);
}

/** Parses the JSON (a syntax error ends it here: nothing else can be known) and collects references. */
function parseFile(text: string, file: string, limits: SceneLimits): ParsedFile {
  checkTextLimits(text, file, limits);
  const result = parseJsonWithPositions(text);
  if (!result.ok) {
    throw new SceneError([
      {
        code: "ERR_JSON_SYNTAX",
        file,
        ...result.position,
        path: "",
        message: `Invalid JSON: ${result.message}.`,
        hint: "Scene files are strict JSON: double-quoted keys and strings, no comments, no trailing commas.",
      },
    ]);
  }
  const parsed: ParsedFile = {
    file,
    raw: result.value,
    source: result.source,
    problems: new ProblemList(file, result.source),
    instances: [],
    scripts: [],
  };
  const raw = result.value as Record<string, unknown> | null;
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    collectInstances(raw.root, ["root"], parsed.instances);
    if (Array.isArray(raw.scripts)) {
      raw.scripts.forEach((ref, i) => {
        if (typeof ref === "string" && ref.length > 0) parsed.scripts.push({ ref, at: ["scripts", i] });
      });
    }
  }
  return parsed;
}

/** Size and nesting, checked before parsing: every later step may then recurse safely. */
function checkTextLimits(text: string, file: string, limits: SceneLimits): void {
  const tooBig =
    text.length > limits.maxFileBytes ||
    (text.length * 3 > limits.maxFileBytes && Buffer.byteLength(text) > limits.maxFileBytes);
  if (tooBig) throw fileTooBig(file, limits);
  const offset = firstTooDeep(text, limits.maxJsonNesting);
  if (offset === -1) return;
  const { line, column } = new JsonSource(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).positionAt(
    text.charCodeAt(0) === 0xfeff ? offset - 1 : offset,
  );
  throw new SceneError([
    {
      code: "ERR_LIMIT",
      file,
      line,
      column,
      path: "",
      message: `Arrays and objects are nested deeper than ${limits.maxJsonNesting} levels here.`,
      hint: "Flatten the scene, or raise the limit: loadScene(file, { limits: { maxJsonNesting } }).",
    },
  ]);
}

function fileTooBig(file: string, limits: SceneLimits): SceneError {
  return new SceneError([
    {
      code: "ERR_LIMIT",
      file,
      line: 1,
      column: 1,
      path: "",
      message: `The scene file is larger than ${limits.maxFileBytes} bytes.`,
      hint: "Split it into sub-scenes, or raise the limit: loadScene(file, { limits: { maxFileBytes } }).",
    },
  ]);
}

function collectInstances(node: unknown, at: JsonPathSegment[], out: Reference[]): void {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return;
  const { instance, children } = node as Record<string, unknown>;
  if (typeof instance === "string" && instance.length > 0)
    out.push({ ref: instance, at: [...at, "instance"] });
  if (Array.isArray(children))
    children.forEach((child, i) => collectInstances(child, [...at, "children", i], out));
}

/** The sub-scene's absolute path, or null after reporting a cycle or a missing file. */
function checkInstance(
  parsed: ParsedFile,
  ref: string,
  at: JsonPathSegment[],
  chain: string[],
  context: LoadContext,
): string | null {
  const target = path.resolve(path.dirname(parsed.file), ref);
  if (context.confineInstances && !isInside(target, context.project)) {
    parsed.problems.add(
      "ERR_OUTSIDE_PROJECT",
      at,
      `Sub-scene "${ref}" is outside the scene's project folder (${context.project}).`,
      "Move the scene file into the project, or load without { confineInstancesToProject: true }.",
    );
    return null;
  }
  if (target === parsed.file || chain.includes(target)) {
    const cycle = [...chain.slice(chain.indexOf(target)), parsed.file, target].map((f) => path.basename(f));
    parsed.problems.add(
      "ERR_INSTANCE_CYCLE",
      at,
      `Instancing "${ref}" makes a cycle: ${cycle.join(" → ")}.`,
      "A scene can't contain itself, directly or through other scenes; remove this instance.",
    );
    return null;
  }
  if (!isFile(target)) {
    parsed.problems.add(
      "ERR_MISSING_FILE",
      at,
      `Sub-scene file not found: ${target}.`,
      `The path is relative to this scene file's folder (${path.dirname(parsed.file)}).`,
    );
    return null;
  }
  return target;
}

/** Absolute paths of the scripts to import, after reporting missing ones and ones outside the project. */
function checkScripts(parsed: ParsedFile, context: LoadContext): string[] {
  const paths: string[] = [];
  if (parsed.scripts.length === 0) return paths;
  const project = context.project;
  for (const { ref, at } of parsed.scripts) {
    const target = path.resolve(path.dirname(parsed.file), ref);
    if (!context.allowScripts && !isInside(target, project)) {
      parsed.problems.add(
        "ERR_SCRIPT_LOAD",
        at,
        `Script "${ref}" is outside the scene's project folder (${project}).`,
        "Move the module into the project, or load the scene with { allowScriptsOutsideProject: true }.",
      );
    } else if (!isFile(target)) {
      parsed.problems.add(
        "ERR_MISSING_FILE",
        at,
        `Script file not found: ${target}.`,
        `The path is relative to this scene file's folder (${path.dirname(parsed.file)}); write the extension too.`,
      );
    } else paths.push(target);
  }
  return paths;
}

/**
 * Validates and packs. With scripts: a first pass that cannot know the scripts' types must find nothing
 * else wrong before the scripts are imported; the second pass then checks the types too.
 */
function finish(
  parsed: ParsedFile,
  instances: Map<string, PackedScene>,
  scripts: string[] | null,
  limits: SceneLimits,
): PackedScene {
  try {
    return validateAndPack(parsed, instances, scripts, limits);
  } catch (error) {
    if (error instanceof SceneError) throw new SceneError(inFileOrder(error.problems, parsed.file));
    throw error;
  }
}

/** This file's problems top to bottom, then those of the sub-scenes it instances. */
function inFileOrder(problems: readonly SceneProblem[], file: string): SceneProblem[] {
  const rank = (p: SceneProblem) => (p.file === file ? 0 : 1);
  return [...problems].sort(
    (a, b) => rank(a) - rank(b) || (rank(a) === 0 ? a.line - b.line || a.column - b.column : 0),
  );
}

function validateAndPack(
  parsed: ParsedFile,
  instances: Map<string, PackedScene>,
  scripts: string[] | null,
  limits: SceneLimits,
): PackedScene {
  const { file, source, problems } = parsed;
  const hasScripts = parsed.scripts.length > 0;
  if (scripts && hasScripts) {
    const firstPass = new ProblemList(file, source);
    validateScene(parsed.raw, firstPass, { instances, typesMayComeFromScripts: true, limits });
    problems.addAll(firstPass.items);
    if (problems.size > 0) throw new SceneError(problems.items);
    scripts.forEach((script, i) => importScript(script, parsed.scripts[i].at, problems));
    if (problems.size > 0) throw new SceneError(problems.items);
  }
  const spec = validateScene<PackedScene>(parsed.raw, problems, { instances, limits });
  if (!spec || problems.size > 0) throw new SceneError(problems.items);
  return new PackedScene(file, { ...spec, scripts: scripts ?? [] }, source);
}

function importScript(script: string, at: JsonPathSegment[], problems: ProblemList): void {
  try {
    requireScript(script);
  } catch (error) {
    problems.add(
      "ERR_SCRIPT_LOAD",
      at,
      `Importing ${script} failed: ${describeScriptFailure(script, error)}`,
      "Fix the error in the module; it runs when the scene is loaded.",
    );
  }
}

async function readSceneFile(
  file: string,
  limits: SceneLimits,
  onWarning: SceneWarningHandler | undefined,
): Promise<string> {
  let text: string;
  try {
    // The size is checked before reading: an oversized file is never loaded into memory.
    if ((await fs.promises.stat(file)).size > limits.maxFileBytes) throw fileTooBig(file, limits);
    text = await fs.promises.readFile(file, "utf8");
  } catch (error) {
    throw error instanceof SceneError ? error : missingFile(file, error);
  }
  return isTscn(file) ? tscnAsSceneJson(text, file, onWarning) : text;
}

function readSceneFileSync(
  file: string,
  limits: SceneLimits,
  onWarning: SceneWarningHandler | undefined,
): string {
  let text: string;
  try {
    if (fs.statSync(file).size > limits.maxFileBytes) throw fileTooBig(file, limits);
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw error instanceof SceneError ? error : missingFile(file, error);
  }
  return isTscn(file) ? tscnAsSceneJson(text, file, onWarning) : text;
}

/** Godot text scenes are converted on the fly (see tscnSource.ts). */
function isTscn(file: string): boolean {
  return file.toLowerCase().endsWith(".tscn");
}

function missingFile(file: string, error: unknown): SceneError {
  const code = (error as NodeJS.ErrnoException).code;
  return new SceneError([
    {
      code: "ERR_MISSING_FILE",
      file,
      line: 1,
      column: 1,
      path: "",
      message: code === "ENOENT" ? "Scene file not found." : `Can't read the scene file: ${String(error)}.`,
      hint: "Check the path; relative paths resolve from the current folder.",
    },
  ]);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether `target` lies inside `folder` (a real path), following symlinks: a link inside the project
 * that points outside it counts as outside. A target that does not exist is judged by its path.
 */
function isInside(target: string, folder: string): boolean {
  return realPath(target).startsWith(folder + path.sep);
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** The nearest folder at or above `folder` with a package.json; `folder` itself when there is none. */
function projectFolder(folder: string): string {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return folder;
  }
}
