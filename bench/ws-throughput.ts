/**
 * Receive throughput: the server (another process) floods one client with 200,000 binary messages of
 * 64 bytes, as ready-made frames in one write, so the client is the bottleneck. We time from the first
 * to the last message handed to user code (`messageReceived` for the scenetree node), and check every
 * message's number, length and last byte on the way (every byte in each client's first run): a lost,
 * cut, merged or reordered message stops the benchmark.
 *
 * Clients run one after another, in a rotated order each round; the figure is the median of the rounds,
 * and ratios are against raw `ws` measured in the same run.
 *
 *   npx tsx bench/ws-throughput.ts [--quick]
 */
import { formatTable, median } from "./measure";
import { CLIENT_KINDS, ClientHost, type ClientKind } from "./clients";
import { BenchServer } from "./server/control";
import * as payload from "./server/payload";
import {
  deferred,
  ratio,
  rotated,
  runStandalone,
  selectKinds,
  spread,
  withTimeout,
  type BenchOptions,
  type PerKind,
} from "./wsCommon";

// Module-local copies: under tsx an imported binding is a getter call on every use.
const { asBytes, checkPayload, checkSeq, IntegrityError } = payload;

export interface ThroughputResult {
  count: number;
  size: number;
  rounds: number;
  perKind: PerKind<{ msgPerSec: number; samples: number[]; cpuNsPerMsg: number; cpuSamples: number[] }>;
}

async function floodOnce(
  host: ClientHost,
  server: BenchServer,
  kind: ClientKind,
  count: number,
  size: number,
  fullCheck: boolean,
): Promise<{ msgPerSec: number; cpuNsPerMsg: number }> {
  const opened = deferred();
  const done = deferred();
  let expected = 0;
  let first = 0n;
  let last = 0n;
  let cpuFirst: NodeJS.CpuUsage = { user: 0, system: 0 };
  let cpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  const onMessage = (data: unknown): void => {
    const bytes = asBytes(data);
    if (fullCheck ? !checkPayload(bytes, expected, size) : !checkSeq(bytes, expected, size)) {
      done.reject(
        new IntegrityError(`${kind}: message ${expected} of ${count} arrived wrong or out of order`),
      );
      return;
    }
    if (expected === 0) {
      first = process.hrtime.bigint();
      cpuFirst = process.cpuUsage();
    }
    if (++expected === count) {
      last = process.hrtime.bigint();
      cpu = process.cpuUsage(cpuFirst);
      done.resolve();
    }
  };
  const client = host.create(kind, server.url, { message: onMessage, open: () => opened.resolve() });
  try {
    await withTimeout(opened.promise, 10_000, `${kind} opening`);
    await server.waitForConnections(1);
    await server.request({ type: "flood", count, size });
    await withTimeout(done.promise, 60_000, `${kind} receiving ${count} messages (got ${expected})`);
  } finally {
    client.close();
  }
  if (expected !== count) throw new IntegrityError(`${kind}: ${expected} of ${count} messages`);
  return {
    msgPerSec: (count - 1) / (Number(last - first) / 1e9),
    cpuNsPerMsg: ((cpu.user + cpu.system) * 1000) / (count - 1),
  };
}

export async function main(options: BenchOptions = {}): Promise<ThroughputResult> {
  const count = options.tiny ? 200 : options.quick ? 100_000 : 200_000;
  const size = 64;
  const rounds = options.tiny ? 1 : options.quick ? 5 : 11;
  const kinds = selectKinds(CLIENT_KINDS, options);
  const server = await BenchServer.start("quiet");
  const host = new ClientHost();
  const samples: PerKind<number[]> = {};
  const cpuSamples: PerKind<number[]> = {};
  try {
    // A first, fully checked round per client that also warms up the JIT; not counted.
    for (const kind of kinds) await floodOnce(host, server, kind, count, size, true);
    for (let round = 0; round < rounds; round++)
      for (const kind of rotated(kinds, round)) {
        const run = await floodOnce(host, server, kind, count, size, false);
        (samples[kind] ??= []).push(run.msgPerSec);
        (cpuSamples[kind] ??= []).push(run.cpuNsPerMsg);
      }
  } finally {
    await host.dispose();
    await server.stop();
  }
  const perKind: ThroughputResult["perKind"] = {};
  for (const kind of kinds) {
    const s = samples[kind] ?? [];
    const c = cpuSamples[kind] ?? [];
    perKind[kind] = { msgPerSec: median(s), samples: s, cpuNsPerMsg: median(c), cpuSamples: c };
  }
  return { count, size, rounds, perKind };
}

export function report(result: ThroughputResult): string {
  const base = result.perKind.ws?.msgPerSec;
  const baseCpu = result.perKind.ws?.cpuNsPerMsg;
  const rows = CLIENT_KINDS.filter((kind) => result.perKind[kind]).map((kind) => {
    const r = result.perKind[kind];
    return [
      kind,
      r ? Math.round(r.msgPerSec).toLocaleString("en-US") : "–",
      r ? spread(r.samples.map((v) => v / 1000)) : "–",
      ratio(r?.msgPerSec, base),
      r ? r.cpuNsPerMsg : "–",
      ratio(r?.cpuNsPerMsg, baseCpu),
    ];
  });
  return [
    `throughput: ${result.count.toLocaleString("en-US")} x ${result.size}-byte messages, median of ${result.rounds} rounds`,
    formatTable(["client", "msg/s", "range (k msg/s)", "vs ws", "CPU ns/msg", "CPU vs ws"], rows),
  ].join("\n");
}

if (require.main === module) runStandalone(main, report);
