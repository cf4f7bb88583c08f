/**
 * The fleet push: how many of bench/fleet.ts's echo bots (send once a second, wait for the echo) this
 * machine holds. Sizes are tried in ascending order until one fails; a size holds when every bot
 * connected within the time allowed, the bots got at least 90% of their echoes over the steady
 * window, and the fleets' summary counts equal the servers' (sessions, messages, payload bytes).
 *
 * What it works around, since a default machine stops far below 100,000:
 *   - open files: one descriptor per connection on each side, and a process may not raise its hard
 *     limit without CAP_SYS_RESOURCE (here 20,000). So the bots run as M shards of one fleet
 *     (`scenetree run --instances N --shard i/M`, what a Kubernetes Indexed Job runs, here as M
 *     processes of this machine) of at most 18,000 bots each, against M echo servers, one process each:
 *     shard i's bots (indices i, i+M, …) all connect to server i. Each process also tries `ulimit -n`;
 *   - ports: the bots connect from K source addresses 127.0.0.2… (the WebsocketClient `localAddress`
 *     prop; Linux routes all of 127.0.0.0/8 to loopback), 10,000 bots per address: a socket bound to
 *     an address before it connects gets its port at bind time, from the ~28,000 ephemeral ports, and
 *     bind() prefers odd ones (the even ones are left to plain connect()), so past ~14,000 per address
 *     the attempts start failing;
 *   - the accept queue: instances start over a ramp-up (`--ramp-up N/2500` s), as the kernel caps the
 *     servers' backlog at net.core.somaxconn;
 *   - frames: `--fps 10` (a once-a-second bot needs no more): at 60 fps, 50,000 bots got 0.89
 *     echoes/bot/s where at 10 they held, at the edge of what the cores hold (bench/fleet-steady.ts finds
 *     no difference per bot between the two rates at 5,000 bots, so the cause is not pinned down).
 *
 * Opt-in, as it takes minutes and loads every core: `npm run bench -- --only=fleet-push` (or
 * BENCH_FLEET_PUSH=1 npm run bench), or on its own:
 *
 *   npx tsx bench/fleet-push.ts [--bots=20000,50000,100000] [--workers=2] [--fps=10]
 *
 * `--workers` is per shard (default: the cores divided among the shards, at least 1). Needs a built
 * dist/ (`npm run build`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatTable } from "./measure";
import {
  assertBuilt,
  compareCounts,
  formatCounts,
  readCounters,
  readCpuSeconds,
  readRssKiB,
  totalsFrom,
  type CountCheck,
} from "./fleet";
import { QUIET, type BotTotals } from "./fleet/protocol";
import { BenchServer, withOpenFiles } from "./server/control";
import type { ServerCounts } from "./server/server";
import { sleep } from "./wsCommon";

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");
const SCENE = path.join(__dirname, "fleet", "bot.scene.json");
const BOTS_PER_HOST = 10_000;
const BOTS_PER_PROCESS = 18_000;
const STARTS_PER_SECOND = 2500;

export interface PushOptions {
  bots?: number[];
  workers?: number;
  fps?: number;
}

export interface PushSample {
  connectMs: number;
  /** Every client process together (every shard's threads), and every server process. */
  rssKiB: number;
  cpuPercent: number;
  serverRssKiB: number;
  serverCpuPercent: number;
  echoesPerBotSecond: number;
  late: number;
  counts: CountCheck | null;
}

export interface PushRow {
  bots: number;
  shards: number;
  workers: number;
  hosts: number;
  sample: PushSample | null;
  connected: number;
  /** Why this size did not hold (empty when it did). */
  failure: string;
}

export interface PushResult {
  rows: PushRow[];
  /** The largest size that held, 0 when none did. */
  held: number;
  fps: number;
}

