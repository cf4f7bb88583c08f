import { createHash } from "node:crypto";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { echoed, echoedWords } from "../core/echo";
import { builtinMetric } from "../metrics/builtin";
import type { MetricType } from "../metrics/data";
import { MetricsError, ThresholdError } from "../metrics/errors";
import { checkThresholdMethod } from "../metrics/evaluate";
import { formatSummary } from "../metrics/formatSummary";
import { mergeSummaryList } from "../metrics/merge";
import { withThresholds, type Summary } from "../metrics/summary";
import { parseSummary, serializeSummary } from "../metrics/summaryJson";
import {
  parseMetricSelector,
  parseThresholdArg,
  parseThresholdExpression,
  type Threshold,
} from "../metrics/thresholds";
import { commandHelp, InputError, parseCommand, type CommandSpec } from "../run/args";
import { checkOutputWritable, type CliIo } from "../run/output";
import { thresholdNameWarnings, THRESHOLDS_FAILED_EXIT_CODE } from "../run/runMetrics";

export const MERGE_SPEC = {
  name: "merge",
  synopsis: "<summary.json...> [options]",
  description: `Merges the JSON summaries of shards or workers (written with --summary-json) into one and prints it.
Counters and rates add up and trend histograms merge exactly, so p(95) is that of all samples together.
The thresholds recorded in the summaries are evaluated again on the merged data, with every --threshold.`,
  options: {
    "summary-json": { type: "string", value: "FILE", description: "Also write the merged summary as JSON." },
    threshold: {
      type: "string",
      multiple: true,
      value: "EXPR",
      description: "metric:expression in k6's syntax, e.g. 'ws_connecting:p(95)<500'.",
    },
  },
  positionals: { min: 1, max: Infinity, name: "summary file" },
  footer: `Exit codes: 0 every threshold holds, 99 a threshold failed, 2 invalid input (arguments, a threshold,
a file that is not a summary or is over 64 MiB, the same file twice by any path, summaries that disagree on a
metric's kind).`,
} as const satisfies CommandSpec;

