import fc from "fast-check";
import { MetricsError } from "../../src/metrics/errors";
import { mergeSummaries, mergeSummaryList } from "../../src/metrics/merge";
import { Metrics } from "../../src/metrics/Metrics";
import { createSummary, withThresholds, type Summary } from "../../src/metrics/summary";
import { evaluateThresholds } from "../../src/metrics/evaluate";
import { parseThresholdArg } from "../../src/metrics/thresholds";

const PERCENTILES = [0, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

function trendSummary(values: readonly number[], startedAt = 0, durationMs = 1000): Summary {
  const metrics = new Metrics();
  const trend = metrics.trend("t", { contains: "time" });
  for (const v of values) trend.add(v);
  return createSummary(metrics, { startedAt, durationMs });
}

/** Every percentile of a summary's Trend `t`, through thresholds (the way a user reads them). */
function percentilesOf(summary: Summary): Array<number | null> {
  return evaluateThresholds(
    summary,
    PERCENTILES.map((p) => parseThresholdArg(`t:p(${p})>=0`)),
  ).map((r) => r.value);
}

test("merged percentiles equal those of one histogram fed every sample (property)", () => {
  const sample = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true });
  fc.assert(
    fc.property(fc.array(fc.array(sample, { maxLength: 200 }), { minLength: 1, maxLength: 5 }), (parts) => {
      const all = parts.flat();
      const merged = mergeSummaries(...parts.map((p) => trendSummary(p)));
      const single = trendSummary(all);
      expect(percentilesOf(merged)).toEqual(percentilesOf(single));
      const m = merged.metrics.t;
      const s = single.metrics.t;
      expect([m.values.count, m.values.min, m.values.max]).toEqual([
        s.values.count,
        s.values.min,
        s.values.max,
      ]);
      if (all.length > 0) expect(m.values.avg).toBeCloseTo(s.values.avg, 6);
    }),
    { numRuns: 60 },
  );
});

test("an exact merge, not an average of percentiles: two shards' p(95)", () => {
  const fast = Array<number>(100).fill(10);
  const someSlow = [...Array<number>(92).fill(10), ...Array<number>(8).fill(1000)];
  const a = trendSummary(fast);
  const b = trendSummary(someSlow);
  const p95 = (s: Summary) => evaluateThresholds(s, [parseThresholdArg("t:p(95)<500")])[0];
  expect(p95(a)).toMatchObject({ ok: true, value: 10 });
  expect(p95(b)).toMatchObject({ ok: false, value: 1000 }); // 8% of B is slow
  // Averaging those two p(95)s would say 505 and fail; 8 slow of 200 samples is 4%, so p(95) is 10
  // (the top of the histogram bucket holding 10: within 0.1%, never below).
  const merged = p95(mergeSummaries(a, b));
  expect(merged.ok).toBe(true);
  expect(merged.value).toBeGreaterThanOrEqual(10);
  expect(merged.value).toBeLessThan(10.01);
});

test("counters and rates add up, gauges add their levels, tag series merge by tag set", () => {
  const shard = (sent: number, passes: number, open: number, tagged: number) => {
    const metrics = new Metrics();
    metrics.counter("ws_msgs_sent").add(sent);
    const ok = metrics.rate("ok");
    for (let i = 0; i < 10; i++) ok.add(i < passes);
    const g = metrics.gauge("open");
    g.add(open + 5);
    g.add(open);
    metrics.counter("by_room").add(tagged, { room: "a" });
    metrics.counter("by_room").add(1, { room: "b" });
    return createSummary(metrics, { startedAt: 0, durationMs: 1000 });
  };
  const merged = mergeSummaries(shard(100, 9, 3, 2), shard(50, 6, 4, 5));
  expect(merged.metrics.ws_msgs_sent.values).toEqual({ count: 150, rate: 150 });
  expect(merged.metrics.ok.values).toEqual({ rate: 0.75, passes: 15, fails: 5 });
  expect(merged.metrics.open.values).toEqual({ value: 7, min: 3, max: 9 });
  expect(merged.metrics.by_room.series).toEqual([
    { tags: { room: "a" }, data: { count: 7 } },
    { tags: { room: "b" }, data: { count: 2 } },
  ]);
  expect(merged.sources).toBe(2);
  expect(mergeSummaries(merged, shard(1, 1, 1, 1)).sources).toBe(3);
});

