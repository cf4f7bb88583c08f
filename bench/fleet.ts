/**
 * Fleet: 1,000 and 10,000 one-client bots (bench/fleet/bot.scene.json: send once a second, wait for
 * the echo) run by `scenetree run --instances N --workers 2`, against the same number of raw `ws`
 * clients doing the same in one process (bench/fleet/rawBots.ts; the ratios' baseline), in two
 * worker threads of one process (what two isolates cost with no engine at all), and in one process with
 * their sends made by a 60 fps loop (what frame-timed sends cost with no engine). Each run is a fresh process against a
 * fresh echo server in a process of its own (bench/server). Measured:
 *
 *   all connected   from spawning the process until the server counts N open connections
 *   connect CPU     the client process's CPU time (every thread) until then: less at the mercy of a
 *                   busy machine than the wall time
 *   RSS/bot         the process's resident memory (every worker thread included) / N, after a settle
 *   marginal        (RSS at 10,000 - RSS at 1,000) / 9,000: what one more bot costs
 *   CPU             the process's CPU time over the steady window, in % of one core
 *   echoes/bot/s    echoes the bots counted over that window, per bot per second (1.00 is every one)
 *   counts          after the window the server tells every bot "quiet" (it sends nothing more), waits
 *                   until nothing is in flight and SIGTERMs the fleet; the fleet's summary (its
 *                   `--summary-json`) must count exactly the server's sessions, messages and payload
 *                   bytes in each direction, else a MISMATCH line and exit code 1
 *
 * `npm run bench` (bench/run.ts) runs it at 60 fps for 1,000 and 10,000 bots (1,000 with --quick), one
 * round; needs a built dist/ (`npm run build`). bench/fleet-push.ts uses the same measurement for the
 * largest fleets.
 *
 *   npx tsx bench/fleet.ts [--quick] [--sizes=1000,10000] [--fps=60,10] [--rounds=3]
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatTable, median } from "./measure";
import { QUIET, type BotTotals } from "./fleet/protocol";
import { BenchServer, withOpenFiles } from "./server/control";
import type { ServerCounts } from "./server/server";
import { sleep, withTimeout } from "./wsCommon";

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");
const SCENE = path.join(__dirname, "fleet", "bot.scene.json");
const RAW = path.join(__dirname, "fleet", "rawBots.ts");
const TSX_CJS = require.resolve("tsx/cjs");
const CLOCK_TICKS = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in 1/100 s

/** How a kind of client is started: `command` runs under `sh` when the open-file limit must be raised. */
export interface Kind {
  name: string;
  /** A scenetree fleet: its summary is checked against the server's counts. */
  fleet: boolean;
  args: (url: string, count: number, summaryFile: string) => string[];
}

export const raw: Kind = {
  name: "ws (one process)",
  fleet: false,
  args: (url, count) => ["--require", TSX_CJS, RAW, url, String(count)],
};

/** Raw `ws` clients over two worker threads, as a `--workers 2` fleet spreads its bots: no engine at all. */
export const rawWorkers: Kind = {
  name: "ws (2 worker threads)",
  fleet: false,
  args: (url, count) => ["--require", TSX_CJS, RAW, url, String(count), "2"],
};

/**
 * Raw `ws` clients in one process whose sends come from one 60 fps loop, as a frame-driven client's
 * do: what the fleet's steady CPU compares with once its sends are timed as Godot times them.
 */
export const rawFrames: Kind = {
  name: "ws (sends from a 60 fps loop)",
  fleet: false,
  args: (url, count) => ["--require", TSX_CJS, RAW, url, String(count), "1", "60"],
};

/** Another bot scene for {@link fleet} (bench/fleet-parts.ts): its name in the tables, and whether its bots count in the summary. */
export interface BotScene {
  file: string;
  label: string;
  /** Whether the bots use WebSocket nodes (whose traffic the summary counts, to be checked): raw `ws` ones do not. */
  counted: boolean;
}

export const fleet = (fps: number, workers = 2, rampUpS = 0, scene?: BotScene): Kind => ({
  name: `scenetree --workers ${workers}${fps === 60 ? "" : ` --fps ${fps}`}${rampUpS > 0 ? ` --ramp-up ${rampUpS}` : ""}${scene ? `, ${scene.label}` : ""}`,
  fleet: scene?.counted ?? true,
  args: (url, count, summaryFile) => [
    BIN,
    "run",
    scene?.file ?? SCENE,
    "--instances",
    String(count),
    "--workers",
    String(workers),
    "--fps",
    String(fps),
    "--ramp-up",
    String(rampUpS),
    "--log-level",
    "warn",
    "--summary-json",
    summaryFile,
  ],
});

