import type { SeriesData, TaggedSeriesData } from "./data";
import { MetricsError } from "./errors";
import { combineData, greatest, least } from "./stats";
import {
  compareNames,
  summaryMetric,
  SUMMARY_FORMAT,
  SUMMARY_VERSION,
  withThresholds,
  type Summary,
  type SummaryMetric,
} from "./summary";
import { tagSetKey } from "./tags";

/**
 * Merges the summaries of workers or shards that ran side by side into one, exactly: counters and rates
 * add up, trend histograms merge bucket by bucket (so p(95) is that of all samples together, not an
 * average of p(95)s), gauges add their last values (the level across shards) and keep the extremes.
 * Its duration is the span from the earliest start to the latest end (the longest duration when a start
 * is unknown). Every input's thresholds are evaluated again on the merged data.
 *
 * Throws a MetricsError (ERR_SUMMARY_FORMAT) when one name has two kinds in two summaries, and a
 * ThresholdError when a recorded threshold does not fit the merged metric.
 */
/** `a counter`, `a trend of times (ms)`, `a counter of bytes`: a metric's kind as a sentence says it. */
function kindText(metric: Pick<SummaryMetric, "type" | "contains">): string {
  if (metric.contains === "default") return `a ${metric.type}`;
  return `a ${metric.type} of ${metric.contains === "time" ? "times (ms)" : "bytes"}`;
}

export function mergeSummaries(...summaries: Summary[]): Summary {
  return mergeSummaryList(summaries);
}

/**
 * {@link mergeSummaries} of a list: for many summaries, which a call with each one an argument
 * (`mergeSummaries(...list)`) would pass on the stack, overflowing it past some 120,000. `labels`
 * name the summaries in errors (their files); without them, `summary 1`, `summary 2`…
 */
export function mergeSummaryList(summaries: readonly Summary[], labels?: readonly string[]): Summary {
  const label = (index: number) => labels?.[index] ?? `summary ${index + 1}`;
  if (summaries.length === 0)
    throw new MetricsError("ERR_SUMMARY_FORMAT", "mergeSummaries needs at least one summary.");
  const durationMs = mergedDuration(summaries);
  const names = new Set<string>();
  for (const s of summaries) for (const name of Object.keys(s.metrics)) names.add(name);
  // No prototype: a metric named __proto__ is kept as any other (on {}, setting it sets the prototype).
  const metrics: Record<string, SummaryMetric> = Object.create(null);
  for (const name of [...names].sort(compareNames)) {
    const entries = summaries.flatMap((s, i) =>
      Object.prototype.hasOwnProperty.call(s.metrics, name) ? [{ metric: s.metrics[name], index: i }] : [],
    );
    const first = entries[0];
    for (const { metric, index } of entries.slice(1)) {
      if (metric.type !== first.metric.type || metric.contains !== first.metric.contains)
        throw new MetricsError(
          "ERR_SUMMARY_FORMAT",
          `Metric "${name}" is ${kindText(first.metric)} in ${label(first.index)} but ${kindText(metric)} in ${label(index)}; they can't be merged.`,
        );
    }
    const { type, contains } = first.metric;
    const data = combineData(
      type,
      entries.map((e) => e.metric.data),
      "sum",
    );
    const bySet = new Map<string, { tags: TaggedSeriesData["tags"]; items: SeriesData[] }>();
    for (const { metric } of entries)
      for (const s of metric.series) {
        const key = tagSetKey(s.tags);
        const group = bySet.get(key);
        if (group) group.items.push(s.data);
        else bySet.set(key, { tags: s.tags, items: [s.data] });
      }
    const series = [...bySet.values()].map((g) => ({
      tags: g.tags,
      data: combineData(type, g.items, "sum"),
    }));
    metrics[name] = summaryMetric({ type, contains, data, series }, durationMs);
  }
  const merged: Summary = {
    format: SUMMARY_FORMAT,
    version: SUMMARY_VERSION,
    startedAt: summaries.every((s) => s.startedAt !== null)
      ? least(summaries, (s) => s.startedAt as number)
      : null,
    durationMs,
    sources: summaries.reduce((n, s) => n + s.sources, 0),
    droppedTagSamples: summaries.reduce((n, s) => n + s.droppedTagSamples, 0),
    metrics,
    thresholds: summaries.flatMap((s) => s.thresholds),
  };
  return withThresholds(merged, []);
}

function mergedDuration(summaries: readonly Summary[]): number {
  if (summaries.some((s) => s.startedAt === null)) return greatest(summaries, (s) => s.durationMs);
  const start = least(summaries, (s) => s.startedAt as number);
  const end = greatest(summaries, (s) => (s.startedAt as number) + s.durationMs);
  return end - start;
}