/** `scenetree merge`: returns the exit code; reports on `io`, never throws for bad input. */
export async function mergeCommand(args: string[], io: CliIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr(`scenetree merge: ${message}\n`);
    return 2;
  };
  const parsed = parseCommand(MERGE_SPEC, args);
  if (parsed.help) {
    io.stdout(commandHelp(MERGE_SPEC));
    return 0;
  }
  const { values, positionals } = parsed;

  const thresholds: Threshold[] = [];
  for (const arg of values.threshold ?? []) {
    try {
      thresholds.push(parseThresholdArg(arg));
    } catch (error) {
      if (!(error instanceof MetricsError)) throw error;
      return fail(`--threshold: ${error.code}: ${error.message}`);
    }
  }

  // As `run` does: a --summary-json that can't be written (a missing folder, a file that can't be
  // created: no permission, /proc) is refused before anything is read or printed.
  const out = values["summary-json"];
  if (out !== undefined) {
    try {
      checkOutputWritable(out, io.cwd);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return fail(error.message);
    }
  }

  // The same file twice, by any path (./x and x, a symlink, a hard link, /proc/self/root/…), would
  // count it twice: files are told apart by what they are (device and inode), not by how they are named.
  const seen = new Map<string, string>();
  for (const file of positionals) {
    let identity: string;
    try {
      const resolved = path.resolve(io.cwd, file);
      const stats = await fs.stat(resolved, { bigint: true });
      // A file system with no inode numbers (0) leaves the real path, symlinks followed.
      identity = stats.ino !== 0n ? `${stats.dev}:${stats.ino}` : await fs.realpath(resolved);
    } catch (error) {
      return fail(`${file}: can't read it (${errorCode(error)}).`);
    }
    const earlier = seen.get(identity);
    if (earlier !== undefined)
      return fail(`${file} is the same file as ${earlier}; merging it twice would count it twice.`);
    seen.set(identity, file);
  }

  const summaries: Summary[] = [];
  // A copy of a file is most likely the same summary twice: each run writes its own start time and
  // figures. Two shards can still write the same text (the same counts, started in the same ms), so
  // this is a warning, not a refusal. Each file's hash is kept, not its text: the texts are not all held at once.
  const hashes = new Map<string, string>();
  // Said once the files are known to merge: a copy of a shard's summary is refused below as the same
  // shard twice, and "both are counted" would then be untrue.
  const copyWarnings: string[] = [];
  for (const file of positionals) {
    let bytes: Buffer;
    try {
      bytes = await readSummaryFile(path.resolve(io.cwd, file));
    } catch (error) {
      if (error instanceof InputError) return fail(`${file}: ${error.message}`);
      return fail(`${file}: can't read it (${errorCode(error)}).`);
    }
    const hash = createHash("sha256").update(bytes).digest("hex");
    const copyOf = hashes.get(hash);
    if (copyOf !== undefined)
      copyWarnings.push(`${file} holds the very same summary as ${copyOf} (a copy?); both are counted.`);
    else hashes.set(hash, file);
    try {
      summaries.push(parseSummary(bytes.toString("utf8")));
    } catch (error) {
      if (!(error instanceof MetricsError)) throw error;
      return fail(`${file}: ${error.code}: ${error.message}`);
    }
  }

  const shards = checkShards(summaries, positionals);
  if (shards.problem !== null) return fail(shards.problem);
  for (const warning of [...copyWarnings, ...shards.warnings])
    io.stderr(`scenetree merge: warning: ${warning}\n`);

  const unfit = unfitThreshold(summaries, positionals, thresholds, values.threshold ?? []);
  if (unfit !== null) return fail(unfit);
  let merged: Summary;
  try {
    merged = withThresholds(mergeSummaryList(summaries, positionals), thresholds);
  } catch (error) {
    if (!(error instanceof MetricsError)) throw error;
    return fail(`${error.code}: ${error.message}`);
  }

  // A --threshold on no metric of the summaries, a letter or two from a built-in one: likely a typo.
  const recorded = (name: string) => Object.prototype.hasOwnProperty.call(merged.metrics, name);
  for (const warning of thresholdNameWarnings(thresholds, "--threshold", recorded))
    io.stderr(`scenetree merge: ${warning}\n`);
  io.stdout(formatSummary(merged));
  if (out !== undefined) {
    try {
      await fs.writeFile(path.resolve(io.cwd, out), serializeSummary(merged));
    } catch (error) {
      return fail(`--summary-json ${out}: can't write it (${errorCode(error)}).`);
    }
  }
  const failed = merged.thresholds.filter((t) => !t.ok);
  if (failed.length === 0) return 0;
  const names = [...new Set(failed.map((t) => t.metric))].join(", ");
  io.stderr(
    `scenetree merge: ${failed.length} of ${merged.thresholds.length} thresholds failed (${names}).\n`,
  );
  return THRESHOLDS_FAILED_EXIT_CODE;
}

/**
 * The first threshold, recorded in a file or given with --threshold, whose method the metric's kind
 * does not have (`p(95)` on a Counter), said naming where it came from; null when all fit. The kinds
 * are the files' (the first file's, when they disagree: the merge refuses that next) or the built-in
 * metrics'.
 */
function unfitThreshold(
  summaries: readonly Summary[],
  files: readonly string[],
  thresholds: readonly Threshold[],
  args: readonly string[],
): string | null {
  const kinds = new Map<string, MetricType>();
  for (const summary of summaries)
    for (const [name, metric] of Object.entries(summary.metrics))
      if (!kinds.has(name)) kinds.set(name, metric.type);
  const check = (threshold: Threshold): ThresholdError | null => {
    const type = kinds.get(threshold.name) ?? builtinMetric(threshold.name)?.type;
    try {
      if (type) checkThresholdMethod(threshold, type);
      return null;
    } catch (error) {
      if (!(error instanceof ThresholdError)) throw error;
      return error;
    }
  };
  for (let i = 0; i < summaries.length; i++)
    for (const recorded of summaries[i].thresholds) {
      const threshold = {
        metric: recorded.metric,
        ...parseMetricSelector(recorded.metric),
        expression: parseThresholdExpression(recorded.source),
      };
      const error = check(threshold);
      if (error)
        return `${files[i]}: its threshold '${echoed(`${recorded.metric}:${recorded.source}`)}': ${error.code}: ${echoedWords(error.reason)}`;
    }
  for (let i = 0; i < thresholds.length; i++) {
    const error = check(thresholds[i]);
    if (error) return `--threshold ${args[i]}: ${error.code}: ${error.reason}`;
  }
  return null;
}

