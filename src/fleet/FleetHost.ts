import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { Readable } from "node:stream";
import type { Logger } from "pino";
import type { Summary } from "../metrics/summaryData";
import type {
  InstanceExit,
  LoadFailure,
  MainToWorker,
  WorkerSetup,
  WorkerStats,
  WorkerToMain,
} from "./protocol";

/** How long a worker that said `done` may take to close its sockets before it is terminated. */
const EXIT_GRACE_MS = 5000;

/**
 * Each worker's young generation (V8's new space), in MiB. By default V8 lets it grow to 48 MiB per
 * isolate (16 MiB semi-spaces), and a fleet worker's steady stream of small messages makes it do so:
 * tens of MiB of RSS per worker. A fleet's trees live long (promoted once, then left alone) and its
 * per-message garbage dies young, so a small new space costs more frequent but cheap scavenges and no
 * measurable CPU (bench/fleet.ts: about 70 MB less RSS for 10,000 bots on 2 workers).
 */
export const WORKER_YOUNG_GENERATION_MB = 6;

/** A worker's resource limits: ours, unless the user tunes the young generation with a V8 flag. */
export function workerResourceLimits(
  flags = `${process.execArgv.join(" ")} ${process.env.NODE_OPTIONS ?? ""}`,
): { maxYoungGenerationSizeMb?: number } {
  if (/--(max|min)[-_]semi[-_]space[-_]size/.test(flags)) return {};
  return { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
}

/**
 * The compiled worker. The engine inside a worker is always the built package (dist/): the scene's
 * scripts import "scenetree" by name, which resolves there, and the worker must share their module
 * instance. Running from src/ (tests, tsx), this file is not next to its compiled worker.
 */
function workerScript(): string {
  const beside = path.join(__dirname, "worker.js");
  if (fs.existsSync(beside)) return beside;
  return path.join(__dirname, "..", "..", "dist", "fleet", "worker.js");
}

export interface FleetTally {
  /** Instances that quit with exit code 0. */
  succeeded: number;
  /** Instances that quit with another code, or were lost in a crashed worker. */
  failed: number;
  /** Instances never started (stopped first). */
  notStarted: number;
  /** Workers that crashed or ended without saying `done`. */
  crashedWorkers: number;
  /** Errors the instances reported (code that threw, a tree that could not be built), from `done`. */
  errors: number;
  /** The lowest-numbered instances that quit with a code other than 0 (at most {@link FIRST_FAILURES}). */
  firstFailures: { index: number; code: number }[];
}

/** How many failed instances the end of a run names. */
export const FIRST_FAILURES = 5;

/** Keeps the {@link FIRST_FAILURES} lowest indices: the same whatever order the workers report in. */
function noteFailure(failures: { index: number; code: number }[], index: number, code: number): void {
  if (failures.length === FIRST_FAILURES && index > failures[FIRST_FAILURES - 1].index) return;
  failures.push({ index, code });
  failures.sort((a, b) => a.index - b.index);
  if (failures.length > FIRST_FAILURES) failures.pop();
}

/**
 * How loading the scene in the workers went (see {@link FleetHost.whenLoaded}). `warnings` are the
 * .tscn conversion's, from the first worker that reported, whichever way: print them once.
 */
export type FleetLoad =
  | {
      ok: true;
      /** The scene file's `"thresholds"`; null when no worker loaded it (every one crashed first). */
      thresholds: Readonly<Record<string, readonly string[]>> | null;
      warnings: string[];
    }
  /** The first worker's failure: the others, loading the same files, would only say it again. */
  | { ok: false; failure: LoadFailure; warnings: string[] };

export interface FleetHostEvents {
  log: Logger;
  /** Output of the scenes' code (their `console.log`), forwarded from every worker. */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  onStarted?: (indices: number[]) => void;
  /** A worker's live figures (only when its setup asks for them). */
  onStats?: (stats: WorkerStats, worker: number) => void;
  /** Instances that quit, with their exit codes. */
  onExited?: (exits: InstanceExit[]) => void;
  /** A worker was lost (it crashed): its unreported instances failed. */
  onWorkerLost?: (worker: number) => void;
  /** A message from a worker's agent (./extension.ts). */
  onAgent?: (message: unknown, worker: number) => void;
  /** A worker's metrics summary, once, when it has run. */
  onSummary?: (summary: Summary, worker: number) => void;
}

class WorkerEntry {
  ready = false;
  done = false;
  gone = false;
  /** Instances of this worker whose exit has not been reported. */
  outstanding: number;
  graceTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly worker: Worker,
    readonly setup: WorkerSetup,
  ) {
    this.outstanding = setup.indices.length;
  }

  send(message: MainToWorker): void {
    if (!this.gone) this.worker.postMessage(message);
  }
}

