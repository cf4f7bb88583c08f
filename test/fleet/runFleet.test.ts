import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../src/run/args";
import { NO_RUN_METRICS, type RunMetricsOptions } from "../../src/run/runMetrics";
import { Metrics } from "../../src/metrics/Metrics";
import { createSummary } from "../../src/metrics/summary";
import { parseSummary } from "../../src/metrics/summaryJson";
import { parseThresholdArg } from "../../src/metrics/thresholds";
import { SystemClock, type Clock } from "../../src/core/clock";
import type { FleetOptions } from "../../src/fleet/flags";
import { runFleet } from "../../src/fleet/runFleet";
import { instanceSeed } from "../../src/fleet/seed";
import { captureIo } from "../helpers/captureIo";
import { LOG_BACKLOG_LIMIT } from "../../src/run/cliLogger";

// Workers run the built package (dist/, as `npm test` builds it first): see FleetHost's workerScript.
const ROOT = path.join(__dirname, "..", "..");
const fixture = (name: string) => path.join("test", "fixtures", "fleet", name);

const capture = () => captureIo(ROOT);

const options = (scene: string, more: Partial<FleetOptions> = {}): FleetOptions => ({
  scene: fixture(scene),
  instances: 20,
  workers: 2,
  rampUp: 0,
  duration: null,
  shard: { index: 0, count: 1 },
  seed: 99,
  fps: 60,
  logLevel: "info",
  logFormat: "pretty",
  scripts: [],
  ...more,
});

