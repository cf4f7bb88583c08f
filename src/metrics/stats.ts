import type { CounterData, GaugeData, MetricType, RateData, SeriesData, TrendData } from "./data";
import { emptyData } from "./data";
import { MetricsError } from "./errors";
import { decodeHistogram, encodeHistogram, percentile, SCALE, type Histogram } from "./histogram";

/** The aggregation methods of k6's thresholds; `p` is `p(N)`. */
export type AggregationMethod = "count" | "rate" | "value" | "avg" | "min" | "max" | "med" | "p";

/** Which methods each kind has, as in k6 (a threshold with another is an error, not a silent pass). */
export const METHODS_BY_TYPE: Readonly<Record<MetricType, readonly AggregationMethod[]>> = {
  counter: ["count", "rate"],
  gauge: ["value"],
  rate: ["rate"],
  trend: ["avg", "min", "max", "med", "p"],
};

/** The percentiles every summary shows for a Trend. */
export const SUMMARY_PERCENTILES = [90, 95, 99] as const;

const decoded = new WeakMap<TrendData, Histogram>();

/** Summaries are plain data that never change once made, so a histogram is decoded once per object. */
function histogramOf(data: TrendData): Histogram | null {
  if (data.hdr === null) return null;
  let histogram = decoded.get(data);
  if (!histogram) {
    histogram = decodeHistogram(data.hdr);
    decoded.set(data, histogram);
  }
  return histogram;
}

/** Why a Trend's data is unusable (its histogram does not decode, or disagrees with its count), or null. */
export function checkHistogram(data: TrendData): string | null {
  if (data.hdr === null) return data.count === 0 ? null : `${data.count} samples but no histogram`;
  let histogram: Histogram | null;
  try {
    histogram = histogramOf(data);
  } catch (error) {
    if (error instanceof MetricsError) return error.message; // a histogram a summary may not hold
    return `not an encoded HdrHistogram (${(error as Error).message})`;
  }
  if (histogram && histogram.totalCount !== data.count)
    return `the histogram holds ${histogram.totalCount} samples, count says ${data.count}`;
  if (histogram && data.count > 0) {
    // The histogram records round(sample × SCALE), so its lowest and highest buckets hold min and max.
    const lowest = histogram.getValueAtPercentile(0);
    const highest = histogram.getValueAtPercentile(100);
    if (!inBucket(Math.round(data.min * SCALE), lowest) || !inBucket(Math.round(data.max * SCALE), highest))
      return `min ${data.min} and max ${data.max} lie outside the range of the histogram's samples (${lowest / SCALE} to ${highest / SCALE})`;
  }
  return null;
}

/**
 * Whether `value` can be in the bucket whose lowest or highest value is `edge`. A bucket is at most
 * 1/1024 of its values wide (3 significant digits), 1 below 2048; this allows twice that.
 */
function inBucket(value: number, edge: number): boolean {
  return Math.abs(value - edge) <= Math.max(1, edge / 512);
}

/**
 * One aggregation of a series, or null when the series has no samples for it (a Trend, Gauge or Rate
 * that never got a value). A Counter with nothing added counts 0.
 */
export function aggregate(
  type: MetricType,
  data: SeriesData,
  method: AggregationMethod,
  percentileRank: number,
  durationMs: number,
): number | null {
  switch (type) {
    case "counter": {
      const { count } = data as CounterData;
      if (method === "count") return count;
      return method === "rate" ? perSecond(count, durationMs) : null;
    }
    case "gauge": {
      const gauge = data as GaugeData;
      if (gauge.count === 0) return null;
      return method === "value"
        ? gauge.value
        : method === "min"
          ? gauge.min
          : method === "max"
            ? gauge.max
            : null;
    }
    case "rate": {
      const { passes, total } = data as RateData;
      return method === "rate" && total > 0 ? passes / total : null;
    }
    case "trend":
      return trendAggregate(data as TrendData, method, percentileRank, durationMs);
  }
}

function trendAggregate(
  trend: TrendData,
  method: AggregationMethod,
  rank: number,
  durationMs: number,
): number | null {
  if (method === "count") return trend.count;
  if (method === "rate") return perSecond(trend.count, durationMs);
  if (trend.count === 0) return null;
  switch (method) {
    case "avg":
      return trend.sum / trend.count;
    case "min":
      return trend.min;
    case "max":
      return trend.max;
    case "med":
    case "p": {
      const histogram = histogramOf(trend);
      return histogram ? percentile(histogram, method === "med" ? 50 : rank, trend.min, trend.max) : null;
    }
    default:
      return null;
  }
}