/**
 * The main thread's side of a fleet: one worker thread per share of instances, spawned at once. Each
 * loads (and so validates) the scene; {@link whenLoaded} says how that went, and {@link start} then
 * starts them together. Counted as they report; {@link whenFinished} resolves once every worker
 * thread has ended.
 */
export class FleetHost {
  readonly tally: FleetTally = {
    succeeded: 0,
    failed: 0,
    notStarted: 0,
    crashedWorkers: 0,
    errors: 0,
    firstFailures: [],
  };
  private readonly entries: WorkerEntry[];
  private started = false;
  private stopping = false;
  private readonly finished: Promise<FleetTally>;
  private load: FleetLoad | null = null;
  private abandoned = false;
  /** The first `ready`, whose thresholds and warnings the load reports. */
  private firstReady: Extract<WorkerToMain, { type: "ready" }> | null = null;
  /** The warnings of the first worker that reported (ready or failed). */
  private firstWarnings: string[] | null = null;
  private resolveLoad!: (load: FleetLoad) => void;
  private readonly loaded = new Promise<FleetLoad>((resolve) => (this.resolveLoad = resolve));

  constructor(
    setups: WorkerSetup[],
    private readonly events: FleetHostEvents,
  ) {
    const script = workerScript();
    const ends: Promise<void>[] = [];
    this.entries = setups.map((setup) => {
      const worker = new Worker(script, {
        workerData: setup,
        stdout: true,
        stderr: true,
        resourceLimits: workerResourceLimits(),
      });
      const entry = new WorkerEntry(worker, setup);
      ends.push(this.watch(entry));
      return entry;
    });
    this.finished = Promise.all(ends).then(() => this.tally);
    this.settleLoad(); // no worker at all: nothing to wait for
  }

  /**
   * Resolves once every worker has loaded the scene (or crashed trying), or at the first that could
   * not load it; then {@link start} them, or {@link abandon} them.
   */
  whenLoaded(): Promise<FleetLoad> {
    return this.loaded;
  }

  /** Resolves with the counts once every worker thread has ended. */
  whenFinished(): Promise<FleetTally> {
    return this.finished;
  }

