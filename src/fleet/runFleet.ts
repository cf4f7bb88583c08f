import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../run/args";
import { createCliLogger, createLogOutput } from "../run/cliLogger";
import type { CliIo } from "../run/output";
import {
  bindMetricsPort,
  finishRun,
  NO_RUN_METRICS,
  runThresholds,
  startLive,
  statusShown,
  type Live,
} from "../run/runMetrics";
import type { StatusReading } from "../run/status";
import { MetricsError } from "../metrics/errors";
import { addLiveTotals } from "../metrics/live";
import { mergeSummaries } from "../metrics/merge";
import { Metrics } from "../metrics/Metrics";
import { createSummary, type Summary } from "../metrics/summary";
import type { Clock } from "../core/clock";
import type { FleetOptions } from "./flags";
import { FleetHost, type FleetTally } from "./FleetHost";
import type { FleetExtension } from "./extension";
import { FLEET_PROTOCOL_VERSION, type LoadFailure, type WorkerSetup, type WorkerStats } from "./protocol";
import { randomBaseSeed } from "./seed";
import { dealToWorkers, shardIndices } from "./shard";
import { onStopSignals } from "../run/stopSignals";

/*
 * This thread loads no engine: no loader, no zod, no tsx, no ws (checked by
 * test/fleet/runFleet.mainThread.test.ts). The workers load the scene, and so validate it; this thread
 * prints what they report.
 */

/** Exit codes for signals, as shells report them (128 + signal number), as `scenetree run` has. */

/** How often workers send their live figures when someone watches (the status line, a scrape). */
const STATS_INTERVAL_MS = 1000;

export interface FleetHooks {
  /** Listen for SIGINT/SIGTERM (default true; tests that run in-process turn it off). */
  handleSignals?: boolean;
  /** The live status line's clock (default: real time; tests pass a TestClock). */
  clock?: Clock;
  /** Something that reaches into the workers, such as the inspector (`--inspect`): see ./extension.ts. */
  extension?: FleetExtension;
}

/**
 * `scenetree run <scene> --instances N`: spawns the worker threads at once; each imports the
 * `--scripts` and loads the scene, which validates it, and when one can't, its failure is printed
 * once, as `scenetree run` prints it for one tree (exit code 2), and no instance starts. Once every
 * worker is ready they start together and run this shard's instances. Each worker's trees share one
 * metrics registry; while they run, the workers send their counts for the status line and
 * `--metrics-port`, and at the end their summaries, which are merged exactly, printed, written with
 * `--summary-json` and checked against the thresholds (`--threshold`, and the scene file's, which the
 * workers report). Returns the exit code: 0 when every instance quit with 0, 1 when one failed or a
 * worker crashed, 99 when a threshold failed (and nothing else did), 2 when the scene or a threshold
 * is invalid, 130/143 after SIGINT/SIGTERM (a second signal exits at once). A `--scripts` module that
 * can't be imported, or a metrics port that can't be bound, is an InputError, as for one tree.
 */