/** `--bots=20000,50000,100000`, `--workers=2`, `--fps=10`. */
export function cliOptions(argv: string[]): PushOptions {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return {
    bots: value("bots")?.split(",").map(Number),
    workers: value("workers") === undefined ? undefined : Number(value("workers")),
    fps: value("fps") === undefined ? undefined : Number(value("fps")),
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function addCounts(all: ServerCounts[]): ServerCounts {
  const total: ServerCounts = { sessions: 0, msgsIn: 0, bytesIn: 0, msgsOut: 0, bytesOut: 0 };
  for (const c of all)
    for (const key of Object.keys(total) as Array<keyof ServerCounts>) total[key] += c[key];
  return total;
}

async function trySize(bots: number, options: Required<PushOptions>, row: PushRow): Promise<void> {
  const { shards, hosts, workers } = row;
  const openFiles = Math.ceil(bots / shards) + 4096;
  const servers = await Promise.all(
    Array.from({ length: shards }, async () => {
      const server = await BenchServer.spawn({ openFiles });
      await server.listen("echo");
      return server;
    }),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-push-"));
  const latest = new Map<number, BotTotals>();
  let latestAt = 0;
  const children: ChildProcess[] = [];
  const exits: Promise<number | null>[] = [];
  let stderr = "";
  const started = performance.now();
  try {
    for (let shard = 0; shard < shards; shard++) {
      const args = [
        BIN,
        "run",
        SCENE,
        ...["--instances", String(bots), "--shard", `${shard}/${shards}`, "--workers", String(workers)],
        ...["--fps", String(options.fps), "--ramp-up", String(Math.ceil(bots / STARTS_PER_SECOND))],
        ...["--log-level", "warn", "--summary-json", path.join(dir, `shard-${shard}.json`)],
      ];
      const child = spawn("/bin/sh", ["-c", withOpenFiles(openFiles), process.execPath, ...args], {
        stdio: "pipe",
        env: {
          ...process.env,
          // Bot i connects to server i mod M: shard i's bots all reach server i.
          SCENETREE_BENCH_URL: servers.map((s) => s.url).join(" "),
          SCENETREE_BENCH_LOCAL_HOSTS: String(hosts),
        },
      });
      children.push(child);
      exits.push(new Promise((resolve) => child.once("exit", (code) => resolve(code))));
      let buffered = "";
      child.stdout!.setEncoding("utf8");
      child.stdout!.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        for (const line of lines) {
          if (!line.startsWith("{")) continue;
          const { thread, ...totals } = JSON.parse(line) as BotTotals & { thread: number };
          latest.set(shard * 1000 + thread, totals);
          latestAt = performance.now();
        }
      });
      child.stderr!.on("data", (chunk: Buffer) => {
        if (stderr.length < 4000) stderr += chunk.toString();
      });
    }
    const connections = async () =>
      sum(await Promise.all(servers.map(async (s) => (await s.request({ type: "connections" })).count)));
    const deadline = performance.now() + 120_000 + (bots / STARTS_PER_SECOND) * 3000;
    for (;;) {
      row.connected = await connections();
      if (row.connected === bots) break;
      if (performance.now() > deadline) {
        row.failure = `${row.connected} of ${bots} connected in time${stderr ? ` (${stderr.split("\n")[0]})` : ""}`;
        return;
      }
      await sleep(250);
    }
    const connectMs = performance.now() - started;
    await sleep(10_000);
    const cpu = () => ({
      clients: sum(children.map((c) => readCpuSeconds(c.pid!))),
      servers: sum(servers.map((s) => readCpuSeconds(s.pid))),
      totals: totalsFrom(latest),
      at: performance.now(),
    });
    const before = cpu();
    await sleep(10_000);
    const after = cpu();
    const seconds = (after.at - before.at) / 1000;
    const sample: PushSample = {
      connectMs,
      rssKiB: sum(children.map((c) => readRssKiB(c.pid!))),
      cpuPercent: ((after.clients - before.clients) / seconds) * 100,
      serverRssKiB: sum(servers.map((s) => readRssKiB(s.pid))),
      serverCpuPercent: ((after.servers - before.servers) / seconds) * 100,
      echoesPerBotSecond: (after.totals.echoed - before.totals.echoed) / bots / seconds,
      late: after.totals.late - before.totals.late,
      counts: null,
    };
    row.sample = sample;
    // Quiet, then nothing in flight, then stop and compare (as bench/fleet.ts does for one process).
    await Promise.all(servers.map((s) => s.broadcast(QUIET)));
    const quietDeadline = performance.now() + 60_000;
    let last = addCounts(await Promise.all(servers.map((s) => s.counts())));
    let stableSince = performance.now();
    while (performance.now() < quietDeadline) {
      await sleep(500);
      const now = addCounts(await Promise.all(servers.map((s) => s.counts())));
      if (now.msgsIn !== last.msgsIn || now.msgsOut !== last.msgsOut) {
        last = now;
        stableSince = performance.now();
      } else if (performance.now() - stableSince > 1500) {
        const t = totalsFrom(latest);
        if (latestAt > stableSince && t.sent === t.echoed) break;
      }
    }
    const serverCounts = addCounts(await Promise.all(servers.map((s) => s.counts())));
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(exits);
    const counters: Record<string, number> = {};
    for (let shard = 0; shard < shards; shard++)
      for (const [name, value] of Object.entries(readCounters(path.join(dir, `shard-${shard}.json`))))
        counters[name] = (counters[name] ?? 0) + value;
    sample.counts = compareCounts(counters, serverCounts);
    if (sample.echoesPerBotSecond < 0.9)
      row.failure = `only ${sample.echoesPerBotSecond.toFixed(2)} echoes/bot/s (late ${sample.late})`;
    else if (!sample.counts.ok) row.failure = `counts differ: ${formatCounts(sample.counts)}`;
  } catch (error) {
    row.failure = String(error instanceof Error ? error.message : error).split("\n")[0];
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await Promise.all(exits);
    await Promise.all(servers.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function main(options: PushOptions = {}): Promise<PushResult> {
  const sizes = options.bots ?? [20_000, 50_000, 100_000];
  const fps = options.fps ?? 10;
  assertBuilt();
  const rows: PushRow[] = [];
  let held = 0;
  for (const bots of sizes) {
    const shards = Math.max(1, Math.ceil(bots / BOTS_PER_PROCESS));
    const workers = options.workers ?? Math.max(1, Math.floor(os.availableParallelism() / shards));
    const row: PushRow = {
      bots,
      shards,
      workers,
      hosts: Math.max(1, Math.ceil(bots / BOTS_PER_HOST)),
      sample: null,
      connected: 0,
      failure: "",
    };
    await trySize(bots, { bots: sizes, workers, fps }, row);
    rows.push(row);
    process.stderr.write(`push: ${bots}: ${row.failure || "held"} ${JSON.stringify(row.sample)}\n`);
    if (row.failure !== "") break;
    held = bots;
  }
  return { rows, held, fps };
}

export function report(result: PushResult): string {
  const fmt = (n: number | undefined, digits = 0) => (n === undefined ? "–" : n.toFixed(digits));
  const mib = (kib: number | undefined) => (kib === undefined ? undefined : kib / 1024);
  return [
    `fleet push: echo bots (once a second), --fps ${result.fps}, until a size fails; held: ${result.held.toLocaleString("en-US")}`,
    formatTable(
      [
        "bots",
        "shards x workers",
        "source addrs",
        "all connected (s)",
        "RSS (MiB)",
        "RSS/bot (KiB)",
        "CPU %",
        "servers RSS (MiB)",
        "servers CPU %",
        "echoes/bot/s",
        "late",
        "counts = server",
        "result",
      ],
      result.rows.map(({ bots, shards, workers, hosts, sample: s, failure }) => [
        bots.toLocaleString("en-US"),
        `${shards} x ${workers}`,
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
    `(machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${os.loadavg()[0].toFixed(1)} at the end)`,
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
