import * as os from "node:os";
import * as path from "node:path";
import { loadScene } from "../scene/loader/loadScene";
import { SceneError } from "../scene/loader/SceneError";
import { formatTscnWarning } from "../tscn/errors";
import { importCliScripts } from "../cli/scripts";
import { createCliLogger } from "../cli/cliLogger";
import { printSceneError, type CliIo } from "../cli/output";
import type { FleetOptions } from "./flags";
import { FleetHost, type FleetTally } from "./FleetHost";
import { FLEET_PROTOCOL_VERSION, type WorkerSetup } from "./protocol";
import { randomBaseSeed } from "./seed";
import { dealToWorkers, shardIndices } from "./shard";

/** Exit codes for signals, as shells report them (128 + signal number), as `scenetree run` has. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export interface FleetHooks {
  /**
   * A worker's metrics summary (the protocol's `summary` message, JSON), for the metrics layer to merge
   * into the fleet's. Workers send none yet.
   */
  onSummary?: (summary: unknown, worker: number) => void;
  /** Listen for SIGINT/SIGTERM (default true; tests that run in-process turn it off). */
  handleSignals?: boolean;
}

/**
 * `scenetree run <scene> --instances N`: validates the scene once here, then runs this shard's
 * instances over worker threads and returns the exit code: 0 when every instance quit with 0, 1 when
 * one failed or a worker crashed, 2 when the scene is invalid, 130/143 after SIGINT/SIGTERM (a second
 * signal exits at once).
 */
export async function runFleet(options: FleetOptions, io: CliIo, hooks: FleetHooks = {}): Promise<number> {
  const log = createCliLogger(io, options.logLevel, options.logFormat);
  const scene = path.resolve(io.cwd, options.scene);
  const loading = performance.now();
  const scripts = importCliScripts(options.scripts, io.cwd);
  try {
    await loadScene(scene, { onWarning: (warning) => log.warn(formatTscnWarning(warning)) });
  } catch (error) {
    if (!(error instanceof SceneError)) throw error;
    printSceneError(io, error);
    return 2;
  }
  log.debug(`Validated ${options.scene} in ${(performance.now() - loading).toFixed(0)} ms.`);

  const indices = shardIndices(options.instances, options.shard);
  const shardText =
    options.shard.count > 1
      ? ` (shard ${options.shard.index}/${options.shard.count}: ${indices.length})`
      : "";
  if (indices.length === 0) {
    log.info(
      `Shard ${options.shard.index}/${options.shard.count} of ${options.instances} instances is empty.`,
    );
    return 0;
  }
  const workers = Math.min(options.workers ?? os.availableParallelism(), indices.length);
  const baseSeed = options.seed ?? randomBaseSeed();
  log.info(
    `Running ${options.instances} instances${shardText} on ${workers} worker${workers === 1 ? "" : "s"}, ` +
      `seed ${baseSeed}.`,
  );

  if (options.duration !== null && options.duration < options.rampUp) {
    log.warn(
      `--duration ${options.duration} ends before --ramp-up ${options.rampUp}: the last instances never start.`,
    );
  }

  const setups = dealToWorkers(indices, workers).map((hand, worker): WorkerSetup => ({
    protocol: FLEET_PROTOCOL_VERSION,
    worker,
    scene,
    scripts,
    indices: hand,
    count: options.instances,
    baseSeed,
    rampUpMs: options.rampUp * 1000,
    durationMs: options.duration === null ? null : options.duration * 1000,
    fps: options.fps,
  }));
  let started = 0;
  const spawned = performance.now();
  const host = new FleetHost(setups, {
    log,
    stdout: io.stdout,
    stderr: io.stderr,
    onSummary: hooks.onSummary,
    onStart: () => log.debug(`Workers ready in ${(performance.now() - spawned).toFixed(0)} ms; starting.`),
    onStarted: (batch) => {
      started += batch.length;
      if (started === indices.length) log.debug(`All ${started} instances started.`);
    },
  });
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
  let tally: FleetTally;
  try {
    tally = await host.whenFinished();
  } finally {
    removeSignalHandlers();
  }
  log.info(describeTally(tally, indices.length));
  if (signalCode !== null) return signalCode;
  return tally.failed > 0 ? 1 : 0;
}

function describeTally(tally: FleetTally, total: number): string {
  const parts = [`${tally.succeeded} of ${total} instances quit with 0`];
  if (tally.failed > 0) parts.push(`${tally.failed} failed`);
  if (tally.notStarted > 0) parts.push(`${tally.notStarted} never started`);
  if (tally.crashedWorkers > 0) parts.push(`${tally.crashedWorkers} worker(s) crashed`);
  return `Fleet done: ${parts.join(", ")}.`;
}

function onSignals(info: (text: string) => void, stop: (code: number) => void): () => void {
  let received = false;
  const handlers = Object.entries(SIGNAL_EXIT_CODES).map(([signal, code]) => {
    const handler = (): void => {
      if (received) process.exit(code); // a second signal: the user wants out now
      received = true;
      info(`${signal}: stopping every instance (send it again to exit at once).`);
      stop(code);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}