/** The fleet's summary counts next to the server's, by k6 metric name. */
export interface CountCheck {
  rows: Array<{ metric: string; fleet: number; server: number }>;
  ok: boolean;
}

/** Which server count each of the fleet's counters must equal. */
const COMPARED: Array<[metric: string, server: keyof ServerCounts]> = [
  ["ws_sessions", "sessions"],
  ["ws_msgs_sent", "msgsIn"],
  ["ws_msgs_received", "msgsOut"],
  ["data_sent", "bytesIn"],
  ["data_received", "bytesOut"],
];

export interface FleetSample {
  connectMs: number;
  /** CPU seconds of the client process until every bot was connected. */
  connectCpuS: number;
  rssKiB: number;
  cpuPercent: number;
  echoesPerBotSecond: number;
  late: number;
  /** The server's resident memory and CPU (% of one core) over the steady window. */
  serverRssKiB: number;
  serverCpuPercent: number;
  /** Fleets only. */
  counts?: CountCheck;
}

export interface MeasureOptions {
  count: number;
  settleMs: number;
  windowMs: number;
  /** Spread the bots over this many source addresses 127.0.0.2… (SCENETREE_BENCH_LOCAL_HOSTS); 0: none. */
  localHosts?: number;
  /** Run the client and the server with `ulimit -n` raised to this (else the inherited limit). */
  openFiles?: number;
  /** How long the bots may take to be all connected. */
  connectTimeoutMs?: number;
}

export function readRssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

export function readCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
}

/** The latest totals line of every thread, summed. */
export function totalsFrom(lines: Map<number, BotTotals>): BotTotals {
  const sum: BotTotals = { bots: 0, opened: 0, sent: 0, echoed: 0, late: 0 };
  for (const t of lines.values())
    for (const key of Object.keys(sum) as Array<keyof BotTotals>) sum[key] += t[key];
  return sum;
}

function spawnKind(kind: Kind, url: string, options: MeasureOptions, summaryFile: string): ChildProcess {
  const args = kind.args(url, options.count, summaryFile);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SCENETREE_BENCH_URL: url,
    SCENETREE_BENCH_LOCAL_HOSTS: String(options.localHosts ?? 0),
  };
  // `exec` keeps the pid: /proc/<pid> is the client's own.
  return options.openFiles
    ? spawn("/bin/sh", ["-c", withOpenFiles(options.openFiles), process.execPath, ...args], {
        stdio: "pipe",
        env,
      })
    : spawn(process.execPath, args, { stdio: "pipe", env });
}

/**
 * After "quiet": until the server has received nothing new for a second, and then until the bots
 * report (in a totals line printed after that) an echo for every message they sent. Gives up after
 * `timeoutMs` (a connection lost with a message in flight never gets its echo): the comparison then
 * says what differs.
 */
async function waitForQuiet(
  server: BenchServer,
  totals: () => { totals: BotTotals; at: number },
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = await server.counts();
  let stableSince = performance.now();
  while (performance.now() < deadline) {
    await sleep(200);
    const now = await server.counts();
    if (now.msgsIn !== last.msgsIn || now.msgsOut !== last.msgsOut) {
      last = now;
      stableSince = performance.now();
      continue;
    }
    if (performance.now() - stableSince < 1000) continue;
    const reading = totals();
    if (reading.at > stableSince && reading.totals.sent === reading.totals.echoed) return;
  }
  process.stderr.write(`fleet bench: still messages in flight after ${timeoutMs} ms of quiet\n`);
}

export function readCounters(summaryFile: string): Record<string, number> {
  const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8")) as {
    metrics: Record<string, { type: string; data: { count?: number } }>;
  };
  const counters: Record<string, number> = {};
  for (const [name, metric] of Object.entries(summary.metrics))
    if (metric.type === "counter") counters[name] = metric.data.count ?? 0;
  return counters;
}

export function compareCounts(counters: Record<string, number>, server: ServerCounts): CountCheck {
  const rows = COMPARED.map(([metric, key]) => ({
    metric,
    fleet: counters[metric] ?? 0,
    server: server[key],
  }));
  return { rows, ok: rows.every((row) => row.fleet === row.server) };
}