test("a metric only one shard has is kept as it is", () => {
  const a = new Metrics();
  a.counter("only_a").add(2);
  const b = new Metrics();
  b.trend("only_b").add(3);
  const merged = mergeSummaries(
    createSummary(a, { durationMs: 1000 }),
    createSummary(b, { durationMs: 1000 }),
  );
  expect(Object.keys(merged.metrics)).toEqual(["only_a", "only_b"]);
  expect(merged.metrics.only_a.data).toEqual({ count: 2 });
  expect(merged.metrics.only_b.values).toMatchObject({ count: 1, min: 3, max: 3 });
});

test("the merged duration spans the earliest start to the latest end; without starts, the longest", () => {
  expect(mergeSummaries(trendSummary([1], 1000, 5000), trendSummary([1], 3000, 5000)).durationMs).toBe(7000);
  const noStart = { ...trendSummary([1], 0, 4000), startedAt: null };
  const merged = mergeSummaries(noStart, trendSummary([1], 3000, 5000));
  expect([merged.startedAt, merged.durationMs]).toEqual([null, 5000]);
});

test("one name with two kinds can't be merged", () => {
  const a = new Metrics();
  a.counter("x").add(1);
  const b = new Metrics();
  b.trend("x").add(1);
  let error: MetricsError | undefined;
  try {
    mergeSummaries(createSummary(a), createSummary(b));
  } catch (e) {
    error = e as MetricsError;
  }
  expect(error?.code).toBe("ERR_SUMMARY_FORMAT");
  expect(error?.message).toBe(
    'Metric "x" is a counter in summary 1 but a trend in summary 2; they can\'t be merged.',
  );
  const times = new Metrics();
  times.trend("x", { contains: "time" }).add(1);
  expect(() => mergeSummaries(createSummary(b), createSummary(times))).toThrow(
    'Metric "x" is a trend in summary 1 but a trend of times (ms) in summary 2; they can\'t be merged.',
  );
});

test("every shard's thresholds are evaluated again on the merged data", () => {
  const shard = (errors: number, threshold: string) => {
    const metrics = new Metrics();
    metrics.counter("errors").add(errors);
    return createSummary(metrics, { durationMs: 1000, thresholds: [parseThresholdArg(threshold)] });
  };
  const a = shard(60, "errors:count<100");
  const b = shard(60, "errors:count<100");
  expect([a.thresholds[0].ok, b.thresholds[0].ok]).toEqual([true, true]);
  const merged = mergeSummaries(a, b);
  expect(merged.thresholds).toEqual([
    { metric: "errors", source: "count<100", ok: false, value: 120, recorded: true },
  ]);
  const more = withThresholds(merged, [
    parseThresholdArg("errors:count<200"),
    parseThresholdArg("errors:count<100"),
  ]);
  expect(more.thresholds.map((t) => [t.source, t.ok])).toEqual([
    ["count<100", false],
    ["count<200", true],
  ]);
});

test("mergeSummaryList merges 150,000 summaries: starts and ends by a loop, not spreads that overflow the stack", () => {
  const base = createSummary(new Metrics(), { startedAt: 0, durationMs: 10 });
  const summaries = Array.from({ length: 150_000 }, (_, i) => ({ ...base, startedAt: 1000 + i }));
  const merged = mergeSummaryList(summaries);
  expect([merged.startedAt, merged.durationMs, merged.sources]).toEqual([1000, 150_000 - 1 + 10, 150_000]);
  const unknown = mergeSummaryList(summaries.map((s, i) => ({ ...s, startedAt: null, durationMs: i })));
  expect([unknown.startedAt, unknown.durationMs]).toEqual([null, 150_000 - 1]);
});

test("mergeSummaryList names the summaries of a kind clash by their labels", () => {
  const a = new Metrics();
  a.counter("x").add(1);
  const b = new Metrics();
  b.gauge("x").add(1);
  expect(() =>
    mergeSummaryList([createSummary(a), createSummary(a), createSummary(b)], ["a.json", "b.json", "c.json"]),
  ).toThrow('Metric "x" is a counter in a.json but a gauge in c.json; they can\'t be merged.');
});
