/**
 * Cost of logging when the level is off, and proof that the per-message path does no logging work.
 *
 * 1. Nanoseconds per call, against an empty loop in the same run: reading `node.log` (a cached child,
 *    its path checked by walking the ancestry), a disabled `node.log.debug(...)`, the guard
 *    `isLevelEnabled`, what the WebSocket nodes pay per refused send with debug off, and an enabled
 *    call for contrast.
 * 2. Receive throughput of one WebsocketClient flooded by a server in another process, with the tree's
 *    logger silent, at info (the CLI's default: debug off), at info with a handler that calls
 *    `node.log.debug()` on every message, and at debug (connection lifecycle logged to a null stream).
 *    Rounds are interleaved in a rotated order; the figure is the median. The debug run also counts
 *    the lines written during the flood: none, since nothing logs per message.
 *
 *   npx tsx bench/logs.ts [--quick]
 */
import pino, { type Logger } from "pino";
import { WebsocketClient } from "../src/nodes/WebsocketClient";
import { logSendRefused } from "../src/nodes/websocketLogs";
import { Node } from "../src/scene/Node";
import { SceneTree } from "../src/scene/SceneTree";
import { formatTable, median, timePerIteration } from "./measure";
import { BenchServer } from "./server/control";
import { deferred, rotated, spread, withTimeout } from "./wsCommon";

export interface LogsBenchResult {
  ops: Array<{ op: string; ns: number }>;
  throughput: {
    count: number;
    rounds: number;
    variants: Array<{ variant: string; msgPerSec: number; samples: number[]; linesDuringFlood: number }>;
  };
}

/** A logger whose lines go nowhere, counted: what an enabled level costs without the I/O. */
function nullLogger(level: string): { logger: Logger; lines: () => number } {
  let lines = 0;
  const logger = pino({ level }, { write: () => void lines++ });
  return { logger, lines: () => lines };
}

/** ns per call of `fn(i)`, the loop's own cost included (the empty loop row shows how much that is). */
function nsPerOp(fn: (i: number) => void, iterations: number, batches: number): number {
  let i = 0;
  const step = () => fn(i++ & 1023);
  for (let w = 0; w < iterations; w++) step();
  return timePerIteration(step, iterations, batches) * 1000;
}

function opsScenario(iterations: number, batches: number): LogsBenchResult["ops"] {
  const off = nullLogger("info");
  const tree = new SceneTree({ logger: off.logger });
  let parent = tree.root;
  for (const name of ["Fleet", "Bot", "Net"]) {
    const child = new Node(name);
    parent.addChild(child);
    parent = child;
  }
  const node = new Node("Client");
  parent.addChild(node);
  const child = node.log;
  const on = nullLogger("debug");
  const onChild = on.logger.child({ node: "/root/Fleet/Bot/Net/Client" });
  const data = Buffer.alloc(64);
  let sink: unknown = null;
  const rows: Array<[string, (i: number) => void]> = [
    ["empty loop", () => {}],
    ["read node.log (depth 5, cached)", () => void (sink = node.log)],
    ['node.log.isLevelEnabled("debug") [off]', () => void (sink = node.log.isLevelEnabled("debug"))],
    ['node.log.debug("text") [off]', () => node.log.debug("text")],
    ['node.log.debug({ i }, "text") [off]', (i) => node.log.debug({ i }, "text")],
    ['pino child.debug("text") [off], for reference', () => child.debug("text")],
    ["logSendRefused(node, 64 bytes) [off]", () => logSendRefused(node, data, "queue full")],
    ['pino child.debug({ i }, "text") [on, null stream]', (i) => onChild.debug({ i }, "text")],
  ];
  const out = rows.map(([op, fn]) => ({ op, ns: nsPerOp(fn, iterations, batches) }));
  tree.finalize();
  if (sink === undefined || off.lines() !== 0) throw new Error("logs bench: a disabled level wrote a line");
  return out;
}

type Variant = "silent" | "info" | "info + node.log.debug per message" | "debug (lifecycle logged)";
const VARIANTS: Variant[] = [
  "silent",
  "info",
  "info + node.log.debug per message",
  "debug (lifecycle logged)",
];

