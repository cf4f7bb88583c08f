/**
 * The baselines of bench/fleet.ts: `count` raw `ws` clients doing what the fleet's bots do (send once a
 * second, wait for the echo before the next send, stop after "quiet"), printing the same totals. In one
 * thread, or with `workers` > 1 spread over that many worker threads as a fleet spreads its bots (bot i
 * in thread i mod workers, each thread with the fleet workers' young generation): what two isolates cost
 * without any engine. SCENETREE_BENCH_LOCAL_HOSTS spreads them over source addresses as the bots do.
 *
 * With `fps` > 0 the sends come from one frame loop instead of a timer per client, as a frame-driven
 * client makes them (a Godot Timer times out at a frame): `fps` times a second, the clients whose turn
 * it is (index mod fps) send, so each still sends once a second.
 *
 *   argv: url count [workers=1] [fps=0]
 */
import { Worker, isMainThread, threadId, workerData } from "node:worker_threads";
import WebSocket from "ws";
import { QUIET, localHost } from "./protocol";

/** A fleet worker's young generation (src/fleet/FleetHost.ts, WORKER_YOUNG_GENERATION_MB): not imported, to keep the engine out. */
const WORKER_YOUNG_GENERATION_MB = 6;

interface Share {
  url: string;
  count: number;
  workers: number;
  worker: number;
  fps: number;
}

const share: Share = isMainThread
  ? {
      url: process.argv[2],
      count: Number(process.argv[3]),
      workers: Number(process.argv[4] ?? 1),
      worker: 0,
      fps: Number(process.argv[5] ?? 0),
    }
  : (workerData as Share);
const { url, count } = share;
const localHosts = Number(process.env.SCENETREE_BENCH_LOCAL_HOSTS ?? 0);
const totals = { bots: 0, opened: 0, sent: 0, echoed: 0, late: 0 };

/** Each client's tick, by its frame turn (fps > 0 only). */
const turns: Array<Array<() => void>> = Array.from({ length: share.fps }, () => []);

function bot(index: number): void {
  const socket = new WebSocket(
    `${url}/bot/${index}`,
    localHosts > 0 ? { localAddress: localHost(index, localHosts) } : {},
  );
  let waiting = false;
  let quiet = false;
  let seq = 0;
  const tick = (): void => {
    if (socket.readyState !== WebSocket.OPEN || quiet) return;
    if (waiting) {
      totals.late++;
      return;
    }
    waiting = true;
    totals.sent++;
    socket.send(`${index}:${seq++}`);
  };
  socket.on("open", () => {
    totals.opened++;
    tick();
  });
  socket.on("message", (data: Buffer, isBinary) => {
    if (!isBinary && data.length === QUIET.length && data.toString() === QUIET) {
      quiet = true;
      return;
    }
    waiting = false;
    totals.echoed++;
  });
  socket.on("error", () => {});
  if (share.fps > 0) turns[index % share.fps].push(tick);
  else setInterval(tick, 1000);
  totals.bots++;
}

if (isMainThread && share.workers > 1) {
  for (let worker = 0; worker < share.workers; worker++) {
    new Worker(__filename, {
      workerData: { ...share, worker },
      execArgv: process.execArgv, // tsx, to load this file
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
  }
} else {
  setInterval(() => console.log(JSON.stringify({ thread: threadId, ...totals })), 1000);
  for (let i = share.worker; i < count; i += share.workers) bot(i);
  if (share.fps > 0) {
    // Paced by the clock, not setInterval's whole milliseconds (16 ms would be 62.5 fps).
    const start = performance.now();
    let frame = 0;
    const step = (): void => {
      for (const tick of turns[frame++ % share.fps]) tick();
      setTimeout(step, Math.max(0, start + (frame * 1000) / share.fps - performance.now()));
    };
    setTimeout(step, 1000 / share.fps);
  }
}
process.on("SIGTERM", () => process.exit(0));
