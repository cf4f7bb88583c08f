/**
 * Where a fleet's time until all connected goes: bench/fleet.ts's measurement of 10,000 echo bots on
 * `--workers 2`, for bots built up one part at a time, each against raw `ws` in one process measured
 * in the same rounds:
 *
 *   ws (one process)                the baseline of bench/fleet.ts's goal
 *   ws (2 worker threads)           two isolates, no engine at all
 *   trees, raw ws bot               a fleet whose bot is one node holding a raw `ws` WebSocket
 *                                   (bench/fleet/parts/wsBot.ts), ticking from setInterval: the fleet's
 *                                   own machinery (workers, module loading, trees, the frame loop)
 *   trees, raw ws bot + Timer       the same bot ticking from a Timer child's `timeout` signal
 *   WebsocketClient bot, no Timer   bench/fleet's bot with setInterval ticks: the client node's cost
 *   WebsocketClient bot + Timer     bench/fleet's bot itself (bench/fleet/bot.scene.json)
 *
 * Each kind's row: the medians of all connected (ms) and connect CPU (s, every thread of the client
 * process), and their ratios to raw `ws`. Not part of `npm run bench` (minutes); run it alone:
 *
 *   npx tsx bench/fleet-parts.ts [--count=10000] [--rounds=3]
 */
import * as path from "node:path";
import { formatTable, median } from "./measure";
import {
  assertBuilt,
  fleet,
  measure,
  mismatches,
  raw,
  rawWorkers,
  type FleetSample,
  type Kind,
} from "./fleet";

const PARTS = path.join(__dirname, "fleet", "parts");

/** The kinds, from the bare baseline to bench/fleet.ts's bot, in that order. */
export const PART_KINDS: Kind[] = [
  raw,
  rawWorkers,
  fleet(60, 2, 0, { file: path.join(PARTS, "wsBot.scene.json"), label: "trees, raw ws bot", counted: false }),
  fleet(60, 2, 0, {
    file: path.join(PARTS, "wsBotTimer.scene.json"),
    label: "trees, raw ws bot + Timer",
    counted: false,
  }),
  fleet(60, 2, 0, {
    file: path.join(PARTS, "clientBot.scene.json"),
    label: "WebsocketClient bot, no Timer",
    counted: true,
  }),
  fleet(60),
];

export interface PartsOptions {
  count?: number;
  rounds?: number;
  /** For the smoke test: a moment of settling and measuring. */
  tiny?: boolean;
}

export interface PartsResult {
  count: number;
  rounds: number;
  samples: Record<string, FleetSample[]>;
  mismatches: string[];
}

export async function main(options: PartsOptions = {}): Promise<PartsResult> {
  const { count = 10_000, rounds = 3, tiny = false } = options;
  assertBuilt();
  const samples: Record<string, FleetSample[]> = {};
  const found: string[] = [];
  for (let round = 0; round < rounds; round++) {
    // Rotated each round, so that no kind always runs first (or right after the heaviest).
    const order = PART_KINDS.map((_, i) => PART_KINDS[(i + round) % PART_KINDS.length]);
    for (const kind of order) {
      const sample = await measure(kind, {
        count,
        settleMs: tiny ? 200 : 500,
        windowMs: 1000,
      });
      (samples[kind.name] ??= []).push(sample);
      found.push(...mismatches(`${kind.name} x ${count} (round ${round + 1})`, sample.counts));
      if (!tiny)
        process.stderr.write(
          `${kind.name}: ${sample.connectMs.toFixed(0)} ms, ${sample.connectCpuS} s CPU\n`,
        );
    }
  }
  return { count, rounds, samples, mismatches: found };
}

export function report(result: PartsResult): string {
  const base = result.samples[raw.name] ?? [];
  const m = (s: FleetSample[], pick: (x: FleetSample) => number) => median(s.map(pick));
  const rows = PART_KINDS.map((kind) => {
    const s = result.samples[kind.name] ?? [];
    const ratio = (pick: (x: FleetSample) => number) => `${(m(s, pick) / m(base, pick)).toFixed(2)}x`;
    return [
      kind.name,
      m(s, (x) => x.connectMs).toFixed(0),
      ratio((x) => x.connectMs),
      m(s, (x) => x.connectCpuS).toFixed(2),
      ratio((x) => x.connectCpuS),
    ];
  });
  return [
    `fleet parts: ${result.count.toLocaleString("en-US")} echo bots, median of ${result.rounds} round(s)`,
    formatTable(["bots", "all connected (ms)", "vs ws", "connect CPU (s)", "vs ws"], rows),
    ...result.mismatches,
  ].join("\n");
}

if (require.main === module) {
  const value = (name: string) =>
    process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  main({ count: Number(value("count") ?? 10_000), rounds: Number(value("rounds") ?? 3) }).then(
    (result) => {
      process.stdout.write(`${report(result)}\n`);
      if (result.mismatches.length > 0) process.exitCode = 1;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
