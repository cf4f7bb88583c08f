import { echoed } from "../core/echo";

/**
 * A metric's name, as k6 has it: letters, digits and _, not a digit first, at most 128 characters.
 * The registry, thresholds and summaries read by `parseSummary` hold to the same rule.
 */
export const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Why `name` is not a metric name, for ERR_INVALID_METRIC_NAME. The name is quoted as JSON (a newline
 * or a terminal escape shows as `\n`, `\u001b`), and a long one by its start and its length.
 */
export function invalidMetricNameMessage(name: string): string {
  return `Invalid metric name ${JSON.stringify(echoed(name))}: use letters, digits and _ (not a digit first), at most 128 characters, e.g. "login_time".`;
}
