import type { TagSet } from "./tags";

/** k6's four metric kinds. */
export type MetricType = "counter" | "gauge" | "rate" | "trend";

/** What the numbers are, for display: milliseconds (`time`), bytes (`data`), or plain numbers. */
export type MetricContains = "default" | "time" | "data";

/**
 * The mergeable state of one series (all samples of a metric, or those with one tag set), as written in
 * a JSON summary. Everything a summary shows is computed from these, so merging these merges everything.
 */
export interface CounterData {
  /** The sum of the added values (k6 calls it `count`). */
  count: number;
}

export interface GaugeData {
  /** How many values were set (0: the gauge has no value yet). */
  count: number;
  /** The last value set; in a merge of several summaries, the sum of their values (levels add up). */
  value: number;
  min: number;
  max: number;
  /** Order of the last set within one registry, to find the latest among several tagged series. */
  seq: number;
}

export interface RateData {
  passes: number;
  total: number;
}

export interface TrendData {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** The samples as an HdrHistogram, V2 compressed and base64 encoded; null when there are none. */
  hdr: string | null;
}

export type SeriesData = CounterData | GaugeData | RateData | TrendData;

export interface TaggedSeriesData<D extends SeriesData = SeriesData> {
  tags: TagSet;
  data: D;
}

/** One metric's state: every sample (`data`) and, separately, the samples of each tag set. */
export interface MetricSnapshot {
  type: MetricType;
  contains: MetricContains;
  data: SeriesData;
  series: TaggedSeriesData[];
}

export const emptyData = (type: MetricType): SeriesData => {
  switch (type) {
    case "counter":
      return { count: 0 };
    case "gauge":
      return { count: 0, value: 0, min: 0, max: 0, seq: 0 };
    case "rate":
      return { passes: 0, total: 0 };
    case "trend":
      return { count: 0, sum: 0, min: 0, max: 0, hdr: null };
  }
};
