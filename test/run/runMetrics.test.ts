import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError } from "../../src/run/args";
import * as net from "node:net";
import {
  bindMetricsPort,
  finishRun,
  NO_RUN_METRICS,
  parseRunMetricsFlags,
  runThresholds,
  startLive,
} from "../../src/run/runMetrics";
import { InputError } from "../../src/run/args";
import { createCliLogger } from "../../src/run/cliLogger";
import { Metrics } from "../../src/metrics/Metrics";
import { createSummary } from "../../src/metrics/summary";
import { parseSummary } from "../../src/metrics/summaryJson";
import { parseThresholdArg } from "../../src/metrics/thresholds";
import { runCliCaptured } from "../helpers/captureIo";
import { TestClock } from "../../src/core/clock";

// One tree, in this process: the probe records its metrics in _ready and quits at once.
const ROOT = path.join(__dirname, "..", "..");
const fixture = (name: string) => path.join("test", "fixtures", "fleet", name);

const cli = (args: string[]) => runCliCaptured(args, ROOT);

let dir: string;
// InstanceProbe reports here instead of printing (see fleetTypes.ts).
let probes: Array<Record<string, unknown>>;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-metrics-"));
  probes = (globalThis as { fleetProbe?: typeof probes }).fleetProbe = [];
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  delete (globalThis as { fleetProbe?: unknown }).fleetProbe;
});