export async function runFleet(options: FleetOptions, io: CliIo, hooks: FleetHooks = {}): Promise<number> {
  const metrics = options.metrics ?? NO_RUN_METRICS;
  // The workers' stderr (their trees' node.log lines) goes out with this thread's own lines, under the
  // same bound on what may wait for a stderr that does not keep up.
  const out = createLogOutput(io, options.logFormat);
  const log = createCliLogger(io, options.logLevel, options.logFormat, out);
  const scene = path.resolve(io.cwd, options.scene);
  const indices = shardIndices(options.instances, options.shard);
  // An empty shard still loads the scene, in one worker: an invalid scene fails every shard alike,
  // and the scene's thresholds hold an empty shard too.
  const workers = Math.max(1, Math.min(options.workers ?? os.availableParallelism(), indices.length));
  const baseSeed = options.seed ?? randomBaseSeed();
  const { extension } = hooks;
  const setups = dealToWorkers(indices, workers).map((hand, worker): WorkerSetup => ({
    protocol: FLEET_PROTOCOL_VERSION,
    worker,
    scene,
    scripts: options.scripts,
    cwd: io.cwd,
    indices: hand,
    count: options.instances,
    baseSeed,
    rampUpMs: options.rampUp * 1000,
    durationMs: options.duration === null ? null : options.duration * 1000,
    fps: options.fps,
    logLevel: options.logLevel,
    logFormat: options.logFormat,
    statsIntervalMs:
      statusShown(metrics, options.logLevel) || metrics.metricsPort !== null || extension
        ? STATS_INTERVAL_MS
        : null,
    agentModule: extension?.agentModule ?? null,
  }));

  let started = 0;
  const stats = new Map<number, WorkerStats>();
  const summaries: Summary[] = [];
  const spawned = performance.now();
  const host = new FleetHost(setups, {
    log,
    stdout: io.stdout,
    stderr: (text) => out.write(text),
    onStats: (figures, worker) => stats.set(worker, figures),
    onExited: extension ? (exits) => extension.exited(exits) : undefined,
    onAgent: extension ? (message, worker) => extension.received(message, worker) : undefined,
    onWorkerLost: extension ? (worker) => extension.lost(worker) : undefined,
    onSummary: (summary) => summaries.push(summary),
    onStarted: (batch) => {
      started += batch.length;
      extension?.started(batch);
      if (started === indices.length) log.debug(`All ${started} instances started.`);
    },
  });
  const read = (): StatusReading => {
    const { tally } = host;
    const all = [...stats.values()];
    return {
      running: Math.max(0, started - (tally.succeeded + tally.failed)),
      target: indices.length,
      totals: addLiveTotals(all.map((s) => s.totals)),
      errors: all.reduce((n, s) => n + s.errors, 0) + tally.crashedWorkers,
    };
  };
  // Bound while the workers load; a port that can't be bound still stops the run before it starts.
  const binding = indices.length > 0 ? bindMetricsPort(metrics, read, log) : Promise.resolve(null);
  const unbind = () =>
    binding.then(
      (server) => server?.close(),
      () => undefined,
    );
  let signalCode: number | null = null;
  const removeSignalHandlers =
    hooks.handleSignals === false
      ? () => undefined
      : onSignals(
          (text) => log.info(text),
          (code) => {
            signalCode = code;
            host.stop();
          },
        );
  try {
    const load = await host.whenLoaded();
    for (const warning of load.warnings) log.warn(warning);
    if (!load.ok) {
      await Promise.all([host.abandon(), unbind()]);
      return reportLoadFailure(load.failure, io);
    }
    log.debug(`The workers loaded ${options.scene} in ${(performance.now() - spawned).toFixed(0)} ms.`);

    const thresholds = runThresholds(metrics, load.thresholds ?? {}, log);
    // A shard's summary says which shard of which fleet it is, for `scenetree merge` to check.
    const { shard } = options;
    const shardInfo =
      shard.count > 1
        ? { index: shard.index, count: shard.count, instances: options.instances, seed: baseSeed }
        : undefined;
    const finish = (summary: Summary, runCode: number) =>
      finishRun(
        shardInfo ? { ...summary, shard: shardInfo } : summary,
        thresholds,
        { print: true, summaryJson: metrics.summaryJson, runCode },
        io,
        log,
      );
    if (indices.length === 0) {
      await host.abandon(); // it only loaded the scene
      log.info(
        `Shard ${options.shard.index}/${options.shard.count} of ${options.instances} instances is empty.`,
      );
      return finish(createSummary(new Metrics(), { durationMs: 0 }), 0);
    }
    // A metrics port that can't be bound stops the run before it is announced.
    try {
      await binding;
    } catch (error) {
      await host.abandon();
      throw error;
    }
    const shardText =
      options.shard.count > 1
        ? ` (shard ${options.shard.index}/${options.shard.count}: ${indices.length})`
        : "";
    log.info(
      `Running ${options.instances} instances${shardText} on ${workers} worker${workers === 1 ? "" : "s"}, ` +
        `seed ${baseSeed}.`,
    );
    if (options.duration !== null && options.duration < options.rampUp) {
      log.warn(
        `--duration ${options.duration} ends before --ramp-up ${options.rampUp}: the last instances never start.`,
      );
    }

    let live: Live;
    try {
      live = await startLive(metrics, io, log, options.logLevel, {
        read,
        clock: hooks.clock,
        server: binding,
      });
    } catch (error) {
      await host.abandon();
      throw error;
    }
    try {
      await extension?.open({
        instances: indices,
        workers: setups,
        read,
        post: (worker, message) => host.toAgent(worker, message),
      });
    } catch (error) {
      await Promise.all([live.stop(), host.abandon()]);
      throw error;
    }
    log.debug("Starting.");
    host.start();
    let tally: FleetTally;
    try {
      tally = await host.whenFinished();
    } finally {
      await extension?.close();
      await live.stop();
      log.flush(); // how many lines a stalled stderr made us drop, if any
    }
    log.info(describeTally(tally, indices.length));
    if (summaries.length < workers)
      log.warn(
        `${workers - summaries.length} of ${workers} workers sent no metrics (they crashed or never ran); the summary covers the others.`,
      );
    const runCode = signalCode ?? (tally.failed > 0 ? 1 : 0);
    let summary: Summary;
    try {
      // The workers ran side by side as one run: their merge counts as one summary, as one tree's does.
      summary =
        summaries.length > 0
          ? { ...mergeSummaries(...summaries), sources: 1 }
          : createSummary(new Metrics(), { durationMs: 0 });
    } catch (error) {
      if (!(error instanceof MetricsError)) throw error;
      log.error(`The workers' metrics can't be merged: ${error.message}`); // one name, two kinds
      return runCode === 0 ? 1 : runCode;
    }
    return finish(summary, runCode);
  } finally {
    removeSignalHandlers();
  }
}

