/**
 * Runs every benchmark, prints one table per scenario and a summary of the goals of issue 11, and
 * writes bench/RESULTS.md (figures, the command, versions, machine, and how loaded the machine was).
 *
 *   npm run bench                  full run (several minutes: fleet's 10,000 bots take the longest)
 *   npm run bench -- --quick       fewer rounds, under a minute
 *   npm run bench -- --only=throughput,latency   some scenarios (RESULTS.md is then not written)
 *   npm run bench -- --only=fleet-push           the fleet push (opt-in, minutes; or BENCH_FLEET_PUSH=1)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tick from "./tick";
import * as soak from "./soak";
import * as throughput from "./ws-throughput";
import * as latency from "./ws-latency";
import * as reconnect from "./ws-reconnect";
import * as offline from "./ws-offline-sends";
import * as scale from "./ws-scale";
import * as shutdown from "./shutdown";
import * as metrics from "./metrics";
import * as fleet from "./fleet";
import * as fleetPush from "./fleet-push";
import { formatTable } from "./measure";
import type { BenchOptions } from "./wsCommon";

interface SceneLoadModule {
  main(options: { nodes?: number; runs?: number; print?: boolean; godot?: boolean }): {
    rows: Array<{ shape: string; totalMs: number; godot?: { loadInstanceMs: number } }>;
    godotNote: string | null;
  };
  report(result: ReturnType<SceneLoadModule["main"]>, runs: number): string;
}

type Goal = { scenario: string; goal: string; figure: string; met: boolean };

interface Scenario {
  name: string;
  /** Runs only when named in --only= (or its environment switch is set): it takes minutes. */
  optIn?: { env: string };
  run(options: BenchOptions): Promise<{ text: string; goals: Goal[] }>;
}

const fmt = (n: number, digits = 2): string => (isFinite(n) ? n.toFixed(digits) : "–");

