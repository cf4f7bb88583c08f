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
import { DEFAULT_SCENE, EXIT_CODES } from "./help";
import type { CliIo } from "../run/output";
import {
  FLEET_OPTIONS,
  FLEET_EXIT_CODES,
  parseFleetFlags,
  parseSeed,
  type FleetFlagValues,
} from "../fleet/flags";
import { shardSize } from "../fleet/shard";
import { parseRunMetricsFlags, RUN_METRICS_OPTIONS, type RunMetricsFlagValues } from "../run/runMetrics";
import {
  bindInspector,
  checkInspectable,
  fleetInspector,
  inspectAddress,
  joinInspectValue,
} from "./inspectFlag";
import type { TreeRunOptions } from "./runTree";

export { DEFAULT_SCENE };

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

export const START_SPEC: CommandSpec<typeof RUN_OPTIONS> = {
  ...RUN_SPEC,
  name: "start",
  synopsis: "[scene.json|scene.tscn] [options]",
  description: `scenetree run, with ${DEFAULT_SCENE} when no scene is given (what npm start runs).\n\n${RUN_DESCRIPTION}`,
  positionals: { min: 0, max: 1, name: "scene file" },
};

export interface RunArgs extends TreeRunOptions {
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
  const parsed = parseCommand(spec, joinInspectValue(args, spec.options));
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

/**
 * `scenetree run <scene>` (and `start`): one tree in this thread (./runTree.ts), or with
 * `--instances` a fleet over worker threads (../fleet/runFleet.ts). Each is loaded only when chosen:
 * a fleet's main thread loads neither the engine nor the loader, only its workers do.
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
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (fleet) {
    const { runFleet } = require("../fleet/runFleet") as typeof import("../fleet/runFleet");
    if (!options.inspect) return runFleet(fleet, io);
    checkInspectable(shardSize(fleet.instances, fleet.shard));
    // Bound before any worker exists: a port that can't be bound stops the run before it starts.
    const extension = fleetInspector(options.inspect, io.stderr);
    await bindInspector(options.inspect, () => extension.listen());
    try {
      return await runFleet(fleet, io, { extension });
    } finally {
      await extension.close(); // a run that ended before opening it (a scene that can't load)
    }
  }
  (require("../run/builtins") as typeof import("../run/builtins")).installBuiltins();
  const { runTree } = require("./runTree") as typeof import("./runTree");
  /* eslint-enable @typescript-eslint/no-require-imports */
  return runTree(options, seed, metrics, io);
}
