import * as fs from "node:fs";
import * as path from "node:path";
import { parseJsonWithPositions } from "./parseJson";
import type { JsonPathSegment } from "./jsonPath";
import { PackedScene } from "./PackedScene";
import { ProblemList } from "./problems";
import { SceneError, type SceneProblem } from "./SceneError";
import { validateScene } from "./validate";
import { tscnAsSceneJson } from "./tscnSource";
import type { JsonSource } from "./parseJson";

export interface LoadSceneOptions {
  /**
   * Let `"scripts"` name modules outside the scene's project folder (the nearest folder above the scene
   * file that has a package.json). Off by default: a scene file should not be able to run arbitrary code
   * from elsewhere on the disk.
   */
  allowScriptsOutsideProject?: boolean;
}

export interface ParseSceneOptions {
  /** Name used in errors, and the folder sub-scene paths resolve from. Default `<string>` in the cwd. */
  file?: string;
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
  return loadFile(path.resolve(file), [], new Map(), options);
}

/**
 * Validates and packs a scene from a string, synchronously. `"scripts"` are not imported here: the
 * types they would register must be registered already (use {@link loadScene} for files with scripts).
 */
export function parseScene(text: string, options: ParseSceneOptions = {}): PackedScene {
  const file = options.file ?? "<string>";
  return parseSync(text, file, [], new Map());
}

async function loadFile(
  file: string,
  chain: string[],
  cache: Cache,
  options: LoadSceneOptions,
): Promise<PackedScene> {
  const cached = cache.get(file);
  if (cached instanceof PackedScene) return cached;
  if (cached) throw cached;
  try {
    const parsed = parseFile(await readSceneFile(file), file);
    const instances = new Map<string, PackedScene>();
    for (const { ref, at } of parsed.instances) {
      const target = checkInstance(parsed, ref, at, chain);
      if (target && !instances.has(ref)) {
        try {
          instances.set(ref, await loadFile(target, [...chain, file], cache, options));
        } catch (error) {
          if (!(error instanceof SceneError)) throw error;
          parsed.problems.addAll(error.problems);
        }
      }
    }
    const scriptPaths = checkScripts(parsed, options);
    const scene = finish(parsed, instances, scriptPaths);
    cache.set(file, scene);
    return scene;
  } catch (error) {
    if (error instanceof SceneError) cache.set(file, error);
    throw error;
  }
}

function parseSync(text: string, file: string, chain: string[], cache: Cache): PackedScene {
  const parsed = parseFile(text, file);
  const instances = new Map<string, PackedScene>();
  for (const { ref, at } of parsed.instances) {
    const target = checkInstance(parsed, ref, at, chain);
    if (!target || instances.has(ref)) continue;
    const cached = cache.get(target);
    try {
      if (cached instanceof SceneError) throw cached;
      const scene = cached ?? parseSync(readSceneFileSync(target), target, [...chain, file], cache);
      cache.set(target, scene);
      instances.set(ref, scene);
    } catch (error) {
      if (!(error instanceof SceneError)) throw error;
      cache.set(target, error);
      parsed.problems.addAll(error.problems);
    }
  }
  return finish(parsed, instances, null);
}

/** Parses the JSON (a syntax error ends it here: nothing else can be known) and collects references. */
function parseFile(text: string, file: string): ParsedFile {
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
): string | null {
  const target = path.resolve(path.dirname(parsed.file), ref);
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
function checkScripts(parsed: ParsedFile, options: LoadSceneOptions): string[] {
  const paths: string[] = [];
  if (parsed.scripts.length === 0) return paths;
  const project = projectFolder(path.dirname(parsed.file));
  for (const { ref, at } of parsed.scripts) {
    const target = path.resolve(path.dirname(parsed.file), ref);
    const inside = target.startsWith(project + path.sep);
    if (!inside && !options.allowScriptsOutsideProject) {
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
): PackedScene {
  try {
    return validateAndPack(parsed, instances, scripts);
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
): PackedScene {
  const { file, source, problems } = parsed;
  const hasScripts = parsed.scripts.length > 0;
  if (scripts && hasScripts) {
    const firstPass = new ProblemList(file, source);
    validateScene(parsed.raw, firstPass, { instances, typesMayComeFromScripts: true });
    problems.addAll(firstPass.items);
    if (problems.size > 0) throw new SceneError(problems.items);
    scripts.forEach((script, i) => importScript(script, parsed.scripts[i].at, problems));
    if (problems.size > 0) throw new SceneError(problems.items);
  }
  const spec = validateScene<PackedScene>(parsed.raw, problems, { instances });
  if (!spec || problems.size > 0) throw new SceneError(problems.items);
  return new PackedScene(file, { ...spec, scripts: scripts ?? [] }, source);
}

function importScript(script: string, at: JsonPathSegment[], problems: ProblemList): void {
  try {
    // require, not import(): it goes through the host's loader (tsx, ts-jest), which compiles `.ts`
    // modules and shares this package's module instances, so the script registers into this registry.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(script);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const typescript =
      /\.[cm]?ts$/.test(script) && /Unknown file extension|Unexpected token|SyntaxError/.test(String(error));
    problems.add(
      "ERR_SCRIPT_LOAD",
      at,
      `Importing ${script} failed: ${detail}`,
      typescript
        ? "TypeScript scripts need tsx: run scenes with npx scenetree or npm start."
        : "Fix the error in the module; it runs when the scene is loaded.",
    );
  }
}

async function readSceneFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, "utf8");
  } catch (error) {
    throw missingFile(file, error);
  }
  return isTscn(file) ? tscnAsSceneJson(text, file) : text;
}

function readSceneFileSync(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw missingFile(file, error);
  }
  return isTscn(file) ? tscnAsSceneJson(text, file) : text;
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

/** The nearest folder at or above `folder` with a package.json; `folder` itself when there is none. */
function projectFolder(folder: string): string {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return folder;
  }
}