const records = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("runFleet (worker threads)", () => {
  test("20 instances over 2 workers each run once with their index and seed; every one quits 0 → 0", async () => {
    const io = capture();
    expect(await runFleet(options("probe.scene.json"), io, { handleSignals: false })).toBe(0);
    const ready = records(io.out)
      .filter((r) => "label" in r)
      .sort((a, b) => (a.index as number) - (b.index as number));
    expect(ready.map(({ index, count, seed, label }) => ({ index, count, seed, label }))).toEqual(
      Array.from({ length: 20 }, (_, index) => {
        const seed = instanceSeed(99, index);
        return { index, count: 20, seed, label: `bot-${index}-of-20 seed ${seed} {other}` };
      }),
    );
    expect(io.err).toBe(
      "Running 20 instances on 2 workers, seed 99.\nFleet done: 20 of 20 instances quit with 0.\n",
    );
  });

  test("a shard runs only its own instances, with their global indices", async () => {
    const io = capture();
    const code = await runFleet(
      options("probe.scene.json", { instances: 10, shard: { index: 1, count: 3 } }),
      io,
      {
        handleSignals: false,
      },
    );
    expect(code).toBe(0);
    const indices = records(io.out)
      .filter((r) => "label" in r)
      .map((r) => r.index)
      .sort();
    expect(indices).toEqual([1, 4, 7]);
    expect(io.err).toContain("Running 10 instances (shard 1/3: 3) on 2 workers, seed 99.");
  });

  test("the largest --instances (4294967295) runs: planning it costs no list, only the instances that start do", async () => {
    const io = capture();
    const more = { instances: 4294967295, duration: 0.001, shard: { index: 2, count: 3 } };
    expect(await runFleet(options("staying.scene.json", more), io, { handleSignals: false })).toBe(0);
    expect(io.err).toContain("Running 4294967295 instances (shard 2/3: 1431655765) on 2 workers, seed 99.");
    // --duration came first: a batch or two per worker started, the rest never did.
    const done = /Fleet done: (\d+) of 1431655765 instances quit with 0, (\d+) never started\./.exec(io.err);
    expect(done).not.toBeNull();
    expect(Number(done![1]) + Number(done![2])).toBe(1431655765);
    expect(Number(done![1])).toBeGreaterThan(0);
  });

  test("--scripts modules are imported in every worker too, before the scene", async () => {
    const io = capture();
    const more = { instances: 4, scripts: [fixture("fleetTypes.ts")] };
    expect(await runFleet(options("no-scripts.scene.json", more), io, { handleSignals: false })).toBe(0);
    const labels = records(io.out)
      .map((r) => r.label)
      .sort();
    expect(labels).toEqual([0, 1, 2, 3].map((i) => `from --scripts ${i}`));
  });

  test("one instance quitting with 1 → 1", async () => {
    const io = capture();
    expect(
      await runFleet(options("failing.scene.json", { instances: 5 }), io, { handleSignals: false }),
    ).toBe(1);
    expect(io.err).toContain("Fleet done: 4 of 5 instances quit with 0, 1 failed (instance 3 quit with 1).");
  });

  test("many failures: the end names the five lowest instances and their codes", async () => {
    const io = capture();
    expect(
      await runFleet(options("many-failing.scene.json", { instances: 12 }), io, { handleSignals: false }),
    ).toBe(1);
    expect(io.err).toContain(
      "Fleet done: 5 of 12 instances quit with 0, 7 failed (instance 2 quit with 1, instance 3 with 1, " +
        "instance 4 with 1, instance 6 with 1, instance 7 with 1, …).",
    );
  });

  test("an instance's error reaches stderr with its index; that instance fails → 1", async () => {
    const io = capture();
    expect(
      await runFleet(options("exploding.scene.json", { instances: 4, fps: 1000 }), io, {
        handleSignals: false,
      }),
    ).toBe(1);
    expect(io.err).toContain(
      "[instance 2] ERROR: Building the scene failed: " +
        `${path.join(ROOT, fixture("exploding.scene.json"))}:4:11  root  ERR_INSTANTIATE: Creating the node failed: throwWhen 2=2\n`,
    );
    expect(io.err).toContain(
      "Fleet done: 3 of 4 instances quit with 0, 1 failed (instance 2 quit with 1), 1 error reported.",
    );
  });

  test("errors that user code throws are reported and counted at the end; they do not change the exit code", async () => {
    const io = capture();
    expect(
      await runFleet(options("throwing.scene.json", { instances: 6, fps: 1000 }), io, {
        handleSignals: false,
      }),
    ).toBe(0);
    for (const index of [1, 3, 4]) {
      expect(io.err).toMatch(new RegExp(`\\[instance ${index}\\] ERROR: .*thrown by instance ${index}`));
    }
    expect(io.err).toContain("Fleet done: 6 of 6 instances quit with 0, 3 errors reported.");
  });

  test("an instance's error line comes after the lines its nodes logged before it threw", async () => {
    const io = capture();
    const more = { instances: 4, scene: fixture("saying-throwing.scene.json") };
    expect(await runFleet(options("", more), io, { handleSignals: false })).toBe(0);
    const lines = io.err.split("\n");
    for (const index of [0, 1, 2, 3]) {
      const said = lines.indexOf(`[${index}] /root/Probe: info: about to throw`);
      const error = lines.findIndex((line) => line.startsWith(`[instance ${index}] ERROR: `));
      expect([index, said >= 0, error > said]).toEqual([index, true, true]);
    }
  });

  test("a crashed worker fails its instances → 1, and the fleet still ends", async () => {
    const io = capture();
    expect(
      await runFleet(options("crashing.scene.json", { instances: 4 }), io, { handleSignals: false }),
    ).toBe(1);
    expect(io.err).toMatch(/Worker [01] crashed: Error: crash in a timer/);
    expect(io.err).toContain("Fleet done: 0 of 4 instances quit with 0, 4 failed, 2 worker(s) crashed.");
  });

  test("an invalid scene → 2, reported once as `scenetree run` reports it, before any instance starts", async () => {
    const io = capture();
    const scene = path.join("test", "fixtures", "scenes", "unknown-type.scene.json");
    expect(await runFleet({ ...options("x"), scene }, io, { handleSignals: false })).toBe(2);
    expect(io.err.split("\n")[0]).toBe(
      `${scene}:6:41  root.children[0].type  ERR_UNKNOWN_TYPE: Unknown node type "Timre".`,
    );
    expect(io.err).toMatch(/\n1 problem found\.\n$/);
    expect(io.err).not.toContain("Running");
    expect(io.out).toBe("");
  });

  test("a --scripts module that throws is the InputError `scenetree run` gives, thrown once", async () => {
    const io = capture();
    const more = { instances: 4, scripts: [path.join("test", "fixtures", "cli", "throwing.ts")] };
    await expect(
      runFleet(options("no-scripts.scene.json", more), io, { handleSignals: false }),
    ).rejects.toThrow(
      new InputError(
        "Importing test/fixtures/cli/throwing.ts failed: greeter config is missing " +
          `(at ${path.join(ROOT, "test", "fixtures", "cli", "throwing.ts")}:2:7)`,
      ),
    );
    expect([io.out, io.err]).toEqual(["", ""]);
  });

  test("a --metrics-port that can't be bound stops the run before any instance starts (the workers had loaded)", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const io = capture();
      const more = { metrics: { ...NO_RUN_METRICS, metricsPort: port } };
      await expect(runFleet(options("probe.scene.json", more), io, { handleSignals: false })).rejects.toThrow(
        new InputError(`--metrics-port ${port}: can't serve metrics on 127.0.0.1 (EADDRINUSE).`),
      );
      expect(io.err).toBe(""); // validated by the workers, then refused before the run is announced
      expect(io.out).toBe(""); // no probe reported: no instance ran
    } finally {
      taken.close();
    }
  });
});

