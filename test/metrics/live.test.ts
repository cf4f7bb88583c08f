import { addLiveTotals, liveCount, liveTotals } from "../../src/metrics/live";
import { Metrics } from "../../src/metrics/Metrics";

test("liveTotals: every metric's untagged totals, without encoding a histogram", () => {
  const metrics = new Metrics();
  metrics.counter("sent", { contains: "data" }).add(64, { room: "a" });
  metrics.counter("sent").add(36);
  metrics.gauge("open").add(3);
  metrics.gauge("open").add(2);
  metrics.rate("ok").add(true);
  metrics.rate("ok").add(false);
  metrics.rate("ok").add(1);
  metrics.trend("rtt", { contains: "time" }).add(1.5);
  metrics.trend("rtt").add(2.5);
  metrics.trend("idle", { contains: "time" });
  expect(liveTotals(metrics)).toEqual({
    sent: { type: "counter", contains: "data", count: 100 },
    open: { type: "gauge", contains: "default", value: 2 },
    ok: { type: "rate", contains: "default", passes: 2, total: 3 },
    rtt: { type: "trend", contains: "time", count: 2, sum: 4 },
    idle: { type: "trend", contains: "time", count: 0, sum: 0 },
  });
});

test("addLiveTotals adds the workers' totals as mergeSummaries adds summaries", () => {
  const a = new Metrics();
  const b = new Metrics();
  a.counter("n").add(2);
  b.counter("n").add(3);
  b.counter("only_b").add(1);
  a.gauge("open").add(4);
  b.gauge("open").add(5);
  a.rate("ok").add(true);
  b.rate("ok").add(false);
  a.trend("t").add(1);
  b.trend("t").add(3);
  b.trend("t").add(5);
  const sum = addLiveTotals([liveTotals(a), liveTotals(b)]);
  expect(sum).toEqual({
    n: { type: "counter", contains: "default", count: 5 },
    only_b: { type: "counter", contains: "default", count: 1 },
    open: { type: "gauge", contains: "default", value: 9 },
    ok: { type: "rate", contains: "default", passes: 1, total: 2 },
    t: { type: "trend", contains: "default", count: 3, sum: 9 },
  });
  expect(liveTotals(a).n).toEqual({ type: "counter", contains: "default", count: 2 }); // inputs untouched
  expect([liveCount(sum, "n"), liveCount(sum, "t"), liveCount(sum, "open"), liveCount(sum, "none")]).toEqual([
    5, 3, 0, 0,
  ]);
});
