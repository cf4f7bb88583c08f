/**
 * What the fleet inspector costs one worker's trees: 500 trees of 20 processing nodes (10,000 nodes, one
 * worker's share of a fleet) stepped together at 60 fps, as a FleetRunner steps them. Three states take
 * turns: no agent; the agent loaded and sending trend histograms (a page is open on the fleet charts)
 * but no instance picked; one instance picked (its tree watched, its diffs and details relayed, with
 * churn in that tree). Figures: the frame's compute time (all 500 steps) and the thread's CPU per frame,
 * which also counts the inspector's batches between frames. The goal: only the picked tree pays.
 *
 *   npx tsx bench/inspector-fleet.ts [--quick]
 */
import { Node } from "../src/scene/Node";
import { SceneTree } from "../src/scene/SceneTree";
import { Metrics } from "../src/metrics/Metrics";
import { useMetrics } from "../src/metrics/treeMetrics";
import { InspectorAgent } from "../src/inspector/agent";
import { formatTable, median } from "./measure";

const TREES = 500;
const NODES_PER_TREE = 20;
const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 3 : 6;
const WINDOW_MS = quick ? 2000 : 4000;

class Counter extends Node {
  count = 0;
  override _process(): void {
    this.count++;
  }
}

function buildTrees(metrics: Metrics): SceneTree[] {
  return Array.from({ length: TREES }, (_, index) => {
    const tree = new SceneTree({ instance: { index, count: TREES, seed: index } });
    useMetrics(tree, metrics);
    const bot = new Counter("Bot");
    for (let i = 1; i < NODES_PER_TREE; i++) bot.addChild(new Counter(`N${i}`));
    tree.root.addChild(bot);
    return tree;
  });
}

type State = "no agent" | "agent, none picked" | "one instance picked";
const STATES: State[] = ["no agent", "agent, none picked", "one instance picked"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const metrics = new Metrics();
  const trees = buildTrees(metrics);
  const rtt = metrics.trend("ws_ping", { contains: "time" });
  let relayed = 0;
  let agent: InspectorAgent | null = null;
  const frame = (): void => {
    for (const tree of trees) tree.step(1 / 60);
    rtt.add(Math.random() * 50);
  };
  const picked = trees[7].root.getChild(0)!;
  const churn = setInterval(() => {
    const node = new Node("Visitor");
    picked.addChild(node);
    setTimeout(() => node.queueFree(), 500);
  }, 1000);
  const results: { state: State; frameMs: number; cpuUs: number; frames: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const state of STATES) {
      agent?.dispose();
      agent = null;
      if (state !== "no agent") {
        agent = new InspectorAgent(
          (message) => void (relayed += JSON.stringify(message).length),
          (index) => trees[index] ?? null,
          metrics,
        );
        agent.receive({ op: "metrics", on: true });
      }
      if (state === "one instance picked") {
        agent!.receive({ op: "attach", page: 1, index: 7 });
        agent!.receive({ op: "message", page: 1, message: { t: "select", id: 2 } });
      }
      await sleep(500); // settle
      const durations: number[] = [];
      const cpu = process.cpuUsage();
      const timer = setInterval(() => {
        const start = performance.now();
        frame();
        durations.push(performance.now() - start);
      }, 1000 / 60);
      await sleep(WINDOW_MS);
      clearInterval(timer);
      const used = process.cpuUsage(cpu);
      results.push({
        state,
        frameMs: median(durations),
        cpuUs: (used.user + used.system) / durations.length,
        frames: durations.length,
      });
    }
  }
  clearInterval(churn);
  agent?.dispose();
  for (const tree of trees) tree.finalize();
  const summary = STATES.map((state) => {
    const mine = results.filter((r) => r.state === state);
    return {
      state,
      frames: mine.reduce((n, r) => n + r.frames, 0),
      frameMs: median(mine.map((r) => r.frameMs)),
      cpuUs: median(mine.map((r) => r.cpuUs)),
    };
  });
  const base = summary[0];
  const pct = (value: number, of: number) => `${((value / of - 1) * 100).toFixed(1)}%`;
  console.log(
    `fleet inspector bench: ${TREES} trees of ${NODES_PER_TREE} processing nodes in one thread, 60 fps; ` +
      `${ROUNDS} rounds of ${WINDOW_MS / 1000} s per state, medians of the rounds\n`,
  );
  console.log(
    formatTable(
      ["state", "frames", "frame median (ms)", "vs none", "CPU/frame (µs)", "vs none"],
      summary.map((s) => [
        s.state,
        String(s.frames),
        s.frameMs,
        pct(s.frameMs, base.frameMs),
        s.cpuUs,
        pct(s.cpuUs, base.cpuUs),
      ]),
    ),
  );
  console.log(`\nrelayed to the main thread: ${(relayed / 1024).toFixed(0)} kB of messages in all`);
}

void main();
