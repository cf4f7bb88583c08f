import type { Logger } from "pino";
import { BUILTIN_METRICS, builtinMetric } from "../metrics/builtin";
import { MetricsError, ThresholdError } from "../metrics/errors";
import { checkThresholdMethod } from "../metrics/evaluate";
import { formatSummary } from "../metrics/formatSummary";
import { withThresholds, type Summary } from "../metrics/summary";
import { serializeSummary } from "../metrics/summaryText";
import { parseThresholdArg, parseThresholds, type Threshold } from "../metrics/thresholds";
import { SystemClock, type Clock } from "../core/clock";
import { InputError, UsageError, type LogLevel, type OptionSpec } from "./args";
import { listenHostProblem } from "./listenHost";
import { checkOutputWritable, writeOutputFile, type CliIo } from "./output";
import { DEFAULT_METRICS_HOST, serveMetrics, type MetricsServer } from "./prometheus";
import { StatusLine, type StatusReading } from "./status";
import { withinEdits } from "./suggest";

/** The exit code of a run or merge whose thresholds failed (k6's). */
export const THRESHOLDS_FAILED_EXIT_CODE = 99;

/** `scenetree run`'s metrics flags, for one tree and for fleets alike. */
export const RUN_METRICS_OPTIONS = {
  "summary-json": {
    type: "string",
    value: "FILE",
    description:
      "Write the end-of-run summary as JSON, with the histograms\n(scenetree merge reads it, for shards).",
  },
  threshold: {
    type: "string",
    multiple: true,
    value: "EXPR",
    description:
      "metric:expression in k6's syntax, e.g. 'ws_connecting:p(95)<500', with\nthe scene file's \"thresholds\"; exit code 99 when one fails.",
  },
  quiet: { type: "boolean", description: "No live status line on stderr." },
  "metrics-port": {
    type: "string",
    value: "PORT",
    description:
      "Serve the live metrics in the Prometheus text format at /metrics on this\nport (0: any free one; the address is printed).",
  },
  "metrics-host": {
    type: "string",
    value: "HOST",
    description: `Address --metrics-port binds to (default ${DEFAULT_METRICS_HOST}: this machine only).`,
  },
} as const satisfies Record<string, OptionSpec>;

/** The metrics flags as the parser hands them over. */
export interface RunMetricsFlagValues {
  "summary-json"?: string;
  threshold?: string[];
  quiet?: boolean;
  "metrics-port"?: string;
  "metrics-host"?: string;
}

/** What a run does with its metrics besides recording them. */
export interface RunMetricsOptions {
  /** From `--threshold`; the scene file's are added when the scene is loaded. */
  thresholds: Threshold[];
  summaryJson: string | null;
  /** No live status line. */
  quiet: boolean;
  metricsPort: number | null;
  metricsHost: string;
}

export const NO_RUN_METRICS: RunMetricsOptions = {
  thresholds: [],
  summaryJson: null,
  quiet: false,
  metricsPort: null,
  metricsHost: DEFAULT_METRICS_HOST,
};

/**
 * Checks the metrics flags before anything runs: a threshold that does not parse (or asks a built-in
 * metric for a method its kind lacks), a `--summary-json` file that can't be created or opened, a bad port.
 */
export function parseRunMetricsFlags(values: RunMetricsFlagValues, cwd: string): RunMetricsOptions {
  const thresholds = (values.threshold ?? []).map((arg) => {
    try {
      const threshold = parseThresholdArg(arg);
      const builtin = builtinMetric(threshold.name);
      if (builtin) checkThresholdMethod(threshold, builtin.type);
      return threshold;
    } catch (error) {
      if (!(error instanceof ThresholdError)) throw error;
      throw new UsageError(`--threshold: ${error.code}: ${error.message}`, "run");
    }
  });
  const summaryJson = values["summary-json"] ?? null;
  if (summaryJson !== null) checkOutputWritable(summaryJson, cwd);
  let metricsPort: number | null = null;
  const port = values["metrics-port"];
  if (port !== undefined) {
    metricsPort = /^\s*\d+\s*$/.test(port) ? Number(port) : NaN;
    if (!(metricsPort >= 0 && metricsPort <= 65535))
      throw new UsageError(`--metrics-port needs a port from 0 to 65535, got "${port}".`, "run");
  }
  const host = values["metrics-host"];
  if (host !== undefined && metricsPort === null)
    throw new UsageError("--metrics-host needs --metrics-port PORT.", "run");
  const problem = host === undefined ? null : listenHostProblem("--metrics-host", host);
  if (problem !== null) throw new UsageError(problem, "run");
  return {
    thresholds,
    summaryJson,
    quiet: values.quiet === true,
    metricsPort,
    metricsHost: host ?? DEFAULT_METRICS_HOST,
  };
}

/**
 * The `--threshold`s, then the scene file's (already checked by the loader). A threshold's metric may
 * be the run's own, known only once recorded, so no name is refused; but one that is not built in and
 * is a couple of letters from a built-in name is most likely a typo, and gets a warning on `log` as
 * the run starts.
 */
export function runThresholds(
  options: RunMetricsOptions,
  scene: Readonly<Record<string, readonly string[]>>,
  log: { warn: (message: string) => void },
): Threshold[] {
  const fromScene = parseThresholds(scene);
  for (const message of [
    ...thresholdNameWarnings(options.thresholds, "--threshold"),
    ...thresholdNameWarnings(fromScene, 'scene "thresholds"'),
  ])
    log.warn(message);
  return [...options.thresholds, ...fromScene];
}

/** Edits at most between a threshold's metric name and a built-in one for the name to look misspelt. */
const TYPO_EDITS = 2;
const BUILTIN_NAMES = Object.keys(BUILTIN_METRICS);

