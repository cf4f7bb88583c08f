import type { CounterData, MetricContains } from "./data";
import { invalidValue, Metric, type RegistryShared, type Series } from "./metric";
import type { Tags } from "./tags";

class CounterSeries implements Series {
  count = 0;
  snapshot(): CounterData {
    return { count: this.count };
  }
}

/** k6's Counter: adds values up (requests, messages, bytes). Summaries show the sum and the sum per second. */
export class Counter extends Metric<CounterSeries> {
  readonly type = "counter";

  /** @internal Made by `Metrics.counter(name)`. */
  constructor(name: string, contains: MetricContains, shared: RegistryShared) {
    super(name, contains, shared, new CounterSeries());
  }

  protected newSeries(): CounterSeries {
    return new CounterSeries();
  }

  /** Adds `value` (a finite number ≥ 0; 1 to count one event). */
  add(value: number, tags?: Tags): void {
    if (typeof value !== "number" || !(value >= 0 && value < Infinity))
      throw invalidValue(this.name, "Counter", value, "a finite number ≥ 0");
    this.total.count += value;
    if (tags !== undefined) {
      const series = this.seriesFor(tags);
      if (series) series.count += value;
    }
  }

  /** The sum of everything added. */
  get count(): number {
    return this.total.count;
  }
}
