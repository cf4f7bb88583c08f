import { parseArgs } from "node:util";
import type { FleetFlagValues } from "../fleet/flags";

/** A mistake on the command line: reported in one line with the usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface RunArgs {
  scene: string;
  fps: number;
  quitAfter: number | null;
  printTree: boolean;
  logLevel: LogLevel;
  /** `--seed` as given; checked by parseSeed. */
  seed: string | undefined;
  /** The fleet flags as given; checked by parseFleetFlags. */
  fleet: FleetFlagValues;
}

export const LOG_LEVELS = ["silent", "error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Parses `run`'s arguments; the scene is the last positional, so `npm start -- other.scene.json` works. */
export function parseRunArgs(args: string[], defaultScene: string | null): RunArgs {
  const { values, positionals } = asUsageError(() =>
    parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        fps: { type: "string" },
        "quit-after": { type: "string" },
        "print-tree": { type: "boolean" },
        "log-level": { type: "string" },
        seed: { type: "string" },
        instances: { type: "string" },
        workers: { type: "string" },
        "ramp-up": { type: "string" },
        duration: { type: "string" },
        shard: { type: "string" },
        shards: { type: "string" },
      },
    }),
  );
  const scene = positionals.at(-1) ?? defaultScene;
  if (!scene) throw new UsageError("run needs a scene file: scenetree run <scene.json>");
  const fps = values.fps === undefined ? 60 : positiveNumber("--fps", values.fps);
  const quitAfter =
    values["quit-after"] === undefined ? null : positiveNumber("--quit-after", values["quit-after"], true);
  const logLevel = (values["log-level"] ?? "info") as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}".`);
  }
  const { seed, instances, workers, "ramp-up": rampUp, duration, shard, shards } = values;
  const fleet = { instances, workers, "ramp-up": rampUp, duration, shard, shards };
  return { scene, fps, quitAfter, printTree: values["print-tree"] === true, logLevel, seed, fleet };
}

/** Runs a `parseArgs` call, turning its complaints into UsageErrors. */
export function asUsageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function positiveNumber(flag: string, text: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new UsageError(`${flag} needs a ${allowZero ? "non-negative" : "positive"} number, got "${text}".`);
  }
  return value;
}
