import { z } from "zod";
import type { MetricType, TrendData } from "./data";
import { MetricsError, ThresholdError } from "./errors";
import { checkHistogram } from "./stats";
import { echoed, echoedWords } from "../core/echo";
import { invalidMetricNameMessage, METRIC_NAME } from "./names";
import { SUMMARY_FORMAT, SUMMARY_VERSION, type Summary, type SummaryMetric } from "./summary";
import { parseMetricSelector, parseThresholdExpression } from "./thresholds";

const count = z.number().nonnegative();
/** How many samples, passes, sets: a whole number. */
const whole = count.int();
const tags = z.record(z.string(), z.string());

/** A min above its max can come from no samples at all (an empty series keeps min/max as written). */
const ordered = (data: { count: number; min: number; max: number }) =>
  data.count === 0 || data.min <= data.max;
const ORDER = { message: "min is above max" };

/**
 * n samples from min to max add up to n × min … n × max. Floating-point addition strays from that by
 * about n × 2^-53 of the sum at worst: 1e-6 of slack covers a billion samples and more.
 */
const sumInRange = (data: { count: number; sum: number; min: number; max: number }) =>
  data.count === 0 ||
  (data.sum >= data.count * data.min * (1 - 1e-6) && data.sum <= data.count * data.max * (1 + 1e-6));

const dataSchemas = {
  counter: z.strictObject({ count }),
  gauge: z
    .strictObject({ count: whole, value: z.number(), min: z.number(), max: z.number(), seq: whole })
    .refine(ordered, ORDER),
  rate: z
    .strictObject({ passes: whole, total: whole })
    .refine((data) => data.passes <= data.total, { message: "passes exceed total" }),
  // A Trend's samples are ≥ 0, so are its min, max and sum.
  trend: z
    .strictObject({ count: whole, sum: count, min: count, max: count, hdr: z.string().nullable() })
    .refine(ordered, ORDER)
    .refine(sumInRange, { message: "sum is not between count × min and count × max" }),
} satisfies Record<MetricType, z.ZodType>;

const metricSchema = (type: MetricType) =>
  z.strictObject({
    type: z.literal(type),
    contains: z.enum(["default", "time", "data"]),
    values: z.record(z.string(), z.number()),
    data: dataSchemas[type],
    series: z.array(z.strictObject({ tags, data: dataSchemas[type] })),
  });

const metricEntrySchema = z.discriminatedUnion("type", [
  metricSchema("counter"),
  metricSchema("gauge"),
  metricSchema("rate"),
  metricSchema("trend"),
]);

/**
 * The JSON summary (`--summary-json`), as zod checks it before a merge. `parseSummary` checks more:
 * metric names, a metric named `__proto__` (which zod's records leave out unchecked), histograms.
 */
export const summarySchema = z
  .strictObject({
    format: z.literal(SUMMARY_FORMAT),
    version: z.literal(SUMMARY_VERSION),
    startedAt: count.nullable(),
    durationMs: count,
    sources: z.number().int().positive(),
    droppedTagSamples: whole,
    metrics: z.record(z.string(), metricEntrySchema),
    shard: z
      .strictObject({
        index: count.int(),
        count: z.number().int().positive(),
        instances: z.number().int().positive(),
        seed: count.int(),
      })
      .refine((shard) => shard.index < shard.count, { message: "index is not below count" })
      .optional(),
    thresholds: z.array(
      z.strictObject({
        metric: z.string(),
        source: z.string(),
        ok: z.boolean(),
        value: z.number().nullable(),
        recorded: z.boolean(),
      }),
    ),
  })
  // Its end, startedAt + durationMs, is what a merge spans: it has to be a number (1e308 + 1e308 is not).
  .refine((summary) => Number.isFinite((summary.startedAt ?? 0) + summary.durationMs), {
    message: "startedAt + durationMs is past the largest number",
    path: ["durationMs"],
  });

export { serializeSummary } from "./summaryText";

