import * as path from "node:path";
import { SceneTree } from "../scene/SceneTree";
import { loadScene } from "../loader/loadScene";
import { SceneError } from "../loader/SceneError";
import { formatTscnWarning } from "../tscn/errors";
import { printSceneError, type CliIo } from "../run/output";
import { createCliLogger } from "../run/cliLogger";
import { importCliScripts } from "../run/scripts";
import { instanceSeed, randomBaseSeed } from "../fleet/seed";
import { instancePlaceholders } from "../scene/instance";
import { liveTotals } from "../metrics/live";
import { Metrics } from "../metrics/Metrics";
import { createSummary } from "../metrics/summary";
import { hasMetrics } from "../metrics/treeMetrics";
import { finishRun, runThresholds, startLive, type RunMetricsOptions } from "../run/runMetrics";
import { isLoopbackHost, type InspectAddress } from "../inspector/address";
import type { Inspector } from "../inspector/options";
import { bindInspector } from "./inspectFlag";
import type { LogFormat, LogLevel } from "../run/args";
import { onStrayRejection } from "../run/strayRejection";
import { onStopSignals } from "../run/stopSignals";
import { throwSite } from "../core/throwSite";

/** Exit codes for signals, as shells report them (128 + signal number). */

/** What one tree's run reads of `run`'s arguments (see runCommand's parseRunArgs). */
export interface TreeRunOptions {
  scene: string;
  fps: number;
  quitAfter: number | null;
  printTree: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
  scripts: string[];
  inspect: InspectAddress | null;
}

/**
 * `scenetree run <scene>` without `--instances`: loads the scene, makes it the tree's current scene
 * and runs frames in real time until something calls `quit()`, `--quit-after` seconds of tree time
 * pass, or a signal arrives. A first SIGINT/SIGTERM quits the tree cleanly (every node gets
 * `_exitTree`); a second exits at once. The built-in node types must be installed
 * (`installBuiltins()`, as runCommand does). Returns the exit code.
 */
export async function runTree(
  options: TreeRunOptions,
  seed: number | null,
  metrics: RunMetricsOptions,
  io: CliIo,
): Promise<number> {
  const log = createCliLogger(io, options.logLevel, options.logFormat);
  importCliScripts(options.scripts, io.cwd);
  let scene;
  try {
    const started = performance.now();
    scene = await loadScene(path.resolve(io.cwd, options.scene), {
      onWarning: (warning) => log.warn(formatTscnWarning(warning)), // a .tscn is converted on the fly
    });
    log.debug(`Loaded ${options.scene} in ${(performance.now() - started).toFixed(1)} ms.`);
  } catch (error) {
    if (!(error instanceof SceneError)) throw error;
    printSceneError(io, error);
    return 2;
  }

  const baseSeed = seed ?? randomBaseSeed();
  log.debug(`Seed ${baseSeed}.`);
  const instance = { index: 0, count: 1, seed: instanceSeed(baseSeed, 0) };
  let errors = 0;
  const tree = new SceneTree({
    logger: log,
    onError: (error) => {
      errors++;
      log.error(`ERROR: ${error.message}${throwSite(error.cause)}`);
    },
    instance,
  });
  const thresholds = runThresholds(metrics, scene.thresholds, log);
  // The WebSocket client nodes record their ws_* metrics only into a registry that exists (so a
  // program that never reads metrics pays nothing); a run reads them at the end, so its tree gets one
  // now. It stays empty when the scene records nothing, and then the run prints nothing new.
  void tree.metrics;
  const recorded = () => hasMetrics(tree) && tree.metrics.all().length > 0;
  let running = true;
  const live = await startLive(metrics, io, log, options.logLevel, {
    read: () => ({
      running: running ? 1 : 0,
      target: 1,
      totals: hasMetrics(tree) ? liveTotals(tree.metrics) : {},
      errors,
    }),
    worthShowing: recorded,
  });
  const removeSignalHandlers = handleSignals(tree, (text) => log.info(text));
  // A promise no callback returned that rejects with nobody handling it: reported as the tree's errors
  // are, and the run goes on (Node would end the process).
  const removeRejectionHandler = onStrayRejection((text) => {
    errors++;
    log.error(text);
  });
  const startedAt = Date.now();
  let code: number | undefined;
  let inspector: Inspector | null = null;
  try {
    // Bound before the scene is built: a port that can't be bound stops the run before anything ran.
    if (options.inspect) inspector = await startCliInspector(tree, options.inspect);
    const root = scene.instantiate({ placeholders: instancePlaceholders(instance) });
    tree.root.addChild(root);
    tree.currentScene = root;
    if (options.printTree) io.stdout(tree.root.getTreeStringPretty());
    if (inspector) announceInspector(inspector, options.inspect!, io);
    if (options.quitAfter !== null) {
      tree.createTimer(options.quitAfter, true).connect("timeout", () => tree.quit(0));
    }
    code = await tree.run({ fps: options.fps });
  } finally {
    running = false;
    removeSignalHandlers();
    removeRejectionHandler();
    await live.stop();
    log.flush(); // how many lines a stalled stderr made us drop, if any
    if (code === undefined) await inspector?.close(); // else it closed with the tree
  }
  // Plain scenes print nothing new: the summary comes when a metric was recorded or thresholds asked.
  const print = recorded() || thresholds.length > 0;
  if (!print && metrics.summaryJson === null) return code;
  const summary = createSummary(hasMetrics(tree) ? tree.metrics : new Metrics(), {
    startedAt,
    durationMs: Date.now() - startedAt,
  });
  return finishRun(summary, thresholds, { print, summaryJson: metrics.summaryJson, runCode: code }, io, log);
}

/** `--inspect`: the inspector module is loaded only here, so a run without the flag never loads it. */
function startCliInspector(tree: SceneTree, address: InspectAddress): Promise<Inspector> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startInspector } = require("../inspector") as typeof import("../inspector");
  return bindInspector(address, () => startInspector(tree, address));
}

function announceInspector(inspector: Inspector, address: InspectAddress, io: CliIo): void {
  io.stderr(`Inspector: ${inspector.url}\n`);
  if (!isLoopbackHost(address.host))
    io.stderr(
      `Inspector: listening on ${address.host}: anyone who can reach it and has the token controls this tree.\n`,
    );
}

function handleSignals(tree: SceneTree, info: (text: string) => void): () => void {
  return onStopSignals({
    stop: (signal, code) => {
      info(`${signal}: quitting (send it again to exit at once).`);
      tree.quit(code);
    },
  });
}