describe("scenetree run: the summary of one tree", () => {
  test("a scene that records metrics ends with the summary; --summary-json round-trips through scenetree merge", async () => {
    const out = path.join(dir, "run.json");
    const run = await cli(["run", fixture("metrics.scene.json"), "--summary-json", out]);
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toMatch(/^ {2}█ THRESHOLDS\n\n {4}probe_ready\n {4}✓ 'count>0' count=1\n/);
    expect(run.stdout).toMatch(/\n {2}█ TOTAL RESULTS \([^)]+\)\n\n {4}CUSTOM\n {4}probe_index\.+: 1 /);
    expect(run.stdout).toContain("probe_time....: count=1 avg=0s min=0s med=0s");
    const summary = parseSummary(fs.readFileSync(out, "utf8"));
    expect(summary.metrics.probe_ready.values.count).toBe(1);
    expect(summary.metrics.probe_time.data).toMatchObject({ count: 1, sum: 0, hdr: expect.any(String) });
    expect(summary.thresholds).toEqual([
      { metric: "probe_ready", source: "count>0", ok: true, value: 1, recorded: true },
    ]);
    // The file holds what was printed: merging it alone prints the same summary, thresholds and all.
    const merged = await cli(["merge", out]);
    expect([merged.code, merged.stdout]).toEqual([0, run.stdout]);
  });

  test("a plain scene prints nothing new: no metric, no threshold, no summary", async () => {
    const run = await cli(["run", fixture("staying.scene.json"), "--quit-after", "0.05"]);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(probes.map((p) => Object.keys(p)[0])).toEqual(["index", "exitTree"]); // it did run
  });

  test("--summary-json alone writes the (empty) summary of a plain scene, printing nothing", async () => {
    const out = path.join(dir, "plain.json");
    const run = await cli([
      "run",
      fixture("staying.scene.json"),
      "--quit-after",
      "0.05",
      "--summary-json",
      out,
    ]);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(parseSummary(fs.readFileSync(out, "utf8")).metrics).toEqual({});
  });

  test("--threshold: a failing one → exit 99 after the summary shows ✗; passing ones → 0", async () => {
    const failing = await cli([
      "run",
      fixture("metrics.scene.json"),
      "--threshold",
      "probe_index:count>1",
      "--threshold",
      "probe_time:max<5",
    ]);
    expect(failing.code).toBe(99);
    expect(failing.stdout).toContain("    probe_index\n    ✗ 'count>1' count=1\n");
    expect(failing.stdout).toContain("    probe_time\n    ✓ 'max<5' max=0s\n");
    expect(failing.stdout).toContain("    probe_ready\n    ✓ 'count>0' count=1\n"); // the scene file's, too
    expect(failing.stderr).toBe("scenetree run: 1 of 3 thresholds failed (probe_index).\n");
    const passing = await cli(["run", fixture("metrics.scene.json"), "--threshold", "probe_index:count==1"]);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain("✓ 'count==1' count=1");
  });

  test("the scene file's thresholds: a failing one → 99", async () => {
    const run = await cli(["run", fixture("metrics-failing.scene.json")]);
    expect(run.code).toBe(99);
    expect(run.stdout).toContain("    probe_ready\n    ✗ 'count>5' count=1\n");
    expect(run.stdout).toContain("    probe_time\n    ✓ 'max<1000' max=0s\n");
    expect(run.stderr).toBe("scenetree run: 1 of 2 thresholds failed (probe_ready).\n");
  });

  test("k6's rule: a run that failed keeps its own exit code; its crossed thresholds are only shown", async () => {
    const run = await cli(["run", fixture("metrics-exit1.scene.json")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✗ 'count>5' count=1");
    expect(run.stderr).toBe("scenetree run: 1 of 1 thresholds failed (probe_ready).\n");
  });

  test("thresholds on the command line are checked before anything runs: exit 2, pointing at the mistake", async () => {
    const bad = await cli(["run", fixture("metrics.scene.json"), "--threshold", "probe_time:p(95<10"]);
    expect([bad.code, bad.stdout]).toEqual([2, ""]);
    expect(bad.stderr).toBe(
      'scenetree: --threshold: ERR_THRESHOLD_METHOD: Unknown aggregation method "p(95": use count, rate, value, avg, min, max, med or p(N). Did you mean p(95)?\n' +
        "    probe_time:p(95<10\n" +
        "               ^^^^\n" +
        'Run "scenetree run --help" for usage.\n',
    );
    const kind = await cli(["run", fixture("metrics.scene.json"), "--threshold", "ws_sessions:p(95)<10"]);
    expect([kind.code, kind.stdout]).toEqual([2, ""]);
    expect(kind.stderr).toContain("ERR_THRESHOLD_UNSUPPORTED: ws_sessions is a counter: it has no p(95).");
  });

  test("a --summary-json that can't be created → exit 2 before the run, in one line, and no file left", async () => {
    const long = path.join(dir, `${"a".repeat(300)}.json`);
    for (const [file, why] of [
      [long, "name too long (ENAMETOOLONG)"],
      ["/proc/x.json", "no such file or directory (ENOENT)"],
    ]) {
      const run = await cli(["run", fixture("metrics.scene.json"), "--summary-json", file]);
      expect([run.code, run.stdout, probes, run.stderr]).toEqual([
        2,
        "",
        [],
        `scenetree: Can't write ${file}: ${why}.\n`,
      ]);
    }
    // One that can: the run writes it; nothing else is left in the folder.
    const out = path.join(dir, "s.json");
    expect((await cli(["run", fixture("metrics.scene.json"), "--summary-json", out])).code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(["s.json"]);
  });

  test('--metrics-host "" (an unset variable) → exit 2 before the run, not every interface', async () => {
    const run = await cli([
      "run",
      fixture("metrics.scene.json"),
      "--metrics-port",
      "0",
      "--metrics-host",
      "",
    ]);
    expect([run.code, run.stdout, probes]).toEqual([2, "", []]);
    expect(run.stderr).toMatch(/^scenetree: --metrics-host needs an address or a host name, got ""/);
  });

  test("a --threshold whose value is past Number.MAX_VALUE (Infinity once read, always passing) → exit 2 before the run", async () => {
    for (const value of ["1e400", "9".repeat(100_000)]) {
      const run = await cli([
        "run",
        fixture("metrics.scene.json"),
        "--threshold",
        `probe_time:p(95)<${value}`,
      ]);
      expect([run.code, run.stdout, probes]).toEqual([2, "", []]);
      expect(run.stderr).toMatch(
        /^scenetree: --threshold: ERR_THRESHOLD_VALUE: ("1e400"|"9{20}…" \(100000 characters\)) is too large: /,
      );
    }
  });

  test("a --threshold on a misspelt built-in metric: a warning when the run starts, the exit code unchanged", async () => {
    const run = await cli(["run", fixture("metrics.scene.json"), "--threshold", "ws_conect_failed:count<1"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("    ws_conect_failed\n    ✓ 'count<1' count=0 (not recorded)\n");
    expect(run.stderr).toBe(
      "--threshold ws_conect_failed: not a built-in metric; did you mean ws_connect_failed? " +
        "(a metric of your own is fine: it is judged when the run has recorded it)\n",
    );
    // At warn level, through the run's logger: --log-level error silences it, json makes it a record.
    const silenced = await cli([
      "run",
      fixture("metrics.scene.json"),
      "--threshold",
      "ws_conect_failed:count<1",
      "--log-level",
      "error",
    ]);
    expect([silenced.code, silenced.stderr]).toEqual([0, ""]);
    const json = await cli([
      "run",
      fixture("metrics.scene.json"),
      "--threshold",
      "ws_conect_failed:count<1",
      "--log-format",
      "json",
    ]);
    expect(JSON.parse(json.stderr)).toMatchObject({
      level: 40,
      msg: expect.stringMatching(/^--threshold ws_conect_failed: /),
    });
  });

  test("a threshold that does not fit a metric of the scene's own is found at the end: summary, then exit 2", async () => {
    const run = await cli(["run", fixture("metrics.scene.json"), "--threshold", "probe_index:p(95)<10"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("probe_index...: 1 ");
    expect(run.stderr).toContain(
      "scenetree run: thresholds: ERR_THRESHOLD_UNSUPPORTED: probe_index is a counter: it has no p(95).",
    );
  });
});

describe("parseRunMetricsFlags", () => {
  const usage = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error("no error");
  };

  test("defaults, and every flag read", () => {
    expect(parseRunMetricsFlags({}, ROOT)).toEqual(NO_RUN_METRICS);
    const options = parseRunMetricsFlags(
      {
        threshold: ["ws_connecting:p(95)<500"],
        "summary-json": path.join(dir, "s.json"),
        quiet: true,
        "metrics-port": "0",
        "metrics-host": "0.0.0.0",
      },
      ROOT,
    );
    expect(options).toMatchObject({ quiet: true, metricsPort: 0, metricsHost: "0.0.0.0" });
    expect(options.thresholds.map((t) => [t.metric, t.expression.source])).toEqual([
      ["ws_connecting", "p(95)<500"],
    ]);
  });

  test("mistakes are usage errors", () => {
    expect(usage(() => parseRunMetricsFlags({ "metrics-port": "70000" }, ROOT))).toBe(
      '--metrics-port needs a port from 0 to 65535, got "70000".',
    );
    expect(usage(() => parseRunMetricsFlags({ "metrics-port": "http" }, ROOT))).toMatch(
      /^--metrics-port needs/,
    );
    expect(usage(() => parseRunMetricsFlags({ "metrics-host": "0.0.0.0" }, ROOT))).toBe(
      "--metrics-host needs --metrics-port PORT.",
    );
    // An unset $VAR: Node would listen on every interface.
    for (const host of ["", "  "])
      expect(usage(() => parseRunMetricsFlags({ "metrics-port": "0", "metrics-host": host }, ROOT))).toBe(
        `--metrics-host needs an address or a host name, got "${host}" (an unset variable?): leave it out for 127.0.0.1, or give 0.0.0.0 for every interface.`,
      );
    // The short IPv4 forms the system expands: "0" would be 0.0.0.0.
    for (const host of ["0", "00", "0.0", "0x0", "127.1", "2130706433", "0177.0.0.1"])
      expect(usage(() => parseRunMetricsFlags({ "metrics-port": "0", "metrics-host": host }, ROOT))).toBe(
        `--metrics-host "${host}" is an IPv4 address in short form, which the system expands ("0" is 0.0.0.0: every interface); write the address in full, such as 127.0.0.1 or 0.0.0.0.`,
      );
    // Four numbers, one past 255: no address at all, not a short form the system would expand.
    for (const host of ["999.1.1.1", "10.0.0.256"])
      expect(usage(() => parseRunMetricsFlags({ "metrics-port": "0", "metrics-host": host }, ROOT))).toBe(
        `--metrics-host "${host}" is not an IPv4 address: each of its four numbers is 0 to 255.`,
      );
    for (const host of ["0.0.0.0", "127.0.0.1", "::", "::1", "localhost", "metrics.example.com", "10.0.0.7"])
      expect(parseRunMetricsFlags({ "metrics-port": "0", "metrics-host": host }, ROOT).metricsHost).toBe(
        host,
      );
    expect(() => parseRunMetricsFlags({ "summary-json": "no/such/folder/s.json" }, ROOT)).toThrow(
      'Can\'t write no/such/folder/s.json: the folder "no/such/folder" does not exist.',
    );
  });
});

describe("runThresholds: the --thresholds, then the scene's, with a warning for a misspelt built-in name", () => {
  const HINT = "(a metric of your own is fine: it is judged when the run has recorded it)";
  const collect = (cli: string[], scene: Record<string, string[]>) => {
    const warnings: string[] = [];
    const options = { ...NO_RUN_METRICS, thresholds: cli.map(parseThresholdArg) };
    const thresholds = runThresholds(options, scene, { warn: (text: string) => void warnings.push(text) });
    return { thresholds: thresholds.map((t) => `${t.metric}:${t.expression.source}`), warnings };
  };

  test("each misspelt name once, from either source; built-in names and names of one's own pass quietly", () => {
    const { thresholds, warnings } = collect(
      [
        "ws_conect_failed:count<1",
        "ws_conect_failed:count<2",
        "ws_connecting:p(95)<500",
        "join_time:p(95)<250",
      ],
      {
        "WS_PING{url:ws://a}": ["p(99)<50"],
        ws_sesions: ["count>0"],
        join_ok: ["rate>0.99"],
        ws_ping: ["max<1"],
      },
    );
    expect(thresholds).toEqual([
      "ws_conect_failed:count<1",
      "ws_conect_failed:count<2",
      "ws_connecting:p(95)<500",
      "join_time:p(95)<250",
      "WS_PING{url:ws://a}:p(99)<50",
      "ws_sesions:count>0",
      "join_ok:rate>0.99",
      "ws_ping:max<1",
    ]);
    expect(warnings).toEqual([
      `--threshold ws_conect_failed: not a built-in metric; did you mean ws_connect_failed? ${HINT}`,
      `scene "thresholds" WS_PING: not a built-in metric; did you mean ws_ping? ${HINT}`,
      `scene "thresholds" ws_sesions: not a built-in metric; did you mean ws_sessions? ${HINT}`,
    ]);
  });

  test("more than two edits away is a metric of one's own: no warning", () => {
    expect(collect(["ws_conn_fail:count<1", "data_snt_x:count<1", "ws_msgs:count<1"], {}).warnings).toEqual(
      [],
    );
    expect(collect(["data_snt:count<1"], {}).warnings).toHaveLength(1); // one edit from data_sent
  });
});

describe("finishRun: the exit code", () => {
  const silent = { stdout: () => undefined, stderr: () => undefined, cwd: ROOT };
  const log = createCliLogger(silent, "silent", "pretty");
  const summary = () => {
    const metrics = new Metrics();
    metrics.counter("errors").add(2);
    return createSummary(metrics);
  };
  const finish = (runCode: number, ...thresholds: string[]) =>
    finishRun(
      summary(),
      thresholds.map(parseThresholdArg),
      { print: false, summaryJson: null, runCode },
      silent,
      log,
    );

  test.each([
    [0, [], 0],
    [0, ["errors:count<5"], 0],
    [0, ["errors:count<1"], 99],
    [1, ["errors:count<1"], 1], // an instance failed: that wins
    [143, ["errors:count<1"], 143], // stopped by SIGTERM
    [143, [], 143],
    [0, ["errors:p(95)<1"], 2], // a threshold that does not fit its metric
  ] as const)("run code %d with %j → %d", (runCode, thresholds, expected) => {
    expect(finish(runCode, ...thresholds)).toBe(expected);
  });

  test("a --summary-json that can't be written at the end (the folder checked before) is a failure: 1", () => {
    const errors: string[] = [];
    const io = { ...silent, stderr: (text: string) => void errors.push(text) };
    const loud = createCliLogger(io, "error", "pretty");
    const code = finishRun(summary(), [], { print: false, summaryJson: "/dev/full", runCode: 0 }, io, loud);
    expect(code).toBe(1);
    expect(errors.join("")).toContain("scenetree run: --summary-json: ");
  });

  test("every write failure at the end is one line naming the file and the system's reason, exit 1", () => {
    const long = `${"a".repeat(300)}.json`;
    for (const [file, why] of [
      [long, /name too long \(ENAMETOOLONG\)/],
      ["/proc/x.json", /no such file or directory \(ENOENT\)/],
      ["/proc/version", /i\/o error \(EIO\)|permission denied/],
    ] as const) {
      const errors: string[] = [];
      const io = { ...silent, stderr: (text: string) => void errors.push(text) };
      const loud = createCliLogger(io, "error", "pretty");
      expect(finishRun(summary(), [], { print: false, summaryJson: file, runCode: 0 }, io, loud)).toBe(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        new RegExp(
          `^scenetree run: --summary-json: Can't write ${file.replace(/[./]/g, "\\$&")}: (${why.source})\\.\n$`,
        ),
      );
    }
  });
});

describe("bindMetricsPort, then startLive (a fleet binds while its workers load)", () => {
  const reading = () => ({ running: 0, target: 1, totals: {}, errors: 0 });
  const quiet = { ...NO_RUN_METRICS, quiet: true };
  const noWarnings = { warn: (message: string) => expect(message).toBeUndefined() };

  test("without --metrics-port there is nothing to bind", async () => {
    expect(await bindMetricsPort(quiet, reading, noWarnings)).toBeNull();
  });

  test("startLive takes the server bound beforehand and prints its address then", async () => {
    let err = "";
    const io = { stdout: () => undefined, stderr: (text: string) => void (err += text), cwd: os.tmpdir() };
    const options = { ...quiet, metricsPort: 0 };
    const binding = bindMetricsPort(options, reading, noWarnings);
    await binding;
    expect(err).toBe(""); // bound, but not announced yet
    const live = await startLive(options, io, createCliLogger(io, "info", "pretty"), "info", {
      read: reading,
      server: binding,
    });
    expect(err).toMatch(/^Metrics \(Prometheus\) at http:\/\/127\.0\.0\.1:\d+\/metrics\n$/);
    await live.stop();
  });

  test("not on a terminal, the status line goes through the run's logger: a record with --log-format json", async () => {
    for (const format of ["json", "pretty"] as const) {
      let err = "";
      const io = { stdout: () => undefined, stderr: (text: string) => void (err += text), cwd: os.tmpdir() };
      const clock = new TestClock();
      const log = createCliLogger(io, "info", format);
      const live = await startLive(NO_RUN_METRICS, io, log, "info", { read: reading, clock });
      clock.advance(10_000);
      await live.stop();
      const line = "[10s] 0/1 running, 0 open, in 0/s, out 0/s, 0 reconnects, 0 errors";
      if (format === "pretty") expect(err).toBe(`${line}\n`);
      else expect(JSON.parse(err)).toEqual(expect.objectContaining({ level: 30, msg: line }));
    }
  });

  test("a metric left out of a scrape (its exposed name taken) is a warning on the run's log, once", async () => {
    const warnings: string[] = [];
    const totals = {
      run_errors: { type: "counter", contains: "default", count: 1 }, // scenetree_run_errors_total
    } as const;
    const options = { ...quiet, metricsPort: 0 };
    const server = await bindMetricsPort(options, () => ({ ...reading(), totals }), {
      warn: (message) => void warnings.push(message),
    });
    try {
      for (let i = 0; i < 2; i++) await (await fetch(server!.url)).text();
      expect(warnings).toEqual([
        "--metrics-port: counter run_errors is not exposed: scenetree_run_errors_total is already the run's own (give it another name).",
      ]);
    } finally {
      await server?.close();
    }
  });

  test("a port that can't be bound: the failure waits for startLive, which throws it", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const io = { stdout: () => undefined, stderr: () => undefined, cwd: os.tmpdir() };
      const options = { ...quiet, metricsPort: port };
      const binding = bindMetricsPort(options, reading, noWarnings);
      await binding.catch(() => undefined); // it has failed, and no unhandled rejection was reported
      await expect(
        startLive(options, io, createCliLogger(io, "info", "pretty"), "info", {
          read: reading,
          server: binding,
        }),
      ).rejects.toThrow(InputError);
    } finally {
      taken.close();
    }
  });
});
