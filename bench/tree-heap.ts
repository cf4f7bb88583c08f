/**
 * Heap per fleet tree: N trees of bench/fleet/bot.scene.json (its WebSocket client never connects) built
 * as a fleet worker builds them (one shared metrics registry), and N bare `new SceneTree()`, measured
 * after a full GC. Needs `--expose-gc`:
 *
 *   node --expose-gc --import tsx bench/tree-heap.ts [--trees=5000]
 *
 * Imports "scenetree", the built dist/ (`npm run build` first); add `--conditions=scenetree-source`
 * to measure src/ instead.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Metrics, Node, SceneTree, loadScene, registerNodeType, useMetrics } from "scenetree";
import { formatTable } from "./measure";

class EchoBot extends Node {
  onOpen(): void {}
  onEcho(): void {}
  tick(): void {}
}
registerNodeType("EchoBot", EchoBot);

// One handler for every tree (a fleet's FleetRunner makes one per tree; under tsx a closure made per tree
// also carries a property array of its own, which would blur the figures).
const onError = (): void => {};

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

export async function main(argv = process.argv): Promise<string> {
  if (!gc) throw new Error("run with node --expose-gc");
  const trees = Number(argv.find((a) => a.startsWith("--trees="))?.slice(8) ?? 5000);
  const json = JSON.parse(fs.readFileSync(path.join(__dirname, "fleet", "bot.scene.json"), "utf8")) as {
    scripts?: string[];
  };
  delete json.scripts; // EchoBot is registered above, without its network side
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tree-heap-"));
  const file = path.join(dir, "scene.json");
  fs.writeFileSync(file, JSON.stringify(json));
  const scene = await loadScene(file);
  fs.rmSync(dir, { recursive: true, force: true });
  const metrics = new Metrics();
  const build = (withScene: boolean): SceneTree[] => {
    const live: SceneTree[] = [];
    for (let index = 0; index < trees; index++) {
      const tree = new SceneTree({ instance: { index, count: trees, seed: index }, onError });
      if (withScene) {
        useMetrics(tree, metrics);
        const root = scene.instantiate({ placeholders: { index, count: trees, seed: index } });
        tree.root.addChild(root);
        tree.currentScene = root;
      }
      live.push(tree);
    }
    return live;
  };
  build(true).forEach((tree) => tree.finalize()); // warm up: compile, and fill shared caches
  const rows: Array<Array<string | number>> = [];
  for (const [name, withScene, frames] of [
    ["bare SceneTree", false, 0],
    ["bot scene, built", true, 0],
    ["bot scene, 3 frames run", true, 3],
  ] as const) {
    const before = heapAfterGc();
    const live = build(withScene);
    for (let f = 0; f < frames; f++) for (const tree of live) tree.step(1 / 60);
    const after = heapAfterGc();
    rows.push([name, ((after - before) / trees).toFixed(0)]);
    for (const tree of live) tree.finalize();
    live.length = 0;
  }
  return [`tree heap: ${trees} trees, after gc`, formatTable(["trees of", "heap (bytes/tree)"], rows)].join(
    "\n",
  );
}

if (require.main === module) {
  main().then(
    (text) => console.log(text),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
