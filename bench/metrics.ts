/**
 * Cost of the metrics layer: nanoseconds per add for each kind (and `recordWs` per message), against an
 * empty loop and a plain `+=` measured in the same run; and that an unused registry costs nothing: a
 * tree never made one, a frame of a tree with a busy registry costs what a frame without one does, and
 * the bytes an idle registry holds.
 *
 *   npx tsx bench/metrics.ts [--quick]
 */
import v8 from "node:v8";
import path from "node:path";
import vm from "node:vm";
import { hasMetrics, Metrics, Node, recordWs, SceneTree } from "scenetree";
import { formatTable, median, timePerIteration } from "./measure";

export interface MetricsBenchResult {
  ops: Array<{ op: string; ns: number }>;
  unused: {
    treeMadeRegistry: boolean;
    histogramLoadedByTree: boolean;
    frameWithoutUs: number;
    frameWithUs: number;
    ratio: number;
  };
  memory: Array<{ what: string; bytes: number }>;
}

class Counter extends Node {
  count = 0;
  override _process(): void {
    this.count++;
  }
}

/** ns per call of `fn(i)`, the loop's own cost included (the empty loop row shows how much that is). */
function nsPerOp(fn: (i: number) => void, iterations: number, batches: number): number {
  let i = 0;
  const step = () => fn(i++ & 1023);
  for (let w = 0; w < iterations; w++) step();
  return timePerIteration(step, iterations, batches) * 1000;
}

function opsScenario(iterations: number, batches: number): MetricsBenchResult["ops"] {
  const metrics = new Metrics();
  const counter = metrics.counter("c");
  const gauge = metrics.gauge("g");
  const rate = metrics.rate("r");
  const trend = metrics.trend("t", { contains: "time" });
  const tagged = metrics.counter("tagged");
  const tags = { url: "ws://127.0.0.1:8080", room: "lobby" };
  const ws = new Metrics();
  let sink = 0;
  const rows: Array<[string, (i: number) => void]> = [
    ["empty loop", () => {}],
    ["plain += (baseline)", (i) => void (sink += i)],
    ["Counter.add(1)", () => counter.add(1)],
    ["Gauge.add(v)", (i) => gauge.add(i)],
    ["Rate.add(bool)", (i) => rate.add((i & 7) !== 0)],
    ["Trend.add(ms)", (i) => trend.add(0.2 + i * 0.37)],
    ["Counter.add(1, tags)", () => tagged.add(1, tags)],
    ["recordWs(messageSent)", (i) => recordWs(ws, "messageSent", 64 + i)],
  ];
  const out = rows.map(([op, fn]) => ({ op, ns: nsPerOp(fn, iterations, batches) }));
  if (sink < 0 || counter.count === 0) throw new Error("metrics bench: nothing was recorded");
  return out;
}

/** Before anything else in this process records a Trend: does a tree alone make a registry or load the library? */
/** The package loads hdr-histogram-js on first use only; seen from outside, through the module cache. */
function histogramLibraryLoaded(): boolean {
  return Object.keys(require.cache).some((file) => file.includes(`${path.sep}hdr-histogram-js${path.sep}`));
}

function untouchedTree(): Pick<MetricsBenchResult["unused"], "treeMadeRegistry" | "histogramLoadedByTree"> {
  const tree = new SceneTree();
  tree.root.addChild(new Counter("C"));
  tree.step(1 / 60);
  const facts = { treeMadeRegistry: hasMetrics(tree), histogramLoadedByTree: histogramLibraryLoaded() };
  tree.finalize();
  return facts;
}

/**
 * Frames of two equal trees, interleaved; one has a registry full of samples. Nothing in a frame
 * touches metrics, so the ratio is 1 within the machine's noise.
 */