async function floodOnce(
  server: BenchServer,
  variant: Variant,
  count: number,
): Promise<{ msgPerSec: number; linesDuringFlood: number }> {
  const level = variant === "silent" ? "silent" : variant.startsWith("debug") ? "debug" : "info";
  const { logger, lines } = nullLogger(level);
  const tree = new SceneTree({ logger });
  const running = tree.run({ fps: 60 });
  const node = new WebsocketClient("Client");
  node.connectionUrl = server.url;
  const opened = deferred();
  const done = deferred();
  let received = 0;
  let first = 0n;
  let last = 0n;
  let linesBefore = 0;
  const perMessageLog = variant === "info + node.log.debug per message";
  node.connect("connectionEstablished", () => opened.resolve());
  node.connect("messageReceived", (data: Buffer) => {
    if (perMessageLog) node.log.debug({ bytes: data.length }, "message");
    if (received === 0) {
      first = process.hrtime.bigint();
      linesBefore = lines();
    }
    if (++received === count) {
      last = process.hrtime.bigint();
      done.resolve();
    }
  });
  tree.root.addChild(node);
  node.openConnection();
  let linesDuringFlood: number;
  try {
    await withTimeout(opened.promise, 10_000, `${variant}: opening`);
    await server.waitForConnections(1);
    await server.request({ type: "flood", count, size: 64 });
    await withTimeout(done.promise, 60_000, `${variant}: receiving ${count} messages (got ${received})`);
    linesDuringFlood = lines() - linesBefore;
  } finally {
    node.close();
    tree.quit();
    await running;
  }
  await server.waitForConnections(0);
  return { msgPerSec: (count - 1) / (Number(last - first) / 1e9), linesDuringFlood };
}

async function throughputScenario(count: number, rounds: number): Promise<LogsBenchResult["throughput"]> {
  const server = await BenchServer.start("quiet");
  const samples = new Map<Variant, number[]>();
  const lines = new Map<Variant, number>();
  try {
    for (const variant of VARIANTS) await floodOnce(server, variant, count); // JIT warm-up, not counted
    for (let round = 0; round < rounds; round++)
      for (const variant of rotated(VARIANTS, round)) {
        const run = await floodOnce(server, variant, count);
        samples.set(variant, [...(samples.get(variant) ?? []), run.msgPerSec]);
        lines.set(variant, Math.max(lines.get(variant) ?? 0, run.linesDuringFlood));
      }
  } finally {
    await server.stop();
  }
  return {
    count,
    rounds,
    variants: VARIANTS.map((variant) => ({
      variant,
      msgPerSec: median(samples.get(variant) ?? []),
      samples: samples.get(variant) ?? [],
      linesDuringFlood: lines.get(variant) ?? 0,
    })),
  };
}

export async function main(options: { quick?: boolean; tiny?: boolean } = {}): Promise<LogsBenchResult> {
  const tiny = options.tiny ?? false;
  const quick = options.quick ?? false;
  const batches = tiny ? 2 : quick ? 9 : 21;
  const ops = opsScenario(tiny ? 1000 : quick ? 200_000 : 1_000_000, batches);
  const throughput = await throughputScenario(
    tiny ? 200 : quick ? 100_000 : 200_000,
    tiny ? 1 : quick ? 5 : 11,
  );
  return { ops, throughput };
}

export function report(r: LogsBenchResult): string {
  const t = r.throughput;
  const base = t.variants[0].msgPerSec;
  return [
    "logs: cost per call (median of batches; includes the loop); [off] = level disabled",
    formatTable(
      ["operation", "ns/op"],
      r.ops.map((o) => [o.op, o.ns]),
    ),
    "",
    `logs: receive throughput, ${t.count.toLocaleString("en-US")} x 64-byte messages, median of ${t.rounds} rounds`,
    formatTable(
      ["tree logger", "msg/s", "range (k msg/s)", "vs silent", "lines during flood"],
      t.variants.map((v) => [
        v.variant,
        Math.round(v.msgPerSec).toLocaleString("en-US"),
        spread(v.samples.map((s) => s / 1000)),
        `${(v.msgPerSec / base).toFixed(2)}x`,
        String(v.linesDuringFlood),
      ]),
    ),
  ].join("\n");
}

if (require.main === module) {
  main({ quick: process.argv.includes("--quick") }).then(
    (result) => console.log(report(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
