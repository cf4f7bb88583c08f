import { formatSummary } from "../../src/metrics/formatSummary";
import { mergeSummaries } from "../../src/metrics/merge";
import { Metrics } from "../../src/metrics/Metrics";
import { createSummary, type Summary } from "../../src/metrics/summary";
import { parseThresholdArg } from "../../src/metrics/thresholds";
import { recordWs } from "../../src/metrics/ws";

function run() {
  const metrics = new Metrics({ now: () => 0 });
  for (const ms of [1, 2, 3, 4, 100])
    recordWs(metrics, "connected", ms, { url: ms < 50 ? "ws://a" : "ws://b" });
  for (let i = 0; i < 1000; i++) recordWs(metrics, "messageSent", 120);
  for (let i = 0; i < 900; i++) recordWs(metrics, "messageReceived", 2000);
  recordWs(metrics, "reconnect");
  const ok = metrics.rate("login_ok");
  [true, false, true].forEach((v) => ok.add(v));
  metrics.gauge("rooms").add(3);
  metrics.gauge("rooms").add(5);
  metrics.trend("score").add(120);
  metrics.trend("score").add(152.355556);
  metrics.trend("waiting");
  return { metrics, durationMs: 12_500 };
}

test("the k6-style text: thresholds, then every metric by heading, aligned", () => {
  const { metrics, durationMs } = run();
  const summary = createSummary(metrics, {
    durationMs,
    thresholds: [
      "ws_connecting:p(95)<500",
      "ws_connecting:max<50",
      "ws_connecting{url:ws://a}:max<50",
      "login_ok:rate>0.95",
      "data_sent:rate>1000",
      "ws_connect_failed:count<1",
      "waiting:avg<1",
    ].map(parseThresholdArg),
  });
  expect(formatSummary(summary)).toBe(
    [
      "  █ THRESHOLDS",
      "",
      "    ws_connecting",
      "    ✓ 'p(95)<500' p(95)=100ms",
      "    ✗ 'max<50' max=100ms",
      "",
      "    ws_connecting{url:ws://a}",
      "    ✓ 'max<50' max=4ms",
      "",
      "    login_ok",
      "    ✗ 'rate>0.95' rate=66.67%",
      "",
      "    data_sent",
      "    ✓ 'rate>1000' rate=9.6 kB/s",
      "",
      "    ws_connect_failed",
      "    ✓ 'count<1' count=0 (not recorded)",
      "",
      "    waiting",
      "    ✗ 'avg<1' no samples",
      "",
      "",
      "  █ TOTAL RESULTS (12.5s)",
      "",
      "    CUSTOM",
      "    login_ok...........: 66.67%     2 out of 3",
      "    rooms..............: 5          min=3      max=5",
      "    score..............: count=2 avg=136.177778 min=120 med=120.063 p(90)=152.355556 p(95)=152.355556 p(99)=152.355556 max=152.355556",
      "    waiting............: no samples",
      "",
      "    NETWORK",
      "    data_received......: 1.8 MB     144 kB/s",
      "    data_sent..........: 120 kB     9.6 kB/s",
      "",
      "    WEBSOCKET",
      "    ws_connecting......: count=5 avg=22ms       min=1ms med=3ms     p(90)=100ms      p(95)=100ms      p(99)=100ms      max=100ms",
      "      { url:ws://a }...: count=4 avg=2.5ms      min=1ms med=2ms     p(90)=4ms        p(95)=4ms        p(99)=4ms        max=4ms",
      "    ws_msgs_received...: 900        72/s",
      "    ws_msgs_sent.......: 1000       80/s",
      "    ws_reconnects......: 1          0.08/s",
      "    ws_sessions........: 5          0.4/s",
      "",
    ].join("\n"),
  );
});

test("a threshold on a metric never recorded: no unit when its kind is unknown, its own when built in", () => {
  const summary = createSummary(new Metrics(), {
    durationMs: 1000,
    thresholds: ["join_ok:rate>0.99", "join_ok:count<1", "ws_reconnects:rate<1", "data_sent:rate<1"].map(
      parseThresholdArg,
    ),
  });
  const lines = formatSummary(summary).split("\n");
  // A Rate's rate is a share, a Counter's a number per second: unknown, the value goes bare.
  expect(lines).toContain("    ✗ 'rate>0.99' rate=0 (not recorded)");
  expect(lines).toContain("    ✓ 'count<1' count=0 (not recorded)");
  expect(lines).toContain("    ✓ 'rate<1' rate=0/s (not recorded)"); // ws_reconnects, a Counter
  expect(lines).toContain("    ✓ 'rate<1' rate=0 B/s (not recorded)"); // data_sent, bytes
});

test("no thresholds, no metrics; a merged summary says how many it merged", () => {
  const empty = createSummary(new Metrics(), { durationMs: 90_500 });
  expect(formatSummary(empty)).toBe("  █ TOTAL RESULTS (1m30.5s)\n\n    no metrics recorded\n");
  expect(formatSummary(mergeSummaries(empty, empty, empty)).split("\n")[0]).toBe(
    "  █ TOTAL RESULTS (1m30.5s, 3 summaries merged)",
  );
});

test("samples past the tag-set limit are noted", () => {
  const metrics = new Metrics({ maxTagSets: 1 });
  metrics.counter("c").add(1, { id: "1" });
  metrics.counter("c").add(1, { id: "2" });
  expect(formatSummary(createSummary(metrics, { durationMs: 1000 }))).toContain(
    "    note: 1 samples carried a tag set past the limit of tag sets per metric;\n",
  );
});

test("150,000 metrics and thresholds are laid out (no spread of every line as arguments, which overflows the stack)", () => {
  const metrics: Summary["metrics"] = {};
  const count = 150_000;
  for (let i = 0; i < count; i++)
    metrics[`c${i}`] = { type: "counter", contains: "default", values: {}, data: { count: i }, series: [] };
  const thresholds = Array.from({ length: count }, (_, i) => ({
    metric: `c${i}`,
    source: "count>=0",
    ok: true,
    value: i,
    recorded: true,
  }));
  const summary: Summary = { ...createSummary(new Metrics(), { durationMs: 1000 }), metrics, thresholds };
  const lines = formatSummary(summary).split("\n");
  expect(lines.filter((line) => /^ {4}c\d+\.+: /.test(line))).toHaveLength(count);
  expect(lines).toContain(`    c${count - 1}${".".repeat(3)}: ${count - 1} ${count - 1}/s`);
  expect(lines.filter((line) => line.startsWith("    ✓ 'count>=0'"))).toHaveLength(count);
});
