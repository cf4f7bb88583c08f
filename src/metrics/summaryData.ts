import type { MetricSnapshot } from "./data";

export const SUMMARY_FORMAT = "scenetree-summary";
export const SUMMARY_VERSION = 1;

/** One metric in a summary: its mergeable state plus k6's `values` (what the text summary shows). */
export interface SummaryMetric extends MetricSnapshot {
  values: Record<string, number>;
}

/**
 * The end-of-test summary as data (what `--summary-json` writes). Everything in it is derived from the
 * metrics' `data` and `series`, including the encoded histograms, so summaries of several workers or
 * machines merge exactly (`mergeSummaries`).
 */
export interface Summary {
  format: typeof SUMMARY_FORMAT;
  version: typeof SUMMARY_VERSION;
  /** When the measured run started (ms since the epoch), null when unknown. */
  startedAt: number | null;
  /** How long it ran: counters' per-second rates are over this. */
  durationMs: number;
  /** How many summaries were merged into this one (1 for a single run). */
  sources: number;
  /** Samples whose tag set went over a registry's `maxTagSets`: in the totals, not in tagged series. */
  droppedTagSamples: number;
  /** By name, sorted. */
  metrics: Record<string, SummaryMetric>;
  thresholds: ThresholdResult[];
  /**
   * Which shard of which fleet this summary is (`scenetree run --instances N --shard I/M`, M > 1), so
   * that `scenetree merge` can tell a shard given twice or one missing. Absent for one machine's whole
   * run, and for a merge.
   */
  shard?: ShardInfo;
}

/** A shard: instances I, I+M, I+2M… (`index` I of `count` M) of a fleet of `instances`, base `seed`. */
export interface ShardInfo {
  index: number;
  count: number;
  instances: number;
  seed: number;
}

/** One threshold's outcome, as a JSON summary stores it. */
export interface ThresholdResult {
  /** The metric part as written (`ws_connecting`, `ws_connecting{url:ws://a}`). */
  metric: string;
  /** The expression as written (`p(95)<500`). */
  source: string;
  ok: boolean;
  /** What the method gave (`p(95)` of the samples…); null when there were no samples, which fails. */
  value: number | null;
  /** False when the summary has no such metric (a Counter nobody added to counts 0). */
  recorded: boolean;
}