export async function measure(kind: Kind, options: MeasureOptions): Promise<FleetSample> {
  const { count, settleMs, windowMs } = options;
  const server = await BenchServer.spawn({ openFiles: options.openFiles });
  await server.listen("echo");
  const summaryDir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-bench-"));
  const summaryFile = path.join(summaryDir, "summary.json");
  const started = performance.now();
  const child = spawnKind(kind, server.url, options, summaryFile);
  const latest = new Map<number, BotTotals>();
  let latestAt = 0;
  let buffered = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const { thread, ...totals } = JSON.parse(line) as BotTotals & { thread: number };
      latest.set(thread, totals);
      latestAt = performance.now();
    }
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let stopped = false;
  try {
    const connectTimeoutMs = options.connectTimeoutMs ?? 170_000;
    await withTimeout(
      server.waitForConnections(count, connectTimeoutMs),
      connectTimeoutMs + 10_000,
      `${kind.name} x ${count} connecting`,
    );
    const connectMs = performance.now() - started;
    const connectCpuS = readCpuSeconds(child.pid!);
    await sleep(settleMs);
    const cpus = () => ({ cpu: readCpuSeconds(child.pid!), server: readCpuSeconds(server.pid) });
    const before = { ...cpus(), at: performance.now(), totals: totalsFrom(latest) };
    await sleep(windowMs);
    const after = { ...cpus(), at: performance.now(), totals: totalsFrom(latest) };
    const rssKiB = readRssKiB(child.pid!);
    const seconds = (after.at - before.at) / 1000;
    const sample: FleetSample = {
      connectMs,
      connectCpuS,
      rssKiB,
      cpuPercent: ((after.cpu - before.cpu) / seconds) * 100,
      echoesPerBotSecond: (after.totals.echoed - before.totals.echoed) / count / seconds,
      late: after.totals.late - before.totals.late,
      serverRssKiB: readRssKiB(server.pid),
      serverCpuPercent: ((after.server - before.server) / seconds) * 100,
    };
    if (kind.fleet) {
      await server.broadcast(QUIET);
      await waitForQuiet(server, () => ({ totals: totalsFrom(latest), at: latestAt }), 30_000 + count);
      const serverCounts = await server.counts();
      stopped = true;
      child.kill("SIGTERM");
      await withTimeout(exited, 60_000 + count, `${kind.name} stopping`);
      sample.counts = compareCounts(readCounters(summaryFile), serverCounts);
    }
    return sample;
  } catch (error) {
    throw new Error(`${String(error)}\n${stderr}`, { cause: error });
  } finally {
    if (!stopped) {
      child.kill("SIGTERM");
      await withTimeout(exited, 60_000, `${kind.name} stopping`).catch(() => child.kill("SIGKILL"));
    }
    await server.stop();
    fs.rmSync(summaryDir, { recursive: true, force: true });
  }
}

/** One line per count that differs (none when all agree). */
export function mismatches(label: string, check: CountCheck | undefined): string[] {
  if (!check) return [];
  return check.rows
    .filter((row) => row.fleet !== row.server)
    .map((row) => `MISMATCH ${label}: ${row.metric} fleet=${row.fleet} server=${row.server}`);
}

/** `metric fleet/server` for every compared count, ✓ or ✗. */
export function formatCounts(check: CountCheck): string {
  return check.rows
    .map((row) => `${row.metric} ${row.fleet}/${row.server} ${row.fleet === row.server ? "✓" : "✗"}`)
    .join(", ");
}

export interface FleetResult {
  rounds: number;
  sizes: number[];
  kinds: string[];
  samples: Record<string, Record<number, FleetSample[]>>;
  /** MISMATCH lines: a fleet's summary that did not count what the server counted. */
  mismatches: string[];
}

export interface FleetBenchOptions {
  /** One round, shorter settle and measuring windows. */
  quick?: boolean;
  /** For the smoke test: 20 bots, 60 fps, one round, a moment of settling; proves it works, measures nothing. */
  tiny?: boolean;
  sizes?: number[];
  fps?: number[];
  rounds?: number;
}

/** `--quick`, `--sizes=1000,10000`, `--fps=60,10`, `--rounds=3`. */
export function cliOptions(argv: string[]): FleetBenchOptions {
  const option = (name: string) => {
    const given = argv.find((a) => a.startsWith(`--${name}=`));
    return given
      ? given
          .slice(name.length + 3)
          .split(",")
          .map(Number)
      : undefined;
  };
  return {
    quick: argv.includes("--quick"),
    sizes: option("sizes"),
    fps: option("fps"),
    rounds: option("rounds")?.[0],
  };
}

