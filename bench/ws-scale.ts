/**
 * Scale: 1,000 and 10,000 clients in one process against one server: the time from creating the
 * first until all are OPEN, and resident memory (RSS) per connection. For scenetree every client is a
 * `WebsocketClient` node in one running `SceneTree`. Each measurement runs in a fresh process (see
 * ./ws-scale-worker.ts) against a fresh server (a new port, so earlier connections in TIME_WAIT
 * cannot collide); kinds alternate in a rotated order, and the figure is the median over rounds.
 *
 * File descriptors: each process needs one per connection (10,000) plus a few; the soft limit of
 * `ulimit -n` must allow it (checked up front, with a clear error).
 *
 *   npx tsx bench/ws-scale.ts [--quick]
 */
import { execFileSync, fork } from "node:child_process";
import path from "node:path";
import { formatTable, median } from "./measure";
import type { ClientKind } from "./clients";
import { BenchServer } from "./server/control";
import type { ScaleSample } from "./ws-scale-worker";
import {
  ratio,
  rotated,
  runStandalone,
  selectKinds,
  spread,
  withTimeout,
  type BenchOptions,
} from "./wsCommon";

const SCALE_KINDS: ClientKind[] = ["ws", "scenetree", "scenetree-core"];
const WORKER = path.join(__dirname, "ws-scale-worker.ts");
const TSX_CJS = require.resolve("tsx/cjs");

export interface ScaleResult {
  rounds: number;
  fdLimit: number;
  sizes: Array<{
    count: number;
    perKind: Partial<
      Record<
        ClientKind,
        { openMs: number; rssPerConnKiB: number; heapPerConnKiB: number; openSamples: number[] }
      >
    >;
  }>;
}

/** The soft open-file limit children inherit (`ulimit -n`); NaN when it cannot be read. */
function openFileLimit(): number {
  try {
    return Number(execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim());
  } catch {
    return NaN;
  }
}

function runWorker(kind: ClientKind, count: number, url: string): Promise<ScaleSample> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [kind, String(count), url], {
      execArgv: ["--expose-gc", "--require", TSX_CJS],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let sample: ScaleSample | undefined;
    child.on("message", (m: ScaleSample) => (sample = m));
    child.on("exit", (code) =>
      sample ? resolve(sample) : reject(new Error(`scale worker (${kind}, ${count}) exited with ${code}`)),
    );
  });
}

export async function main(options: BenchOptions = {}): Promise<ScaleResult> {
  const counts = options.tiny ? [20] : [1_000, 10_000];
  const rounds = options.tiny ? 1 : options.quick ? 1 : 3;
  const kinds = selectKinds(SCALE_KINDS, options);
  const fdLimit = openFileLimit();
  if (fdLimit < Math.max(...counts) + 100)
    throw new Error(`scale: ulimit -n is ${fdLimit}; ${Math.max(...counts) + 100} open files are needed`);
  const sizes: ScaleResult["sizes"] = [];
  for (const count of counts) {
    const samples: Partial<Record<ClientKind, ScaleSample[]>> = {};
    for (let round = 0; round < rounds; round++) {
      for (const kind of rotated(kinds, round)) {
        const server = await BenchServer.start("quiet");
        try {
          const sample = await withTimeout(
            runWorker(kind, count, server.url),
            180_000,
            `scale ${kind} x ${count}`,
          );
          (samples[kind] ??= []).push(sample);
        } finally {
          await server.stop();
        }
      }
    }
    const perKind: ScaleResult["sizes"][number]["perKind"] = {};
    for (const kind of kinds) {
      const s = samples[kind] ?? [];
      perKind[kind] = {
        openMs: median(s.map((x) => x.openMs)),
        rssPerConnKiB: median(s.map((x) => x.rssPerConnKiB)),
        heapPerConnKiB: median(s.map((x) => x.heapPerConnKiB)),
        openSamples: s.map((x) => x.openMs),
      };
    }
    sizes.push({ count, perKind });
  }
  return { rounds, fdLimit, sizes };
}

export function report(result: ScaleResult): string {
  const rows: Array<Array<string | number>> = [];
  for (const { count, perKind } of result.sizes) {
    const base = perKind.ws;
    for (const kind of SCALE_KINDS) {
      const r = perKind[kind];
      if (!r) continue;
      rows.push([
        `${count.toLocaleString("en-US")} x ${kind}`,
        r.openMs,
        spread(r.openSamples),
        ratio(r.openMs, base?.openMs),
        r.rssPerConnKiB,
        ratio(r.rssPerConnKiB, base?.rssPerConnKiB),
        r.heapPerConnKiB,
      ]);
    }
  }
  return [
    `scale: clients in one process against one server, each run in a fresh process; median of ${result.rounds} rounds (ulimit -n ${result.fdLimit})`,
    formatTable(
      ["clients", "all OPEN (ms)", "range", "vs ws", "RSS/conn (KiB)", "vs ws", "heap+external/conn (KiB)"],
      rows,
    ),
  ].join("\n");
}

if (require.main === module) runStandalone(main, report);