/**
 * A worker's load failure, reported as a single-tree `scenetree run` reports it: an invalid scene's
 * problems (exit code 2), a `--scripts` module's InputError, or the stack of anything else (which the
 * CLI prints as it prints its own, exit code 1).
 */
function reportLoadFailure(failure: LoadFailure, io: CliIo): number {
  switch (failure.kind) {
    case "scene":
      io.stderr(failure.text);
      return 2;
    case "input":
      throw new InputError(failure.message);
    case "error": {
      const error = new Error(failure.stack.split("\n")[0]);
      error.stack = failure.stack;
      throw error;
    }
  }
}

function describeTally(tally: FleetTally, total: number): string {
  const parts = [`${tally.succeeded} of ${total} instances quit with 0`];
  if (tally.failed > 0) parts.push(`${tally.failed} failed${failuresText(tally)}`);
  if (tally.notStarted > 0) parts.push(`${tally.notStarted} never started`);
  if (tally.crashedWorkers > 0) parts.push(`${tally.crashedWorkers} worker(s) crashed`);
  // Errors do not fail the run (a tree reports them and keeps running, as Godot's does): they are said.
  if (tally.errors > 0) parts.push(`${tally.errors} error${tally.errors === 1 ? "" : "s"} reported`);
  return `Fleet done: ${parts.join(", ")}.`;
}

/** ` (instance 4 quit with 1, instance 9 with 3, …)`: the first failures, by index and code. */
function failuresText({ failed, firstFailures }: FleetTally): string {
  if (firstFailures.length === 0) return ""; // lost in a crashed worker: no code of their own
  const named = firstFailures.map(
    ({ index, code }, i) => `instance ${index} ${i === 0 ? "quit " : ""}with ${code}`,
  );
  return ` (${named.join(", ")}${failed > firstFailures.length ? ", …" : ""})`;
}

function onSignals(info: (text: string) => void, stop: (code: number) => void): () => void {
  return onStopSignals({
    stop: (signal, code) => {
      info(`${signal}: stopping every instance (send it again to exit at once).`);
      stop(code);
    },
  });
}
