/**
 * Frame cost of the engine against a flat loop, measured in the same run (machines are noisy; only the
 * ratio means something). Scenarios: N nodes that override `_process` (a counter), and N nodes that do
 * not process at all, whose cost per frame should be nil because the tree only visits processing nodes.
 *
 *   npx tsx bench/tick.ts [--quick]
 */
import { Node, SceneTree } from "scenetree";
import { formatTable, median, timePerIteration } from "./measure";

const DELTA = 1 / 60;

class Counter extends Node {
  count = 0;
  override _process(_delta: number): void {
    this.count++;
  }
}

export interface TickResult {
  processing: Array<{ nodes: number; treeUs: number; flatUs: number; ratio: number }>;
  idle: { nodes: number; emptyUs: number; idleUs: number; addedUs: number };
}

function processingScenario(nodes: number, frames: number, batches: number) {
  const tree = new SceneTree();
  const counters: Counter[] = [];
  for (let i = 0; i < nodes; i++) {
    const c = new Counter(`C${i}`);
    counters.push(c);
    tree.root.addChild(c);
  }
  const flat = counters.map((c) => c);
  const flatFrame = () => {
    for (let i = 0; i < flat.length; i++) flat[i]._process(DELTA);
  };
  const treeFrame = () => tree.step(DELTA);
  // Warm both paths up so the JIT has compiled them before we measure: the flat loop is optimized
  // within a few frames (on-stack replacement), a tree frame only after a few thousand calls.
  const warmUp = Math.max(20, Math.round(2_000_000 / nodes));
  for (let i = 0; i < warmUp; i++) {
    treeFrame();
    flatFrame();
  }
  // Interleave the two measurements so drifting machine load hits both alike.
  const treeSamples: number[] = [];
  const flatSamples: number[] = [];
  for (let b = 0; b < batches; b++) {
    treeSamples.push(timePerIteration(treeFrame, frames, 1));
    flatSamples.push(timePerIteration(flatFrame, frames, 1));
  }
  const expected = counters[0].count;
  if (!counters.every((c) => c.count === expected)) throw new Error("tick bench: a node missed a frame");
  const treeUs = median(treeSamples);
  const flatUs = median(flatSamples);
  tree.finalize();
  return { nodes, treeUs, flatUs, ratio: treeUs / flatUs };
}

function idleScenario(nodes: number, frames: number, batches: number) {
  const empty = new SceneTree();
  const full = new SceneTree();
  let parent = full.root;
  for (let i = 0; i < nodes; i++) {
    const n = new Node(`N${i}`);
    // A realistic shape: groups of 100 siblings nested a few levels deep.
    (i % 100 === 0 ? full.root : parent).addChild(n);
    if (i % 100 === 0) parent = n;
  }
  const emptyFrame = () => empty.step(DELTA);
  const fullFrame = () => full.step(DELTA);
  for (let i = 0; i < 50; i++) {
    emptyFrame();
    fullFrame();
  }
  const emptySamples: number[] = [];
  const fullSamples: number[] = [];
  for (let b = 0; b < batches; b++) {
    emptySamples.push(timePerIteration(emptyFrame, frames, 1));
    fullSamples.push(timePerIteration(fullFrame, frames, 1));
  }
  const emptyUs = median(emptySamples);
  const idleUs = median(fullSamples);
  empty.finalize();
  full.finalize();
  return { nodes, emptyUs, idleUs, addedUs: idleUs - emptyUs };
}

export function main(options: { quick?: boolean; tiny?: boolean } = {}): TickResult {
  const tiny = options.tiny ?? false;
  const quick = options.quick ?? false;
  const sizes = tiny ? [10] : [1_000, 10_000, 100_000];
  const batches = tiny ? 3 : quick ? 7 : 15;
  const processing = sizes.map((n) =>
    processingScenario(n, tiny ? 2 : Math.max(3, Math.round(200_000 / n / (quick ? 2 : 1))), batches),
  );
  const idle = idleScenario(tiny ? 100 : 100_000, tiny ? 2 : 2_000, batches);
  return { processing, idle };
}

export function report(result: TickResult): string {
  const rows = result.processing.map((r) => [
    `${r.nodes.toLocaleString("en-US")} processing nodes`,
    r.treeUs,
    r.flatUs,
    `${r.ratio.toFixed(2)}x`,
  ]);
  return [
    formatTable(["scenario", "tree frame (µs)", "flat loop (µs)", "ratio"], rows),
    "",
    formatTable(
      ["scenario", "empty tree frame (µs)", "tree frame (µs)", "added per frame (µs)"],
      [
        [
          `${result.idle.nodes.toLocaleString("en-US")} idle nodes`,
          result.idle.emptyUs,
          result.idle.idleUs,
          result.idle.addedUs,
        ],
      ],
    ),
  ].join("\n");
}

if (require.main === module) {
  const quick = process.argv.includes("--quick");
  console.log(report(main({ quick })));
}
