import type { MetricContains, TrendData } from "./data";
import {
  PACKED_UNTIL,
  encodeHistogram,
  loadHistogramLibrary,
  percentile,
  recordValues,
  type Histogram,
} from "./histogram";
import { invalidValue, Metric, type RegistryShared, type Series } from "./metric";
import type { Tags } from "./tags";

class TrendSeries implements Series {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  /** Made when the first samples are flushed: a Trend nobody adds to costs a few numbers, not a histogram. */
  #histogram: Histogram | null = null;
  /**
   * Samples not yet in the histogram, in arrival order: a sample costs an array push, and the histogram
   * takes them in batches (on a read, or every `PACKED_UNTIL`), recorded in the same order. A worker's
   * shared `ws_connecting` Trend, fed once per bot, then never records into a packed histogram at all.
   */
  #pending: number[] | null = null;

  add(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    let pending = this.#pending;
    if (pending === null) {
      if (this.#histogram === null) loadHistogramLibrary(); // with the first sample, as before
      pending = this.#pending = [];
    }
    pending.push(value);
    if (pending.length >= PACKED_UNTIL) this.#flush();
  }

  /** The histogram of every sample so far (null before the first). */
  get histogram(): Histogram | null {
    if (this.#pending !== null) this.#flush();
    return this.#histogram;
  }

  #flush(): void {
    const pending = this.#pending!;
    this.#pending = null;
    this.#histogram = recordValues(this.#histogram, pending);
  }

  snapshot(): TrendData {
    const histogram = this.histogram;
    if (histogram === null) return { count: 0, sum: 0, min: 0, max: 0, hdr: null };
    return {
      count: this.count,
      sum: this.sum,
      min: this.min,
      max: this.max,
      hdr: encodeHistogram(histogram),
    };
  }
}

/**
 * k6's Trend: a distribution (handshake times, round trips). Summaries show avg, min, med, p(90),
 * p(95), p(99) and max; samples are kept in a mergeable histogram, so percentiles over many workers or
 * machines are exact merges.
 */
export class Trend extends Metric<TrendSeries> {
  readonly type = "trend";

  /** @internal Made by `Metrics.trend(name)`. */
  constructor(name: string, contains: MetricContains, shared: RegistryShared) {
    super(name, contains, shared, new TrendSeries());
  }

  protected newSeries(): TrendSeries {
    return new TrendSeries();
  }

  /**
   * Adds one sample: a finite number ≥ 0 (durations in ms for a time Trend). Percentiles keep 3
   * significant digits and a resolution of 0.001.
   */
  add(value: number, tags?: Tags): void {
    if (typeof value !== "number" || !(value >= 0 && value < Infinity))
      throw invalidValue(this.name, "Trend", value, "a finite number ≥ 0");
    this.total.add(value);
    if (tags !== undefined) this.seriesFor(tags)?.add(value);
  }

  get count(): number {
    return this.total.count;
  }

  /** Mean of the samples, NaN before the first. */
  get avg(): number {
    return this.total.count > 0 ? this.total.sum / this.total.count : NaN;
  }

  get min(): number {
    return this.total.count > 0 ? this.total.min : NaN;
  }

  get max(): number {
    return this.total.count > 0 ? this.total.max : NaN;
  }

  /** The value at percentile `p` (0 to 100), NaN before the first sample. */
  percentile(p: number): number {
    if (typeof p !== "number" || !(p >= 0 && p <= 100))
      throw invalidValue(this.name, "Trend.percentile of", p, "a percentile from 0 to 100");
    const { histogram, min, max } = this.total;
    return histogram ? percentile(histogram, p, min, max) : NaN;
  }
}
