/**
 * Scene loading cost: parse + validate (parseScene), instantiate, and entering the tree, for a generated
 * 10,000-node scene, flat (all children of the root) and nested (10 children per node). Goal: under
 * 30 ms median for the flat scene, all phases together (Godot 3 takes ~58 ms for a 10,000-node .tscn).
 *
 *   npx tsx bench/scene-load.ts [--nodes N] [--runs N]
 */
import { parseScene, SceneTree } from "scenetree";
import { formatTable, median } from "./measure";

export interface SceneLoadOptions {
  nodes?: number;
  runs?: number;
  /** Print the table (the smoke test turns it off). */
  print?: boolean;
}

export interface SceneLoadRow {
  shape: "flat" | "nested";
  nodes: number;
  parseMs: number;
  instantiateMs: number;
  enterTreeMs: number;
  totalMs: number;
}

type NodeJson = { name: string; type: string; props?: Record<string, unknown>; children?: NodeJson[] };

/** Every 10th node is a Timer with props, so props validation and assignment are part of the cost. */
function makeNode(index: number): NodeJson {
  return index % 10 === 0
    ? { name: `N${index}`, type: "Timer", props: { waitTime: 1 + (index % 7), oneShot: true } }
    : { name: `N${index}`, type: "Node" };
}

export function flatScene(nodes: number): string {
  const children = Array.from({ length: nodes - 1 }, (_, i) => makeNode(i + 1));
  return JSON.stringify({ format: 1, root: { name: "Root", type: "Node", children } });
}

/** A tree with `branching` children per node, breadth-first, until it has `nodes` nodes. */
export function nestedScene(nodes: number, branching = 10): string {
  const root: NodeJson = { name: "Root", type: "Node" };
  const queue = [root];
  let count = 1;
  while (count < nodes) {
    const parent = queue.shift()!;
    parent.children = [];
    for (let i = 0; i < branching && count < nodes; i++) {
      const child = makeNode(count++);
      parent.children.push(child);
      queue.push(child);
    }
  }
  return JSON.stringify({ format: 1, root });
}

function measure(shape: "flat" | "nested", text: string, nodes: number, runs: number): SceneLoadRow {
  const parse: number[] = [];
  const instantiate: number[] = [];
  const enter: number[] = [];
  const total: number[] = [];
  for (let run = 0; run < runs + 2; run++) {
    const tree = new SceneTree();
    const t0 = performance.now();
    const scene = parseScene(text, { file: `${shape}.scene.json` });
    const t1 = performance.now();
    const root = scene.instantiate();
    const t2 = performance.now();
    tree.root.addChild(root);
    const t3 = performance.now();
    tree.finalize();
    if (run < 2) continue; // warm-up runs let the JIT compile the loader first
    parse.push(t1 - t0);
    instantiate.push(t2 - t1);
    enter.push(t3 - t2);
    total.push(t3 - t0);
  }
  return {
    shape,
    nodes,
    parseMs: median(parse),
    instantiateMs: median(instantiate),
    enterTreeMs: median(enter),
    totalMs: median(total),
  };
}

export function main(options: SceneLoadOptions = {}): SceneLoadRow[] {
  const nodes = options.nodes ?? 10_000;
  const runs = options.runs ?? 15;
  const rows = [
    measure("flat", flatScene(nodes), nodes, runs),
    measure("nested", nestedScene(nodes), nodes, runs),
  ];
  if (options.print ?? true) {
    console.log(`Scene load, median of ${runs} runs (ms):\n`);
    console.log(
      formatTable(
        ["scene", "nodes", "parse+validate", "instantiate", "enter tree", "total"],
        rows.map((r) => [r.shape, String(r.nodes), r.parseMs, r.instantiateMs, r.enterTreeMs, r.totalMs]),
      ),
    );
  }
  return rows;
}

function argument(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : Number(process.argv[index + 1]);
}

if (require.main === module) main({ nodes: argument("--nodes"), runs: argument("--runs") });
