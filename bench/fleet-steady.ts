/**
 * What a connected once-a-second echo bot costs between messages, in CPU per bot-second, in this one
 * thread with the echo server in a child process (bench/fleet-build-server.ts) on the other core:
 *
 *   ws         raw `ws` clients, a timer per client (bench/fleet.ts's baseline)
 *   ws-frames  the same clients ticked by one 60 fps loop, as frames time a Godot Timer's sends
 *   fleet      bot trees in a fleet worker's loop (`FleetRunner`, one metrics registry)
 *
 * Each client sends on open and then once a second, and not again before its echo. After the bots have
 * connected (4 s) the process's CPU time is read over 6 s. Kinds run one after the other in fresh
 * processes, interleaved over the rounds; the machine's noise is what the spread of the rounds shows.
 * Uses the built package (`npm run build`).
 *
 *   npx tsx bench/fleet-steady.ts [--bots=5000] [--rounds=3] [--fps=60]
 */
import { fork, spawnSync } from "node:child_process";
import WebSocket from "ws";
import {
  Metrics,
  Node,
  SystemClock,
  parseScene,
  registerNodeType,
  useMetrics,
  type WebsocketClient,
} from "scenetree";
import { formatTable } from "./measure";

// FleetRunner is internal to the package: its built module, typed by its source.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FleetRunner } = require("../dist/fleet/FleetRunner.js") as typeof import("../src/fleet/FleetRunner");

const KINDS = ["ws", "ws-frames", "fleet"] as const;
type Kind = (typeof KINDS)[number];
const CONNECT_MS = 4000;
const WINDOW_MS = 6000;

class SteadyBot extends Node {
  private waiting = false;
  private ws!: WebsocketClient;

  override _ready(): void {
    this.ws = this.getNode<WebsocketClient>("Ws");
    this.ws.connectionUrl = `${process.env.STEADY_BASE}${this.ws.connectionUrl}`;
    this.ws.autoReconnect = true;
  }

  onOpen(): void {
    this.tick();
  }

  onEcho(): void {
    this.waiting = false;
  }

  tick(): void {
    if (!this.ws.isOpen || this.waiting) return;
    this.waiting = true;
    this.ws.sendText(`${this.getTree().instance.index}:x`);
  }
}

function runFleet(count: number, fps: number): void {
  registerNodeType("SteadyBot", SteadyBot);
  const scene = parseScene(
    JSON.stringify({
      format: 1,
      root: {
        name: "Bot",
        type: "SteadyBot",
        children: [
          {
            name: "Ws",
            type: "WebsocketClient",
            props: { connectionUrl: "/bot/{index}", connectTimeout: 0 },
          },
          { name: "Tick", type: "Timer", props: { waitTime: 1, autostart: true } },
        ],
      },
      connections: [
        { from: "Ws", signal: "connectionEstablished", to: ".", method: "onOpen" },
        { from: "Ws", signal: "messageReceived", to: ".", method: "onEcho" },
        { from: "Tick", signal: "timeout", to: ".", method: "tick" },
      ],
    }),
  );
  const metrics = new Metrics();
  const runner = new FleetRunner({
    scene,
    indices: Array.from({ length: count }, (_, i) => i),
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

function runWs(count: number, fps: number | null): void {
  const ticks: Array<() => void> = [];
  for (let i = 0; i < count; i++) {
    const socket = new WebSocket(`${process.env.STEADY_BASE}/bot/${i}`);
    let waiting = false;
    const tick = (): void => {
      if (socket.readyState !== WebSocket.OPEN || waiting) return;
      waiting = true;
      socket.send(`${i}:x`);
    };
    socket.on("open", tick);
    socket.on("message", () => (waiting = false));
    socket.on("error", () => undefined);
    if (fps === null) setInterval(tick, 1000);
    else ticks.push(tick);
  }
  if (fps === null) return;
  // Client i ticks in the frames where frame mod fps = i mod fps: once a second, paced by the clock.
  const start = performance.now();
  let frame = 0;
  const step = (): void => {
    for (let i = frame % fps; i < count; i += fps) ticks[i]();
    frame++;
    setTimeout(step, Math.max(0, start + (frame * 1000) / fps - performance.now()));
  };
  setTimeout(step, 1000 / fps);
}

/** One measurement, in this process: µs of CPU per bot-second over the window. */
async function child(kind: Kind, count: number, fps: number): Promise<void> {
  const server = fork(`${__dirname}/fleet-build-server.ts`, [], {
    execArgv: ["--require", require.resolve("tsx/cjs")],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve) => server.once("message", (m) => resolve(m as number)));
  process.env.STEADY_BASE = `ws://127.0.0.1:${port}`;
  if (kind === "fleet") runFleet(count, fps);
  else runWs(count, kind === "ws" ? null : fps);
  await new Promise((resolve) => setTimeout(resolve, CONNECT_MS));
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const used = process.cpuUsage(before);
  const perBotSecond = (used.user + used.system) / (WINDOW_MS / 1000) / count;
  process.stdout.write(`${JSON.stringify({ perBotSecond })}\n`);
  server.kill();
  process.exit(0);
}

function main(): void {
  const value = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const count = Number(value("bots") ?? 5000);
  const rounds = Number(value("rounds") ?? 3);
  const fps = Number(value("fps") ?? 60);
  const samples: Record<Kind, number[]> = { ws: [], "ws-frames": [], fleet: [] };
  for (let round = 0; round < rounds; round++) {
    for (const kind of round % 2 === 0 ? KINDS : [...KINDS].reverse()) {
      const run = spawnSync(
        process.execPath,
        [...process.execArgv, __filename, "--child", kind, String(count), String(fps)],
        { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
      );
      const line = run.stdout.split("\n").find((l) => l.startsWith("{"));
      if (!line) throw new Error(`${kind}: no result (exit ${run.status})`);
      samples[kind].push((JSON.parse(line) as { perBotSecond: number }).perBotSecond);
    }
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
  const base = median(samples.ws);
  console.log(
    `fleet steady: ${count.toLocaleString("en-US")} connected once-a-second echo clients, one thread, ${fps} fps, CPU over ${WINDOW_MS / 1000} s; ${rounds} round(s)`,
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

if (process.argv[2] === "--child") {
  void child(process.argv[3] as Kind, Number(process.argv[4]), Number(process.argv[5]));
} else {
  main();
}
