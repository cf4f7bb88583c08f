import type { SceneLimits } from "./limits";
import type { NodeTypeRegistry } from "./registry";
import { MESSAGES } from "./messages";
import { PackedScene } from "./PackedScene";
import { formatJsonPath } from "./jsonPath";
import { SceneError, type SceneLocation, type SceneProblem } from "./SceneError";
import type { SceneFile, SceneGraph } from "./sceneGraph";
import { describeScriptFailure, requireScript } from "./scriptModule";
import { validateScene } from "./validate";

/**
 * Validates every file of a load and packs the top-level scene. No user code runs from an invalid
 * graph: when any file has scripts, a first pass checks every file with what is known without them
 * (types they may register are not reported missing), and only when the whole graph passes are the
 * scripts imported, sub-scenes' first, for a second pass that checks everything. Throws one
 * SceneError with the problems of every file, the top-level file's first.
 */
export function buildScenes(graph: SceneGraph, checks: SceneChecks, importScripts: boolean): PackedScene {
  if (importScripts && hasScripts(graph)) checkAndImportScripts(graph, checks);
  const packed = validateAll(graph, checks, false);
  throwIfInvalid(graph);
  return packed.get(graph.top)!;
}

/** Whether any file of the graph lists scripts (see {@link declaresScripts}). */
export function hasScripts(graph: SceneGraph): boolean {
  return graph.postorder.some(declaresScripts);
}

/**
 * The first half of {@link buildScenes} for a graph with scripts: checks every file with what is known
 * without them, then imports them (sub-scenes' first, each module once). Throws a SceneError when a
 * file is invalid (nothing imported) or a script fails.
 */
export function checkAndImportScripts(graph: SceneGraph, checks: SceneChecks): void {
  validateAll(graph, checks, true);
  throwIfInvalid(graph);
  runScripts(graph);
  throwIfInvalid(graph);
}

/**
 * Whether a file lists scripts, found or not: one that could not be found (or is outside the project)
 * is already a problem, and the types it would have registered are not reported missing beside it.
 */
function declaresScripts(scene: SceneFile): boolean {
  if (scene.scripts.length > 0) return true;
  const scripts = (scene.parsed?.raw as { scripts?: unknown } | undefined)?.scripts;
  return Array.isArray(scripts) && scripts.length > 0;
}

/** What every file of a load is checked against. */
export interface SceneChecks {
  readonly limits: SceneLimits;
  readonly registry: NodeTypeRegistry;
}

/** Validates bottom-up, so each file sees its sub-scenes' shapes; a failed sub-scene is left out. */
function validateAll(
  graph: SceneGraph,
  { limits, registry }: SceneChecks,
  typesMayComeFromScripts: boolean,
): Map<SceneFile, PackedScene> {
  const packed = new Map<SceneFile, PackedScene>();
  for (const scene of graph.postorder) {
    if (!scene.parsed) continue;
    const instances = new Map<string, PackedScene>();
    for (const [ref, sub] of scene.instances) {
      const subScene = packed.get(sub);
      if (subScene) instances.set(ref, subScene);
    }
    const spec = validateScene<PackedScene>(scene.parsed.raw, scene.problems, {
      instances,
      typesMayComeFromScripts,
      limits,
      registry,
    });
    if (!spec) continue;
    const scripts = scene.scripts.map((script) => script.file);
    packed.set(scene, new PackedScene(scene.file, { ...spec, scripts }, scene.parsed.source));
  }
  return packed;
}

/** Imports each file's scripts, sub-scenes first; stops after the first file whose script fails. */
function runScripts(graph: SceneGraph): void {
  const imported = new Set<string>();
  for (const scene of graph.postorder) {
    for (const { file, at } of scene.scripts) {
      if (imported.has(file)) continue;
      imported.add(file);
      try {
        requireScript(file);
      } catch (error) {
        scene.problems.report(
          at,
          MESSAGES.ERR_SCRIPT_LOAD.importFailed(file, describeScriptFailure(file, error)),
        );
      }
    }
    if (scene.problems.size > 0) return;
  }
}

function throwIfInvalid(graph: SceneGraph): void {
  const problems: SceneProblem[] = [];
  for (const scene of graph.preorder) {
    const items = inFileOrder(scene.problems.items, scene.file);
    const includedFrom = items.length > 0 ? includedFromOf(scene) : [];
    for (const problem of items)
      problems.push(includedFrom.length > 0 ? { ...problem, includedFrom } : problem);
  }
  if (problems.length > 0) throw new SceneError(problems);
}

/** The `"instance"` entries that led the load to `scene`, the nearest first, the top-level file's last. */
function includedFromOf(scene: SceneFile): SceneLocation[] {
  const chain: SceneLocation[] = [];
  for (let s = scene; s.includedBy; s = s.includedBy.scene) {
    const { scene: parent, at } = s.includedBy;
    const { line, column } = parent.parsed?.source.positionOf(at) ?? { line: 1, column: 1 };
    chain.push({ file: parent.file, line, column, path: formatJsonPath(at) });
  }
  return chain;
}

/** A file's problems top to bottom (those it carries from elsewhere, a `.tscn` it converted, after). */
function inFileOrder(problems: readonly SceneProblem[], file: string): SceneProblem[] {
  const rank = (p: SceneProblem) => (p.file === file ? 0 : 1);
  return [...problems].sort(
    (a, b) => rank(a) - rank(b) || (rank(a) === 0 ? a.line - b.line || a.column - b.column : 0),
  );
}
