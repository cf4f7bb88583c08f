import fc from "fast-check";
import { MetricsError } from "../../src/metrics/errors";
import { mergeSummaries } from "../../src/metrics/merge";
import { Metrics } from "../../src/metrics/Metrics";
import { createSummary } from "../../src/metrics/summary";
import { parseSummary, serializeSummary } from "../../src/metrics/summaryJson";
import { parseThresholdArg } from "../../src/metrics/thresholds";
import { recordWs } from "../../src/metrics/ws";

function sample() {
  const metrics = new Metrics({ now: () => 1_700_000_000_000 });
  for (let i = 0; i < 50; i++)
    recordWs(metrics, "connected", 2 + i / 10, { url: i % 2 ? "ws://a" : "ws://b" });
  for (let i = 0; i < 500; i++) recordWs(metrics, "messageSent", 64);
  metrics.gauge("rooms").add(3);
  metrics.rate("ok").add(true);
  metrics.trend("never");
  return createSummary(metrics, {
    durationMs: 2000,
    thresholds: [
      parseThresholdArg("ws_connecting:p(95)<500"),
      parseThresholdArg("ws_connecting{url:ws://a}:max<3"),
    ],
  });
}

test("a summary survives JSON: serialize, parse, and it is the same summary", () => {
  const summary = sample();
  const text = serializeSummary(summary);
  expect(text.endsWith("}\n")).toBe(true);
  const back = parseSummary(text);
  expect(back).toEqual(summary);
  expect(serializeSummary(back)).toBe(text);
  // The histograms came through: a merge of the parsed copy is the merge of the original.
  expect(mergeSummaries(back, back)).toEqual(mergeSummaries(summary, summary));
});

test("the JSON has k6's values beside the mergeable data", () => {
  const json = JSON.parse(serializeSummary(sample()));
  expect(json).toMatchObject({
    format: "scenetree-summary",
    version: 1,
    startedAt: 1_700_000_000_000,
    durationMs: 2000,
    sources: 1,
    droppedTagSamples: 0,
  });
  expect(Object.keys(json.metrics)).toEqual([
    "data_sent",
    "never",
    "ok",
    "rooms",
    "ws_connecting",
    "ws_msgs_sent",
    "ws_sessions",
  ]);
  expect(json.metrics.ws_msgs_sent).toEqual({
    type: "counter",
    contains: "default",
    values: { count: 500, rate: 250 },
    data: { count: 500 },
    series: [],
  });
  const connecting = json.metrics.ws_connecting;
  expect(connecting.type).toBe("trend");
  expect(connecting.contains).toBe("time");
  expect(Object.keys(connecting.values)).toEqual([
    "count",
    "rate",
    "avg",
    "min",
    "med",
    "p(90)",
    "p(95)",
    "p(99)",
    "max",
  ]);
  expect(connecting.data.hdr).toMatch(/^HISTF/); // HdrHistogram's V2 compressed encoding, base64
  expect(connecting.series.map((s: { tags: unknown }) => s.tags)).toEqual([
    { url: "ws://b" },
    { url: "ws://a" },
  ]);
  expect(json.metrics.never.data).toEqual({ count: 0, sum: 0, min: 0, max: 0, hdr: null });
  expect(json.thresholds).toEqual([
    { metric: "ws_connecting", source: "p(95)<500", ok: true, value: expect.any(Number), recorded: true },
    { metric: "ws_connecting{url:ws://a}", source: "max<3", ok: false, value: 6.9, recorded: true },
  ]);
});

test("what runs write and merges make always reads back, however the samples fall (property)", () => {
  const sample = fc.oneof(
    fc.double({ min: 0, max: 10, noNaN: true }),
    fc.double({ min: 0, max: 9e12, noNaN: true }), // past 2^53 µs the library can not record (throws)
    fc.constantFrom(0, 0.0004, 0.0005, 2.0485, 1e-300),
  );
  const shard = fc.record({
    startedAt: fc.nat({ max: 1e6 }),
    durationMs: fc.nat({ max: 1e6 }),
    series: fc.array(fc.array(sample, { maxLength: 40 }), { minLength: 1, maxLength: 3 }),
    gauges: fc.array(
      fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((g) => g + 0),
      { maxLength: 5 },
    ), // no -0: JSON writes 0
    passes: fc.array(fc.boolean(), { maxLength: 10 }),
  });
  fc.assert(
    fc.property(fc.array(shard, { minLength: 1, maxLength: 4 }), (shards) => {
      const summaries = shards.map(({ startedAt, durationMs, series, gauges, passes }) => {
        const metrics = new Metrics();
        const t = metrics.trend("t", { contains: "time" });
        series.forEach((values, i) => values.forEach((v) => t.add(v, { s: String(i) })));
        gauges.forEach((g) => metrics.gauge("g").add(g));
        passes.forEach((p) => metrics.rate("r").add(p));
        const summary = createSummary(metrics, { startedAt, durationMs });
        expect(parseSummary(serializeSummary(summary))).toEqual(summary);
        return summary;
      });
      const merged = parseSummary(serializeSummary(mergeSummaries(...summaries)));
      parseSummary(serializeSummary(mergeSummaries(merged, ...summaries)));
    }),
    { numRuns: 100 },
  );
});

