/**
 * The fleet push: how many of bench/fleet.ts's echo bots (send once a second, wait for the echo) this
 * machine holds in one `scenetree run --instances N` process against one echo server process. Sizes
 * are tried in ascending order until one fails; a size holds when every bot connected within the
 * time allowed, the bots got at least 90% of their echoes over the steady window, and the fleet's
 * summary counts equal the server's (sessions, messages, payload bytes).
 *
 * What it raises, since a default machine stops far below 100,000:
 *   - open files: client and server run under `ulimit -n` of N + 4096 (or the hard limit, if lower:
 *     then that is what stops it), one descriptor per connection on each side;
 *   - ports: the bots connect from K source addresses 127.0.0.2… (the WebsocketClient `localAddress`
 *     prop; Linux routes all of 127.0.0.0/8 to loopback), ~20,000 bots per address, as the ~28,000
 *     ephemeral ports per source address would otherwise run out;
 *   - the accept queue: instances start over a ramp-up (`--ramp-up N/2500` s), as the kernel caps the
 *     server's backlog at net.core.somaxconn;
 *   - frames: `--fps 10` (a once-a-second bot needs no more; at 60 fps the idle frames of 100,000 trees
 *     alone would want more CPU than two cores have).
 *
 * Opt-in, as it takes minutes and loads every core: `npm run bench -- --only=fleet-push` (or
 * BENCH_FLEET_PUSH=1 npm run bench), or on its own:
 *
 *   npx tsx bench/fleet-push.ts [--bots=20000,50000,100000] [--workers=2] [--fps=10] [--raw]
 *
 * `--raw` also runs as many raw `ws` clients in one process at each size, for comparison. Needs a
 * built dist/ (`npm run build`).
 */
import * as os from "node:os";
import { formatTable } from "./measure";
import { assertBuilt, fleet, formatCounts, measure, raw, type FleetSample, type Kind } from "./fleet";

export interface PushOptions {
  bots?: number[];
  workers?: number;
  fps?: number;
  raw?: boolean;
}

export interface PushRow {
  kind: string;
  bots: number;
  hosts: number;
  sample: FleetSample | null;
  /** Why this size did not hold (empty when it did). */
  failure: string;
}

export interface PushResult {
  rows: PushRow[];
  /** The largest size that held, 0 when none did. */
  held: number;
  freeMemGiB: number;
}

/** `--bots=20000,50000,100000`, `--workers=2`, `--fps=10`, `--raw`. */
export function cliOptions(argv: string[]): PushOptions {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return {
    bots: value("bots")?.split(",").map(Number),
    workers: value("workers") === undefined ? undefined : Number(value("workers")),
    fps: value("fps") === undefined ? undefined : Number(value("fps")),
    raw: argv.includes("--raw"),
  };
}

const BOTS_PER_HOST = 20_000;
const STARTS_PER_SECOND = 2500;

async function trySize(kind: Kind, bots: number, hosts: number): Promise<PushRow> {
  const row: PushRow = { kind: kind.name, bots, hosts, sample: null, failure: "" };
  try {
    const sample = await measure(kind, {
      count: bots,
      settleMs: 10_000,
      windowMs: 10_000,
      localHosts: hosts,
      openFiles: bots + 4096,
      connectTimeoutMs: 60_000 + (bots / STARTS_PER_SECOND) * 3000,
    });
    row.sample = sample;
    if (sample.echoesPerBotSecond < 0.9)
      row.failure = `only ${sample.echoesPerBotSecond.toFixed(2)} echoes/bot/s (CPU-bound: late ${sample.late})`;
    else if (sample.counts && !sample.counts.ok)
      row.failure = `counts differ: ${formatCounts(sample.counts)}`;
  } catch (error) {
    row.failure = String(error instanceof Error ? error.message : error).split("\n")[0];
  }
  return row;
}

export async function main(options: PushOptions = {}): Promise<PushResult> {
  const sizes = options.bots ?? [20_000, 50_000, 100_000];
  const workers = options.workers ?? os.availableParallelism();
  const fps = options.fps ?? 10;
  assertBuilt();
  const rows: PushRow[] = [];
  let held = 0;
  for (const bots of sizes) {
    const hosts = Math.max(1, Math.ceil(bots / BOTS_PER_HOST));
    const kinds = [fleet(fps, workers, Math.ceil(bots / STARTS_PER_SECOND)), ...(options.raw ? [raw] : [])];
    let fleetHeld = false;
    for (const kind of kinds) {
      const row = await trySize(kind, bots, hosts);
      rows.push(row);
      process.stderr.write(
        `push: ${kind.name} x ${bots}: ${row.failure || "held"} ${JSON.stringify(row.sample)}\n`,
      );
      if (kind !== raw && row.failure === "") fleetHeld = true;
    }
    if (!fleetHeld) break;
    held = bots;
  }
  return { rows, held, freeMemGiB: os.freemem() / 2 ** 30 };
}

export function report(result: PushResult): string {
  const fmt = (n: number | undefined, digits = 0) => (n === undefined ? "–" : n.toFixed(digits));
  const mib = (kib: number | undefined) => (kib === undefined ? undefined : kib / 1024);
  return [
    `fleet push: echo bots (once a second) until a size fails; held: ${result.held.toLocaleString("en-US")}`,
    formatTable(
      [
        "bots",
        "kind",
        "source addrs",
        "all connected (s)",
        "RSS (MiB)",
        "RSS/bot (KiB)",
        "CPU %",
        "server RSS (MiB)",
        "server CPU %",
        "echoes/bot/s",
        "late",
        "counts = server",
        "result",
      ],
      result.rows.map(({ kind, bots, hosts, sample: s, failure }) => [
        bots.toLocaleString("en-US"),
        kind,
        String(hosts),
        fmt(s ? s.connectMs / 1000 : undefined, 1),
        fmt(mib(s?.rssKiB)),
        fmt(s ? s.rssKiB / bots : undefined, 1),
        fmt(s?.cpuPercent),
        fmt(mib(s?.serverRssKiB)),
        fmt(s?.serverCpuPercent),
        fmt(s?.echoesPerBotSecond, 2),
        fmt(s?.late),
        s?.counts ? (s.counts.ok ? "yes" : "NO") : "–",
        failure || "held",
      ]),
    ),
    `(free memory at the end: ${result.freeMemGiB.toFixed(1)} GiB)`,
  ].join("\n");
}

if (require.main === module) {
  main(cliOptions(process.argv)).then(
    (result) => console.log(report(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