/** bench/scene-load.ts belongs to the scene loader; it is run when present. */
function sceneLoadModule(): SceneLoadModule | null {
  const file = path.join(__dirname, "scene-load.ts");
  if (!fs.existsSync(file)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("./scene-load") as SceneLoadModule;
}

const SCENARIOS: Scenario[] = [
  // First: it checks that nothing in this process has loaded the histogram library yet.
  {
    name: "metrics",
    run: async (o) => {
      const r = metrics.main({ quick: o.quick, tiny: o.tiny });
      const ns = (op: string) => r.ops.find((row) => row.op === op)?.ns ?? NaN;
      const counter = ns("Counter.add(1)") / ns("plain += (baseline)");
      return {
        text: metrics.report(r),
        goals: [
          {
            scenario: "metrics",
            goal: "a tree that never reads metrics makes no registry, loads no histogram library",
            figure: r.unused.treeMadeRegistry || r.unused.histogramLoadedByTree ? "it did" : "none",
            met: !r.unused.treeMadeRegistry && !r.unused.histogramLoadedByTree,
          },
          {
            scenario: "metrics",
            goal: "frame with a busy registry ≤ 1.1x one without",
            figure: `${fmt(r.unused.ratio)}x`,
            met: r.unused.ratio <= 1.1,
          },
          {
            scenario: "metrics",
            goal: "untagged Counter.add ≤ 2x a plain +=",
            figure: `${fmt(counter)}x (${fmt(ns("Counter.add(1)"), 1)} ns)`,
            met: counter <= 2,
          },
        ],
      };
    },
  },
  {
    name: "tick",
    run: async (o) => {
      const r = tick.main({ quick: o.quick, tiny: o.tiny });
      const oneK = r.processing.find((p) => p.nodes === 1_000) ?? r.processing[0];
      const tenK = r.processing.find((p) => p.nodes === 10_000) ?? r.processing[0];
      return {
        text: tick.report(r),
        goals: [
          {
            scenario: "tick",
            goal: "1,000 processing nodes ≤ 1.5x flat loop",
            figure: `${fmt(oneK.ratio)}x`,
            met: oneK.ratio <= 1.5,
          },
          {
            scenario: "tick",
            goal: "10,000 processing nodes ≤ 1.1x flat loop",
            figure: `${fmt(tenK.ratio)}x`,
            met: tenK.ratio <= 1.1,
          },
          {
            scenario: "tick",
            goal: "100,000 idle nodes < 5 µs per frame",
            figure: `${fmt(r.idle.addedUs)} µs`,
            met: r.idle.addedUs < 5,
          },
        ],
      };
    },
  },
  {
    name: "soak",
    run: async (o) => {
      const r = soak.main({ quick: o.quick, tiny: o.tiny });
      return {
        text: soak.report(r),
        goals: [
          {
            scenario: "soak",
            goal: "heap after GC grows < 5% from 1/4 to the end",
            figure: `${(r.growth * 100).toFixed(2)}%`,
            met: r.growth < 0.05,
          },
        ],
      };
    },
  },
  {
    name: "scene-load",
    run: async (o) => {
      const module = sceneLoadModule();
      if (!module) return { text: "scene load: bench/scene-load.ts not present", goals: [] };
      const runs = o.tiny ? 2 : o.quick ? 5 : 15;
      const result = module.main({ nodes: o.tiny ? 100 : 10_000, runs, print: false, godot: !o.tiny });
      const flat = result.rows.find((r) => r.shape === "flat") ?? result.rows[0];
      const godot = flat.godot;
      const vsGodot = godot ? flat.totalMs / godot.loadInstanceMs : NaN;
      return {
        text: module.report(result, runs),
        goals: [
          {
            scenario: "scene load",
            goal: "10,000 nodes ≤ Godot 3.2.3 binary .scn load+instance",
            figure: godot
              ? `${fmt(vsGodot)}x (${fmt(flat.totalMs, 1)} / ${fmt(godot.loadInstanceMs, 1)} ms)`
              : `${fmt(flat.totalMs, 1)} ms (no Godot)`,
            met: vsGodot <= 1,
          },
        ],
      };
    },
  },
  {
    name: "throughput",
    run: async (o) => {
      const r = await throughput.main(o);
      const ours = (r.perKind.scenetree?.msgPerSec ?? NaN) / (r.perKind.ws?.msgPerSec ?? NaN);
      return {
        text: throughput.report(r),
        goals: [
          { scenario: "throughput", goal: "≥ 0.97x raw ws", figure: `${fmt(ours)}x`, met: ours >= 0.97 },
        ],
      };
    },
  },
  {
    name: "latency",
    run: async (o) => {
      const r = await latency.main(o);
      const ours = r.perKind.scenetree;
      const base = r.perKind.ws;
      const p50 = (ours?.p50Us ?? NaN) / (base?.p50Us ?? NaN);
      const cpu = (ours?.cpuUsPerTrip ?? NaN) / (base?.cpuUsPerTrip ?? NaN);
      return {
        text: latency.report(r),
        goals: [
          { scenario: "latency", goal: "p50 ≤ 1.02x raw ws", figure: `${fmt(p50)}x`, met: p50 <= 1.02 },
          {
            scenario: "latency",
            goal: "CPU/round trip ≤ 1.05x raw ws",
            figure: `${fmt(cpu)}x`,
            met: cpu <= 1.05,
          },
        ],
      };
    },
  },
  {
    name: "reconnect",
    run: async (o) => {
      const r = await reconnect.main(o);
      const x =
        (r.perKind.scenetree?.restartToOpenMs ?? NaN) / (r.perKind.partysocket?.restartToOpenMs ?? NaN);
      const delays = r.perKind.scenetree?.delays ?? [];
      return {
        text: reconnect.report(r),
        goals: [
          {
            scenario: "reconnect",
            goal: "restart → OPEN ≤ 0.25x partysocket, backing off",
            figure: `${fmt(x)}x (delays ${delays.join(", ") || "?"} s)`,
            met: x <= 0.25,
          },
        ],
      };
    },
  },
  {
    name: "offline-sends",
    run: async (o) => {
      const r = await offline.main(o);
      const ours = r.perKind.scenetree;
      return {
        text: offline.report(r),
        goals: [
          {
            scenario: "offline sends",
            goal: `all ${r.messages} delivered once, in order`,
            figure: ours ? `${ours.delivered}/${ours.sent}, ${ours.duplicates} dup` : "–",
            met: ours?.ok ?? false,
          },
        ],
      };
    },
  },
  {
    name: "scale",
    run: async (o) => {
      const r = await scale.main(o);
      const goals: Goal[] = [];
      for (const { count, perKind } of r.sizes) {
        const open = (perKind.scenetree?.openMs ?? NaN) / (perKind.ws?.openMs ?? NaN);
        const rss = (perKind.scenetree?.rssPerConnKiB ?? NaN) / (perKind.ws?.rssPerConnKiB ?? NaN);
        const heap = (perKind.scenetree?.heapPerConnKiB ?? NaN) - (perKind.ws?.heapPerConnKiB ?? NaN);
        const n = count.toLocaleString("en-US");
        goals.push({
          scenario: "scale",
          goal: `${n}: all OPEN ≤ 1.1x raw ws`,
          figure: `${fmt(open)}x`,
          met: open <= 1.1,
        });
        goals.push({
          scenario: "scale",
          goal: `${n}: RSS/conn ≤ 1.15x raw ws`,
          figure: `${fmt(rss)}x`,
          met: rss <= 1.15,
        });
        goals.push({
          scenario: "scale",
          goal: `${n}: heap+external/conn ≤ +1.0 KiB over raw ws`,
          figure: `+${fmt(heap)} KiB`,
          met: heap <= 1.0,
        });
      }
      return { text: scale.report(r), goals };
    },
  },
  {
    name: "shutdown",
    run: async (o) => {
      const r = await shutdown.main(o);
      const last = r.lastCloseMs.length > 0 ? Math.max(...r.lastCloseMs) : NaN;
      return {
        text: shutdown.report(r),
        goals: [
          {
            scenario: "shutdown",
            goal: `SIGTERM: all ${r.clients} sockets closed with 1001 < 1 s`,
            figure: `${fmt(last, 0)} ms, ${r.failures} failed`,
            met: last < 1000 && r.failures === 0,
          },
        ],
      };
    },
  },
  {
    name: "fleet",
    run: async (o) => {
      const sizes = o.tiny ? [20] : o.quick ? [1_000] : [1_000, 10_000];
      const r = await fleet.main({ tiny: o.tiny, quick: o.quick, sizes, fps: [60], rounds: 1 });
      const goals: Goal[] = [];
      // The fleet against raw ws in one process (the other raw baselines are shown, not goals).
      const base = fleet.raw.name;
      const baselines = [fleet.raw.name, fleet.rawWorkers.name, fleet.rawFrames.name];
      const ours = r.kinds.find((kind) => !baselines.includes(kind))!;
      for (const count of r.sizes) {
        const median = (kind: string, pick: (s: fleet.FleetSample) => number) => {
          const values = (r.samples[kind]?.[count] ?? []).map(pick).sort((a, b) => a - b);
          return values.length > 0 ? values[Math.floor(values.length / 2)] : NaN;
        };
        const vs = (pick: (s: fleet.FleetSample) => number) => median(ours, pick) / median(base, pick);
        const connect = vs((s) => s.connectMs);
        const rss = vs((s) => s.rssKiB);
        const n = count.toLocaleString("en-US");
        goals.push(
          {
            scenario: "fleet",
            goal: `${n} bots: all connected ≤ 1.3x raw ws`,
            figure: `${fmt(connect)}x`,
            met: connect <= 1.3,
          },
          {
            scenario: "fleet",
            goal: `${n} bots: RSS/bot ≤ 1.3x raw ws`,
            figure: `${fmt(rss)}x`,
            met: rss <= 1.3,
          },
        );
      }
      goals.push({
        scenario: "fleet",
        goal: "summary counts = the server's (sessions, msgs, bytes)",
        figure: r.mismatches.length === 0 ? "equal" : `${r.mismatches.length} MISMATCH`,
        met: r.mismatches.length === 0,
      });
      // Wrong counts are a bug, not a missed goal: the bench fails (after printing everything).
      if (r.mismatches.length > 0) process.exitCode = 1;
      return { text: fleet.report(r), goals };
    },
  },
  {
    name: "fleet-push",
    optIn: { env: "BENCH_FLEET_PUSH" },
    run: async (o) => {
      const r = await fleetPush.main(o.tiny ? { bots: [20], workers: 2 } : {});
      return {
        text: fleetPush.report(r),
        goals: [
          {
            scenario: "fleet-push",
            goal: "100,000 echo bots connected and echoing on this machine",
            figure: `${r.held.toLocaleString("en-US")} held`,
            met: r.held >= 100_000,
          },
        ],
      };
    },
  },
];

/** Every scenario `npm run bench` runs, in order (`--only=` takes these names). */
export const SCENARIO_NAMES = SCENARIOS.map((s) => s.name);

function version(name: string): string {
  try {
    const file = path.join(__dirname, "..", "node_modules", name, "package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model ?? "?"}, ${cpus.length} cores`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()}`,
    `- node ${process.version}, ws ${version("ws")}, partysocket ${version("partysocket")}, ` +
      `reconnecting-websocket ${version("reconnecting-websocket")}, tsx ${version("tsx")}`,
  ];
}

const loadavg = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

export async function runAll(
  options: BenchOptions & { scenarios?: string[] },
): Promise<{ text: string; goals: Goal[] }> {
  const parts: string[] = [];
  const goals: Goal[] = [];
  for (const scenario of SCENARIOS) {
    if (options.scenarios && !options.scenarios.includes(scenario.name)) continue;
    if (
      scenario.optIn &&
      !options.scenarios?.includes(scenario.name) &&
      process.env[scenario.optIn.env] !== "1"
    )
      continue;
    const started = Date.now();
    const result = await scenario.run(options);
    const text = `${result.text}\n(${((Date.now() - started) / 1000).toFixed(1)} s, load average ${loadavg()})`;
    console.log(`${text}\n`);
    parts.push(text);
    goals.push(...result.goals);
  }
  return { text: parts.join("\n\n"), goals };
}

function goalTable(goals: Goal[]): string {
  return formatTable(
    ["scenario", "goal for scenetree", "figure", "met"],
    goals.map((g) => [g.scenario, g.goal, g.figure, g.met ? "yes" : "NO"]),
  );
}

async function cli(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const onlyArg = process.argv.find((a) => a.startsWith("--only="));
  const scenarios = onlyArg ? onlyArg.slice("--only=".length).split(",") : undefined;
  const command = `npm run bench${quick ? " -- --quick" : ""}`;
  const started = new Date();
  const loadBefore = loadavg();
  const { text, goals } = await runAll({ quick, scenarios });
  const summary = goalTable(goals);
  console.log(`Goals (ratios against raw ws measured in this run):\n${summary}`);
  if (scenarios) return;
  const elapsed = ((Date.now() - started.getTime()) / 1000).toFixed(0);
  const markdown = [
    "# Benchmark results",
    "",
    "Generated by `bench/run.ts`; do not edit by hand. Absolute figures depend on the machine and its load;",
    "the ratios against raw `ws` (or partysocket, for reconnect), measured in the same run, are what count.",
    "",
    `- command: \`${command}\``,
    `- run: ${started.toISOString()}, ${elapsed} s; load average (1/5/15 min) ${loadBefore} before, ${loadavg()} after`,
    ...machine(),
    "",
    "## Goals (issue 11)",
    "",
    summary,
    "",
    "## Figures",
    "",
    "```",
    text,
    "```",
    "",
  ].join("\n");
  fs.writeFileSync(path.join(__dirname, "RESULTS.md"), markdown);
  console.log(`\nwritten: bench/RESULTS.md`);
}

if (require.main === module)
  cli().then(
    () => process.exit(process.exitCode ?? 0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
