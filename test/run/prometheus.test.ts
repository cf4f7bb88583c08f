import * as net from "node:net";
import { InputError } from "../../src/run/args";
import { METRICS_SERVER_LIMITS, serveMetrics } from "../../src/run/prometheus";
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

test("a metric whose exposed name is taken is left out, whole, with one warning each naming both", async () => {
  const warnings: string[] = [];
  const server = await serveMetrics({
    port: 0,
    host: "127.0.0.1",
    read: () => ({
      running: 1,
      target: 1,
      errors: 0,
      totals: {
        a: { type: "counter", contains: "default", count: 5 }, // scenetree_a_total
        a_total: { type: "gauge", contains: "default", value: 7 },
        c: { type: "rate", contains: "default", passes: 1, total: 2 }, // scenetree_c_rate
        c_rate: { type: "gauge", contains: "default", value: 9 },
        run_instances_running: { type: "gauge", contains: "default", value: 3 },
        run_errors: { type: "counter", contains: "default", count: 4 },
        t_count: { type: "gauge", contains: "default", value: 1 }, // scenetree_t_count…
        t: { type: "trend", contains: "time", count: 2, sum: 10 }, // …so neither of its series
      },
    }),
    warn: (message) => void warnings.push(message),
  });
  try {
    let text = "";
    for (let i = 0; i < 3; i++) text = await (await fetch(server.url)).text();
    expect(text.split("\n").filter((line) => line !== "" && !line.startsWith("#"))).toEqual([
      "scenetree_run_instances_running 1",
      "scenetree_run_instances_target 1",
      "scenetree_run_connections_open 0",
      "scenetree_run_errors_total 0",
      "scenetree_a_total 5",
      "scenetree_c_rate 0.5",
      "scenetree_t_count 1",
    ]);
    // Once per metric, however many scrapes.
    expect(warnings).toEqual([
      "--metrics-port: gauge a_total is not exposed: scenetree_a_total is already counter a (give it another name).",
      "--metrics-port: gauge c_rate is not exposed: scenetree_c_rate is already rate c (give it another name).",
      "--metrics-port: gauge run_instances_running is not exposed: scenetree_run_instances_running is already the run's own (give it another name).",
      "--metrics-port: counter run_errors is not exposed: scenetree_run_errors_total is already the run's own (give it another name).",
      "--metrics-port: trend t is not exposed: scenetree_t_count is already gauge t_count (give it another name).",
    ]);
  } finally {
    await server.close();
  }
});

describe("what one client can hold of the endpoint (a slowloris must not take the bots' descriptors)", () => {
  /** A raw connection: everything it received, once the server has closed it. */
  function connect(port: number, send: string | null) {
    const socket = net.connect(port, "127.0.0.1", () => {
      if (send !== null) socket.write(send);
    });
    let received = "";
    const firstData = new Promise<string>((resolve) =>
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString();
        resolve(received);
      }),
    );
    const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
    socket.on("error", () => undefined); // a reset by the server: `closed` says what came before it
    return { socket, firstData, closed };
  }
  const GET = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  test("the documented limits", () => {
    expect(METRICS_SERVER_LIMITS).toEqual({
      maxConnections: 16,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5000,
    });
  });

  test("16 connections at once: the 17th is closed as soon as it is accepted, unanswered", async () => {
    const server = await serveMetrics({ port: 0, host: "127.0.0.1", read: reading });
    const port = Number(new URL(server.url).port);
    const held = Array.from({ length: 16 }, () => connect(port, GET));
    try {
      // Each was answered and stays open (keep-alive): the server holds all 16.
      for (const { firstData } of held) expect(await firstData).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      const extra = connect(port, GET);
      expect(await extra.closed).toBe("");
      for (const { socket } of held) expect(socket.destroyed).toBe(false);
    } finally {
      for (const { socket } of held) socket.destroy();
      await server.close();
    }
  });

  test("headers that trickle, or never come, are answered 408 and closed at the headers timeout", async () => {
    const server = await serveMetrics({
      port: 0,
      host: "127.0.0.1",
      read: reading,
      limits: { headersTimeoutMs: 200, requestTimeoutMs: 400 },
    });
    const port = Number(new URL(server.url).port);
    try {
      const trickling = connect(port, "GET /metrics HTTP/1.1\r\nX-a: 1\r\n");
      const silent = connect(port, null);
      expect(await trickling.closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(await silent.closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    } finally {
      await server.close();
    }
  });
});
