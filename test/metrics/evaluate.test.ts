import { ThresholdError } from "../../src/metrics/errors";
import { evaluateThresholds } from "../../src/metrics/evaluate";
import { Metrics } from "../../src/metrics/Metrics";
import { createSummary, type Summary } from "../../src/metrics/summary";
import { parseThresholdArg, parseThresholds } from "../../src/metrics/thresholds";

const evaluate = (summary: Summary, ...args: string[]) =>
  evaluateThresholds(summary, args.map(parseThresholdArg));
const summaryOf = (metrics: Metrics, durationMs = 10_000) => createSummary(metrics, { durationMs });

/** The metrics of k6's threshold docs example (RTT, ContentOK, ContentSize, Errors). */
function k6Example(contentOk: number, errors: number) {
  const metrics = new Metrics();
  const rtt = metrics.trend("RTT", { contains: "time" });
  for (let i = 1; i <= 100; i++) rtt.add(i); // 1..100 ms
  const ok = metrics.rate("ContentOK");
  for (let i = 0; i < 100; i++) ok.add(i < contentOk);
  metrics.gauge("ContentSize").add(3999);
  metrics.counter("Errors").add(errors);
  return summaryOf(metrics);
}

const K6_DOCS_THRESHOLDS = {
  Errors: ["count<100"],
  ContentSize: ["value<4000"],
  ContentOK: ["rate>0.95"],
  RTT: ["p(99)<300", "p(70)<250", "avg<200", "med<150", "min<100"],
};

test("k6's example thresholds pass on data that meets them", () => {
  const results = evaluateThresholds(k6Example(96, 99), parseThresholds(K6_DOCS_THRESHOLDS));
  expect(results.map((r) => [r.metric, r.source, r.ok])).toEqual([
    ["Errors", "count<100", true],
    ["ContentSize", "value<4000", true],
    ["ContentOK", "rate>0.95", true],
    ["RTT", "p(99)<300", true],
    ["RTT", "p(70)<250", true],
    ["RTT", "avg<200", true],
    ["RTT", "med<150", true],
    ["RTT", "min<100", true],
  ]);
  const value = (source: string) => results.find((r) => r.source === source)?.value;
  expect(value("count<100")).toBe(99);
  expect(value("value<4000")).toBe(3999);
  expect(value("rate>0.95")).toBe(0.96);
  expect(value("avg<200")).toBe(50.5);
  expect(value("min<100")).toBe(1);
  // Histogram percentiles: never below the true sample, within 0.1% of it.
  expect(value("p(99)<300")).toBeGreaterThanOrEqual(99);
  expect(value("p(99)<300")).toBeLessThan(99 * 1.001);
  expect(value("med<150")).toBeGreaterThanOrEqual(50);
  expect(value("med<150")).toBeLessThan(50 * 1.001);
});

test("…and fail, each on its own, when the data crosses them", () => {
  const results = evaluateThresholds(k6Example(95, 100), parseThresholds(K6_DOCS_THRESHOLDS));
  expect(results.filter((r) => !r.ok).map((r) => r.source)).toEqual(["count<100", "rate>0.95"]);
  const tight = evaluate(
    k6Example(96, 0),
    "RTT:p(99)<99",
    "RTT:p(70)<70",
    "RTT:avg<50.5",
    "RTT:med<=49",
    "RTT:min<1",
  );
  expect(tight.map((r) => r.ok)).toEqual([false, false, false, false, false]);
});

test("every operator; == and === are the same", () => {
  const metrics = new Metrics();
  metrics.counter("n").add(5);
  const s = summaryOf(metrics);
  const ok = (expr: string) => evaluate(s, `n:${expr}`)[0].ok;
  expect(["count<6", "count<=5", "count>4", "count>=5", "count==5", "count===5", "count!=4"].map(ok)).toEqual(
    Array(7).fill(true),
  );
  expect(["count<5", "count<=4", "count>5", "count>=6", "count==4", "count===4", "count!=5"].map(ok)).toEqual(
    Array(7).fill(false),
  );
});

