import type { Metrics } from "../metrics/Metrics";

/**
 * One reading of every metric, as the page charts them over time: a counter's per-second rate and
 * total, a gauge's value, a rate's fraction, a trend's count and its med, p(95), p(99) and max so far.
 */
export type MetricSample =
  | { type: "counter"; contains: string; count: number; perSecond: number }
  | { type: "gauge"; contains: string; value: number }
  | { type: "rate"; contains: string; rate: number | null }
  | {
      type: "trend";
      contains: string;
      count: number;
      med: number | null;
      p95: number | null;
      p99: number | null;
      max: number | null;
    };

/** Metrics charted; any others are left out of the samples. */
export const MAX_CHARTED_METRICS = 50;

const finite = (value: number): number | null => (Number.isFinite(value) ? round(value) : null);
const round = (value: number): number => Math.round(value * 1000) / 1000;

/** Samples a registry once a second; keeps only the previous counter totals (for the rates). */
export class MetricsSampler {
  private readonly lastCounts = new Map<string, number>();

  sample(metrics: Metrics, seconds: number): Record<string, MetricSample> {
    const out: Record<string, MetricSample> = {};
    for (const metric of metrics.all().slice(0, MAX_CHARTED_METRICS)) {
      const contains = metric.contains;
      switch (metric.type) {
        case "counter": {
          const last = this.lastCounts.get(metric.name);
          this.lastCounts.set(metric.name, metric.count);
          const perSecond = last === undefined || seconds <= 0 ? 0 : (metric.count - last) / seconds;
          out[metric.name] = { type: "counter", contains, count: metric.count, perSecond: round(perSecond) };
          break;
        }
        case "gauge":
          out[metric.name] = { type: "gauge", contains, value: metric.value };
          break;
        case "rate":
          out[metric.name] = { type: "rate", contains, rate: finite(metric.rate) };
          break;
        case "trend":
          out[metric.name] = {
            type: "trend",
            contains,
            count: metric.count,
            med: finite(metric.percentile(50)),
            p95: finite(metric.percentile(95)),
            p99: finite(metric.percentile(99)),
            max: finite(metric.max),
          };
          break;
      }
    }
    return out;
  }
}
