import { builtinMetric } from "./builtin";
import { emptyData, type MetricType } from "./data";
import { ThresholdError } from "./errors";
import { aggregate, combineData, METHODS_BY_TYPE } from "./stats";
import type { Summary, ThresholdResult } from "./summaryData";
import { tagsMatch } from "./tags";
import type { Threshold, ThresholdExpression } from "./thresholds";

export type { ThresholdResult } from "./summaryData";

/**
 * Evaluates thresholds against a summary, k6's way: the method's value compared with the operator. A
 * Trend, Gauge or Rate with no samples fails its thresholds (a latency limit must not pass because
 * nothing connected); a metric the summary lacks counts 0 for `count` and `rate`. Throws a
 * ThresholdError when a method does not exist for the metric's kind (`p(95)` on a Counter).
 * The same metric and source twice is evaluated once.
 */
export function evaluateThresholds(summary: Summary, thresholds: readonly Threshold[]): ThresholdResult[] {
  const seen = new Set<string>();
  const results: ThresholdResult[] = [];
  for (const threshold of thresholds) {
    const key = `${threshold.metric}\u0000${threshold.expression.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    results.push(evaluateOne(summary, threshold));
  }
  return results;
}

function evaluateOne(summary: Summary, threshold: Threshold): ThresholdResult {
  const { expression } = threshold;
  const metric = Object.prototype.hasOwnProperty.call(summary.metrics, threshold.name)
    ? summary.metrics[threshold.name]
    : undefined;
  const type: MetricType | undefined = metric?.type ?? builtinMetric(threshold.name)?.type;
  if (type) checkThresholdMethod(threshold, type);
  let value: number | null;
  if (!metric) {
    const countable = expression.method === "count" || expression.method === "rate";
    value = countable && (type === undefined || type === "counter") ? 0 : null;
  } else {
    let data = metric.data;
    if (threshold.tags) {
      const selector = threshold.tags;
      const matching = metric.series.filter((s) => tagsMatch(s.tags, selector)).map((s) => s.data);
      data = matching.length > 0 ? combineData(metric.type, matching, "latest") : emptyData(metric.type);
    }
    value = aggregate(metric.type, data, expression.method, expression.percentile ?? 0, summary.durationMs);
  }
  return {
    metric: threshold.metric,
    source: expression.source,
    ok: value !== null && compare(value, expression),
    value,
    recorded: metric !== undefined,
  };
}

/** Throws ERR_THRESHOLD_UNSUPPORTED when the threshold's method does not exist for a metric of `type`. */
export function checkThresholdMethod(threshold: Threshold, type: MetricType): void {
  const { expression } = threshold;
  const allowed = METHODS_BY_TYPE[type];
  if (allowed.includes(expression.method)) return;
  const [start, end] = expression.methodSpan;
  const names = allowed.map((m) => (m === "p" ? "p(N)" : m)).join(", ");
  const method = expression.source.slice(start, end);
  throw new ThresholdError(
    "ERR_THRESHOLD_UNSUPPORTED",
    expression.source,
    start,
    end - start,
    `${threshold.name} is a ${type}: it has no ${method}. Thresholds on a ${type} use ${names}.`,
  );
}

function compare(lhs: number, { operator, value }: ThresholdExpression): boolean {
  switch (operator) {
    case "<":
      return lhs < value;
    case "<=":
      return lhs <= value;
    case ">":
      return lhs > value;
    case ">=":
      return lhs >= value;
    case "==":
    case "===":
      return lhs === value;
    case "!=":
      return lhs !== value;
  }
}
