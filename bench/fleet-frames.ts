/**
 * What one frame of one idle fleet tree costs: N trees of bench/fleet/bot.scene.json (its WebSocket
 * client never connects here) or of smaller variants, built and stepped `frames` times in this thread:
 * by `tree.step()` on every tree every frame (what `run()` does for one tree), and by a fleet worker's
 * frame loop (`FleetRunner` on a TestClock), where a tree that only counts its Timer down sleeps until
 * the frame it times out in. CPU time (process.cpuUsage), so a busy machine disturbs it less than the
 * wall clock.
 * Imports "scenetree", the built dist/ (`npm run build` first), as users run it.
 *
 *   npx tsx bench/fleet-frames.ts [--trees=5000] [--frames=600]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Node, SceneTree, TestClock, loadScene, registerNodeType, type PackedScene } from "scenetree";
import { formatTable } from "./measure";
import { contiguous } from "../src/core/indexRange";

// FleetRunner is internal to the package: its built module, typed by its source.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FleetRunner } = require("../dist/fleet/FleetRunner.js") as typeof import("../src/fleet/FleetRunner");

class EchoBot extends Node {
  onOpen(): void {}
  onEcho(): void {}
  tick(): void {}
}
registerNodeType("EchoBot", EchoBot);

interface SceneJson {
  root: { children: Array<{ type: string }> };
  connections: Array<{ from: string }>;
  scripts?: string[];
}

const VARIANTS: Record<string, (scene: SceneJson) => void> = {
  "bot (root, WebsocketClient, Timer)": () => {},
  "bot without its Timer": (scene) => {
    scene.root.children = scene.root.children.filter((c) => c.type !== "Timer");
    scene.connections = scene.connections.filter((c) => c.from !== "Tick");
  },
  "one plain Node": (scene) => {
    scene.root.children = [];
    scene.connections = [];
  },
};

export async function main(argv = process.argv): Promise<string> {
  const option = (name: string, fallback: number) =>
    Number(argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
  const trees = option("trees", 5000);
  const frames = option("frames", 600);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-frames-"));
  const rows: Array<Array<string | number>> = [];
  try {
    // The first scene built in a process pays for compiling and warming up the engine's code, which
    // would be charged to whichever row came first: an unreported build of the full bot goes first.
    const warmUp: Array<[string, (scene: SceneJson) => void]> = [
      ["", VARIANTS["bot (root, WebsocketClient, Timer)"]],
    ];
    for (const [name, change] of [...warmUp, ...Object.entries(VARIANTS)]) {
      const json = JSON.parse(
        fs.readFileSync(path.join(__dirname, "fleet", "bot.scene.json"), "utf8"),
      ) as SceneJson;
      delete json.scripts; // EchoBot is registered above, without its network side
      change(json);
      const file = path.join(dir, "scene.json");
      fs.writeFileSync(file, JSON.stringify(json));
      const scene = await loadScene(file);
      const built = process.cpuUsage();
      const live: SceneTree[] = [];
      for (let index = 0; index < trees; index++) {
        const instance = { index, count: trees, seed: index };
        const tree = new SceneTree({ instance });
        const root = scene.instantiate({ placeholders: { index, count: trees, seed: index } });
        tree.root.addChild(root);
        tree.currentScene = root;
        live.push(tree);
      }
      const buildCpu = process.cpuUsage(built);
      const stepped = process.cpuUsage();
      for (let frame = 0; frame < frames; frame++) for (const tree of live) tree.step(1 / 60);
      const stepCpu = process.cpuUsage(stepped);
      for (const tree of live) tree.finalize();
      const loopCpu = fleetLoopCpu(scene, trees, frames);
      if (name === "") continue; // the warm-up
      rows.push([
        name,
        ((buildCpu.user + buildCpu.system) / trees).toFixed(1),
        ((stepCpu.user + stepCpu.system) / trees / frames).toFixed(3),
        (loopCpu / trees / frames).toFixed(3),
      ]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return [
    `fleet frames: ${trees} trees, ${frames} frames of 1/60 s, CPU time`,
    formatTable(
      ["scene", "build (µs/tree)", "frame, every tree stepped (µs/tree)", "frame, fleet loop (µs/tree)"],
      rows,
    ),
  ].join("\n");
}

/** CPU µs of `frames` frames of a fleet worker's loop over `trees` instances of `scene` (built first). */
function fleetLoopCpu(scene: PackedScene, trees: number, frames: number): number {
  const clock = new TestClock();
  const runner = new FleetRunner({
    scene,
    indices: contiguous(trees),
    count: trees,
    baseSeed: 1,
    rampUpMs: 0,
    durationMs: null,
    fps: 60,
    clock,
  });
  void runner.run(); // builds every instance now (no ramp-up)
  clock.advance(0); // the first frame, where each tree's processing starts
  const start = process.cpuUsage();
  for (let frame = 1; frame <= frames; frame++) clock.advance(1000 / 60);
  const cpu = process.cpuUsage(start);
  runner.stop();
  return cpu.user + cpu.system;
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
