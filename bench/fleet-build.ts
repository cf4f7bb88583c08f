/**
 * The fleet's connect path in one thread, for profiling: N bot trees built as a fleet worker builds
 * them (one PackedScene, `FleetRunner`, one metrics registry) until every WebsocketClient is open,
 * against N raw `ws` clients in the same position, and (`tree`) N of the same trees whose bot holds
 * a raw `ws` client instead of a WebsocketClient: the trees' cost without the WebSocket node's. The
 * echo server runs in a child process, so the CPU measured here (process.cpuUsage) is the clients'
 * only. Uses the built package (`npm run build`).
 *
 *   node --require tsx/cjs [--cpu-prof] bench/fleet-build.ts [fleet|tree|raw|both|all] [N=5000]
 */
import { fork } from "node:child_process";
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
import { contiguous } from "../src/core/indexRange";

// FleetRunner is internal to the package: its built module, typed by its source.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FleetRunner } = require("../dist/fleet/FleetRunner.js") as typeof import("../src/fleet/FleetRunner");

const [mode = "both", countText = "5000"] = process.argv.slice(2);
const count = Number(countText);
let base = "";
let opened = 0;
let onAllOpen: () => void = () => undefined;
const opens = (): void => {
  if (++opened === count) onAllOpen();
};

class BuildBot extends Node {
  override _ready(): void {
    const ws = this.getNode<WebsocketClient>("Ws");
    ws.connectionUrl = `${base}${ws.connectionUrl}`;
    ws.autoReconnect = true;
  }
  onOpen(): void {
    opens();
    this.getNode<WebsocketClient>("Ws").sendText("0");
  }
  onEcho(): void {}
  tick(): void {}
}
registerNodeType("BuildBot", BuildBot);

/** BuildBot with a raw `ws` client of its own where BuildBot has its WebsocketClient child. */
class RawClientBot extends Node {
  override _ready(): void {
    const socket = new WebSocket(`${base}/bot/${this.getTree().instance.index}`);
    socket.on("open", () => {
      opens();
      socket.send("0");
    });
    socket.on("message", () => undefined);
    socket.on("error", () => undefined);
  }
  tick(): void {}
}
registerNodeType("RawClientBot", RawClientBot);

const scene = parseScene(
  JSON.stringify({
    format: 1,
    root: {
      name: "Bot",
      type: "BuildBot",
      children: [
        { name: "Ws", type: "WebsocketClient", props: { connectionUrl: "/bot/{index}", connectTimeout: 0 } },
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

const rawClientScene = parseScene(
  JSON.stringify({
    format: 1,
    root: {
      name: "Bot",
      type: "RawClientBot",
      children: [{ name: "Tick", type: "Timer", props: { waitTime: 1, autostart: true } }],
    },
    connections: [{ from: "Tick", signal: "timeout", to: ".", method: "tick" }],
  }),
);

function runFleet(botScene = scene): { stop: () => void } {
  const metrics = new Metrics();
  const indices = contiguous(count);
  const runner = new FleetRunner({
    scene: botScene,
    indices,
    count,
    baseSeed: 1,
    rampUpMs: 0,
    durationMs: null,
    fps: 60,
    clock: new SystemClock(),
    prepareTree: (tree) => useMetrics(tree, metrics),
    onError: (index, text) => console.error(index, text),
  });
  void runner.run();
  return { stop: () => runner.stop() };
}

function runRaw(): { stop: () => void } {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = new WebSocket(`${base}/bot/${i}`);
    socket.on("open", () => {
      opens();
      socket.send("0");
    });
    socket.on("message", () => undefined);
    socket.on("error", () => undefined);
    sockets.push(socket);
  }
  return { stop: () => sockets.forEach((s) => s.terminate()) };
}

async function measure(kind: string): Promise<number> {
  opened = 0;
  const done = new Promise<void>((resolve) => (onAllOpen = resolve));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run = kind === "fleet" ? runFleet() : kind === "tree" ? runFleet(rawClientScene) : runRaw();
  await done;
  const cpu = process.cpuUsage(cpu0);
  const ms = (cpu.user + cpu.system) / 1000;
  console.log(`${kind}: ${count} open in ${(performance.now() - t0).toFixed(0)} ms, CPU ${ms.toFixed(0)} ms`);
  run.stop();
  await new Promise((r) => setTimeout(r, 1500));
  return ms;
}

async function main(): Promise<void> {
  const server = fork(`${__dirname}/fleet-build-server.ts`, [], {
    execArgv: ["--require", require.resolve("tsx/cjs")],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve) => server.once("message", (m) => resolve(m as number)));
  base = `ws://127.0.0.1:${port}`;
  const kinds = mode === "both" ? ["raw", "fleet"] : mode === "all" ? ["raw", "tree", "fleet"] : [mode];
  const results: Record<string, number> = {};
  for (const kind of kinds) results[kind] = await measure(kind);
  if (results.raw && results.fleet)
    console.log(`ratio fleet/raw CPU: ${(results.fleet / results.raw).toFixed(2)}x`);
  server.kill();
  process.exit(0);
}
void main();
