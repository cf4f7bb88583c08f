/**
 * Echo latency: 10,000 sequential round trips of a 64-byte binary message through a server (another
 * process) that sends each message back. The next message leaves from inside the handler of the
 * previous echo, as a request/response client would. Each echo is checked (number, every byte).
 * Reported: median (p50) and p99 round trip, and the client's user CPU time per round trip
 * (`process.cpuUsage`), medians over rounds run in a rotated order.
 *
 *   npx tsx bench/ws-latency.ts [--quick]
 */
import { formatTable, median } from "./measure";
import { CLIENT_KINDS, ClientHost, type BenchClient, type ClientKind } from "./clients";
import { BenchServer } from "./server/control";
import * as payload from "./server/payload";
import {
  deferred,
  percentile,
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
const { asBytes, checkPayload, makePayload, IntegrityError } = payload;

const SIZE = 64;

interface RoundResult {
  p50Us: number;
  p99Us: number;
  cpuUsPerTrip: number;
}

export interface LatencyResult {
  trips: number;
  rounds: number;
  perKind: PerKind<RoundResult & { p50Samples: number[]; cpuSamples: number[] }>;
}

async function echoRound(
  host: ClientHost,
  server: BenchServer,
  kind: ClientKind,
  trips: number,
): Promise<RoundResult> {
  const opened = deferred();
  const done = deferred();
  const times = new Float64Array(trips);
  let seq = 0;
  let sentAt = 0n;
  let cpuStart: NodeJS.CpuUsage = { user: 0, system: 0 };
  let cpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  // eslint-disable-next-line prefer-const -- assigned once the handlers that use it exist
  let client: BenchClient;
  const sendNext = (): void => {
    sentAt = process.hrtime.bigint();
    client.send(makePayload(seq, SIZE));
  };
  const onMessage = (data: unknown): void => {
    const now = process.hrtime.bigint();
    const bytes = asBytes(data);
    if (!checkPayload(bytes, seq, SIZE)) {
      done.reject(new IntegrityError(`${kind}: echo ${seq} of ${trips} arrived wrong or out of order`));
      return;
    }
    times[seq] = Number(now - sentAt) / 1000;
    if (++seq === trips) {
      cpu = process.cpuUsage(cpuStart);
      done.resolve();
      return;
    }
    sendNext();
  };
  client = host.create(kind, server.url, { message: onMessage, open: () => opened.resolve() });
  try {
    await withTimeout(opened.promise, 10_000, `${kind} opening`);
    await server.waitForConnections(1);
    cpuStart = process.cpuUsage();
    sendNext();
    await withTimeout(done.promise, 120_000, `${kind} echoing ${trips} messages (got ${seq})`);
  } finally {
    client.close();
  }
  const sorted = Array.from(times).sort((a, b) => a - b);
  return { p50Us: percentile(sorted, 50), p99Us: percentile(sorted, 99), cpuUsPerTrip: cpu.user / trips };
}

export async function main(options: BenchOptions = {}): Promise<LatencyResult> {
  // CPU time is accounted in scheduler ticks (a few ms): rounds must be long enough to make that small.
  const trips = options.tiny ? 50 : 10_000;
  const rounds = options.tiny ? 1 : options.quick ? 3 : 9;
  const kinds = selectKinds(CLIENT_KINDS, options);
  const server = await BenchServer.start("echo");
  const host = new ClientHost();
  const results: PerKind<RoundResult[]> = {};
  try {
    for (const kind of kinds) await echoRound(host, server, kind, Math.min(trips, 1000)); // warm-up
    for (let round = 0; round < rounds; round++)
      for (const kind of rotated(kinds, round))
        (results[kind] ??= []).push(await echoRound(host, server, kind, trips));
  } finally {
    await host.dispose();
    await server.stop();
  }
  const perKind: LatencyResult["perKind"] = {};
  for (const kind of kinds) {
    const r = results[kind] ?? [];
    const p50Samples = r.map((x) => x.p50Us);
    const cpuSamples = r.map((x) => x.cpuUsPerTrip);
    perKind[kind] = {
      p50Us: median(p50Samples),
      p99Us: median(r.map((x) => x.p99Us)),
      cpuUsPerTrip: median(cpuSamples),
      p50Samples,
      cpuSamples,
    };
  }
  return { trips, rounds, perKind };
}

export function report(result: LatencyResult): string {
  const base = result.perKind.ws;
  const rows = CLIENT_KINDS.filter((kind) => result.perKind[kind]).map((kind) => {
    const r = result.perKind[kind];
    return [
      kind,
      r ? r.p50Us : "–",
      r ? spread(r.p50Samples, 1) : "–",
      ratio(r?.p50Us, base?.p50Us),
      r ? r.p99Us : "–",
      r ? r.cpuUsPerTrip : "–",
      ratio(r?.cpuUsPerTrip, base?.cpuUsPerTrip),
    ];
  });
  return [
    `latency: ${result.trips.toLocaleString("en-US")} sequential ${SIZE}-byte echoes, median of ${result.rounds} rounds`,
    formatTable(
      ["client", "p50 (µs)", "p50 range", "p50 vs ws", "p99 (µs)", "user CPU/trip (µs)", "CPU vs ws"],
      rows,
    ),
  ].join("\n");
}

if (require.main === module) runStandalone(main, report);
