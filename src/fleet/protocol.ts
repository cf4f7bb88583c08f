/**
 * What the main thread and a fleet worker say to each other over the worker's MessagePort. Everything
 * is plain structured-clone data. The order of one worker's life:
 *
 *   main → worker: `workerData` (a {@link WorkerSetup})
 *   worker → main: `ready` once the scene is loaded (or `loadFailed`)
 *   main → worker: `start` once every worker is ready, so ramp-up times line up across workers
 *   worker → main: `started` / `exited` batches, `log` lines, `stats` every `statsIntervalMs` when
 *                  asked, then `summary` (once the worker ran) and `done`
 *   main → worker: `stop` at any time (a signal): every live instance quits, none starts
 *   either way:    `agent` messages, with an extension (`--inspect`), when it has something to say
 */
import type { LogLevel } from "../run/args";
import type { LiveTotals } from "../metrics/live";

/** Bumped when a message changes shape; a worker refuses a setup from another version. */
export const FLEET_PROTOCOL_VERSION = 3;

export interface WorkerSetup {
  protocol: typeof FLEET_PROTOCOL_VERSION;
  /** Which worker this is (0-based), for messages. */
  worker: number;
  /** Absolute path of the scene file, already validated by the main thread. */
  scene: string;
  /** `--scripts` modules (absolute paths) to import before loading the scene. */
  scripts: string[];
  /** Global indices of the instances this worker runs, ascending. */
  indices: number[];
  /** Instances in the whole fleet (every shard). */
  count: number;
  baseSeed: number;
  rampUpMs: number;
  /** Quit every instance this long after `start`; null runs until they quit themselves. */
  durationMs: number | null;
  fps: number;
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

export type MainToWorker =
  | { type: "start" }
  | { type: "stop" }
  /** For the extension's agent (./extension.ts), loaded on the first one. */
  | { type: "agent"; message: unknown };

export type WorkerToMain =
  | { type: "ready" }
  | { type: "loadFailed"; message: string }
  | { type: "started"; indices: number[] }
  | { type: "exited"; exits: InstanceExit[] }
  | { type: "log"; level: Exclude<LogLevel, "silent">; text: string }
  | { type: "stats"; stats: WorkerStats }
  | { type: "agent"; message: unknown }
  /**
   * The worker's metrics summary (a `Summary`: every tree's samples, histograms encoded), sent once
   * before `done` when the worker ran; the main thread merges the workers' exactly.
   */
  | { type: "summary"; summary: unknown }
  /** Every instance has quit or will never start; `notStarted` counts the latter (stopped early). */
  | { type: "done"; notStarted: number };
