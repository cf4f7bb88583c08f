import type { TrendData } from "../../src/metrics/data";
import { Metrics } from "../../src/metrics/Metrics";
import { FleetSampler, TREND_WINDOW } from "../../src/inspector/fleetMetrics";

const reading = (totals = {}) => ({ running: 2, target: 2, totals, errors: 0 });
const trendData = (metrics: Metrics, name = "rtt") => metrics.trend(name).snapshot().data as TrendData;

describe("FleetSampler", () => {
  it("turns the merged totals into per-second rates, and connections open", () => {
    const sampler = new FleetSampler();
    const totals = (received: number, sessions: number, closed: number) => ({
      ws_msgs_received: { type: "counter", contains: "default", count: received },
      ws_sessions: { type: "counter", contains: "default", count: sessions },
      ws_session_duration: { type: "trend", contains: "time", count: closed, sum: 0 },
    });
    expect(sampler.sample(reading(totals(100, 5, 0)) as never, [], 1000)).toMatchObject({
      msgsIn: 0,
      open: 5,
    });
    expect(sampler.sample(reading(totals(400, 6, 2)) as never, [], 3000)).toMatchObject({
      at: 3,
      msgsIn: 150,
      msgsOut: 0,
      open: 4,
    });
  });

  it("charts a trend's percentiles over its last samples, so a spike shows, merged over the workers", () => {
    const sampler = new FleetSampler();
    const [a, b] = [new Metrics(), new Metrics()];
    for (let i = 0; i < 50; i++) a.trend("rtt").add(10);
    for (let i = 0; i < 50; i++) b.trend("rtt").add(10);
    const first = sampler.sample(reading(), [{ rtt: trendData(a) }, { rtt: trendData(b) }], 1000);
    expect(first.trends.rtt).toEqual({ count: 100, p50: 10, p95: 10, p99: 10 });
    for (let i = 0; i < 20; i++) b.trend("rtt").add(500); // the spike, on one worker
    const spike = sampler.sample(reading(), [{ rtt: trendData(a) }, { rtt: trendData(b) }], 2000);
    expect(spike.trends.rtt.count).toBe(120);
    expect(spike.trends.rtt.p50).toBeCloseTo(500, -1); // since the start it would be 10
    for (let s = 3; s < 3 + TREND_WINDOW; s++)
      sampler.sample(reading(), [{ rtt: trendData(a) }, { rtt: trendData(b) }], s * 1000);
    // Nothing new for a window's length: no samples to show
    const calm = sampler.sample(reading(), [{ rtt: trendData(a) }, { rtt: trendData(b) }], 20_000);
    expect(calm.trends.rtt).toEqual({ count: 120, p50: null, p95: null, p99: null });
  });
});
