import type { MetricSnapshot } from "./data";
import { SUMMARY_FORMAT, SUMMARY_VERSION, type Summary, type SummaryMetric } from "./summaryData";
import type { Metrics } from "./Metrics";
import { valuesOf } from "./stats";
import { parseMetricSelector, parseThresholdExpression, type Threshold } from "./thresholds";
import { evaluateThresholds } from "./evaluate";

export {
  SUMMARY_FORMAT,
  SUMMARY_VERSION,
  type ShardInfo,
  type Summary,
  type SummaryMetric,
  type ThresholdResult,
} from "./summaryData";

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
  // No prototype: a metric named __proto__ is kept as any other (on {}, setting it sets the prototype).
  const byName: Record<string, SummaryMetric> = Object.create(null);
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
