/**
 * What a connected once-a-second echo bot costs between messages, in CPU per bot-second: one client
 * process at a time, against the echo server in a process of its own (bench/fleet-build-server.ts), so
 * that on two cores each has one:
 *
 *   ws         bench/fleet.ts's raw `ws` clients (bench/fleet/rawBots.ts), a timer per client
 *   ws-frames  the same clients ticked by one frame loop (rawBots.ts with fps), as frames time a Godot
 *              Timer's sends
 *   fleet      bench/fleet.ts's bot scene in one thread, in a fleet worker's loop (`FleetRunner`, one
 *              metrics registry)
 *
 * Each client sends on open and then once a second, and not again before its echo. After the bots have
 * connected (4 s) the client process's CPU time is read over 6 s. The kinds are interleaved over the
 * rounds, each in a fresh process; the spread of the rounds shows the machine's noise. Uses the built
 * package (`npm run build`).
 *
 *   npx tsx bench/fleet-steady.ts [--bots=5000] [--rounds=3] [--fps=60]
 */
import { fork, spawn } from "node:child_process";
import * as path from "node:path";
import { Metrics, SystemClock, loadScene, useMetrics } from "scenetree";
import { readCpuSeconds } from "./fleet";
import { formatTable } from "./measure";
import { sleep } from "./wsCommon";
import { contiguous } from "../src/core/indexRange";

// FleetRunner is internal to the package: its built module, typed by its source.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FleetRunner } = require("../dist/fleet/FleetRunner.js") as typeof import("../src/fleet/FleetRunner");

const KINDS = ["ws", "ws-frames", "fleet"] as const;
type Kind = (typeof KINDS)[number];
const CONNECT_MS = 4000;
const WINDOW_MS = 6000;
const TSX_CJS = require.resolve("tsx/cjs");
const RAW = path.join(__dirname, "fleet", "rawBots.ts");
const SCENE = path.join(__dirname, "fleet", "bot.scene.json");

/** The fleet kind's client process: the bench's bot scene, `count` instances in one FleetRunner. */
async function runFleet(count: number, fps: number): Promise<void> {
  const scene = await loadScene(SCENE); // its EchoBot reads the server's URL from SCENETREE_BENCH_URL
  const metrics = new Metrics();
  const runner = new FleetRunner({
    scene,
    indices: contiguous(count),
    count,
    baseSeed: 1,
    rampUpMs: 0,
    durationMs: null,
    fps,
    clock: new SystemClock(),
    prepareTree: (tree) => useMetrics(tree, metrics),
    onError: (index, text) => console.error(index, text),
  });
  void runner.run();
}

/** µs of CPU per bot-second of one client process of `kind`. */
async function measure(kind: Kind, count: number, fps: number): Promise<number> {
  const server = fork(path.join(__dirname, "fleet-build-server.ts"), [], {
    execArgv: ["--require", TSX_CJS],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve) => server.once("message", (m) => resolve(m as number)));
  const url = `ws://127.0.0.1:${port}`;
  const args =
    kind === "fleet"
      ? [__filename, "--fleet", String(count), String(fps)]
      : [RAW, url, String(count), ...(kind === "ws-frames" ? ["1", String(fps)] : [])];
  const client = spawn(process.execPath, ["--require", TSX_CJS, ...args], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, SCENETREE_BENCH_URL: url },
  });
  try {
    await sleep(CONNECT_MS);
    const before = readCpuSeconds(client.pid!);
    await sleep(WINDOW_MS);
    const used = readCpuSeconds(client.pid!) - before;
    return (used * 1e6) / (WINDOW_MS / 1000) / count;
  } finally {
    client.kill("SIGKILL");
    server.kill();
  }
}

async function main(): Promise<void> {
  const value = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const count = Number(value("bots") ?? 5000);
  const rounds = Number(value("rounds") ?? 3);
  const fps = Number(value("fps") ?? 60);
  const samples: Record<Kind, number[]> = { ws: [], "ws-frames": [], fleet: [] };
  for (let round = 0; round < rounds; round++)
    for (const kind of round % 2 === 0 ? KINDS : [...KINDS].reverse())
      samples[kind].push(await measure(kind, count, fps));
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
  const base = median(samples.ws);
  console.log(
    `fleet steady: ${count.toLocaleString("en-US")} connected once-a-second echo clients, ${fps} fps, client CPU over ${WINDOW_MS / 1000} s; ${rounds} round(s)`,
  );
  console.log(
    formatTable(
      ["kind", "µs CPU per bot-second (median)", "range", "vs ws"],
      KINDS.map((kind) => [
        kind,
        median(samples[kind]).toFixed(1),
        `${sorted(samples[kind])[0].toFixed(1)}–${sorted(samples[kind]).at(-1)!.toFixed(1)}`,
        `${(median(samples[kind]) / base).toFixed(2)}x`,
      ]),
    ),
  );
}

if (process.argv[2] === "--fleet") void runFleet(Number(process.argv[3]), Number(process.argv[4]));
else void main();
