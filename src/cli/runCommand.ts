import * as path from "node:path";
import { SceneTree } from "../scene/SceneTree";
import { loadScene } from "../loader/loadScene";
import { SceneError } from "../loader/SceneError";
import { formatTscnWarning } from "../tscn/errors";
import {
  LOG_FORMATS,
  LOG_LEVELS,
  commandHelp,
  parseCommand,
  positiveNumber,
  UsageError,
  type CommandSpec,
  type LogFormat,
  type LogLevel,
  type OptionSpec,
} from "../run/args";
import { EXIT_CODES } from "./help";
import { printSceneError, type CliIo } from "../run/output";
import { createCliLogger } from "../run/cliLogger";
import { importCliScripts } from "../run/scripts";
import {
  FLEET_OPTIONS,
  FLEET_EXIT_CODES,
  parseFleetFlags,
  parseSeed,
  type FleetFlagValues,
} from "../fleet/flags";
import { runFleet } from "../fleet/runFleet";
import { instanceSeed, randomBaseSeed } from "../fleet/seed";
import { instancePlaceholders } from "../scene/instance";
import { liveTotals } from "../metrics/live";
import { Metrics } from "../metrics/Metrics";
import { createSummary } from "../metrics/summary";
import { hasMetrics } from "../metrics/treeMetrics";
import {
  finishRun,
  parseRunMetricsFlags,
  RUN_METRICS_OPTIONS,
  runThresholds,
  startLive,
  type RunMetricsFlagValues,
} from "../run/runMetrics";
import { fleetInspector, inspectAddress, joinInspectValue } from "./inspectFlag";
import { isLoopbackHost, type InspectAddress } from "../inspector/address";

const RUN_OPTIONS = {
  fps: { type: "string", value: "N", description: "Idle frames per second (default 60)." },
  "quit-after": {
    type: "string",
    value: "SECONDS",
    description: "Quit after this many seconds of tree time.",
  },
  "print-tree": { type: "boolean", description: "Print the tree once the scene is ready." },
  "log-level": {
    type: "string",
    value: "LEVEL",
    description:
      `${LOG_LEVELS.join(", ")}: what is logged on stderr,\n` +
      "the CLI's messages and the nodes' node.log (default info; the\n" +
      "WebSocket nodes log connects, closes and reconnects at debug).",
  },
  "log-format": {
    type: "string",
    value: "FORMAT",
    description:
      "pretty (default): one readable line per message; json: pino's JSON\n" +
      "lines, one object per message.",
  },
  scripts: {
    type: "string",
    multiple: true,
    value: "FILE",
    description:
      "Import this module (.ts or .js, relative to the current folder) before\n" +
      "loading the scene, so the node types it registers are known. In a .tscn,\n" +
      "a registered class takes over the nodes whose GDScript has its name\n" +
      "(class_name or file name).",
  },
  seed: {
    type: "string",
    value: "N",
    description: "Base seed of tree.instance.seed, 0..4294967295 (default random).",
  },
  inspect: {
    type: "string",
    value: "[[HOST:]PORT]",
    description:
      "Serve the live inspector (default 127.0.0.1 on a free port) and print its\n" +
      "URL on stderr; the URL carries the access token. Another HOST exposes\n" +
      "the tree to the network. With --instances, the page picks an instance.",
  },
  ...RUN_METRICS_OPTIONS,
  ...FLEET_OPTIONS,
} as const satisfies Record<string, OptionSpec>;

const RUN_DESCRIPTION = `Loads a scene (a .scene.json file, or a Godot .tscn converted on the fly, its warnings on
stderr), makes it the current scene and runs frames in real time until something calls quit(),
--quit-after seconds of tree time pass, or SIGINT/SIGTERM arrives (the tree quits cleanly; a second
signal exits at once). It then prints a k6-like summary of the metrics on stdout when any were
recorded or thresholds were given (always with --instances); a live status line runs on stderr.`;

const THRESHOLD_EXIT_CODE = `99 when a threshold failed and the run itself did not (k6's rule: a run that exits 1,
130 or 143 keeps that code; the summary shows the thresholds all the same).`;

export const RUN_SPEC: CommandSpec<typeof RUN_OPTIONS> = {
  name: "run",
  synopsis: "<scene.json|scene.tscn> [options]",
  description: RUN_DESCRIPTION,
  options: RUN_OPTIONS,
  positionals: { min: 1, max: 1, name: "scene file" },
  footer: `${EXIT_CODES}\n${FLEET_EXIT_CODES}\n${THRESHOLD_EXIT_CODE}`,
};

/** Where `npm start` and `scenetree start` look when no scene is given. */
export const DEFAULT_SCENE = "scenes/main.scene.json";

export const START_SPEC: CommandSpec<typeof RUN_OPTIONS> = {
  ...RUN_SPEC,
  name: "start",
  synopsis: "[scene.json|scene.tscn] [options]",
  description: `scenetree run, with ${DEFAULT_SCENE} when no scene is given (what npm start runs).\n\n${RUN_DESCRIPTION}`,
  positionals: { min: 0, max: 1, name: "scene file" },
};

