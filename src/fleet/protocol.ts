/**
 * What the main thread and a fleet worker say to each other over the worker's MessagePort. Everything
 * is plain structured-clone data. The order of one worker's life:
 *
 *   main → worker: `workerData` (a {@link WorkerSetup}); the main thread has not loaded the scene
 *   worker → main: `ready` once it loaded (and so validated) the scene, or `loadFailed`
 *   main → worker: `start` once every worker is ready, so ramp-up times line up across workers
 *   worker → main: `started` / `exited` batches, `log` lines, `stats` every `statsIntervalMs` when
 *                  asked, then `summary` (once the worker ran) and `done`
 *   main → worker: `stop` at any time (a signal): every live instance quits, none starts
 *   either way:    `agent` messages, with an extension (`--inspect`), when it has something to say
 */
import type { LogFormat, LogLevel } from "../run/args";
import type { LiveTotals } from "../metrics/live";
import type { Summary } from "../metrics/summaryData";
import type { IndexRange } from "../core/indexRange";

/** Bumped when a message changes shape; a worker refuses a setup from another version. */
export const FLEET_PROTOCOL_VERSION = 6;

export interface WorkerSetup {
  protocol: typeof FLEET_PROTOCOL_VERSION;
  /** Which worker this is (0-based), for messages. */
  worker: number;
  /** Absolute path of the scene file; the worker validates it as it loads it. */
  scene: string;
  /** `--scripts` modules as given on the command line (relative to `cwd`), imported before the scene. */
  scripts: string[];
  /** The CLI's current folder: `--scripts` are found from it, and problems are printed relative to it. */
  cwd: string;
  /** Global indices of the instances this worker runs, ascending (three numbers, however many). */
  indices: IndexRange;
  /** Instances in the whole fleet (every shard). */
  count: number;
  baseSeed: number;
  rampUpMs: number;
  /** Quit every instance this long after `start`; null runs until they quit themselves. */
  durationMs: number | null;
  fps: number;
  /** `--log-level` and `--log-format`: the logger of every tree in the worker (their `node.log`). */
  logLevel: LogLevel;
  logFormat: LogFormat;
  /**
   * Send `stats` this often (the status line and `--metrics-port` read them); null when nobody
   * watches the run live, and then none is sent.
   */
  statsIntervalMs: number | null;
  /** The extension's agent module (absolute path), loaded on the first `agent` message; null: none. */
  agentModule: string | null;
}

/** A worker's live figures: counts only, a few numbers per metric, however many samples it holds. */
export interface WorkerStats {
  /** The running totals of the worker's registry (every one of its trees shares it). */
  totals: LiveTotals;
  /** Errors its instances reported so far (each counts once, also those the log limiter dropped). */
  errors: number;
}

/** One instance that has quit: its global index and exit code (1 when it crashed). */
export interface InstanceExit {
  index: number;
  code: number;
}

/**
 * Why a worker could not load the scene, as the main thread reports it: exactly what a single-tree
 * `scenetree run` of the same scene prints, once, however many workers failed.
 */
export type LoadFailure =
  /** The scene is invalid: the text `printSceneError` prints for it (exit code 2). */
  | { kind: "scene"; text: string }
  /** A `--scripts` module is missing or threw: the InputError's message (exit code 2). */
  | { kind: "input"; message: string }
  /** Anything else, a bug rather than a mistake in the input: its stack (exit code 1). */
  | { kind: "error"; stack: string };

export type MainToWorker =
  | { type: "start" }
  | { type: "stop" }
  /** For the extension's agent (./extension.ts), loaded on the first one. */
  | { type: "agent"; message: unknown };

export type WorkerToMain =
  /** Loaded: the file's `"thresholds"`, and a .tscn's conversion warnings (main logs the first's only). */
  | { type: "ready"; thresholds: Readonly<Record<string, readonly string[]>>; warnings: string[] }
  /** The scene or a `--scripts` module could not be loaded; `warnings` as in `ready`. */
  | { type: "loadFailed"; failure: LoadFailure; warnings: string[] }
  | { type: "started"; indices: number[] }
  | { type: "exited"; exits: InstanceExit[] }
  | { type: "log"; level: Exclude<LogLevel, "silent">; text: string }
  | { type: "stats"; stats: WorkerStats }
  | { type: "agent"; message: unknown }
  /**
   * The worker's metrics summary (every tree's samples, histograms encoded), sent once before `done`
   * when the worker ran, checked by the worker as `scenetree merge` checks a file (the main thread
   * loads no zod); the main thread merges the workers' exactly.
   */
  | { type: "summary"; summary: Summary }
  /**
   * Every instance has quit or will never start; `notStarted` counts the latter (stopped early),
   * `errors` the errors its instances reported (code that threw, a tree that could not be built).
   */
  | { type: "done"; notStarted: number; errors: number };
