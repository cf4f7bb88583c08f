import { MetricsError } from "../../src/metrics/errors";
import {
  histogramLibraryLoaded,
  newHistogram,
  PACKED_UNTIL,
  percentile,
  recordValue,
} from "../../src/metrics/histogram";
import { Metrics } from "../../src/metrics/Metrics";

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MetricsError);
    return (error as MetricsError).code;
  }
  return "none";
}

test("the histogram library loads with the first Trend sample, not before", () => {
  // First in this file: each jest file has its own module registry.
  const metrics = new Metrics();
  metrics.counter("c").add(1);
  metrics.gauge("g").add(1);
  metrics.rate("r").add(true);
  const trend = metrics.trend("t");
  expect(histogramLibraryLoaded()).toBe(false);
  trend.add(1);
  expect(histogramLibraryLoaded()).toBe(true);
});

test("one name, one metric: the same object on every call", () => {
  const metrics = new Metrics();
  const c = metrics.counter("errors");
  expect(metrics.counter("errors")).toBe(c);
  expect(metrics.get("errors")).toBe(c);
  expect(metrics.get("other")).toBeUndefined();
  metrics.trend("rtt");
  expect(metrics.all().map((m) => [m.name, m.type])).toEqual([
    ["errors", "counter"],
    ["rtt", "trend"],
  ]);
});

test("a name keeps its kind; built-in names have theirs from the start", () => {
  const metrics = new Metrics();
  metrics.trend("rtt");
  expect(codeOf(() => metrics.counter("rtt"))).toBe("ERR_METRIC_TYPE_MISMATCH");
  expect(codeOf(() => metrics.counter("ws_connecting"))).toBe("ERR_METRIC_TYPE_MISMATCH");
  expect(() => metrics.gauge("ws_sessions")).toThrow(
    '"ws_sessions" is the built-in Counter; it can\'t also be a Gauge. Use metrics.counter("ws_sessions") or another name.',
  );
  expect(metrics.trend("ws_connecting").contains).toBe("time");
  expect(metrics.counter("data_sent").contains).toBe("data");
  expect(codeOf(() => metrics.counter("data_received", { contains: "default" }))).toBe(
    "ERR_METRIC_TYPE_MISMATCH",
  );
  expect(metrics.trend("mine", { contains: "time" }).contains).toBe("time");
  expect(codeOf(() => metrics.trend("mine", { contains: "data" }))).toBe("ERR_METRIC_TYPE_MISMATCH");
  expect(metrics.trend("mine").contains).toBe("time");
});

test("names are letters, digits and _, not a digit first, at most 128", () => {
  const metrics = new Metrics();
  for (const bad of ["", "1st", "with-dash", "with space", "ünï", "x".repeat(129)])
    expect(codeOf(() => metrics.counter(bad))).toBe("ERR_INVALID_METRIC_NAME");
  for (const good of ["_x", "a1", "Login_Time", "x".repeat(128)])
    expect(metrics.counter(good).name).toBe(good);
});

test("values each kind refuses", () => {
  const metrics = new Metrics();
  const c = metrics.counter("c");
  const t = metrics.trend("t");
  const g = metrics.gauge("g");
  for (const bad of [NaN, Infinity, -1, "5" as unknown as number]) {
    expect(codeOf(() => c.add(bad))).toBe("ERR_INVALID_METRIC_VALUE");
    expect(codeOf(() => t.add(bad))).toBe("ERR_INVALID_METRIC_VALUE");
  }
  expect(codeOf(() => g.add(NaN))).toBe("ERR_INVALID_METRIC_VALUE");
  g.add(-3);
  expect(g.value).toBe(-3);
  expect(() => t.add(-1)).toThrow('Trend "t" takes a finite number ≥ 0, got -1.');
  expect([c.count, t.count]).toEqual([0, 0]); // a refused value changes nothing
});

test("live readings: Counter.count, Gauge.value, Rate.rate, Trend stats", () => {
  const metrics = new Metrics();
  const c = metrics.counter("c");
  c.add(2);
  c.add(3);
  const g = metrics.gauge("g");
  g.add(4);
  g.add(1);
  const r = metrics.rate("r");
  expect(r.rate).toBeNaN();
  [true, 0, 1, false].forEach((v) => r.add(v));
  const t = metrics.trend("t");
  expect([t.avg, t.min, t.max, t.percentile(50)]).toEqual([NaN, NaN, NaN, NaN]);
  [5, 1, 3].forEach((v) => t.add(v));
  expect([c.count, g.value, r.rate]).toEqual([5, 1, 0.5]);
  expect([t.count, t.avg, t.min, t.max, t.percentile(0), t.percentile(100)]).toEqual([3, 3, 1, 5, 1, 5]);
  // The top of the histogram bucket holding 3: never below the sample, within 0.1% of it.
  expect(t.percentile(50)).toBeGreaterThanOrEqual(3);
  expect(t.percentile(50)).toBeLessThanOrEqual(3.003);
  expect(codeOf(() => t.percentile(101))).toBe("ERR_INVALID_METRIC_VALUE");
  expect(codeOf(() => t.percentile(NaN))).toBe("ERR_INVALID_METRIC_VALUE");
});

test("tags: a series per tag set, whatever the key order; past maxTagSets only the totals count", () => {
  const metrics = new Metrics({ maxTagSets: 2 });
  const c = metrics.counter("c");
  c.add(1, { a: "1", b: 2 });
  c.add(1, { b: "2", a: 1 });
  c.add(1, { a: "x" });
  c.add(5, { a: "y" }); // a third tag set: over the limit
  c.add(1);
  expect(c.count).toBe(9);
  expect(c.snapshot().series).toEqual([
    { tags: { a: "1", b: "2" }, data: { count: 2 } },
    { tags: { a: "x" }, data: { count: 1 } },
  ]);
  expect(metrics.droppedTagSamples).toBe(1);
  expect(metrics.maxTagSets).toBe(2);
  expect(codeOf(() => new Metrics({ maxTagSets: -1 }))).toBe("ERR_INVALID_METRIC_VALUE");
});

test("startedAt and the summary's default duration come from now()", () => {
  let now = 1000;
  const metrics = new Metrics({ now: () => now });
  expect(metrics.startedAt).toBe(1000);
  now = 4000;
  expect(metrics.now()).toBe(4000);
});

test("a Trend moving from its packed histogram to a flat one keeps every sample", () => {
  const trend = new Metrics().trend("t");
  const flat = newHistogram(false);
  for (let i = 0; i < PACKED_UNTIL * 2.5; i++) {
    const value = ((i * 7919) % 5003) / 7;
    trend.add(value);
    recordValue(flat, value);
  }
  expect(trend.count).toBe(PACKED_UNTIL * 2.5);
  for (const p of [0, 1, 50, 90, 99, 99.9, 100])
    expect(trend.percentile(p)).toBe(percentile(flat, p, trend.min, trend.max));
});
