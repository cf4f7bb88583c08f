/**
 * A fleet worker thread: imports the `--scripts` and loads the scene once (this is where a fleet's
 * scene is validated: the main thread loads no engine), then runs its share of the instances in one
 * {@link FleetRunner} and reports to the main thread (see ./protocol.ts).
 */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { installBuiltins } from "../run/builtins";
import { liveTotals } from "../metrics/live";
import { Metrics } from "../metrics/Metrics";
import { MetricsError } from "../metrics/errors";
import { createSummary } from "../metrics/summary";
import { parseSummary } from "../metrics/summaryJson";
import { useMetrics } from "../metrics/treeMetrics";
import { SystemClock, type Clock, type ScheduledTask } from "../core/clock";
import { loadScene } from "../loader/loadScene";
import type { PackedScene } from "../loader/PackedScene";
import { SceneError } from "../loader/SceneError";
import { formatTscnWarning } from "../tscn/errors";
import { InputError } from "../run/args";
import { printSceneError } from "../run/output";
import { onStrayRejection } from "../run/strayRejection";
import { importCliScripts } from "../run/scripts";
import { defaultLogger, logEveryInstanceIndex, setDefaultLogger } from "../scene/log";
import { FleetRunner } from "./FleetRunner";
import { LogLimiter } from "./logLimiter";
import {
  FLEET_PROTOCOL_VERSION,
  type LoadFailure,
  type MainToWorker,
  type WorkerSetup,
  type WorkerToMain,
} from "./protocol";
import type { CreateAgent, WorkerAgent } from "./extension";

/**
 * Every tree of the worker logs through the process default logger, made here as `scenetree run`
 * makes its logger (`--log-level`, `--log-format`), writing to the worker's stderr, which the main
 * thread forwards to its own. Made (and pino loaded) on the first message at an enabled level: the
 * WebSocket nodes' debug lines cost a level comparison when debug is off.
 */
function useCliLogLevel(setup: WorkerSetup): void {
  logEveryInstanceIndex(true); // a fleet of one instance is a fleet: its lines say `[0] `
  setDefaultLogger(setup.logLevel, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with pino, on first use
    const { createCliLogger } = require("../run/cliLogger") as typeof import("../run/cliLogger");
    return createCliLogger({ stderr: (text) => process.stderr.write(text) }, setup.logLevel, setup.logFormat);
  });
}

class FleetWorker {
  private scene: PackedScene | null = null;
  private runner: FleetRunner | null = null;
  private metrics: Metrics | null = null;
  private agent: WorkerAgent | null = null;
  private stopped = false;
  private over = false;
  /** Errors the instances reported: code that threw, a tree that could not be built or stepped. */
  private errors = 0;

  constructor(
    private readonly port: MessagePort,
    private readonly setup: WorkerSetup,
  ) {
    port.on("message", (message: MainToWorker) => this.receive(message));
  }

  async load(): Promise<void> {
    const { setup } = this;
    if (setup.protocol !== FLEET_PROTOCOL_VERSION) {
      const stack = `Error: fleet protocol ${String(setup.protocol)} is not ${FLEET_PROTOCOL_VERSION}`;
      this.fail({ kind: "error", stack }, []);
      return;
    }
    useCliLogLevel(setup);
    // As a single-tree `scenetree run` does it, in the same order, so a failure reads the same.
    const warnings: string[] = [];
    try {
      importCliScripts(setup.scripts, setup.cwd);
      this.scene = await loadScene(setup.scene, {
        onWarning: (warning) => warnings.push(formatTscnWarning(warning)), // a .tscn is converted on the fly
      });
    } catch (error) {
      this.fail(describeLoadFailure(error, setup.cwd), warnings);
      return;
    }
    this.post({ type: "ready", thresholds: this.scene.thresholds, warnings });
    if (this.stopped) this.end(this.setup.indices.length);
  }

  private receive(message: MainToWorker): void {
    if (message.type === "agent") this.toAgent(message.message);
    else if (message.type === "stop") {
      this.stopped = true;
      if (this.runner) this.runner.stop();
      else if (this.scene) this.end(this.setup.indices.length);
    } else if (message.type === "start" && this.scene && !this.runner && !this.over) {
      void this.run(this.scene);
    }
  }

