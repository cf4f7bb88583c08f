/**
 * Smoke test for the benchmarks: every scenario runs with tiny counts, so the scripts cannot rot
 * unnoticed. Figures measured here mean nothing; what is checked is that each scenario completes, that
 * its own integrity checks pass (they throw on a lost, corrupted or reordered message), and that its
 * report renders. Every scenario stops the server processes it started.
 */
import * as tick from "../../bench/tick";
import * as soak from "../../bench/soak";
import * as throughput from "../../bench/ws-throughput";
import * as latency from "../../bench/ws-latency";
import * as reconnect from "../../bench/ws-reconnect";
import * as offline from "../../bench/ws-offline-sends";
import * as scale from "../../bench/ws-scale";
import * as shutdown from "../../bench/shutdown";
import * as fleet from "../../bench/fleet";
import * as fleetParts from "../../bench/fleet-parts";
import { runAll, SCENARIO_NAMES } from "../../bench/run";

const tiny = { tiny: true };

test("tick", () => {
  expect(tick.report(tick.main(tiny))).toContain("processing nodes");
});

test("soak", () => {
  expect(soak.report(soak.main(tiny))).toContain("5,000");
});

test("scene load", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require("../../bench/scene-load") as {
    main(o: { nodes: number; runs: number; print: boolean; godot: boolean }): {
      rows: Array<{ totalMs: number }>;
    };
  };
  const { rows } = module.main({ nodes: 100, runs: 2, print: false, godot: false });
  expect(rows.length).toBeGreaterThan(0);
});

test("throughput: every client receives every message intact and in order", async () => {
  const result = await throughput.main(tiny);
  expect(Object.keys(result.perKind)).toEqual(expect.arrayContaining(["ws", "scenetree", "partysocket"]));
  for (const r of Object.values(result.perKind)) expect(r?.msgPerSec).toBeGreaterThan(0);
  expect(throughput.report(result)).toContain("scenetree");
});

test("latency: echoes come back intact, in order", async () => {
  const result = await latency.main(tiny);
  for (const r of Object.values(result.perKind)) expect(r?.p50Us).toBeGreaterThan(0);
  expect(latency.report(result)).toContain("p50");
});

test("reconnect: every reconnecting client comes back after a restart", async () => {
  const result = await reconnect.main(tiny);
  expect(result.perKind.scenetree?.failures).toBe(0);
  // Held open for less than minUptime, so the backoff streak goes on: no immediate retry here.
  expect(result.perKind.scenetree?.delays.length).toBeGreaterThan(0);
  expect(reconnect.report(result)).toContain("partysocket");
});

test("offline sends: queued messages arrive once, in order; ws reports what it does", async () => {
  const result = await offline.main(tiny);
  expect(result.perKind.scenetree?.ok).toBe(true);
  expect(result.perKind.ws?.delivered).toBe(0);
  expect(offline.report(result)).toContain("delivered");
}, 20_000);

test("scale: many clients open, memory is measured in a fresh process", async () => {
  const result = await scale.main(tiny);
  expect(result.sizes[0].perKind.scenetree?.openMs).toBeGreaterThan(0);
  expect(scale.report(result)).toContain("scenetree");
}, 30_000);

test("shutdown: every socket of a SIGTERMed scenetree run closes with 1001, exit 143", async () => {
  const result = await shutdown.main(tiny);
  expect(result.failures).toBe(0);
  expect(result.exitMs).toHaveLength(1);
  expect(shutdown.report(result)).toContain("signal → exit");
}, 60_000);

test("fleet: 20 bots of a 2-worker fleet and 20 raw ws bots all connect and get their echoes; the fleet's summary counts what the server counted", async () => {
  const result = await fleet.main({ tiny: true });
  expect(result.sizes).toEqual([20]);
  for (const kind of result.kinds) {
    const [sample] = result.samples[kind][20];
    expect(sample.connectMs).toBeGreaterThan(0);
    expect(sample.rssKiB).toBeGreaterThan(0);
  }
  const [checked] = result.samples["scenetree --workers 2"][20];
  expect(checked.counts?.rows.map((row) => row.metric)).toEqual([
    "ws_sessions",
    "ws_msgs_sent",
    "ws_msgs_received",
    "data_sent",
    "data_received",
  ]);
  expect(checked.counts?.rows[0]).toEqual({ metric: "ws_sessions", fleet: 20, server: 20 });
  expect(checked.counts?.ok).toBe(true);
  expect(result.mismatches).toEqual([]);
  expect(fleet.report(result)).toContain("20 x scenetree --workers 2");
  expect(fleet.report(result)).toContain("ws_sessions 20/20 ✓");
}, 60_000);

test("fleet parts: each bot, from a raw ws one in a tree to the WebsocketClient one, connects 20 times and gets its echoes", async () => {
  const result = await fleetParts.main({ count: 20, rounds: 1, tiny: true });
  expect(Object.keys(result.samples)).toEqual(fleetParts.PART_KINDS.map((kind) => kind.name));
  for (const [name, [sample]] of Object.entries(result.samples))
    expect([name, sample.echoesPerBotSecond > 0]).toEqual([name, true]);
  expect(result.mismatches).toEqual([]);
  expect(fleetParts.report(result)).toContain("| scenetree --workers 2, trees, raw ws bot ");
}, 90_000);

test("npm run bench's fleet goals compare the fleet with raw ws in one process, not with the other baselines", async () => {
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const { text, goals } = await runAll({ tiny: true, scenarios: ["fleet"] });
    const ratio = (kind: string) =>
      new RegExp(`\\| 20 x ${kind}\\s*\\| \\d+\\s*\\| ([\\d.]+)x`).exec(text)?.[1];
    const connected = goals.find((g) => g.goal === "20 bots: all connected ≤ 1.3x raw ws");
    expect(connected?.figure).toBe(`${ratio("scenetree --workers 2")}x`);
    expect(text).toContain("20 x ws (2 worker threads)");
    expect(text).toContain("20 x ws (sends from a 60 fps loop)");
  } finally {
    log.mockRestore();
  }
}, 60_000);

test("fleet: a count that differs from the server's is a MISMATCH line", () => {
  const server = { sessions: 3, msgsIn: 10, bytesIn: 40, msgsOut: 13, bytesOut: 55 };
  const counters = {
    ws_sessions: 3,
    ws_msgs_sent: 10,
    ws_msgs_received: 12,
    data_sent: 40,
    data_received: 55,
  };
  const check = fleet.compareCounts(counters, server);
  expect(check.ok).toBe(false);
  expect(fleet.mismatches("10 x fleet", check)).toEqual([
    "MISMATCH 10 x fleet: ws_msgs_received fleet=12 server=13",
  ]);
  expect(fleet.compareCounts({ ...counters, ws_msgs_received: 13 }, server).ok).toBe(true);
  expect(fleet.compareCounts({}, { ...server, msgsIn: 0 }).rows[1]).toEqual({
    metric: "ws_msgs_sent",
    fleet: 0, // a counter the summary lacks counts 0
    server: 0,
  });
});

test("npm run bench runs the metrics and fleet scenarios too", async () => {
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const { goals } = await runAll({ tiny: true, scenarios: ["metrics"] });
    expect(goals.map((g) => g.goal)).toEqual([
      "a tree that never reads metrics makes no registry, loads no histogram library",
      "frame with a busy registry ≤ 1.1x one without",
      "untagged Counter.add ≤ 2x a plain +=",
    ]);
  } finally {
    log.mockRestore();
  }
  expect(SCENARIO_NAMES).toEqual(expect.arrayContaining(["metrics", "fleet"]));
});
