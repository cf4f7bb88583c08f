import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WebSocketServer } from "ws";
import { instanceSeed } from "../../src/fleet/seed";

// The real CLI in a child process: worker threads, signals and sockets as users get them.
const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");
const fixture = (name: string) => path.join("test", "fixtures", "fleet", name);

interface Run {
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
  /** Resolves once stdout holds `count` lines matching `pattern`. */
  lines: (pattern: RegExp, count: number) => Promise<void>;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  const watchers: Array<() => boolean> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    for (let i = watchers.length - 1; i >= 0; i--) if (watchers[i]()) watchers.splice(i, 1);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  return {
    code,
    stdout: () => stdout,
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
    lines: (pattern, count) =>
      new Promise((resolve) => {
        const check = () => {
          const done = stdout.split("\n").filter((line) => pattern.test(line)).length >= count;
          if (done) resolve();
          return done;
        };
        if (!check()) watchers.push(check);
      }),
  };
}

/** The run's `/metrics` text once it contains `wanted` (the address read from the run's stderr). */
async function scrapeUntil(run: Run, wanted: string): Promise<string> {
  let url: string | undefined;
  for (let i = 0; i < 300 && !url; i++) {
    url = /Metrics \(Prometheus\) at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(run.stderr())?.[1];
    if (!url) await new Promise((r) => setTimeout(r, 100));
  }
  expect(url).toBeDefined();
  let text = "";
  for (let i = 0; i < 300 && !text.includes(wanted); i++) {
    text = await (await fetch(url!)).text();
    if (!text.includes(wanted)) await new Promise((r) => setTimeout(r, 100));
  }
  return text;
}

const jsonLines = (text: string) =>
  text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, number>);

