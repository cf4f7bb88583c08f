import { builtinMetric } from "./builtin";
import { Counter } from "./Counter";
import type { MetricContains, MetricType } from "./data";
import { MetricsError } from "./errors";
import { Gauge } from "./Gauge";
import { invalidMetricNameMessage, METRIC_NAME } from "./names";
import type { RegistryShared } from "./metric";
import { Rate } from "./Rate";
import { Trend } from "./Trend";

export type AnyMetric = Counter | Gauge | Rate | Trend;

export interface MetricsOptions {
  /**
   * Tag sets kept per metric (default 100). Past it, a sample with a new tag set still counts in the
   * metric's totals but not in a tagged series, and `droppedTagSamples` counts it.
   */
  maxTagSets?: number;
  /** Milliseconds since the epoch (default `Date.now`): the start and end of the summary's duration. */
  now?: () => number;
}

export interface MetricOptions {
  /** What the values are, for display (default: plain numbers; built-in metrics have their own). */
  contains?: MetricContains;
}

type Ctor = new (name: string, contains: MetricContains, shared: RegistryShared) => AnyMetric;
/** @internal Where a registry keeps what `recordWs` looked up in it: a field, not a WeakMap lookup per message. */
export const WS_METRICS: unique symbol = Symbol("scenetree.wsMetrics");

const KINDS: Record<MetricType, { ctor: Ctor; label: string }> = {
  counter: { ctor: Counter, label: "Counter" },
  gauge: { ctor: Gauge, label: "Gauge" },
  rate: { ctor: Rate, label: "Rate" },
  trend: { ctor: Trend, label: "Trend" },
};

/**
 * A registry of k6-style metrics: `counter(name)`, `gauge(name)`, `rate(name)`, `trend(name)` make the
 * metric on first use and return the same one afterwards. Each SceneTree has one (`tree.metrics`,
 * made when first read); trees of a fleet can share one (`useMetrics`).
 */
export class Metrics {
  /** When the registry was made (`now()`), the start of a summary's duration. */
  readonly startedAt: number;
  readonly now: () => number;
  private readonly byName = new Map<string, AnyMetric>();
  private readonly shared: RegistryShared;
  /** @internal The built-in WebSocket metrics once looked up by `recordWs` (see ws.ts). */
  [WS_METRICS]: object | null = null;

  constructor(options: MetricsOptions = {}) {
    const maxTagSets = options.maxTagSets ?? 100;
    if (!Number.isInteger(maxTagSets) || maxTagSets < 0)
      throw new MetricsError(
        "ERR_INVALID_METRIC_VALUE",
        `maxTagSets must be an integer ≥ 0, got ${maxTagSets}.`,
      );
    this.shared = { maxTagSets, droppedTagSamples: 0, gaugeSeq: 0 };
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  counter(name: string, options?: MetricOptions): Counter {
    return this.metric("counter", name, options) as Counter;
  }

  gauge(name: string, options?: MetricOptions): Gauge {
    return this.metric("gauge", name, options) as Gauge;
  }

  rate(name: string, options?: MetricOptions): Rate {
    return this.metric("rate", name, options) as Rate;
  }

  trend(name: string, options?: MetricOptions): Trend {
    return this.metric("trend", name, options) as Trend;
  }

  /** The metric of that name if it has been made, whatever its kind. */
  get(name: string): AnyMetric | undefined {
    return this.byName.get(name);
  }

  /** Every metric made so far, in the order they were made. */
  all(): AnyMetric[] {
    return [...this.byName.values()];
  }

  /** Samples that counted in a metric's totals but not in a tagged series (see `maxTagSets`). */
  get droppedTagSamples(): number {
    return this.shared.droppedTagSamples;
  }

  get maxTagSets(): number {
    return this.shared.maxTagSets;
  }

  private metric(type: MetricType, name: string, options: MetricOptions | undefined): AnyMetric {
    const existing = this.byName.get(name);
    if (existing) {
      checkKind(name, existing, type, options?.contains, builtinMetric(name) !== undefined);
      return existing;
    }
    if (!METRIC_NAME.test(name))
      throw new MetricsError("ERR_INVALID_METRIC_NAME", invalidMetricNameMessage(name));
    const builtin = builtinMetric(name);
    if (builtin) checkKind(name, builtin, type, options?.contains, true);
    const metric = new KINDS[type].ctor(
      name,
      builtin?.contains ?? options?.contains ?? "default",
      this.shared,
    );
    this.byName.set(name, metric);
    return metric;
  }
}

function checkKind(
  name: string,
  have: { type: MetricType; contains: MetricContains },
  type: MetricType,
  contains: MetricContains | undefined,
  builtin: boolean,
): void {
  const what = builtin ? "the built-in" : "a";
  if (have.type !== type)
    throw new MetricsError(
      "ERR_METRIC_TYPE_MISMATCH",
      `"${name}" is ${what} ${KINDS[have.type].label}; it can't also be a ${KINDS[type].label}. Use metrics.${have.type}("${name}") or another name.`,
    );
  if (contains !== undefined && contains !== have.contains)
    throw new MetricsError(
      "ERR_METRIC_TYPE_MISMATCH",
      `"${name}" is ${what} metric of ${have.contains} values; it can't also hold ${contains} values. Leave out contains or use another name.`,
    );
}