/**
 * Reads a JSON summary (text, or an already parsed value). Throws a MetricsError (ERR_SUMMARY_FORMAT)
 * naming the first wrong field, or the histogram that does not decode.
 */
export function parseSummary(input: string | unknown): Summary {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new MetricsError("ERR_SUMMARY_FORMAT", `Not JSON: ${(error as Error).message}`);
    }
  }
  if (
    value !== null &&
    typeof value === "object" &&
    (value as { format?: unknown }).format !== SUMMARY_FORMAT
  )
    throw new MetricsError(
      "ERR_SUMMARY_FORMAT",
      `Not a scenetree summary (its "format" is not "${SUMMARY_FORMAT}"); write one with --summary-json.`,
    );
  // The metrics are checked one by one, not by summarySchema's record: zod leaves a "__proto__" key out
  // of what it returns, unchecked, and __proto__ is a metric name like any other. Their names first,
  // as the registry checks them: a name with a newline would forge lines of the printed summary.
  const raw = value as Record<string, unknown> | null;
  const rawMetrics = isRecord(raw) && isRecord(raw.metrics) ? raw.metrics : null;
  if (rawMetrics)
    for (const name of Object.keys(rawMetrics))
      if (!METRIC_NAME.test(name))
        throw new MetricsError(
          "ERR_INVALID_METRIC_NAME",
          `Invalid summary at metrics: ${invalidMetricNameMessage(name)}`,
        );
  const parsed = summarySchema.safeParse(rawMetrics ? { ...raw, metrics: {} } : value);
  if (!parsed.success) throw formatError(parsed.error, []);
  // No prototype: metrics.__proto__ is a metric, not Object.prototype (the same in createSummary and merges).
  const metrics: Record<string, SummaryMetric> = Object.create(null);
  for (const name of Object.keys(rawMetrics ?? {})) {
    const metric = metricEntrySchema.safeParse((rawMetrics as Record<string, unknown>)[name]);
    if (!metric.success) throw formatError(metric.error, ["metrics", name]);
    metrics[name] = metric.data as SummaryMetric;
  }
  const summary = { ...parsed.data, metrics } as Summary;
  // A recorded threshold is evaluated again by a merge: one that does not parse is this file's fault.
  summary.thresholds.forEach((threshold, i) => {
    checkThresholdPart(threshold.metric, `thresholds.${i}.metric`, parseMetricSelector);
    checkThresholdPart(threshold.source, `thresholds.${i}.source`, parseThresholdExpression);
  });
  for (const [name, metric] of Object.entries(summary.metrics)) {
    if (metric.type !== "trend") continue;
    const all = [
      { where: `metrics.${name}.data`, data: metric.data },
      ...metric.series.map((s, i) => ({ where: `metrics.${name}.series.${i}.data`, data: s.data })),
    ];
    for (const { where, data } of all) {
      const problem = checkHistogram(data as TrendData);
      if (problem)
        throw new MetricsError("ERR_SUMMARY_FORMAT", `Invalid summary at ${where}.hdr: ${problem}.`);
    }
  }
  return summary;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** zod's first issue as a MetricsError naming its field (a long key shown by its start and length). */
function formatError(error: z.ZodError, prefix: readonly PropertyKey[]): MetricsError {
  const issue = error.issues[0];
  const path = [...prefix, ...issue.path];
  const where = path.length > 0 ? echoedWords(path.map(String).join(".")) : "the summary";
  return new MetricsError("ERR_SUMMARY_FORMAT", `Invalid summary at ${where}: ${issue.message}.`);
}

/** Rethrows a ThresholdError of `parse(text)` as one line naming the field, with the threshold's code. */
function checkThresholdPart(text: string, where: string, parse: (text: string) => unknown): void {
  try {
    parse(text);
  } catch (error) {
    if (!(error instanceof ThresholdError)) throw error;
    throw new MetricsError(
      error.code,
      `Invalid summary at ${where}: ${JSON.stringify(echoed(text))}: ${echoedWords(error.reason)}`,
    );
  }
}