describe("scenetree run --instances (child process)", () => {
  test("--duration: every one of 20 bots over 2 workers connects, then closes 1001 when the time is up → 0", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => wss.once("listening", resolve));
    const port = (wss.address() as { port: number }).port;
    const opened: string[] = [];
    const closed: Array<[path: string, code: number]> = [];
    wss.on("connection", (socket, request) => {
      opened.push(request.url ?? "");
      socket.on("close", (code) => closed.push([request.url ?? "", code]));
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-cli-"));
    const scene = path.join(dir, "bot.scene.json");
    fs.writeFileSync(
      scene,
      JSON.stringify({
        format: 1,
        root: {
          name: "Bot",
          type: "WebsocketClient",
          props: { connectionUrl: `ws://127.0.0.1:${port}/bot/{index}`, autoReconnect: true },
        },
      }),
    );
    try {
      const run = cli(["run", scene, "--instances", "20", "--workers", "2", "--duration", "2"]);
      expect(await run.code).toBe(0);
      // The server may see the last close frames a moment after the client process has gone.
      for (let i = 0; i < 200 && closed.length < 20; i++) await new Promise((r) => setTimeout(r, 10));
      const bots = Array.from({ length: 20 }, (_, i) => `/bot/${i}`);
      expect([...opened].sort()).toEqual([...bots].sort());
      expect(closed.map(([, code]) => code)).toEqual(Array(20).fill(1001));
      expect(closed.map(([url]) => url).sort()).toEqual([...bots].sort());
      expect(run.stderr()).toContain("Fleet done: 20 of 20 instances quit with 0.");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await new Promise((resolve) => wss.close(resolve));
    }
  });

  test("--log-level and --log-format reach every worker's trees: the WebSocket nodes' debug lines, with the instance", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => wss.once("listening", resolve));
    const port = (wss.address() as { port: number }).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-logs-"));
    const scene = path.join(dir, "bot.scene.json");
    const url = `ws://127.0.0.1:${port}/bot/{index}`;
    fs.writeFileSync(
      scene,
      JSON.stringify({
        format: 1,
        root: { name: "Bot", type: "WebsocketClient", props: { connectionUrl: url, autoReconnect: true } },
      }),
    );
    const fleetOf4 = (...flags: string[]) =>
      cli(["run", scene, "--instances", "4", "--workers", "2", "--duration", "0.5", ...flags]);
    try {
      const json = fleetOf4("--log-level", "debug", "--log-format", "json");
      expect(await json.code).toBe(0);
      const records = json
        .stderr()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map(
          (line) =>
            JSON.parse(line) as {
              level: number;
              msg: string;
              node?: string;
              instance?: number;
              url?: string;
            },
        );
      const seen = (msg: string) =>
        records
          .filter((r) => r.msg === msg && r.node === "/root/Bot")
          .map((r) => [r.instance, r.level, r.url])
          .sort();
      const each = (i: number) => [i, 20, `ws://127.0.0.1:${port}/bot/${i}`];
      expect(seen("connecting")).toEqual([0, 1, 2, 3].map(each));
      expect(seen("connected")).toEqual([0, 1, 2, 3].map(each));

      const pretty = fleetOf4("--log-level", "debug");
      expect(await pretty.code).toBe(0);
      expect(pretty.stderr()).toContain(`[3] /root/Bot: debug: connected url=ws://127.0.0.1:${port}/bot/3\n`);

      // The default, info: none of the nodes' debug lines.
      const quiet = fleetOf4();
      expect(await quiet.code).toBe(0);
      expect(quiet.stderr()).toContain("Fleet done: 4 of 4 instances quit with 0.");
      expect(quiet.stderr()).not.toMatch(/connect(ing|ed)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await new Promise((resolve) => wss.close(resolve));
    }
  });

  test("--duration gives every instance _exitTree", async () => {
    const run = cli([
      "run",
      fixture("staying.scene.json"),
      "--instances",
      "20",
      "--workers",
      "2",
      "--duration",
      "0.5",
    ]);
    expect(await run.code).toBe(0);
    const left = jsonLines(run.stdout())
      .filter((r) => "exitTree" in r)
      .map((r) => r.exitTree);
    expect(left.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  test("SIGTERM stops every instance cleanly (each gets _exitTree) and exits 143", async () => {
    const run = cli([
      "run",
      fixture("staying.scene.json"),
      "--instances",
      "20",
      "--workers",
      "2",
      "--seed",
      "5",
    ]);
    await run.lines(/"index":/, 20);
    run.kill("SIGTERM");
    expect(await run.code).toBe(143);
    const records = jsonLines(run.stdout());
    const ready = records.filter((r) => "index" in r).map((r) => r.index);
    const left = records.filter((r) => "exitTree" in r).map((r) => r.exitTree);
    const all = Array.from({ length: 20 }, (_, i) => i);
    expect(ready.sort((a, b) => a - b)).toEqual(all);
    expect(left.sort((a, b) => a - b)).toEqual(all);
    expect(run.stderr()).toContain("SIGTERM: stopping every instance");
    expect(run.stderr()).toContain("Running 20 instances on 2 workers, seed 5.");
  });

  test("--metrics-port serves the workers' merged counts while the fleet runs; SIGTERM still ends with the summary", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-prom-"));
    const out = path.join(dir, "summary.json");
    const run = cli([
      "run",
      fixture("metrics-staying.scene.json"),
      "--instances",
      "20",
      "--workers",
      "2",
      "--metrics-port",
      "0",
      "--summary-json",
      out,
    ]);
    try {
      // Workers send their counts once a second: scrape until both workers' have arrived.
      const text = await scrapeUntil(run, "scenetree_probe_ready_total 20\n");
      expect(text).toContain("scenetree_probe_ready_total 20\n");
      expect(text).toContain("scenetree_probe_index_total 210\n");
      expect(text).toContain("scenetree_probe_time_count 20\n");
      expect(text).toContain("scenetree_probe_time_sum 190\n");
      expect(text).toContain("scenetree_run_instances_running 20\n");
      expect(text).toContain("scenetree_run_instances_target 20\n");
      run.kill("SIGTERM");
      expect(await run.code).toBe(143);
      expect(run.stdout()).toMatch(/\n {4}probe_ready\.+: 20 /);
      const summary = JSON.parse(fs.readFileSync(out, "utf8")) as {
        metrics: Record<string, { values: { count: number } }>;
      };
      expect(summary.metrics.probe_index.values.count).toBe(210);
    } finally {
      run.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a worker whose instances have all quit still counts in the totals: counters never go down", async () => {
    // On 2 workers, worker 1 runs the odd instances, which quit at once: before its first report.
    const run = cli([
      "run",
      fixture("metrics-half-staying.scene.json"),
      ...["--instances", "20", "--workers", "2", "--metrics-port", "0"],
    ]);
    try {
      const text = await scrapeUntil(run, "scenetree_probe_ready_total 20\n");
      expect(text).toContain("scenetree_probe_ready_total 20\n");
      expect(text).toContain("scenetree_run_instances_running 10\n");
      run.kill("SIGTERM");
      expect(await run.code).toBe(143);
    } finally {
      run.kill("SIGKILL");
    }
  });

  test("--shards M takes the shard index from JOB_COMPLETION_INDEX", async () => {
    const run = cli(
      ["run", fixture("probe.scene.json"), "--instances", "10", "--shards", "4", "--workers", "2"],
      {
        JOB_COMPLETION_INDEX: "2",
      },
    );
    expect(await run.code).toBe(0);
    const indices = jsonLines(run.stdout())
      .filter((r) => "label" in r)
      .map((r) => r.index);
    expect(indices.sort((a, b) => a - b)).toEqual([2, 6]);
  });

  test("a single run is instance 0 of 1, its seed from --seed, its props filled in too", async () => {
    const run = cli(["run", fixture("probe.scene.json"), "--seed", "7"]);
    expect(await run.code).toBe(0);
    const seed = instanceSeed(7, 0);
    expect(jsonLines(run.stdout())[0]).toMatchObject({
      index: 0,
      count: 1,
      seed,
      label: `bot-0-of-1 seed ${seed} {other}`,
    });
  });

  test("bad flags and invalid scenes exit 2 without running anything", async () => {
    const bad = [
      ["--instances", "0"],
      ["--instances", "3", "--shard", "3/3"],
      ["--instances", "3", "--quit-after", "1"],
      ["--workers", "2"],
    ];
    for (const flags of bad) {
      const run = cli(["run", fixture("probe.scene.json"), ...flags]);
      expect([await run.code, run.stdout()]).toEqual([2, ""]);
      expect(run.stderr()).toMatch(/^scenetree: .*\nRun "scenetree run --help" for usage\.\n$/);
    }
    const invalid = cli(["run", "test/fixtures/scenes/unknown-type.scene.json", "--instances", "3"]);
    expect([await invalid.code, invalid.stdout()]).toEqual([2, ""]);
    expect(invalid.stderr()).toContain('ERR_UNKNOWN_TYPE: Unknown node type "Timre".');
  });
});