  /** Every loaded worker starts its instances (once; not after {@link stop}). */
  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    for (const entry of this.entries) if (entry.ready && !entry.done) entry.send({ type: "start" });
  }

  /**
   * Ends every worker now, before any instance started (the scene is invalid, the metrics port is
   * taken): nothing of theirs ran, so nothing is counted or reported. Resolves once they are gone.
   */
  abandon(): Promise<FleetTally> {
    this.stopping = true;
    this.abandoned = true;
    for (const entry of this.entries) {
      entry.done = true;
      entry.outstanding = 0;
      void entry.worker.terminate();
    }
    return this.finished;
  }

  /** A message for worker `worker`'s agent (dropped once it is gone). */
  toAgent(worker: number, message: unknown): void {
    this.entries[worker]?.send({ type: "agent", message });
  }

  /** Every instance quits now (a signal); none starts. */
  stop(): void {
    this.stopping = true;
    for (const entry of this.entries) entry.send({ type: "stop" });
  }

  private watch(entry: WorkerEntry): Promise<void> {
    const { worker } = entry;
    worker.on("message", (message: WorkerToMain) => this.receive(entry, message));
    worker.on("error", (error) => {
      if (this.abandoned) return;
      this.events.log.error(
        `Worker ${entry.setup.worker} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      this.lose(entry);
    });
    const output = [forward(worker.stdout, this.events.stdout), forward(worker.stderr, this.events.stderr)];
    const exited = new Promise<void>((resolve) =>
      worker.once("exit", (code) => {
        entry.gone = true;
        if (entry.graceTimer) clearTimeout(entry.graceTimer);
        if (!entry.done && entry.outstanding > 0) {
          this.events.log.error(
            `Worker ${entry.setup.worker} ended (code ${code}) before its instances quit.`,
          );
          this.lose(entry);
        }
        this.settleLoad(); // a worker that died while loading must not hold the others back
        resolve();
      }),
    );
    return Promise.all([exited, ...output]).then(() => undefined);
  }

  private receive(entry: WorkerEntry, message: WorkerToMain): void {
    switch (message.type) {
      case "ready":
        entry.ready = true;
        this.firstReady ??= message;
        this.firstWarnings ??= message.warnings;
        this.settleLoad();
        break;
      case "loadFailed":
        // Not a crash: nothing ran. The caller reports the failure and abandons the fleet.
        entry.done = true;
        this.firstWarnings ??= message.warnings;
        this.settle({ ok: false, failure: message.failure, warnings: this.firstWarnings });
        break;
      case "started":
        this.events.onStarted?.(message.indices);
        break;
      case "exited":
        for (const { index, code } of message.exits) {
          if (code === 0) this.tally.succeeded++;
          else {
            this.tally.failed++;
            noteFailure(this.tally.firstFailures, index, code);
          }
        }
        entry.outstanding -= message.exits.length;
        this.events.onExited?.(message.exits);
        break;
      case "log":
        this.events.log[message.level](message.text);
        break;
      case "agent":
        this.events.onAgent?.(message.message, entry.setup.worker);
        break;
      case "stats":
        this.events.onStats?.(message.stats, entry.setup.worker);
        break;
      case "summary":
        this.events.onSummary?.(message.summary, entry.setup.worker);
        break;
      case "done":
        entry.done = true;
        this.tally.notStarted += message.notStarted;
        this.tally.errors += message.errors;
        entry.outstanding -= message.notStarted;
        // Closing sockets normally take a moment; a script's own open handle could take forever.
        entry.graceTimer = setTimeout(() => void entry.worker.terminate(), EXIT_GRACE_MS);
        break;
    }
  }

  /** A worker is gone or useless: whatever it had not reported failed. */
  private lose(entry: WorkerEntry): void {
    if (entry.done && entry.outstanding === 0) return;
    if (entry.outstanding > 0) this.events.onWorkerLost?.(entry.setup.worker);
    if (!entry.done) this.tally.crashedWorkers++;
    entry.done = true;
    this.tally.failed += entry.outstanding;
    entry.outstanding = 0;
    void entry.worker.terminate();
    this.settleLoad();
  }

  /** The load is over once no worker is still loading. */
  private settleLoad(): void {
    if (this.load) return;
    if (this.entries.some((entry) => !entry.ready && !entry.done && !entry.gone)) return;
    const ready = this.firstReady;
    this.settle({ ok: true, thresholds: ready?.thresholds ?? null, warnings: ready?.warnings ?? [] });
  }

  private settle(load: FleetLoad): void {
    if (this.load) return;
    this.load = load;
    this.resolveLoad(load);
  }
}

function forward(stream: Readable, write: (text: string) => void): Promise<void> {
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => write(chunk));
  return new Promise((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
}
