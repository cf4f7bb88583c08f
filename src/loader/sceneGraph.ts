import * as path from "node:path";
import type { JsonPathSegment } from "./jsonPath";
import type { SceneLimits } from "./limits";
import { located, MESSAGES } from "./messages";
import { JsonSource } from "./parseJson";
import { ProblemList, type ReportBudget } from "./problems";
import { isInside, isSceneFileName, realPath, type ProjectPolicy } from "./projectPolicy";
import { ReadRefusal } from "./readBudget";
import { SceneError } from "./SceneError";
import { parseSceneText, type ParsedScene, type Reference } from "./sceneText";
import { resolveScript } from "./scriptModule";

/** One scene file of a load, known by its real path: reached twice by any path, it is one file. */
export interface SceneFile {
  /** Identity, and the folder its own references resolve from. */
  readonly real: string;
  /** The path it was first reached by: what problems name. */
  readonly file: string;
  /** Null when it could not be read or parsed; its problems say why. */
  readonly parsed: ParsedScene | null;
  readonly problems: ProblemList;
  /** The sub-scenes it instances, by `"instance"` string as written. Refused ones are absent. */
  readonly instances: Map<string, SceneFile>;
  /** Its scripts as the module loader will run them (real paths), when the load imports scripts. */
  readonly scripts: Array<{ file: string; at: JsonPathSegment[] }>;
  /** The `"instance"` entry the walk first reached it by (none for the top-level file). */
  includedBy?: { scene: SceneFile; at: JsonPathSegment[] };
}

/** Every file one load reaches. */
export interface SceneGraph {
  readonly top: SceneFile;
  /** Each file before the files it instances: the order problems are reported in. */
  readonly preorder: readonly SceneFile[];
  /** Each file after the files it instances: the order they are validated and their scripts run in. */
  readonly postorder: readonly SceneFile[];
}

export interface WalkContext {
  readonly limits: SceneLimits;
  readonly policy: ProjectPolicy;
  /** Resolve and check `"scripts"` (loadScene does; parseScene leaves them alone). */
  readonly scripts: boolean;
  /** Shared by every file: how many problems and how many did-you-mean comparisons are left. */
  readonly report: ReportBudget;
}

/** What the walk asks the loader to read (by real path), and what it gets back. */
export interface ReadRequest {
  readonly file: string;
  readonly real: string;
}
export type ReadReply = string | ReadRefusal | SceneError;

/** The top-level scene: its text when the caller has it (parseScene), else it is read like the rest. */
export interface TopScene {
  readonly file: string;
  readonly text?: string;
  /** A string handed to parseScene may always be quoted in errors; a file only if it is a scene file. */
  readonly quote: boolean;
}

/**
 * The one walk over a load's sub-scenes, depth first with an explicit stack, shared by the sync and
 * async loaders: it yields each file to read and gets its text back. Cycles are found on real paths
 * (a symlink loop is a cycle), each real file is read once however many paths lead to it, and once
 * the read budget refuses a file nothing more is read. Runs no user code.
 */
export function* walkScenes(
  top: TopScene,
  context: WalkContext,
): Generator<ReadRequest, SceneGraph, ReadReply> {
  let root: SceneFile;
  if (top.text === undefined) {
    const real = realPath(top.file);
    root = sceneFile(top.file, real, yield { file: top.file, real }, context, top.quote);
  } else {
    // A string's real path (a syscall, on every parseScene) matters only once it instances something.
    root = sceneFile(top.file, path.resolve(top.file), top.text, context, top.quote);
    if (root.parsed?.instances.length) root = { ...root, real: realPath(top.file) };
  }
  const topReal = root.real;
  const seen = new Map<string, SceneFile | "missing">([[topReal, root]]);
  const preorder = [root];
  const postorder: SceneFile[] = [];
  const stack = [{ scene: root, next: 0 }];
  const chain = new Set([topReal]);
  let stopped = false;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const refs = frame.scene.parsed?.instances ?? [];
    if (stopped || frame.next >= refs.length) {
      stack.pop();
      chain.delete(frame.scene.real);
      postorder.push(frame.scene);
      continue;
    }
    const reference = refs[frame.next++];
    const scene = frame.scene;
    if (scene.instances.has(reference.ref)) continue;
    const target = checkInstance(scene, reference, context.policy);
    if (!target) continue;
    if (chain.has(target.real)) {
      reportCycle(scene, reference, [...chain], target.real);
      continue;
    }
    const known = seen.get(target.real);
    if (known === "missing") reportMissing(scene, reference, target.file);
    else if (known) scene.instances.set(reference.ref, known);
    if (known) continue;
    const answer = yield target;
    if (answer instanceof ReadRefusal && answer.kind !== "file-too-big") {
      if (answer.kind === "missing") seen.set(target.real, "missing");
      stopped = reportRefusal(scene, reference, target.file, answer);
      continue;
    }
    const sub = sceneFile(target.file, target.real, answer, context, isSceneFileName(target.real));
    sub.includedBy = { scene, at: reference.at };
    seen.set(target.real, sub);
    preorder.push(sub);
    scene.instances.set(reference.ref, sub);
    stack.push({ scene: sub, next: 0 });
    chain.add(sub.real);
  }
  return { top: root, preorder, postorder };
}