test("a Counter's rate is per second of the summary's duration", () => {
  const metrics = new Metrics();
  metrics.counter("msgs").add(250);
  const [r] = evaluate(createSummary(metrics, { durationMs: 5000 }), "msgs:rate==50");
  expect([r.ok, r.value]).toEqual([true, 50]);
});

test("a Trend, Gauge or Rate with no samples fails its thresholds; an absent Counter counts 0", () => {
  const metrics = new Metrics();
  metrics.trend("empty_trend");
  metrics.gauge("empty_gauge");
  metrics.rate("empty_rate");
  metrics.counter("zero");
  const results = evaluate(
    summaryOf(metrics),
    "empty_trend:p(95)<500",
    "empty_gauge:value<1",
    "empty_rate:rate<0.01",
    "zero:count<1",
    "ws_connect_failed:count<1", // built-in, never recorded
    "custom_errors:count<1", // nobody made it
    "ws_connecting:p(95)<500", // built-in Trend, never recorded: no samples
    "nobody_made_it:avg<1",
  );
  expect(results.map((r) => [r.metric, r.ok, r.value, r.recorded])).toEqual([
    ["empty_trend", false, null, true],
    ["empty_gauge", false, null, true],
    ["empty_rate", false, null, true],
    ["zero", true, 0, true],
    ["ws_connect_failed", true, 0, false],
    ["custom_errors", true, 0, false],
    ["ws_connecting", false, null, false],
    ["nobody_made_it", false, null, false],
  ]);
});

test("a method the metric's kind lacks is an error that points at it (k6's table)", () => {
  const metrics = new Metrics();
  metrics.counter("errors").add(1);
  metrics.gauge("level").add(1);
  metrics.trend("rtt").add(1);
  metrics.rate("ok").add(true);
  const s = summaryOf(metrics);
  const code = (arg: string) => {
    try {
      evaluate(s, arg);
      return "ok";
    } catch (error) {
      return (error as ThresholdError).code;
    }
  };
  expect(
    ["errors:p(95)<1", "errors:avg<1", "level:count<1", "rtt:count<1", "rtt:rate<1", "ok:count<1"].map(code),
  ).toEqual(Array(6).fill("ERR_THRESHOLD_UNSUPPORTED"));
  expect(["errors:count<1", "errors:rate<1", "level:value<1", "rtt:p(50)<1", "ok:rate<1"].map(code)).toEqual(
    Array(5).fill("ok"),
  );
  // The kind of a built-in metric is known before it has samples.
  expect(code("ws_sessions:avg<1")).toBe("ERR_THRESHOLD_UNSUPPORTED");
  let error: ThresholdError | undefined;
  try {
    evaluate(s, "errors: p(95) < 1");
  } catch (e) {
    error = e as ThresholdError;
  }
  expect(error?.message).toBe(
    "errors is a counter: it has no p(95). Thresholds on a counter use count, rate.\n     p(95) < 1\n     ^^^^^",
  );
});

test("sub-metrics: the samples whose tags include the selector's", () => {
  const metrics = new Metrics();
  const t = metrics.trend("lat");
  t.add(10, { url: "a", room: "1" });
  t.add(20, { url: "a", room: "2" });
  t.add(300, { url: "b", room: "1" });
  const c = metrics.counter("sent");
  c.add(3, { url: "a" });
  const s = summaryOf(metrics);
  const results = evaluate(
    s,
    "lat{url:a}:max<100",
    "lat{room:1}:max<100",
    "lat{url:a,room:2}:min==20",
    "lat{url:zzz}:max<100",
    "sent{url:zzz}:count==0",
    "sent{url:a}:count==3",
    "lat:max==300",
  );
  expect(results.map((r) => [r.ok, r.value])).toEqual([
    [true, 20],
    [false, 300],
    [true, 20],
    [false, null],
    [true, 0],
    [true, 3],
    [true, 300],
  ]);
});

test("the same metric and source twice are evaluated once", () => {
  const metrics = new Metrics();
  metrics.counter("n").add(1);
  expect(evaluate(summaryOf(metrics), "n:count<2", "n:count<2", "n:count<3")).toHaveLength(2);
});
