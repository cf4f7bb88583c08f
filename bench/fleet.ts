/**
 * Fleet: 1,000 and 10,000 one-client bots (bench/fleet/bot.scene.json: send once a second, wait for
 * the echo) run by `scenetree run --instances N --workers 2`, against the same number of raw `ws`
 * clients doing the same in one process (bench/fleet/rawBots.ts). Each run is a fresh process against a
 * fresh echo server in a process of its own (bench/server). Measured:
 *
 *   all connected   from spawning the process until the server counts N open connections
 *   RSS/bot         the process's resident memory (every worker thread included) / N, after a settle
 *   marginal        (RSS at 10,000 - RSS at 1,000) / 9,000: what one more bot costs
 *   CPU             the process's CPU time over the steady window, in % of one core
 *   echoes/bot/s    echoes the bots counted over that window, per bot per second (1.00 is every one)
 *
 * Not part of `npm run bench` (bench/run.ts); needs a built dist/ (`npm run build`).
 *
 *   npx tsx bench/fleet.ts [--quick] [--sizes=1000,10000] [--fps=60,10]
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { formatTable, median } from "./measure";
import { BenchServer } from "./server/control";
import { sleep, withTimeout } from "./wsCommon";

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");
const SCENE = path.join(__dirname, "fleet", "bot.scene.json");
const RAW = path.join(__dirname, "fleet", "rawBots.ts");
const TSX_CJS = require.resolve("tsx/cjs");
const CLOCK_TICKS = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in 1/100 s

type Kind = { name: string; spawn: (url: string, count: number) => ChildProcess };

const raw: Kind = {
  name: "ws (one process)",
  spawn: (url, count) =>
    spawn(process.execPath, ["--require", TSX_CJS, RAW, url, String(count)], { stdio: "pipe" }),
};

const fleet = (fps: number): Kind => ({
  name: `scenetree --workers 2${fps === 60 ? "" : ` --fps ${fps}`}`,
  spawn: (url, count) =>
    spawn(
      process.execPath,
      [
        BIN,
        "run",
        SCENE,
        "--instances",
        String(count),
        "--workers",
        "2",
        "--fps",
        String(fps),
        "--log-level",
        "warn",
      ],
      { stdio: "pipe", env: { ...process.env, SCENETREE_BENCH_URL: url } },
    ),
});

interface Totals {
  bots: number;
  opened: number;
  sent: number;
  echoed: number;
  late: number;
}

export interface FleetSample {
  connectMs: number;
  rssKiB: number;
  cpuPercent: number;
  echoesPerBotSecond: number;
  late: number;
}

function readRssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

function readCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
}

/** The latest totals line of every thread, summed. */
function totalsFrom(lines: Map<number, Totals>): Totals {
  const sum: Totals = { bots: 0, opened: 0, sent: 0, echoed: 0, late: 0 };
  for (const t of lines.values())
    for (const key of Object.keys(sum) as Array<keyof Totals>) sum[key] += t[key];
  return sum;
}

async function measure(kind: Kind, count: number, settleMs: number, windowMs: number): Promise<FleetSample> {
  const server = await BenchServer.start("echo");
  const started = performance.now();
  const child = kind.spawn(server.url, count);
  const latest = new Map<number, Totals>();
  let buffered = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const { thread, ...totals } = JSON.parse(line) as Totals & { thread: number };
      latest.set(thread, totals);
    }
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    await withTimeout(
      server.waitForConnections(count, 170_000),
      180_000,
      `${kind.name} x ${count} connecting`,
    );
    const connectMs = performance.now() - started;
    await sleep(settleMs);
    const before = { cpu: readCpuSeconds(child.pid!), at: performance.now(), totals: totalsFrom(latest) };
    await sleep(windowMs);
    const after = { cpu: readCpuSeconds(child.pid!), at: performance.now(), totals: totalsFrom(latest) };
    const seconds = (after.at - before.at) / 1000;
    return {
      connectMs,
      rssKiB: readRssKiB(child.pid!),
      cpuPercent: ((after.cpu - before.cpu) / seconds) * 100,
      echoesPerBotSecond: (after.totals.echoed - before.totals.echoed) / count / seconds,
      late: after.totals.late - before.totals.late,
    };
  } catch (error) {
    throw new Error(`${String(error)}\n${stderr}`, { cause: error });
  } finally {
    child.kill("SIGTERM");
    await withTimeout(exited, 60_000, `${kind.name} stopping`).catch(() => child.kill("SIGKILL"));
    await server.stop();
  }
}

export interface FleetResult {
  rounds: number;
  sizes: number[];
  kinds: string[];
  samples: Record<string, Record<number, FleetSample[]>>;
}

export async function main(argv: string[] = process.argv): Promise<FleetResult> {
  const quick = argv.includes("--quick");
  const option = (name: string, fallback: number[]) => {
    const given = argv.find((a) => a.startsWith(`--${name}=`));
    return given
      ? given
          .slice(name.length + 3)
          .split(",")
          .map(Number)
      : fallback;
  };
  const sizes = option("sizes", [1_000, 10_000]);
  const kinds = [raw, ...option("fps", [60, 10]).map(fleet)];
  const rounds = quick ? 1 : 3;
  if (!fs.existsSync(path.join(ROOT, "dist", "fleet", "worker.js")))
    throw new Error("run `npm run build` first");
  const samples: FleetResult["samples"] = {};
  for (const count of sizes) {
    for (let round = 0; round < rounds; round++) {
      for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
        const sample = await measure(kind, count, quick ? 3000 : 5000, quick ? 3000 : 5000);
        ((samples[kind.name] ??= {})[count] ??= []).push(sample);
        process.stderr.write(`${kind.name} x ${count}: ${JSON.stringify(sample)}\n`);
      }
    }
  }
  return { rounds, sizes, kinds: kinds.map((k) => k.name), samples };
}

export function report(result: FleetResult): string {
  const rows: Array<Array<string | number>> = [];
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
      const vs = (value: number, pick: (x: FleetSample) => number) =>
        base ? `${(value / median(base.map(pick))).toFixed(2)}x` : "–";
      rows.push([
        `${count.toLocaleString("en-US")} x ${name}`,
        fmt(m((x) => x.connectMs)),
        vs(
          m((x) => x.connectMs),
          (x) => x.connectMs,
        ),
        fmt(m((x) => x.rssKiB) / count, 1),
        vs(
          m((x) => x.rssKiB),
          (x) => x.rssKiB,
        ),
        Number.isNaN(marginal) ? "–" : fmt(marginal, 1),
        fmt(m((x) => x.cpuPercent)),
        fmt(
          m((x) => x.echoesPerBotSecond),
          2,
        ),
        fmt(m((x) => x.late)),
      ]);
    }
  }
  return [
    `fleet: one-client echo bots (send once a second, wait for the echo); median of ${result.rounds} round(s)`,
    formatTable(
      [
        "bots",
        "all connected (ms)",
        "vs ws",
        "RSS/bot (KiB)",
        "vs ws",
        "marginal (KiB)",
        "CPU %",
        "echoes/bot/s",
        "late",
      ],
      rows,
    ),
  ].join("\n");
}

if (require.main === module) {
  main().then(
    (result) => console.log(report(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