describe("runFleet: metrics", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-metrics-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const metrics = (more: Partial<RunMetricsOptions>): RunMetricsOptions => ({ ...NO_RUN_METRICS, ...more });

  test("20 instances on 2 workers: the workers' summaries merge exactly, counters are the sums of every instance's", async () => {
    const io = capture();
    const out = path.join(dir, "fleet.json");
    const code = await runFleet(
      options("metrics.scene.json", { metrics: metrics({ summaryJson: out }) }),
      io,
      {
        handleSignals: false,
      },
    );
    expect(code).toBe(0);
    const summary = parseSummary(fs.readFileSync(out, "utf8"));
    expect(summary.sources).toBe(1); // one run, however many workers
    expect(summary.metrics.probe_ready.data).toEqual({ count: 20 });
    expect(summary.metrics.probe_index.data).toEqual({ count: 210 }); // 1 + 2 + … + 20
    expect(summary.metrics.probe_time.data).toMatchObject({ count: 20, sum: 190, min: 0, max: 19 });
    // The merged histogram answers as one registry fed all 20 samples would.
    const one = new Metrics();
    for (let i = 0; i < 20; i++) one.trend("probe_time", { contains: "time" }).add(i);
    const { values } = createSummary(one).metrics.probe_time;
    for (const key of ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"])
      expect([key, summary.metrics.probe_time.values[key]]).toEqual([key, values[key]]);
    expect(summary.thresholds).toEqual([
      { metric: "probe_ready", source: "count>0", ok: true, value: 20, recorded: true },
    ]);
    // The same summary, on stdout, after the fleet's own lines on stderr.
    expect(io.out).toContain("    probe_ready\n    ✓ 'count>0' count=20\n");
    expect(io.out).toMatch(/\n {4}probe_index\.+: 210 /);
    expect(io.out).not.toContain("summaries merged");
    expect(io.err).toBe(
      "Running 20 instances on 2 workers, seed 99.\nFleet done: 20 of 20 instances quit with 0.\n",
    );
  });

  test("thresholds: a crossed one → 99 after the summary; an instance that failed → 1 all the same", async () => {
    const io = capture();
    const thresholds = [parseThresholdArg("probe_index:count<100")];
    expect(
      await runFleet(options("metrics.scene.json", { metrics: metrics({ thresholds }) }), io, {
        handleSignals: false,
      }),
    ).toBe(99);
    expect(io.out).toContain("    probe_index\n    ✗ 'count<100' count=210\n");
    expect(io.err).toContain("scenetree run: 1 of 2 thresholds failed (probe_index).\n");
    const failed = capture();
    expect(
      await runFleet(options("metrics-exit1.scene.json", { instances: 4 }), failed, { handleSignals: false }),
    ).toBe(1);
    expect(failed.out).toContain("✗ 'count>5' count=4");
  });

  test("the status line, not on a terminal: one plain line per interval on stderr, from the workers' counts", async () => {
    const io = capture();
    // Real time, 100x faster for the status line only: its 10 s interval passes every 100 ms.
    const system = new SystemClock();
    const fast: Clock = {
      now: () => system.now() * 100,
      schedule: (run, ms) => system.schedule(run, ms / 100),
    };
    const code = await runFleet(options("metrics-staying.scene.json", { duration: 3 }), io, {
      handleSignals: false,
      clock: fast,
    });
    expect(code).toBe(0);
    const lines = io.err.split("\n").filter((line) => line.startsWith("["));
    expect(lines.length).toBeGreaterThan(0);
    const shape =
      /^\[\d+(m\d+(\.\d)?)?s\] \d+\/20 running, 0 open, in 0\/s, out 0\/s, 0 reconnects, 0 errors$/;
    for (const line of lines) expect(line).toMatch(shape);
    expect(lines.some((line) => line.includes(" 20/20 running,"))).toBe(true);
    expect(io.out).toMatch(/\n {4}probe_ready\.+: 20 /); // --duration ends with the summary too
    const quiet = capture();
    const more = { duration: 0.5, metrics: metrics({ quiet: true }) };
    await runFleet(options("metrics-staying.scene.json", more), quiet, { handleSignals: false, clock: fast });
    expect(quiet.err).not.toMatch(/^\[/m);
  });

  test("an empty shard writes an empty summary, so a merge of every shard's file finds them all", async () => {
    const io = capture();
    const out = path.join(dir, "empty.json");
    const more = { instances: 2, shard: { index: 3, count: 4 }, metrics: metrics({ summaryJson: out }) };
    expect(await runFleet(options("metrics.scene.json", more), io, { handleSignals: false })).toBe(99);
    const summary = parseSummary(fs.readFileSync(out, "utf8"));
    expect(summary.metrics).toEqual({});
    // Its thresholds hold it to what it ran: nothing, so the scene's count>0 fails here, as anywhere.
    expect(summary.thresholds).toEqual([
      { metric: "probe_ready", source: "count>0", ok: false, value: 0, recorded: false },
    ]);
    expect(io.err).toContain("Shard 3/4 of 2 instances is empty.");
    // Which shard of which fleet it is, for a merge to check.
    expect(summary.shard).toEqual({ index: 3, count: 4, instances: 2, seed: 99 });
  });

  test("a stderr that does not keep up: the log lines, the workers' too, are dropped and counted, not queued", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-backlog-"));
    const scene = path.join(dir, "dead.scene.json");
    const props = { connectionUrl: "ws://127.0.0.1:1/", autoReconnect: true, reconnectDelay: 0.05 };
    fs.writeFileSync(
      scene,
      JSON.stringify({ format: 1, root: { name: "Bot", type: "WebsocketClient", props } }),
    );
    try {
      const io = Object.assign(capture(), { stderrBacklog: () => LOG_BACKLOG_LIMIT + 1 });
      const more = { scene, instances: 2, duration: 0.3, logLevel: "debug" as const };
      expect(await runFleet(options("", more), io, { handleSignals: false })).toBe(0);
      // Every line dropped, the workers' connect failures among them; one report at the end.
      const report = /^… (\d+) log lines were dropped: stderr was not keeping up\.\n$/.exec(io.err);
      expect(report).not.toBeNull();
      expect(Number(report![1])).toBeGreaterThan(6); // the fleet's own 5, and its bots' lines
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