/** A file that can't be read is a problem of that file, at its first character. */
function refusalError(refusal: ReadRefusal, file: string): SceneError {
  const problem =
    refusal.kind === "missing"
      ? MESSAGES.ERR_MISSING_FILE.scene()
      : refusal.kind === "unreadable"
        ? MESSAGES.ERR_MISSING_FILE.unreadableScene(refusal.message)
        : MESSAGES.ERR_LIMIT.refused(refusal.message, refusal.kind);
  return new SceneError([located(problem, file)]);
}

function sceneFile(
  file: string,
  real: string,
  reply: ReadReply,
  context: WalkContext,
  quote: boolean,
): SceneFile {
  let parsed: ParsedScene | null = null;
  let failure: SceneError | null = null;
  if (reply instanceof ReadRefusal) failure = refusalError(reply, file);
  else if (reply instanceof SceneError) failure = reply;
  else {
    try {
      parsed = parseSceneText(reply, file, context.limits, { quote, report: context.report });
    } catch (error) {
      if (!(error instanceof SceneError)) throw error;
      failure = error;
    }
  }
  const problems = parsed?.problems ?? new ProblemList(file, new JsonSource(""), context.report);
  if (failure) problems.addAll(failure.problems);
  const scene: SceneFile = { real, file, parsed, problems, instances: new Map(), scripts: [] };
  if (parsed && context.scripts) checkScripts(scene, parsed.scripts, context.policy);
  // A placeholder's scene is read when it is instanced, but what it may name is judged with the load.
  for (const reference of parsed?.placeholders ?? []) checkInstance(scene, reference, context.policy);
  return scene;
}

/** Where a sub-scene reference leads, or null after reporting why it is refused. */
function checkInstance(
  scene: SceneFile,
  { ref, at }: Reference,
  policy: ProjectPolicy,
): { file: string; real: string } | null {
  const file = path.resolve(path.dirname(scene.real), ref);
  const real = realPath(file);
  const problems = scene.problems;
  if (!isSceneFileName(file) || !isSceneFileName(real)) {
    problems.report(
      at,
      MESSAGES.ERR_INVALID_VALUE.instanceNotAScene(ref, isSceneFileName(file) ? real : null),
    );
    return null;
  }
  if (policy.confineInstancesToProject && !isInside(real, policy.project)) {
    problems.report(at, MESSAGES.ERR_OUTSIDE_PROJECT.subScene(ref, policy.project));
    return null;
  }
  return { file, real };
}

function reportCycle(scene: SceneFile, { ref, at }: Reference, chain: string[], target: string): void {
  const cycle = [...chain.slice(chain.indexOf(target)), target].map((f) => path.basename(f));
  scene.problems.report(at, MESSAGES.ERR_INSTANCE_CYCLE.cycle(ref, cycle));
}

function reportMissing(scene: SceneFile, { at }: Reference, file: string): void {
  scene.problems.report(at, MESSAGES.ERR_MISSING_FILE.subScene(file, path.dirname(scene.real)));
}

/** Reports a sub-scene that was not read, at the reference; true when the load's budget is spent. */
function reportRefusal(scene: SceneFile, reference: Reference, file: string, refusal: ReadRefusal): boolean {
  if (refusal.kind === "missing") {
    reportMissing(scene, reference, file);
    return false;
  }
  const overBudget = refusal.kind === "total-bytes" || refusal.kind === "file-count";
  scene.problems.report(
    reference.at,
    overBudget
      ? MESSAGES.ERR_LIMIT.refused(refusal.message, refusal.kind)
      : MESSAGES.ERR_MISSING_FILE.unreadableSubScene(reference.ref, refusal.message, refusal.kind),
  );
  return overBudget;
}

/**
 * Finds the file each script will run as (resolved the way the module loader resolves it, then every
 * symlink followed) and refuses those outside the project or missing. Runs no user code.
 */
function checkScripts(scene: SceneFile, scripts: Reference[], policy: ProjectPolicy): void {
  const folder = path.dirname(scene.real);
  const outside = (file: string) => !policy.allowScriptsOutsideProject && !isInside(file, policy.project);
  for (const { ref, at } of scripts) {
    const specifier = path.resolve(folder, ref);
    // The path as written first: a module outside is not even looked for.
    let outsideProject = outside(realPath(specifier));
    const resolved = outsideProject ? null : resolveScript(specifier);
    if (resolved !== null) outsideProject = outside(resolved);
    if (outsideProject) {
      scene.problems.report(at, MESSAGES.ERR_SCRIPT_LOAD.outsideProject(ref, policy.project));
    } else if (resolved === null) {
      scene.problems.report(at, MESSAGES.ERR_MISSING_FILE.script(specifier, folder));
    } else scene.scripts.push({ file: resolved, at });
  }
}
