import { Metrics } from "../../src/metrics/Metrics";
import { MetricsSampler } from "../../src/inspector/metricsView";

describe("MetricsSampler", () => {
  it("charts a counter's per-second rate, a gauge's value, a rate's fraction and a trend's percentiles", () => {
    const metrics = new Metrics();
    const sampler = new MetricsSampler();
    metrics.counter("ws_msgs_sent").add(10);
    metrics.gauge("bots").add(3);
    metrics.rate("ok").add(true);
    metrics.rate("ok").add(false);
    for (let ms = 1; ms <= 100; ms++) metrics.trend("ws_connecting").add(ms);
    expect(sampler.sample(metrics, 1)).toEqual({
      ws_msgs_sent: { type: "counter", contains: "default", count: 10, perSecond: 0 },
      bots: { type: "gauge", contains: "default", value: 3 },
      ok: { type: "rate", contains: "default", rate: 0.5 },
      ws_connecting: {
        type: "trend",
        contains: "time",
        count: 100,
        // HdrHistogram's 3 significant digits: within 0.05 of the exact values
        med: expect.closeTo(50, 1),
        p95: expect.closeTo(95, 1),
        p99: expect.closeTo(99, 1),
        max: 100,
      },
    });
    metrics.counter("ws_msgs_sent").add(30);
    expect(sampler.sample(metrics, 2).ws_msgs_sent).toEqual({
      type: "counter",
      contains: "default",
      count: 40,
      perSecond: 15,
    });
  });

  it("gives null, not NaN, for what has no samples yet", () => {
    const metrics = new Metrics();
    metrics.trend("empty");
    metrics.rate("none");
    const sample = new MetricsSampler().sample(metrics, 1);
    expect(sample.empty).toMatchObject({ count: 0, med: null, p95: null, max: null });
    expect(sample.none).toMatchObject({ rate: null });
  });
});
