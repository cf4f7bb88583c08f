import { UsageError, type LogFormat, type LogLevel, type OptionSpec } from "../run/args";
import type { RunMetricsOptions } from "../run/runMetrics";
import { MAX_SEED } from "./seed";
import { WHOLE_FLEET, type Shard } from "./shard";

/** `scenetree run`'s fleet flags, for its command spec (parsing and `--help`). */
export const FLEET_OPTIONS = {
  instances: {
    type: "string",
    value: "N",
    description:
      "Run N instances of the scene, each its own tree, over worker threads\n" +
      "(tree.instance.index 0..N-1; {index}, {count}, {seed} in string props).",
  },
  workers: { type: "string", value: "K", description: "Worker threads (default: one per core, at most N)." },
  "ramp-up": { type: "string", value: "SECONDS", description: "Start the instances evenly over this time." },
  duration: {
    type: "string",
    value: "SECONDS",
    description: "Quit every instance this long after the start (_exitTree, close 1001).",
  },
  shard: {
    type: "string",
    value: "I/M",
    description: "Run only instances I, I+M, I+2M... (one machine of M).",
  },
  shards: {
    type: "string",
    value: "M",
    description: "--shard I/M with I from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).",
  },
} as const satisfies Record<string, OptionSpec>;

/** What the fleet's exit codes add to the shared ones, for `run --help`. */
export const FLEET_EXIT_CODES =
  "With --instances: 1 when an instance quit with another code or its worker crashed.";

/** `scenetree run`'s fleet flags as the parser hands them over: raw text, each at most once. */
export interface FleetFlagValues {
  instances?: string;
  workers?: string;
  "ramp-up"?: string;
  duration?: string;
  shard?: string;
  shards?: string;
}

/** What `scenetree run --instances N …` runs: see {@link runFleet}. */
export interface FleetOptions {
  scene: string;
  /** Instances in the whole fleet (every shard). */
  instances: number;
  /** Worker threads; null for one per core. Never more than this shard's instances. */
  workers: number | null;
  /** Seconds over which the instances start, evenly by global index. */
  rampUp: number;
  /** Seconds after which every instance quits; null runs until they quit themselves. */
  duration: number | null;
  shard: Shard;
  /** Base seed of the instances' seeds; null picks a random one (and prints it). */
  seed: number | null;
  fps: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** `--scripts` modules (relative to the current folder), imported before the scene in every thread. */
  scripts: string[];
  /** Thresholds, `--summary-json`, the status line and `--metrics-port` (default: none of them asked). */
  metrics?: RunMetricsOptions;
}

/** The rest of `run`'s options, which a fleet shares or refuses. */
export interface RunFlagsForFleet {
  scene: string;
  fps: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  seed: number | null;
  quitAfter: number | null;
  printTree: boolean;
  scripts: string[];
  metrics?: RunMetricsOptions;
}

/** The Kubernetes Indexed Job variable that numbers a Job's pods 0..completions-1. */
export const JOB_INDEX_VARIABLE = "JOB_COMPLETION_INDEX";

/**
 * The fleet `run` was asked for, or null without `--instances` (when the other fleet flags are
 * refused, since they would silently do nothing). Throws a UsageError for anything invalid.
 */
export function parseFleetFlags(
  values: FleetFlagValues,
  run: RunFlagsForFleet,
  env: Readonly<Record<string, string | undefined>>,
): FleetOptions | null {
  if (values.instances === undefined) {
    const stray = (Object.keys(values) as Array<keyof FleetFlagValues>).find(
      (key) => values[key] !== undefined,
    );
    if (stray) throw usage(`--${stray} needs --instances N.`);
    return null;
  }
  if (run.quitAfter !== null) throw usage("--quit-after is for one tree; with --instances use --duration.");
  if (run.printTree) throw usage("--print-tree is for one tree; it can't be used with --instances.");
  const instances = wholeNumber("--instances", values.instances, 1, MAX_SEED);
  return {
    scene: run.scene,
    instances,
    workers: values.workers === undefined ? null : wholeNumber("--workers", values.workers, 1, 1024),
    rampUp: values["ramp-up"] === undefined ? 0 : seconds("--ramp-up", values["ramp-up"], true),
    duration: values.duration === undefined ? null : seconds("--duration", values.duration, false),
    shard: parseShardFlags(values.shard, values.shards, env),
    seed: run.seed,
    fps: run.fps,
    logLevel: run.logLevel,
    logFormat: run.logFormat,
    scripts: run.scripts,
    metrics: run.metrics,
  };
}

/** `--seed`: a whole number 0..4294967295, or null when absent. */
export function parseSeed(text: string | undefined): number | null {
  return text === undefined ? null : wholeNumber("--seed", text, 0, MAX_SEED);
}

/** `--shard I/M`, or `--shards M` with I from JOB_COMPLETION_INDEX; the whole fleet without either. */
export function parseShardFlags(
  shard: string | undefined,
  shards: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Shard {
  if (shard !== undefined && shards !== undefined) {
    throw usage("Give --shard I/M or --shards M, not both.");
  }
  if (shard !== undefined) {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(shard);
    if (!match) throw usage(`--shard needs I/M (such as 0/4), got "${shard}".`);
    return checkedShard(Number(match[1]), Number(match[2]), `--shard ${shard}`);
  }
  if (shards === undefined) return WHOLE_FLEET;
  const count = wholeNumber("--shards", shards, 1, MAX_SEED);
  const text = env[JOB_INDEX_VARIABLE];
  if (text === undefined || text === "") {
    throw usage(
      `--shards needs the shard index in ${JOB_INDEX_VARIABLE} (set by a Kubernetes Indexed Job); use --shard I/M elsewhere.`,
    );
  }
  if (!/^\d+$/.test(text.trim())) {
    throw usage(`${JOB_INDEX_VARIABLE} must be a whole number, got "${text}".`);
  }
  return checkedShard(Number(text.trim()), count, `${JOB_INDEX_VARIABLE}=${text} with --shards ${shards}`);
}

function checkedShard(index: number, count: number, what: string): Shard {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SEED) {
    throw usage(`${what}: the shard count must be at least 1.`);
  }
  if (!Number.isSafeInteger(index) || index >= count) {
    throw usage(`${what}: the shard index must be below the shard count (0..${count - 1}).`);
  }
  return { index, count };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw usage(`${flag} needs a whole number from ${min} to ${max}, got "${text}".`);
  }
  return value;
}

/**
 * The longest `--ramp-up` and `--duration`: 365 days. Past ~1.8e305 s a time is Infinity in ms, and
 * instance 0's start (Infinity × 0) NaN, so it never started; a year is more than any load test needs.
 */
export const MAX_FLEET_SECONDS = 365 * 24 * 60 * 60;

function seconds(flag: string, text: string, allowZero: boolean): number {
  const value = text.trim() === "" ? NaN : Number(text);
  if (!(value >= 0 && value <= MAX_FLEET_SECONDS) || (!allowZero && value === 0)) {
    throw usage(
      `${flag} needs a ${allowZero ? "non-negative" : "positive"} number of seconds, ` +
        `at most ${MAX_FLEET_SECONDS} (365 days), got "${text}".`,
    );
  }
  return value;
}

/** A mistake in the fleet flags, pointing at `scenetree run --help`. */
function usage(message: string): UsageError {
  return new UsageError(message, "run");
}