export interface RunArgs {
  scene: string;
  fps: number;
  quitAfter: number | null;
  printTree: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
  scripts: string[];
  inspect: InspectAddress | null;
  /** `--seed` as given; checked by parseSeed. */
  seed: string | undefined;
  /** The fleet flags as given; checked by parseFleetFlags. */
  fleet: FleetFlagValues;
  /** The metrics flags as given; checked by parseRunMetricsFlags. */
  metricFlags: RunMetricsFlagValues;
}

/** `run`'s arguments (`start`'s with its default scene), or null for `--help`. */
export function parseRunArgs(args: string[], defaultScene: string | null): RunArgs | null {
  const spec = defaultScene === null ? RUN_SPEC : START_SPEC;
  const parsed = parseCommand(spec, joinInspectValue(args));
  if (parsed.help) return null;
  const { values, positionals } = parsed;
  const scene = positionals[0] ?? defaultScene!;
  const fps = values.fps === undefined ? 60 : positiveNumber("--fps", values.fps, spec.name);
  const quitAfter =
    values["quit-after"] === undefined
      ? null
      : positiveNumber("--quit-after", values["quit-after"], spec.name, true);
  const logLevel = (values["log-level"] ?? "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new UsageError(
      `--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}".`,
      spec.name,
    );
  }
  const logFormat = (values["log-format"] ?? "pretty") as LogFormat;
  if (!LOG_FORMATS.includes(logFormat)) {
    throw new UsageError(
      `--log-format must be one of ${LOG_FORMATS.join(", ")}, got "${logFormat}".`,
      spec.name,
    );
  }
  return {
    scene,
    fps,
    quitAfter,
    printTree: values["print-tree"] === true,
    logLevel,
    logFormat,
    scripts: values.scripts ?? [],
    inspect: inspectAddress(values.inspect, spec.name),
    seed: values.seed,
    fleet: {
      instances: values.instances,
      workers: values.workers,
      "ramp-up": values["ramp-up"],
      duration: values.duration,
      shard: values.shard,
      shards: values.shards,
    },
    metricFlags: {
      "summary-json": values["summary-json"],
      threshold: values.threshold,
      quiet: values.quiet,
      "metrics-port": values["metrics-port"],
      "metrics-host": values["metrics-host"],
    },
  };
}

/** Exit codes for signals, as shells report them (128 + signal number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * `scenetree run <scene>`: loads the scene, makes it the tree's current scene and runs frames in real
 * time until something calls `quit()`, `--quit-after` seconds of tree time pass, or a signal arrives.
 * A first SIGINT/SIGTERM quits the tree cleanly (every node gets `_exitTree`); a second exits at once.
 */
export async function runCommand(
  args: string[],
  io: CliIo,
  defaultScene: string | null = null,
): Promise<number> {
  const options = parseRunArgs(args, defaultScene);
  if (!options) {
    io.stdout(commandHelp(defaultScene === null ? RUN_SPEC : START_SPEC));
    return 0;
  }
  const seed = parseSeed(options.seed);
  const metrics = parseRunMetricsFlags(options.metricFlags, io.cwd);
  const fleet = parseFleetFlags(options.fleet, { ...options, seed, metrics }, process.env);
  if (fleet)
    return runFleet(
      fleet,
      io,
      options.inspect ? { extension: fleetInspector(options.inspect, io.stderr) } : {},
    );
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
      log.error(`ERROR: ${error.message}`);
    },
    instance,
  });
  const thresholds = runThresholds(metrics, scene.thresholds);
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
  const startedAt = Date.now();
  let code: number;
  try {
    const root = scene.instantiate({ placeholders: instancePlaceholders(instance) });
    tree.root.addChild(root);
    tree.currentScene = root;
    if (options.printTree) io.stdout(tree.root.getTreeStringPretty());
    if (options.inspect) await startCliInspector(tree, options.inspect, io);
    if (options.quitAfter !== null) {
      tree.createTimer(options.quitAfter, true).connect("timeout", () => tree.quit(0));
    }
    code = await tree.run({ fps: options.fps });
  } finally {
    running = false;
    removeSignalHandlers();
    await live.stop();
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
async function startCliInspector(tree: SceneTree, address: InspectAddress, io: CliIo): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startInspector } = require("../inspector") as typeof import("../inspector");
  const inspector = await startInspector(tree, address);
  io.stderr(`Inspector: ${inspector.url}\n`);
  if (!isLoopbackHost(address.host))
    io.stderr(
      `Inspector: listening on ${address.host}: anyone who can reach it and has the token controls this tree.\n`,
    );
}

function handleSignals(tree: SceneTree, info: (text: string) => void): () => void {
  let received = false;
  const handlers = Object.entries(SIGNAL_EXIT_CODES).map(([signal, code]) => {
    const handler = (): void => {
      if (received) process.exit(code); // a second signal: the user wants out now
      received = true;
      info(`${signal}: quitting (send it again to exit at once).`);
      tree.quit(code);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}