  private async run(scene: PackedScene): Promise<void> {
    const { setup } = this;
    const clock = new SystemClock();
    // Through the trees' own logger, so an instance's error reaches stderr in order with the lines its
    // nodes logged before it (a message to the main thread would overtake them).
    const errors = new LogLimiter(clock, (text) => defaultLogger().error(text));
    // One registry for every tree of this worker: one set of histograms, one summary for them all.
    const metrics = (this.metrics = new Metrics());
    const startedAt = Date.now();
    const stats = this.sendStats(clock, metrics, () => this.errors);
    const runner = new FleetRunner({
      scene,
      indices: setup.indices,
      count: setup.count,
      baseSeed: setup.baseSeed,
      rampUpMs: setup.rampUpMs,
      durationMs: setup.durationMs,
      fps: setup.fps,
      clock,
      prepareTree: (tree) => useMetrics(tree, metrics),
      onStarted: (indices) => this.post({ type: "started", indices }),
      onExited: (exits) => this.post({ type: "exited", exits }),
      onError: (index, text) => {
        this.errors++;
        errors.log(`[instance ${index}] ${text}`);
      },
    });
    this.runner = runner;
    // One bot's stray rejection is one error, not the end of every bot of this worker.
    const removeRejectionHandler = onStrayRejection((text) => {
      this.errors++;
      errors.log(text);
    });
    const { notStarted } = await runner.run();
    removeRejectionHandler();
    this.agent?.dispose();
    stats?.cancel();
    // The last figures, as they stand at the end: the main thread keeps each worker's latest, so a
    // worker whose trees are all gone still counts in the fleet's totals (counters never go down).
    if (stats !== null)
      this.post({ type: "stats", stats: { totals: liveTotals(metrics), errors: this.errors } });
    errors.flush();
    const summary = createSummary(metrics, { startedAt, durationMs: Date.now() - startedAt });
    try {
      parseSummary(summary); // what the main thread gets is a summary `scenetree merge` would read
      this.post({ type: "summary", summary });
    } catch (error) {
      if (!(error instanceof MetricsError)) throw error;
      const text = `Worker ${setup.worker}'s metrics summary can't be read (${error.message}).`;
      this.post({ type: "log", level: "error", text });
    }
    this.end(notStarted);
  }

  /** The agent is loaded on its first message, so a fleet without an extension never loads one. */
  private toAgent(message: unknown): void {
    const { runner, metrics } = this;
    if (!this.agent && runner && metrics && !this.over && this.setup.agentModule) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createAgent } = require(this.setup.agentModule) as { createAgent: CreateAgent };
      this.agent = createAgent({
        post: (out) => this.post({ type: "agent", message: out }),
        treeOf: (index) => runner.treeOf(index),
        metrics,
      });
    }
    this.agent?.receive(message); // before the run (or after it), there is no tree to reach
  }

  /** `stats` at the setup's interval, while the worker runs; none when nobody watches. */
  private sendStats(clock: Clock, metrics: Metrics, errors: () => number): ScheduledTask | null {
    const every = this.setup.statsIntervalMs;
    if (every === null) return null;
    let task: ScheduledTask;
    const send = (): void => {
      this.post({ type: "stats", stats: { totals: liveTotals(metrics), errors: errors() } });
      task = clock.schedule(send, every);
    };
    task = clock.schedule(send, every);
    return { cancel: () => task.cancel() };
  }

  private fail(failure: LoadFailure, warnings: string[]): void {
    this.post({ type: "loadFailed", failure, warnings });
    this.over = true;
    this.port.unref();
  }

  /** The last message; the thread then ends once the closing sockets are gone. */
  private end(notStarted: number): void {
    if (this.over) return;
    this.over = true;
    this.post({ type: "done", notStarted, errors: this.errors });
    this.port.unref();
  }

  private post(message: WorkerToMain): void {
    this.port.postMessage(message);
  }
}

/** What the main thread prints for a load that threw: what `scenetree run` prints for it in one tree. */
function describeLoadFailure(error: unknown, cwd: string): LoadFailure {
  if (error instanceof SceneError) {
    let text = "";
    printSceneError({ stderr: (line) => void (text += line), cwd }, error);
    return { kind: "scene", text };
  }
  if (error instanceof InputError) return { kind: "input", message: error.message };
  return { kind: "error", stack: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

if (parentPort) {
  installBuiltins();
  void new FleetWorker(parentPort, workerData as WorkerSetup).load();
}
