/**
 * Smoke test for bench/logs.ts: it runs with tiny counts and its report renders. The figures mean
 * nothing here; what is checked is what the bench claims without timing: a disabled level writes no
 * line, and nothing is logged per message, even with debug on.
 */
import * as logs from "../../bench/logs";

test("logs bench", async () => {
  const result = await logs.main({ tiny: true });
  expect(result.ops.map((o) => o.op)).toContain('node.log.debug("text") [off]');
  expect(result.throughput.variants.map((v) => [v.variant, v.linesDuringFlood])).toEqual([
    ["silent", 0],
    ["info", 0],
    ["info + node.log.debug per message", 0],
    ["debug (lifecycle logged)", 0],
  ]);
  expect(logs.report(result)).toContain("receive throughput");
}, 60_000);