/**
 * A warning per metric name of `thresholds` that is not built in but close to a built-in one (once
 * per name), `<source> <name>: not a built-in metric; did you mean <built-in>? (…)`. `recorded`: names
 * known to be metrics of one's own (a merge has the data), which are not warned about.
 */
export function thresholdNameWarnings(
  thresholds: readonly Threshold[],
  source: string,
  recorded: (name: string) => boolean = () => false,
): string[] {
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const { name } of thresholds) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (builtinMetric(name) || recorded(name)) continue;
    const guess = withinEdits(name, BUILTIN_NAMES, TYPO_EDITS);
    if (guess !== null)
      warnings.push(
        `${source} ${name}: not a built-in metric; did you mean ${guess}? ` +
          "(a metric of your own is fine: it is judged when the run has recorded it)",
      );
  }
  return warnings;
}

export interface Live {
  /** Stops the status line and the metrics endpoint. */
  stop(): Promise<void>;
}

export interface LiveSource {
  /** The run's figures now. */
  read: () => StatusReading;
  /** Whether the status line has anything to say yet (default: always). */
  worthShowing?: () => boolean;
  /** Default: real time. */
  clock?: Clock;
  /**
   * `--metrics-port`'s server, already being bound ({@link bindMetricsPort}) while the caller did
   * something else; default: startLive binds it.
   */
  server?: Promise<MetricsServer | null>;
}

/**
 * Starts binding `--metrics-port` (null without the flag), for a caller with other work meanwhile (a
 * fleet's workers load the scene); hand the promise to startLive, which throws the bind's InputError.
 * The promise is marked handled, so a failed bind waits for startLive; a caller that ends before it
 * calls startLive closes the server itself. `log` gets the warnings about metrics left out of a scrape.
 */
export function bindMetricsPort(
  options: RunMetricsOptions,
  read: () => StatusReading,
  log: { warn: (message: string) => void },
): Promise<MetricsServer | null> {
  const bound =
    options.metricsPort === null
      ? Promise.resolve(null)
      : serveMetrics({
          port: options.metricsPort,
          host: options.metricsHost,
          read,
          warn: (message) => log.warn(message),
        });
  bound.catch(() => undefined);
  return bound;
}

/**
 * Starts what watches a run while it runs, as the flags ask: the status line on stderr (unless
 * `--quiet` or a log level below info) and the Prometheus endpoint (`--metrics-port`; a port that
 * can't be bound is an InputError, before the run starts).
 */
export async function startLive(
  options: RunMetricsOptions,
  io: CliIo,
  log: Logger,
  logLevel: LogLevel,
  source: LiveSource,
): Promise<Live> {
  const server = await (source.server ?? bindMetricsPort(options, source.read, log));
  if (server) log.info(`Metrics (Prometheus) at ${server.url}`);
  const { worthShowing } = source;
  const status = statusShown(options, logLevel)
    ? new StatusLine({
        read: () => (worthShowing && !worthShowing() ? null : source.read()),
        write: io.stderr,
        writeLine: (text) => log.info(text), // the CLI's info line, in --log-format's shape
        clock: source.clock ?? new SystemClock(),
        terminal: io.terminal ?? null,
      })
    : null;
  status?.start();
  return {
    stop: async () => {
      status?.stop();
      await server?.close();
    },
  };
}

/** The status line is the CLI's information: shown at --log-level info and below it, unless --quiet. */
export function statusShown(options: RunMetricsOptions, logLevel: LogLevel): boolean {
  return !options.quiet && (logLevel === "info" || logLevel === "debug" || logLevel === "trace");
}

/**
 * The end of a run: evaluates the thresholds on the summary, prints it on stdout when `print` (✓/✗
 * first), writes `--summary-json`, and returns the exit code by k6's rule: a run that already ended
 * with an error keeps its code (`runCode`: an instance failed, a signal), and the crossed thresholds
 * are only shown; otherwise 99 when a threshold failed, 2 when one does not fit its metric's kind or
 * the JSON can't be written, else 0.
 */
export function finishRun(
  summary: Summary,
  thresholds: readonly Threshold[],
  options: { print: boolean; summaryJson: string | null; runCode: number },
  io: CliIo,
  log: Logger,
): number {
  let evaluated = summary;
  let invalid = false;
  try {
    evaluated = withThresholds(summary, thresholds);
  } catch (error) {
    if (!(error instanceof MetricsError)) throw error;
    log.error(`scenetree run: thresholds: ${error.code}: ${error.message}`);
    invalid = true;
  }
  if (options.print || invalid) io.stdout(formatSummary(evaluated));
  // The file was checked before the run: a write that fails now (a full disk, an I/O error, a folder
  // removed meanwhile) is a failure of the run, not invalid input, said in one line.
  let unwritten = false;
  if (options.summaryJson !== null) {
    try {
      writeOutputFile(options.summaryJson, serializeSummary(evaluated), io.cwd);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      log.error(`scenetree run: --summary-json: ${error.message}`);
      unwritten = true;
    }
  }
  const failed = evaluated.thresholds.filter((t) => !t.ok);
  if (failed.length > 0) {
    const names = [...new Set(failed.map((t) => t.metric))].join(", ");
    log.error(
      `scenetree run: ${failed.length} of ${evaluated.thresholds.length} thresholds failed (${names}).`,
    );
  }
  if (options.runCode !== 0) return options.runCode;
  if (invalid) return 2;
  if (unwritten) return 1;
  return failed.length > 0 ? THRESHOLDS_FAILED_EXIT_CODE : 0;
}