/**
 * The largest summary file `merge` reads, 64 MiB. A summary holds each metric's figures and, per tag
 * set (100 at most per metric by default), a few numbers or one histogram of a few kB: a run with
 * hundreds of metrics writes a few MB. The limit bounds what one file makes merge hold (its text, then
 * the parsed summary), where before the only limit was V8's largest string, 512 MB.
 */
export const MAX_SUMMARY_FILE_BYTES = 64 * 1024 * 1024;

/** A file's bytes, refused (an InputError) past MAX_SUMMARY_FILE_BYTES: at most one byte more is read. */
async function readSummaryFile(file: string): Promise<Buffer> {
  const limit = `${MAX_SUMMARY_FILE_BYTES / 1024 / 1024} MiB`;
  const tooBig = (what: string) =>
    new InputError(`${what} than a summary file may have (${limit}); it is not read.`);
  const handle = await fs.open(file, "r");
  try {
    const { size } = await handle.stat();
    if (size > MAX_SUMMARY_FILE_BYTES) throw tooBig(`${size} bytes, more`);
    // Read until the end, not `size` bytes: a pipe or a /proc file says 0 and has more.
    const chunks: Buffer[] = [];
    let total = 0;
    let want = size + 1;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(want, MAX_SUMMARY_FILE_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_SUMMARY_FILE_BYTES) throw tooBig("more bytes");
      want = 1024 * 1024;
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** How many missing shards a warning names; the rest are counted. */
const MISSING_SHARDS_NAMED = 10;

/**
 * What the summaries' `shard` entries say about the merge: the same shard of the same fleet twice is
 * refused (it would count twice); shards of one fleet with some missing, or of different fleets, are
 * merged with a warning. Summaries without one (a whole run, a merge) are not looked at.
 */
function checkShards(
  summaries: readonly Summary[],
  files: readonly string[],
): { problem: string | null; warnings: string[] } {
  const fleets = new Map<string, { count: number; files: Map<number, string> }>();
  for (let i = 0; i < summaries.length; i++) {
    const shard = summaries[i].shard;
    if (shard === undefined) continue;
    const fleet = `${shard.instances} instances, seed ${shard.seed}, ${shard.count} shards`;
    const entry = fleets.get(fleet) ?? { count: shard.count, files: new Map<number, string>() };
    fleets.set(fleet, entry);
    const earlier = entry.files.get(shard.index);
    if (earlier !== undefined) {
      const problem = `${files[i]} is shard ${shard.index}/${shard.count} of the same fleet as ${earlier}; merging it twice would count it twice.`;
      return { problem, warnings: [] };
    }
    entry.files.set(shard.index, files[i]);
  }
  const warnings: string[] = [];
  if (fleets.size > 1)
    warnings.push(`these are shards of ${fleets.size} different fleets (${[...fleets.keys()].join("; ")}).`);
  for (const [fleet, { count, files: byIndex }] of fleets) {
    // Counted, not listed: `count` is the file's word, up to 2^53, and a list of every index (or an
    // array of `count`) would not fit in memory. The first few missing are named; finding them takes
    // at most one step per file given plus MISSING_SHARDS_NAMED.
    const missing = count - byIndex.size;
    if (missing === 0) continue;
    const named: string[] = [];
    for (let index = 0; index < count && named.length < MISSING_SHARDS_NAMED; index++)
      if (!byIndex.has(index)) named.push(`${index}/${count}`);
    const more = missing > named.length ? ` and ${missing - named.length} more` : "";
    warnings.push(
      `shard${missing === 1 ? "" : "s"} ${named.join(", ")}${more} of the fleet of ${fleet} ${missing === 1 ? "is" : "are"} missing: the merge covers ${byIndex.size} of ${count}.`,
    );
  }
  return { problem: null, warnings };
}
