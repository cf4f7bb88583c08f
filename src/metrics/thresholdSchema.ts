import { z } from "zod";
import { builtinMetric } from "./builtin";
import { ThresholdError } from "./errors";
import { checkThresholdMethod } from "./evaluate";
import { parseMetricSelector, parseThresholdExpression } from "./thresholds";

/**
 * The scene file's `"thresholds": { "ws_connecting": ["p(95)<500"], "ws_connect_failed": ["count<1"] }`:
 * metric (or `metric{tag:value}`) to k6 threshold expressions. Every bad key and expression is an issue
 * at its own path (`ws_connecting.0`) whose message starts with the ThresholdError code; so is a method
 * a built-in metric's kind lacks (`p(95)` on the Counter `ws_sessions`). The parsed
 * value stays the plain object (so the JSON Schema export keeps working); `parseThresholds` turns it
 * into thresholds.
 */
export const thresholdsSchema = z.record(z.string(), z.array(z.string())).check(
  // Runs even when some entry has the wrong JSON type, so every bad expression is reported at once.
  z.superRefine(checkThresholds, { when: (payload) => isRecord(payload.value) }),
);

function checkThresholds(map: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [metric, sources] of Object.entries(map)) {
    const selector = attempt(ctx, [metric], () => parseMetricSelector(metric));
    const builtin = selector ? builtinMetric(selector.name) : undefined;
    if (!Array.isArray(sources)) continue;
    sources.forEach((source: unknown, i) => {
      if (isRecord(source) && "threshold" in source) {
        // k6's long form, { "threshold": "p(95)<500", "abortOnFail": true }: say what to write instead.
        const expression = typeof source.threshold === "string" ? source.threshold : "p(95)<500";
        ctx.addIssue({
          code: "custom",
          path: [metric, i],
          message:
            `ERR_THRESHOLD_SYNTAX: k6's long form { "threshold": …, "abortOnFail": … } is not taken here: write ` +
            `the expression itself, ${JSON.stringify(expression)} (a run is judged when it ends, never aborted).`,
          params: { code: "ERR_THRESHOLD_SYNTAX" },
        });
        return;
      }
      if (typeof source !== "string") return;
      attempt(ctx, [metric, i], () => {
        const expression = parseThresholdExpression(source);
        if (selector && builtin) checkThresholdMethod({ metric, ...selector, expression }, builtin.type);
      });
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `parse()`'s result, or null after adding its ThresholdError as an issue at `path`. */
function attempt<T>(ctx: z.RefinementCtx, path: (string | number)[], parse: () => T): T | null {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ThresholdError)) throw error;
    ctx.addIssue({
      code: "custom",
      path,
      message: `${error.code}: ${error.reason}`,
      params: { code: error.code },
    });
    return null;
  }
}

export type ThresholdsJson = z.infer<typeof thresholdsSchema>;
