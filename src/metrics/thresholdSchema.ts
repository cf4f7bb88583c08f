import { z } from "zod";
import { ThresholdError } from "./errors";
import { parseMetricSelector, parseThresholdExpression } from "./thresholds";

/**
 * The scene file's `"thresholds": { "ws_connecting": ["p(95)<500"], "ws_connect_failed": ["count<1"] }`:
 * metric (or `metric{tag:value}`) to k6 threshold expressions. Every bad key and expression is an issue
 * at its own path (`ws_connecting.0`) whose message starts with the ThresholdError code. The parsed
 * value stays the plain object (so the JSON Schema export keeps working); `parseThresholds` turns it
 * into thresholds.
 */
export const thresholdsSchema = z.record(z.string(), z.array(z.string())).superRefine((map, ctx) => {
  for (const [metric, sources] of Object.entries(map)) {
    report(ctx, [metric], () => parseMetricSelector(metric));
    sources.forEach((source, i) => report(ctx, [metric, i], () => parseThresholdExpression(source)));
  }
});

function report(ctx: z.RefinementCtx, path: (string | number)[], parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof ThresholdError)) throw error;
    ctx.addIssue({
      code: "custom",
      path,
      message: `${error.code}: ${error.reason}`,
      params: { code: error.code },
    });
  }
}

export type ThresholdsJson = z.infer<typeof thresholdsSchema>;