export function assertBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, "dist", "fleet", "worker.js")))
    throw new Error("run `npm run build` first");
}

export async function main(options: FleetBenchOptions = cliOptions(process.argv)): Promise<FleetResult> {
  const { quick = false, tiny = false } = options;
  const sizes = options.sizes ?? (tiny ? [20] : [1_000, 10_000]);
  const kinds = [
    raw,
    rawWorkers,
    rawFrames,
    ...(options.fps ?? (tiny ? [60] : [60, 10])).map((fps) => fleet(fps)),
  ];
  const rounds = options.rounds ?? (quick || tiny ? 1 : 3);
  const settleMs = tiny ? 200 : quick ? 3000 : 5000;
  const windowMs = tiny ? 1000 : quick ? 3000 : 5000;
  assertBuilt();
  const samples: FleetResult["samples"] = {};
  const found: string[] = [];
  for (const count of sizes) {
    for (let round = 0; round < rounds; round++) {
      for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
        const sample = await measure(kind, { count, settleMs, windowMs });
        ((samples[kind.name] ??= {})[count] ??= []).push(sample);
        const label = `${kind.name} x ${count} (round ${round + 1})`;
        const wrong = mismatches(label, sample.counts);
        for (const line of wrong) process.stderr.write(`${line}\n`);
        found.push(...wrong);
        if (!tiny) process.stderr.write(`${kind.name} x ${count}: ${JSON.stringify(sample)}\n`);
      }
    }
  }
  return { rounds, sizes, kinds: kinds.map((k) => k.name), samples, mismatches: found };
}

export function report(result: FleetResult): string {
  const rows: Array<Array<string | number>> = [];
  const counts: string[] = [];
  const fmt = (n: number, digits = 0) => n.toFixed(digits);
  for (const count of result.sizes) {
    const base = result.samples[raw.name]?.[count];
    for (const name of result.kinds) {
      const s = result.samples[name]?.[count] ?? [];
      const m = (pick: (x: FleetSample) => number) => median(s.map(pick));
      const first = Math.min(...result.sizes);
      const small = result.samples[name]?.[first];
      const marginal =
        count !== first && small
          ? (m((x) => x.rssKiB) - median(small.map((x) => x.rssKiB))) / (count - first)
          : NaN;
      const vs = (pick: (x: FleetSample) => number) =>
        base ? `${(m(pick) / median(base.map(pick))).toFixed(2)}x` : "–";
      const checked = s.filter((x) => x.counts);
      rows.push([
        `${count.toLocaleString("en-US")} x ${name}`,
        fmt(m((x) => x.connectMs)),
        vs((x) => x.connectMs),
        fmt(
          m((x) => x.connectCpuS),
          1,
        ),
        vs((x) => x.connectCpuS),
        fmt(m((x) => x.rssKiB) / count, 1),
        vs((x) => x.rssKiB),
        Number.isNaN(marginal) ? "–" : fmt(marginal, 1),
        fmt(m((x) => x.cpuPercent)),
        fmt(
          m((x) => x.echoesPerBotSecond),
          2,
        ),
        fmt(m((x) => x.late)),
        checked.length === 0 ? "–" : checked.every((x) => x.counts!.ok) ? "yes" : "NO",
      ]);
      for (const [round, x] of s.entries())
        if (x.counts)
          counts.push(
            `  ${count.toLocaleString("en-US")} x ${name}, round ${round + 1}: ${formatCounts(x.counts)}`,
          );
    }
  }
  return [
    `fleet: one-client echo bots (send once a second, wait for the echo); median of ${result.rounds} round(s)`,
    formatTable(
      [
        "bots",
        "all connected (ms)",
        "vs ws",
        "connect CPU (s)",
        "vs ws",
        "RSS/bot (KiB)",
        "vs ws",
        "marginal (KiB)",
        "CPU %",
        "echoes/bot/s",
        "late",
        "counts = server",
      ],
      rows,
    ),
    "counts (fleet summary / server):",
    ...counts,
    ...result.mismatches,
  ].join("\n");
}

if (require.main === module) {
  main().then(
    (result) => {
      console.log(report(result));
      if (result.mismatches.length > 0) process.exit(1);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