export function perSecond(count: number, durationMs: number): number {
  return durationMs > 0 ? (count * 1000) / durationMs : 0;
}

/** k6's `values` of a metric in its JSON summary: what the human summary prints. */
export function valuesOf(type: MetricType, data: SeriesData, durationMs: number): Record<string, number> {
  const values: Record<string, number> = {};
  const put = (key: string, method: AggregationMethod, p = 0) => {
    const value = aggregate(type, data, method, p, durationMs);
    if (value !== null) values[key] = value;
  };
  switch (type) {
    case "counter":
      put("count", "count");
      put("rate", "rate");
      break;
    case "gauge":
      put("value", "value");
      put("min", "min");
      put("max", "max");
      break;
    case "rate": {
      const { passes, total } = data as RateData;
      put("rate", "rate");
      values.passes = passes;
      values.fails = total - passes;
      break;
    }
    case "trend":
      put("count", "count");
      put("rate", "rate");
      put("avg", "avg");
      put("min", "min");
      put("med", "med");
      for (const p of SUMMARY_PERCENTILES) put(`p(${p})`, "p", p);
      put("max", "max");
      break;
  }
  return values;
}

/**
 * Combines series of one kind. Counters, rates and trends add up exactly (histograms merge bucket by
 * bucket). Gauges: `sum` adds their values (summaries of shards running side by side: levels add up),
 * `latest` keeps the last value set (the tag series of one registry, as k6's sub-metrics do).
 */
export function combineData(
  type: MetricType,
  items: readonly SeriesData[],
  gauges: "sum" | "latest",
): SeriesData {
  if (items.length === 1) return items[0];
  switch (type) {
    case "counter":
      return { count: sum(items as CounterData[], (d) => d.count) };
    case "rate": {
      const rates = items as RateData[];
      return { passes: sum(rates, (d) => d.passes), total: sum(rates, (d) => d.total) };
    }
    case "gauge":
      return combineGauges(items as GaugeData[], gauges);
    case "trend":
      return combineTrends(items as TrendData[]);
  }
}

function combineGauges(items: GaugeData[], mode: "sum" | "latest"): GaugeData {
  const set = items.filter((g) => g.count > 0);
  if (set.length === 0) return emptyData("gauge") as GaugeData;
  const latest = set.reduce((a, b) => (b.seq > a.seq ? b : a));
  return {
    count: sum(set, (g) => g.count),
    value: mode === "sum" ? sum(set, (g) => g.value) : latest.value,
    min: least(set, (g) => g.min),
    max: greatest(set, (g) => g.max),
    seq: latest.seq,
  };
}

function combineTrends(items: TrendData[]): TrendData {
  const filled = items.filter((t) => t.count > 0);
  if (filled.length === 0) return emptyData("trend") as TrendData;
  if (filled.length === 1) return filled[0];
  const merged = decodeHistogram(filled[0].hdr as string);
  merged.autoResize = true;
  for (const t of filled.slice(1)) merged.add(histogramOf(t) as Histogram);
  return {
    count: sum(filled, (t) => t.count),
    sum: sum(filled, (t) => t.sum),
    min: least(filled, (t) => t.min),
    max: greatest(filled, (t) => t.max),
    hdr: encodeHistogram(merged),
  };
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += of(item);
  return total;
}

// Loops, not Math.min(...spread): a spread passes every item as an argument, and past ~120,000 (one
// metric's series in that many summaries, say) that overflows the stack.

/** The smallest `of(item)`; Infinity for no items, as Math.min() gives. */
export function least<T>(items: Iterable<T>, of: (item: T) => number): number {
  let result = Infinity;
  for (const item of items) {
    const value = of(item);
    if (value < result) result = value;
  }
  return result;
}

/** The largest `of(item)`; -Infinity for no items, as Math.max() gives. */
export function greatest<T>(items: Iterable<T>, of: (item: T) => number): number {
  let result = -Infinity;
  for (const item of items) {
    const value = of(item);
    if (value > result) result = value;
  }
  return result;
}
