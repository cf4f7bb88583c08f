/**
 * Smoke test for bench/metrics.ts: it runs with tiny counts and its report renders. The figures mean
 * nothing here; what is checked is what the bench claims without timing: a tree that never reads its
 * metrics makes no registry and loads no histogram library.
 */
import * as metrics from "../../bench/metrics";

test("metrics bench", () => {
  const result = metrics.main({ tiny: true });
  expect(result.unused.treeMadeRegistry).toBe(false);
  expect(result.unused.histogramLoadedByTree).toBe(false);
  expect(result.ops.map((o) => o.op)).toContain("Trend.add(ms)");
  expect(metrics.report(result)).toContain("an unused registry costs nothing");
});
