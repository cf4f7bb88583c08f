import type { MetricContains, RateData } from "./data";
import { Metric, type RegistryShared, type Series } from "./metric";
import type { Tags } from "./tags";

class RateSeries implements Series {
  passes = 0;
  total = 0;
  snapshot(): RateData {
    return { passes: this.passes, total: this.total };
  }
}

/** k6's Rate: the share of added values that are true or non-zero (an error rate, a success rate). */
export class Rate extends Metric<RateSeries> {
  readonly type = "rate";

  /** @internal Made by `Metrics.rate(name)`. */
  constructor(name: string, contains: MetricContains, shared: RegistryShared) {
    super(name, contains, shared, new RateSeries());
  }

  protected newSeries(): RateSeries {
    return new RateSeries();
  }

  /** Adds one sample: it passes when `value` is true or a non-zero number. */
  add(value: boolean | number, tags?: Tags): void {
    const pass = value ? 1 : 0;
    this.total.passes += pass;
    this.total.total++;
    if (tags !== undefined) {
      const series = this.seriesFor(tags);
      if (series) {
        series.passes += pass;
        series.total++;
      }
    }
  }

  /** passes / samples, or NaN before the first sample. */
  get rate(): number {
    return this.total.total > 0 ? this.total.passes / this.total.total : NaN;
  }
}
