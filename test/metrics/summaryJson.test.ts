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
    Object.assign(trend.metrics.ws_connecting.data, { min: 1000, max: -5 });
    expect(message(trend)).toBe("Invalid summary at metrics.ws_connecting.data: min is above max.");
  });
  test("a histogram that disagrees with its count", () => {
    const s = valid();
    s.metrics.ws_connecting.series[0].data.count = 1;
    expect(message(s)).toMatch(
      /^Invalid summary at metrics\.ws_connecting\.series\.0\.data\.hdr: the histogram holds 25 samples, count says 1/,
    );
  });
});