describe("parseSummary rejects what is not a summary, naming the field", () => {
  const valid = () => JSON.parse(serializeSummary(sample()));
  const message = (input: unknown) => {
    try {
      parseSummary(typeof input === "string" ? input : JSON.stringify(input));
    } catch (error) {
      expect(error).toBeInstanceOf(MetricsError);
      expect((error as MetricsError).code).toBe("ERR_SUMMARY_FORMAT");
      return (error as Error).message;
    }
    throw new Error("parsed");
  };

  test("not JSON", () => expect(message("{ nope")).toMatch(/^Not JSON: /));
  test("another format (a k6 summary)", () =>
    expect(message({ metrics: {}, root_group: {} })).toBe(
      'Not a scenetree summary (its "format" is not "scenetree-summary"); write one with --summary-json.',
    ));
  test("a wrong field", () => {
    const s = valid();
    s.metrics.ws_msgs_sent.data.count = -1;
    expect(message(s)).toMatch(/^Invalid summary at metrics\.ws_msgs_sent\.data\.count: /);
  });
  test("an unknown kind", () => {
    const s = valid();
    s.metrics.ok.type = "histogram";
    expect(message(s)).toMatch(/^Invalid summary at metrics\.ok\.type: /);
  });
  test("a histogram that does not decode", () => {
    const s = valid();
    s.metrics.ws_connecting.data.hdr = "bm90IGEgaGlzdG9ncmFt";
    expect(message(s)).toMatch(
      /^Invalid summary at metrics\.ws_connecting\.data\.hdr: not an encoded HdrHistogram/,
    );
  });
  test("a rate with more passes than samples", () => {
    const s = valid();
    s.metrics.ok.data = { passes: 10, total: 1 };
    expect(message(s)).toBe("Invalid summary at metrics.ok.data: passes exceed total.");
  });
  test("a gauge or trend whose min is above its max", () => {
    const gauge = valid();
    gauge.metrics.rooms.data.min = 10;
    expect(message(gauge)).toBe("Invalid summary at metrics.rooms.data: min is above max.");
    const trend = valid();
    Object.assign(trend.metrics.ws_connecting.data, { min: 1000, max: 5 });
    expect(message(trend)).toBe("Invalid summary at metrics.ws_connecting.data: min is above max.");
  });
  test("a trend's min or max outside its histogram's samples", () => {
    // Its samples are 2 to 6.9 ms (the sum stays in range for each change).
    const above = valid();
    Object.assign(above.metrics.ws_connecting.data, { min: 400, max: 500, sum: 50 * 450 });
    expect(message(above)).toBe(
      "Invalid summary at metrics.ws_connecting.data.hdr: min 400 and max 500 lie outside the range of the histogram's samples (2 to 6.903).",
    );
    const wider = valid();
    Object.assign(wider.metrics.ws_connecting.data, { max: 7.1 });
    expect(message(wider)).toMatch(
      /^Invalid summary at metrics\.ws_connecting\.data\.hdr: min 2 and max 7\.1 lie outside/,
    );
    const narrower = valid();
    Object.assign(narrower.metrics.ws_connecting.series[1].data, { min: 2.2 });
    expect(message(narrower)).toMatch(
      /^Invalid summary at metrics\.ws_connecting\.series\.1\.data\.hdr: min 2\.2 and/,
    );
  });
  test("a trend's negative sum, min or max, or a sum past what its samples can add up to", () => {
    const negative = valid();
    negative.metrics.ws_connecting.data.sum = -100000;
    expect(message(negative)).toMatch(/^Invalid summary at metrics\.ws_connecting\.data\.sum: Too small/);
    const lowMin = valid();
    Object.assign(lowMin.metrics.ws_connecting.data, { min: -1 });
    expect(message(lowMin)).toMatch(/^Invalid summary at metrics\.ws_connecting\.data\.min: Too small/);
    const big = valid();
    big.metrics.ws_connecting.data.sum = 50 * 6.9 * 1.01;
    expect(message(big)).toBe(
      "Invalid summary at metrics.ws_connecting.data: sum is not between count × min and count × max.",
    );
  });
  test("half a pass, half a sample, half a dropped sample", () => {
    const half = valid();
    half.metrics.ok.data.passes = 0.5;
    expect(message(half)).toMatch(/^Invalid summary at metrics\.ok\.data\.passes: /);
    const total = valid();
    total.metrics.ok.data.total = 1.5;
    expect(message(total)).toMatch(/^Invalid summary at metrics\.ok\.data\.total: /);
    const trend = valid();
    trend.metrics.ws_connecting.data.count = 49.5;
    expect(message(trend)).toMatch(/^Invalid summary at metrics\.ws_connecting\.data\.count: /);
    const dropped = valid();
    dropped.droppedTagSamples = 0.5;
    expect(message(dropped)).toMatch(/^Invalid summary at droppedTagSamples: /);
    // A counter adds any amount ≥ 0: 2.5 bytes, 0.5 credits.
    const counter = valid();
    counter.metrics.ws_msgs_sent.data.count = 0.5;
    expect(() => parseSummary(JSON.stringify(counter))).not.toThrow();
  });
  test("a start or duration that is negative, or whose end is past the largest number", () => {
    for (const [field, value] of [
      ["startedAt", -1],
      ["startedAt", -1e300],
      ["durationMs", -1e300],
    ] as const) {
      const s = valid();
      s[field] = value;
      expect(message(s)).toMatch(new RegExp(`^Invalid summary at ${field}: Too small`));
    }
    const end = valid();
    Object.assign(end, { startedAt: 1.7e308, durationMs: 1.7e308 });
    expect(message(end)).toBe(
      "Invalid summary at durationMs: startedAt + durationMs is past the largest number.",
    );
    const long = valid();
    Object.assign(long, { startedAt: null, durationMs: 1.7e308 });
    expect(parseSummary(JSON.stringify(long)).durationMs).toBe(1.7e308);
  });
  test("a histogram that disagrees with its count", () => {
    const s = valid();
    const data = s.metrics.ws_connecting.series[0].data;
    Object.assign(data, { count: 1, sum: data.min });
    expect(message(s)).toMatch(
      /^Invalid summary at metrics\.ws_connecting\.series\.0\.data\.hdr: the histogram holds 25 samples, count says 1/,
    );
  });
});

