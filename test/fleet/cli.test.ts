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
