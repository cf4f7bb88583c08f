import * as net from "node:net";
import { InputError } from "../../src/run/args";
import { serveMetrics } from "../../src/run/prometheus";
import type { StatusReading } from "../../src/run/status";

const reading = (): StatusReading => ({
  running: 18,
  target: 20,
  errors: 2,
  totals: {
    ws_sessions: { type: "counter", contains: "default", count: 20 },
    ws_session_duration: { type: "trend", contains: "time", count: 2, sum: 3000 },
    data_sent: { type: "counter", contains: "data", count: 4096 },
    bots_ready: { type: "counter", contains: "default", count: 20 },
    open_rooms: { type: "gauge", contains: "default", value: 3 },
    join_ok: { type: "rate", contains: "default", passes: 3, total: 4 },
    join_time: { type: "trend", contains: "time", count: 4, sum: 100 },
    run_errors: { type: "counter", contains: "default", count: 99 }, // would be the run's own name
  },
});

test("/metrics: the run's figures and every metric's totals in the Prometheus text format", async () => {
  let current = reading();
  const server = await serveMetrics({ port: 0, host: "127.0.0.1", read: () => current });
  try {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const samples = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(samples).toEqual([
      "scenetree_run_instances_running 18",
      "scenetree_run_instances_target 20",
      "scenetree_run_connections_open 18",
      "scenetree_run_errors_total 2",
      "scenetree_ws_sessions_total 20",
      "scenetree_ws_session_duration_count 2",
      "scenetree_ws_session_duration_sum 3000",
      "scenetree_data_sent_total 4096",
      "scenetree_bots_ready_total 20",
      "scenetree_open_rooms 3",
      "scenetree_join_ok_rate 0.75",
      "scenetree_join_time_count 4",
      "scenetree_join_time_sum 100",
    ]);
    expect(text).toContain("# TYPE scenetree_bots_ready_total counter\n");
    expect(text).toContain("# HELP scenetree_ws_sessions_total WebSocket sessions opened\n");
    expect(text).toContain("# HELP scenetree_join_time_count Trend join_time (ms).\n");
    // Read at every scrape.
    current = { ...current, running: 0 };
    expect(await (await fetch(server.url)).text()).toContain("scenetree_run_instances_running 0\n");
    expect((await fetch(server.url.replace("/metrics", "/other"))).status).toBe(404);
    expect((await fetch(server.url, { method: "POST" })).status).toBe(405);
  } finally {
    await server.close();
  }
});

test("a port that can't be bound is an input error naming it", async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    const error = await serveMetrics({ port, host: "127.0.0.1", read: reading }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `--metrics-port ${port}: can't serve metrics on 127.0.0.1 (EADDRINUSE).`,
    );
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});