function frameScenario(
  nodes: number,
  frames: number,
  batches: number,
): Pick<MetricsBenchResult["unused"], "frameWithoutUs" | "frameWithUs" | "ratio"> {
  const build = () => {
    const tree = new SceneTree();
    for (let i = 0; i < nodes; i++) tree.root.addChild(new Counter(`C${i}`));
    return tree;
  };
  const without = build();
  const withMetrics = build();
  // A registry in full use: every built-in and a few of the user's, all with samples.
  const m = withMetrics.metrics;
  for (let i = 0; i < 1000; i++) {
    recordWs(m, "connected", 1 + (i % 50));
    recordWs(m, "messageSent", 100);
    recordWs(m, "ping", 0.5 + (i % 7));
    m.trend("login_time", { contains: "time" }).add(i % 300);
  }
  const a = () => without.step(1 / 60);
  const b = () => withMetrics.step(1 / 60);
  for (let i = 0; i < 20; i++) {
    a();
    b();
  }
  const aSamples: number[] = [];
  const bSamples: number[] = [];
  for (let i = 0; i < batches; i++) {
    aSamples.push(timePerIteration(a, frames, 1));
    bSamples.push(timePerIteration(b, frames, 1));
  }
  without.finalize();
  withMetrics.finalize();
  const frameWithoutUs = median(aSamples);
  const frameWithUs = median(bSamples);
  return { frameWithoutUs, frameWithUs, ratio: frameWithUs / frameWithoutUs };
}

/**
 * Bytes per object made by `make`, over `count` of them, garbage collected before and after: the JS heap
 * plus array buffers (a histogram's counts live in a typed array, outside the heap).
 */
function bytesEach(make: () => unknown, count: number): number {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  gc();
  const used = () => {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const before = used();
  const kept: unknown[] = [];
  for (let i = 0; i < count; i++) kept.push(make());
  gc();
  const bytes = (used() - before) / count;
  if (kept.length !== count) throw new Error("unreachable");
  return Math.max(0, bytes);
}

function memoryScenario(count: number): MetricsBenchResult["memory"] {
  const bot = (pings: number) => () => {
    const metrics = new Metrics();
    recordWs(metrics, "connected", 3.2);
    for (let i = 0; i < pings; i++) {
      recordWs(metrics, "ping", 0.4 + (i % 13) * 0.11);
      recordWs(metrics, "messageSent", 64);
      recordWs(metrics, "messageReceived", 64);
    }
    recordWs(metrics, "closed", pings * 1000);
    return metrics;
  };
  return [
    { what: "SceneTree, metrics never read", bytes: bytesEach(() => new SceneTree(), count) },
    { what: "empty Metrics registry", bytes: bytesEach(() => new Metrics(), count) },
    { what: "a bot's registry: 1 connect, 300 pings, 600 messages", bytes: bytesEach(bot(300), count / 10) },
    { what: "a busier bot: 5,000 pings, 10,000 messages", bytes: bytesEach(bot(5000), count / 100) },
  ];
}

export function main(options: { quick?: boolean; tiny?: boolean } = {}): MetricsBenchResult {
  const tiny = options.tiny ?? false;
  const quick = options.quick ?? false;
  const batches = tiny ? 2 : quick ? 9 : 21;
  const facts = untouchedTree();
  const unused = { ...facts, ...frameScenario(tiny ? 10 : 1000, tiny ? 2 : quick ? 1000 : 3000, batches) };
  const memory = memoryScenario(tiny ? 100 : 2000);
  const ops = opsScenario(tiny ? 1000 : quick ? 200_000 : 1_000_000, batches);
  return { ops, unused, memory };
}

export function report(r: MetricsBenchResult): string {
  const u = r.unused;
  return [
    "metrics: cost per call (median of batches; includes the loop)",
    formatTable(
      ["operation", "ns/op"],
      r.ops.map((o) => [o.op, o.ns]),
    ),
    "",
    "metrics: an unused registry costs nothing",
    formatTable(
      ["check", "figure"],
      [
        ["a tree that ran a frame made a registry", u.treeMadeRegistry ? "yes" : "no"],
        ["…or loaded the histogram library", u.histogramLoadedByTree ? "yes" : "no"],
        ["frame, 1,000 processing nodes, no registry (µs)", u.frameWithoutUs],
        ["frame, same tree with a busy registry (µs)", u.frameWithUs],
        ["ratio", `${u.ratio.toFixed(2)}x`],
      ],
    ),
    "",
    formatTable(
      ["heap per object", "bytes"],
      r.memory.map((m) => [m.what, m.bytes]),
    ),
  ].join("\n");
}

if (require.main === module) {
  const quick = process.argv.includes("--quick");
  console.log(report(main({ quick })));
}