describe("metric names: the registry's rule, and __proto__ is one like any other", () => {
  const withName = (name: string) =>
    serializeSummary(sample()).replace('"rooms": {', `${JSON.stringify(name)}: {`);
  const refusal = (text: string) => {
    try {
      parseSummary(text);
    } catch (error) {
      return [(error as MetricsError).code, (error as Error).message];
    }
    throw new Error("parsed");
  };

  test.each([
    [
      "data_sent\n    ws_connect_failed.....: 0 \u001b[32mOK\u001b[0m",
      '"data_sent\\n    ws_connect_failed.....: 0 \\u001b[32mOK\\u001b[0m"',
    ],
    ["9lives", '"9lives"'],
    ["a".repeat(129), JSON.stringify("a".repeat(129))],
    ["a".repeat(1_000_000), `"${"a".repeat(60)}… (1000000 characters)"`],
    ["", '""'],
  ])("%j is refused, quoted safely (ERR_INVALID_METRIC_NAME)", (name, shown) => {
    const [code, message] = refusal(withName(name));
    expect(code).toBe("ERR_INVALID_METRIC_NAME");
    expect(message).toBe(
      `Invalid summary at metrics: Invalid metric name ${shown}: use letters, digits and _ (not a digit first), at most 128 characters, e.g. "login_time".`,
    );
    expect(message).not.toContain("\n");
  });

  test("a metric named __proto__ is recorded, written, read back and merged", () => {
    const metrics = new Metrics();
    metrics.counter("__proto__").add(5);
    metrics.counter("constructor").add(1);
    const summary = createSummary(metrics, {
      durationMs: 1000,
      thresholds: [parseThresholdArg("__proto__:count>4")],
    });
    const text = serializeSummary(summary);
    expect(JSON.parse(text).metrics.__proto__).toMatchObject({ type: "counter", data: { count: 5 } });
    const back = parseSummary(text);
    expect(Object.keys(back.metrics)).toEqual(["__proto__", "constructor"]);
    expect(serializeSummary(back)).toBe(text);
    const merged = mergeSummaries(back, back);
    expect(Object.keys(merged.metrics)).toEqual(["__proto__", "constructor"]);
    expect(merged.metrics.__proto__.data).toEqual({ count: 10 });
    expect(merged.thresholds).toEqual([
      { metric: "__proto__", source: "count>4", ok: true, value: 10, recorded: true },
    ]);
  });

  test("a metric named __proto__ is checked as any other (zod's record skipped it unchecked)", () => {
    const text = withName("__proto__").replace('"type": "gauge"', '"type": "histogram"');
    expect(refusal(text)).toEqual([
      "ERR_SUMMARY_FORMAT",
      expect.stringMatching(/^Invalid summary at metrics\.__proto__\.type: /),
    ]);
  });
});
