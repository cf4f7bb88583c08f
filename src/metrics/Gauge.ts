import type { GaugeData, MetricContains } from "./data";
import { invalidValue, Metric, type RegistryShared, type Series } from "./metric";
import type { Tags } from "./tags";

class GaugeSeries implements Series {
  count = 0;
  value = 0;
  min = Infinity;
  max = -Infinity;
  seq = 0;

  set(value: number, seq: number): void {
    this.count++;
    this.value = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.seq = seq;
  }

  snapshot(): GaugeData {
    if (this.count === 0) return { count: 0, value: 0, min: 0, max: 0, seq: 0 };
    return { count: this.count, value: this.value, min: this.min, max: this.max, seq: this.seq };
  }
}

/** k6's Gauge: keeps the last value set (and the smallest and largest), e.g. connections open now. */
export class Gauge extends Metric<GaugeSeries> {
  readonly type = "gauge";

  /** @internal Made by `Metrics.gauge(name)`. */
  constructor(name: string, contains: MetricContains, shared: RegistryShared) {
    super(name, contains, shared, new GaugeSeries());
  }

  protected newSeries(): GaugeSeries {
    return new GaugeSeries();
  }

  /** Sets the gauge to `value` (any finite number). */
  add(value: number, tags?: Tags): void {
    if (typeof value !== "number" || !Number.isFinite(value))
      throw invalidValue(this.name, "Gauge", value, "a finite number");
    const seq = this.nextGaugeSeq();
    this.total.set(value, seq);
    if (tags !== undefined) this.seriesFor(tags)?.set(value, seq);
  }

  /** The last value set (0 before the first). */
  get value(): number {
    return this.total.value;
  }
}
