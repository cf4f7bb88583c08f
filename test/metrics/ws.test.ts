import { BUILTIN_METRICS } from "../../src/metrics/builtin";
import { Metrics } from "../../src/metrics/Metrics";
import { createSummary } from "../../src/metrics/summary";
import { recordWs } from "../../src/metrics/ws";

test("recordWs feeds k6's WebSocket metrics and ours", () => {
  const metrics = new Metrics();
  recordWs(metrics, "connected", 12.5);
  recordWs(metrics, "connected", 7.5, { url: "ws://a" });
  recordWs(metrics, "messageSent", 100);
  recordWs(metrics, "messageSent", 20);
  recordWs(metrics, "messageReceived", 300);
  recordWs(metrics, "ping", 1.5);
  recordWs(metrics, "closed", 60_000);
  recordWs(metrics, "reconnect");
  recordWs(metrics, "reconnect");
  recordWs(metrics, "sendRefused");
  recordWs(metrics, "connectFailed");
  const values = Object.fromEntries(
    Object.entries(createSummary(metrics, { durationMs: 1000 }).metrics).map(([name, m]) => [name, m.values]),
  );
  expect(values).toEqual({
    data_received: { count: 300, rate: 300 },
    data_sent: { count: 120, rate: 120 },
    ws_connect_failed: { count: 1, rate: 1 },
    ws_connecting: expect.objectContaining({ count: 2, avg: 10, min: 7.5, max: 12.5 }),
    ws_msgs_received: { count: 1, rate: 1 },
    ws_msgs_sent: { count: 2, rate: 2 },
    ws_ping: expect.objectContaining({ count: 1, min: 1.5, max: 1.5 }),
    ws_reconnects: { count: 2, rate: 2 },
    ws_send_refused: { count: 1, rate: 1 },
    ws_session_duration: expect.objectContaining({ count: 1, avg: 60_000 }),
    ws_sessions: { count: 2, rate: 2 },
  });
  // Tags go on every sample the event makes.
  expect(metrics.counter("ws_sessions").snapshot().series).toEqual([
    { tags: { url: "ws://a" }, data: { count: 1 } },
  ]);
});

test("a built-in metric appears with its first event", () => {
  const metrics = new Metrics();
  recordWs(metrics, "messageReceived", 10);
  expect(metrics.all().map((m) => m.name)).toEqual(["ws_msgs_received", "data_received"]);
});

test("the table has k6's names, kinds and units", () => {
  const table = Object.fromEntries(
    Object.entries(BUILTIN_METRICS).map(([n, m]) => [n, `${m.type}/${m.contains}`]),
  );
  expect(table).toEqual({
    ws_connecting: "trend/time",
    ws_sessions: "counter/default",
    ws_session_duration: "trend/time",
    ws_msgs_sent: "counter/default",
    ws_msgs_received: "counter/default",
    ws_ping: "trend/time",
    ws_reconnects: "counter/default",
    ws_send_refused: "counter/default",
    ws_connect_failed: "counter/default",
    data_sent: "counter/data",
    data_received: "counter/data",
  });
});
