import { z } from "zod";
import type { MetricType, TrendData } from "./data";
import { MetricsError } from "./errors";
import { checkHistogram } from "./stats";
import { SUMMARY_FORMAT, SUMMARY_VERSION, type Summary } from "./summary";

const count = z.number().nonnegative();
const tags = z.record(z.string(), z.string());

/** A min above its max can come from no samples at all (an empty series keeps min/max as written). */
const ordered = (data: { count: number; min: number; max: number }) =>
  data.count === 0 || data.min <= data.max;
const ORDER = { message: "min is above max" };

const dataSchemas = {
  counter: z.strictObject({ count }),
  gauge: z
    .strictObject({ count, value: z.number(), min: z.number(), max: z.number(), seq: count })
    .refine(ordered, ORDER),
  rate: z
    .strictObject({ passes: count, total: count })
    .refine((data) => data.passes <= data.total, { message: "passes exceed total" }),
  trend: z
    .strictObject({
      count,
      sum: z.number(),
      min: z.number(),
      max: z.number(),
      hdr: z.string().nullable(),
    })
    .refine(ordered, ORDER),
} satisfies Record<MetricType, z.ZodType>;

const metricSchema = (type: MetricType) =>
  z.strictObject({
    type: z.literal(type),
    contains: z.enum(["default", "time", "data"]),
    values: z.record(z.string(), z.number()),
    data: dataSchemas[type],
    series: z.array(z.strictObject({ tags, data: dataSchemas[type] })),
  });

/** The JSON summary (`--summary-json`), as zod checks it before a merge. */
export const summarySchema = z.strictObject({
  format: z.literal(SUMMARY_FORMAT),
  version: z.literal(SUMMARY_VERSION),
  startedAt: z.number().nullable(),
  durationMs: count,
  sources: z.number().int().positive(),
  droppedTagSamples: count,
  metrics: z.record(
    z.string(),
    z.discriminatedUnion("type", [
      metricSchema("counter"),
      metricSchema("gauge"),
      metricSchema("rate"),
      metricSchema("trend"),
    ]),
  ),
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
  const parsed = summarySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "the summary";
    throw new MetricsError("ERR_SUMMARY_FORMAT", `Invalid summary at ${where}: ${issue.message}.`);
  }
  const summary = parsed.data as Summary;
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
