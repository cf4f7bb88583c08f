import type { MetricContains, MetricSnapshot, MetricType, SeriesData, TaggedSeriesData } from "./data";
import { MetricsError } from "./errors";
import { normalizeTags, tagSetKey, type TagSet, type Tags } from "./tags";

/**
 * What the metrics of one registry share: the cap on tag sets per metric, the count of samples whose
 * tag set went over it, and the order in which gauges were set.
 */
export interface RegistryShared {
  readonly maxTagSets: number;
  droppedTagSamples: number;
  gaugeSeq: number;
}

/** One series' live state; `snapshot()` turns it into the plain data of a summary. */
export interface Series {
  snapshot(): SeriesData;
}

/**
 * The part every kind shares: a name, what the values are, the series of all samples, and one series per
 * tag set seen. Samples without tags touch only the total, so untagged hot paths pay nothing for tags.
 */
export abstract class Metric<S extends Series = Series> {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly contains: MetricContains;
  protected readonly total: S;
  private tagged: Map<string, { tags: TagSet; series: S }> | null = null;
  private readonly shared: RegistryShared;

  protected constructor(name: string, contains: MetricContains, shared: RegistryShared, total: S) {
    this.name = name;
    this.contains = contains;
    this.shared = shared;
    this.total = total;
  }

  protected abstract newSeries(): S;

  /**
   * The series of `tags`' tag set, or null when this metric already has `maxTagSets` others: the sample
   * then counts in the total only (and in the registry's `droppedTagSamples`), so a tag with unbounded
   * values (a message id, a timestamp) cannot grow memory without bound.
   */
  protected seriesFor(tags: Tags): S | null {
    const key = tagSetKey(tags);
    this.tagged ??= new Map();
    const found = this.tagged.get(key);
    if (found) return found.series;
    if (this.tagged.size >= this.shared.maxTagSets) {
      this.shared.droppedTagSamples++;
      return null;
    }
    const series = this.newSeries();
    this.tagged.set(key, { tags: normalizeTags(tags), series });
    return series;
  }

  protected nextGaugeSeq(): number {
    return ++this.shared.gaugeSeq;
  }

  /** The metric's state as plain data: what a JSON summary stores and `mergeSummaries` adds up. */
  snapshot(): MetricSnapshot {
    const series: TaggedSeriesData[] = [];
    if (this.tagged)
      for (const { tags, series: s } of this.tagged.values()) series.push({ tags, data: s.snapshot() });
    return { type: this.type, contains: this.contains, data: this.total.snapshot(), series };
  }
}

/** Throws when `value` is not a number in the range a kind accepts. */
export function invalidValue(metric: string, kind: string, value: unknown, wanted: string): MetricsError {
  const shown = typeof value === "number" ? String(value) : `${typeof value} ${JSON.stringify(value)}`;
  return new MetricsError("ERR_INVALID_METRIC_VALUE", `${kind} "${metric}" takes ${wanted}, got ${shown}.`);
}
