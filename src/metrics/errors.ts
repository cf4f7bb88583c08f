import { CodedError } from "../core/errors";

/**
 * Typed errors of the metrics layer. Each carries a stable `code` to branch on; messages say what to
 * write instead.
 */
export type MetricsErrorCode =
  /** A metric name that is not `[A-Za-z_][A-Za-z0-9_]*` (at most 128 characters). */
  | "ERR_INVALID_METRIC_NAME"
  /** `counter("x")` after `trend("x")`: one name, one kind. */
  | "ERR_METRIC_TYPE_MISMATCH"
  /** NaN, an infinity, or a negative value for a Counter or a Trend. */
  | "ERR_INVALID_METRIC_VALUE"
  /** `useMetrics(tree, registry)` on a tree that already has another registry. */
  | "ERR_METRICS_IN_USE"
  /** A summary file that is not a scenetree summary, or summaries that cannot be merged. */
  | "ERR_SUMMARY_FORMAT"
  | ThresholdErrorCode;

export type ThresholdErrorCode =
  /** No comparison operator in the expression (`p(95)500`). */
  | "ERR_THRESHOLD_SYNTAX"
  /** The left-hand side is not `count`, `rate`, `value`, `avg`, `min`, `max`, `med` or `p(N)`. */
  | "ERR_THRESHOLD_METHOD"
  /** `p(N)` with N not a number from 0 to 100. */
  | "ERR_THRESHOLD_PERCENTILE"
  /** The right-hand side is not a number. */
  | "ERR_THRESHOLD_VALUE"
  /** The metric part (`name` or `name{tag:value}`) is malformed or missing. */
  | "ERR_THRESHOLD_METRIC"
  /** An aggregation method the metric's kind does not have (`p(95)` on a Counter). */
  | "ERR_THRESHOLD_UNSUPPORTED";

export class MetricsError extends CodedError {
  declare readonly code: MetricsErrorCode;

  constructor(code: MetricsErrorCode, message: string) {
    super(code, message);
    this.name = "MetricsError";
  }
}

/**
 * A threshold that cannot be parsed or applied. `source` is the text as written; `index` and `length`
 * locate the bad part in it, and the message repeats the source with a caret line under that part.
 */
export class ThresholdError extends MetricsError {
  declare readonly code: ThresholdErrorCode;
  readonly source: string;
  readonly index: number;
  readonly length: number;
  /** The message without the source and caret lines, for one-line reports. */
  readonly reason: string;

  constructor(code: ThresholdErrorCode, source: string, index: number, length: number, message: string) {
    const caret = " ".repeat(index) + "^".repeat(Math.max(1, length));
    super(code, `${message}\n    ${source}\n    ${caret}`);
    this.name = "ThresholdError";
    this.source = source;
    this.index = index;
    this.length = length;
    this.reason = message;
  }
}
