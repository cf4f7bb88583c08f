/** k6-style metrics: registry, kinds, thresholds, summaries and their exact merge. */
export { Metrics, type AnyMetric, type MetricsOptions, type MetricOptions } from "./Metrics";
export { Counter } from "./Counter";
export { Gauge } from "./Gauge";
export { Rate } from "./Rate";
export { Trend } from "./Trend";
export { metricsOf, hasMetrics, useMetrics } from "./treeMetrics";
export { BUILTIN_METRICS, type BuiltinMetric, type BuiltinMetricName } from "./builtin";
export { recordWs, type WsMetricEvent } from "./ws";
export { MetricsError, ThresholdError, type MetricsErrorCode, type ThresholdErrorCode } from "./errors";
export type { Tags, TagSet } from "./tags";
export type {
  MetricType,
  MetricContains,
  MetricSnapshot,
  SeriesData,
  CounterData,
  GaugeData,
  RateData,
  TrendData,
  TaggedSeriesData,
} from "./data";
export type { AggregationMethod } from "./stats";
export {
  parseThresholdExpression,
  parseThresholdArg,
  parseThresholds,
  parseMetricSelector,
  type Threshold,
  type ThresholdExpression,
  type ThresholdOperator,
} from "./thresholds";
export { thresholdsSchema, type ThresholdsJson } from "./thresholdSchema";
export { evaluateThresholds, type ThresholdResult } from "./evaluate";
export {
  createSummary,
  withThresholds,
  SUMMARY_FORMAT,
  SUMMARY_VERSION,
  type ShardInfo,
  type Summary,
  type SummaryMetric,
  type SummaryOptions,
} from "./summary";
export { mergeSummaries } from "./merge";
export { formatSummary } from "./formatSummary";
export { parseSummary, serializeSummary, summarySchema } from "./summaryJson";
