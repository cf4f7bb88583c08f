import type { Summary } from "./summaryData";

/**
 * The summary as JSON text, two-space indented, with a final newline. Apart from ./summaryJson.ts
 * (which reads summaries with zod) so that writing one loads no zod: a fleet's main thread writes
 * `--summary-json` and loads neither zod nor the loader.
 */
export function serializeSummary(summary: Summary): string {
  return JSON.stringify(summary, null, 2) + "\n";
}
