import type { MetricSnapshot } from "./data";
import type { Metrics } from "./Metrics";
import { valuesOf } from "./stats";
import { parseMetricSelector, parseThresholdExpression, type Threshold } from "./thresholds";
import { evaluateThresholds, type ThresholdResult } from "./evaluate";

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
}

export interface SummaryOptions {
  /** Default: from the registry's creation to now. */
  durationMs?: number;
  /** Default: when the registry was made. */
  startedAt?: number | null;
  thresholds?: readonly Threshold[];
}

/** The summary of a registry now. Throws a ThresholdError when a threshold does not fit its metric. */
export function createSummary(metrics: Metrics, options: SummaryOptions = {}): Summary {
  const durationMs = options.durationMs ?? Math.max(0, metrics.now() - metrics.startedAt);
  const byName: Record<string, SummaryMetric> = {};
  for (const metric of [...metrics.all()].sort((a, b) => compareNames(a.name, b.name))) {
    const snapshot = metric.snapshot();
    byName[metric.name] = summaryMetric(snapshot, durationMs);
  }
  const summary: Summary = {
    format: SUMMARY_FORMAT,
    version: SUMMARY_VERSION,
    startedAt: options.startedAt === undefined ? metrics.startedAt : options.startedAt,
    durationMs,
    sources: 1,
    droppedTagSamples: metrics.droppedTagSamples,
    metrics: byName,
    thresholds: [],
  };
  return withThresholds(summary, options.thresholds ?? []);
}

export function summaryMetric(snapshot: MetricSnapshot, durationMs: number): SummaryMetric {
  return {
    type: snapshot.type,
    contains: snapshot.contains,
    values: valuesOf(snapshot.type, snapshot.data, durationMs),
    data: snapshot.data,
    series: snapshot.series,
  };
}

/**
 * The summary with its thresholds evaluated again, plus `extra` (a threshold already there, same metric
 * and same source, is not added twice). A merged summary thereby keeps every shard's thresholds.
 */
export function withThresholds(summary: Summary, extra: readonly Threshold[]): Summary {
  return { ...summary, thresholds: evaluateThresholds(summary, [...recordedThresholds(summary), ...extra]) };
}

function recordedThresholds(summary: Summary): Threshold[] {
  return summary.thresholds.map((t) => ({
    metric: t.metric,
    ...parseMetricSelector(t.metric),
    expression: parseThresholdExpression(t.source),
  }));
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
