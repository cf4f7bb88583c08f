import type { MetricContains } from "./data";
import type { Metrics } from "./Metrics";

/**
 * One metric's running totals, without its histogram or tag series: what a live status line and a
 * Prometheus scrape read every second, and what a fleet worker sends the main thread (a few numbers
 * per metric, however many samples it holds).
 */
export type LiveMetric =
  | { type: "counter"; contains: MetricContains; count: number }
  | { type: "gauge"; contains: MetricContains; value: number }
  | { type: "rate"; contains: MetricContains; passes: number; total: number }
  | { type: "trend"; contains: MetricContains; count: number; sum: number };

/** A registry's running totals, by metric name. */
export type LiveTotals = Record<string, LiveMetric>;

/** The running totals of every metric in `metrics` now; cheap (no histogram is encoded). */
export function liveTotals(metrics: Metrics): LiveTotals {
  const totals: LiveTotals = {};
  for (const metric of metrics.all()) {
    const { contains } = metric;
    switch (metric.type) {
      case "counter":
        totals[metric.name] = { type: "counter", contains, count: metric.count };
        break;
      case "gauge":
        totals[metric.name] = { type: "gauge", contains, value: metric.value };
        break;
      case "rate": {
        const { passes, total } = metric.snapshot().data as { passes: number; total: number };
        totals[metric.name] = { type: "rate", contains, passes, total };
        break;
      }
      case "trend":
        totals[metric.name] = {
          type: "trend",
          contains,
          count: metric.count,
          sum: metric.count > 0 ? metric.avg * metric.count : 0,
        };
        break;
    }
  }
  return totals;
}

/**
 * The totals of registries that ran side by side, added up as `mergeSummaries` adds summaries:
 * counters, rates and trend counts and sums add, gauges add their values (the level across workers).
 * A name with two kinds keeps the first one seen.
 */
export function addLiveTotals(parts: readonly LiveTotals[]): LiveTotals {
  const sum: LiveTotals = {};
  for (const part of parts) {
    for (const [name, metric] of Object.entries(part)) {
      const have = Object.prototype.hasOwnProperty.call(sum, name) ? sum[name] : undefined;
      if (!have) sum[name] = { ...metric };
      else if (have.type === "counter" && metric.type === "counter") have.count += metric.count;
      else if (have.type === "gauge" && metric.type === "gauge") have.value += metric.value;
      else if (have.type === "rate" && metric.type === "rate") {
        have.passes += metric.passes;
        have.total += metric.total;
      } else if (have.type === "trend" && metric.type === "trend") {
        have.count += metric.count;
        have.sum += metric.sum;
      }
    }
  }
  return sum;
}

/** A counter's total or a trend's count in `totals`, 0 when the metric has not appeared. */
export function liveCount(totals: LiveTotals, name: string): number {
  const metric = Object.prototype.hasOwnProperty.call(totals, name) ? totals[name] : undefined;
  return metric && (metric.type === "counter" || metric.type === "trend") ? metric.count : 0;
}
