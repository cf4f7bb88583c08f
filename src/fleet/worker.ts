/**
 * A fleet worker thread: loads the scene once (importing its scripts once), then runs its share of
 * the instances in one {@link FleetRunner} and reports to the main thread (see ./protocol.ts).
 */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import "../index";
import { SystemClock } from "../scene/clock";
import { loadScene } from "../scene/loader/loadScene";
import type { PackedScene } from "../scene/loader/PackedScene";
import { SceneError, formatProblem } from "../scene/loader/SceneError";
import { requireScript } from "../scene/loader/scriptModule";
import { FleetRunner } from "./FleetRunner";
import { LogLimiter } from "./logLimiter";
import { FLEET_PROTOCOL_VERSION, type MainToWorker, type WorkerSetup, type WorkerToMain } from "./protocol";

/**
 * The worker's metrics summary for the `summary` message, or undefined for none. The metrics layer
 * connects here (with `FleetRunnerOptions.prepareTree` giving every tree the worker's registry);
 * until then a worker sends no summary.
 */
function collectSummary(): unknown {
  return undefined;
}

class FleetWorker {
  private scene: PackedScene | null = null;
  private runner: FleetRunner | null = null;
  private stopped = false;
  private over = false;

  constructor(
    private readonly port: MessagePort,
    private readonly setup: WorkerSetup,
  ) {
    port.on("message", (message: MainToWorker) => this.receive(message));
  }

  async load(): Promise<void> {
    if (this.setup.protocol !== FLEET_PROTOCOL_VERSION) {
      this.fail(`fleet protocol ${String(this.setup.protocol)} is not ${FLEET_PROTOCOL_VERSION}`);
      return;
    }
    try {
      for (const script of this.setup.scripts) requireScript(script);
      this.scene = await loadScene(this.setup.scene);
    } catch (error) {
      this.fail(describeLoadFailure(error));
      return;
    }
    this.post({ type: "ready" });
    if (this.stopped) this.end(this.setup.indices.length);
  }

  private receive(message: MainToWorker): void {
    if (message.type === "stop") {
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
    const errors = new LogLimiter(clock, (text) => this.post({ type: "log", level: "error", text }));
    const runner = new FleetRunner({
      scene,
      indices: setup.indices,
      count: setup.count,
      baseSeed: setup.baseSeed,
      rampUpMs: setup.rampUpMs,
      durationMs: setup.durationMs,
      fps: setup.fps,
      clock,
      onStarted: (indices) => this.post({ type: "started", indices }),
      onExited: (exits) => this.post({ type: "exited", exits }),
      onError: (index, text) =>
        this.post({ type: "log", level: "error", text: `[instance ${index}] ${text}` }),
    });
    this.runner = runner;
    const { notStarted } = await runner.run();
    errors.flush();
    const summary = collectSummary();
    if (summary !== undefined) this.post({ type: "summary", summary });
    this.end(notStarted);
  }

  private fail(message: string): void {
    this.post({ type: "loadFailed", message });
    this.over = true;
    this.port.unref();
  }

  /** The last message; the thread then ends once the closing sockets are gone. */
  private end(notStarted: number): void {
    if (this.over) return;
    this.over = true;
    this.post({ type: "done", notStarted });
    this.port.unref();
  }

  private post(message: WorkerToMain): void {
    this.port.postMessage(message);
  }
}

function describeLoadFailure(error: unknown): string {
  if (error instanceof SceneError) return error.problems.map((problem) => formatProblem(problem)).join("\n");
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

if (parentPort) void new FleetWorker(parentPort, workerData as WorkerSetup).load();
