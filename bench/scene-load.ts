/**
 * Scene loading cost: parse + validate (parseScene), instantiate, and entering the tree, for a generated
 * 10,000-node scene, flat (all children of the root) and nested (10 children per node). Compared, in the
 * same run, with Godot 3.2.3 loading, instancing and adding the same scene from its binary `.scn` (see
 * ./godot/godot3.ts; the column is skipped with a note when `godot3-server` is not installed).
 *
 *   npx tsx bench/scene-load.ts [--nodes N] [--runs N]
 */
import { parseScene, SceneTree } from "scenetree";
import { timeGodot3, type GodotResult, type NodeJson } from "./godot/godot3";
import { formatTable, median } from "./measure";

export interface SceneLoadOptions {
  nodes?: number;
  runs?: number;
  /** Print the table (the smoke test turns it off). */
  print?: boolean;
  /** Time Godot 3 too, when installed (default true; the smoke test turns it off). */
  godot?: boolean;
}

export interface SceneLoadRow {
  shape: "flat" | "nested";
  nodes: number;
  parseMs: number;
  instantiateMs: number;
  enterTreeMs: number;
  totalMs: number;
  /** Godot 3's median load / instance / add-to-tree of the same scene from its binary .scn (ms). */
  godot?: { loadMs: number; instanceMs: number; enterMs: number; loadInstanceMs: number };
}

export interface SceneLoadResult {
  rows: SceneLoadRow[];
  /** Why there is no Godot column, when there is none. */
  godotNote: string | null;
  godotVersion: string | null;
}

/** Every 10th node is a Timer with props, so props validation and assignment are part of the cost. */
function makeNode(index: number): NodeJson {
  return index % 10 === 0
    ? { name: `N${index}`, type: "Timer", props: { waitTime: 1 + (index % 7), oneShot: true } }
    : { name: `N${index}`, type: "Node" };
}

export function flatScene(nodes: number): NodeJson {
  const children = Array.from({ length: nodes - 1 }, (_, i) => makeNode(i + 1));
  return { name: "Root", type: "Node", children };
}

/** A tree with `branching` children per node, breadth-first, until it has `nodes` nodes. */
export function nestedScene(nodes: number, branching = 10): NodeJson {
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
  return root;
}

const sceneText = (root: NodeJson): string => JSON.stringify({ format: 1, root });

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

export function main(options: SceneLoadOptions = {}): SceneLoadResult {
  const nodes = options.nodes ?? 10_000;
  const runs = options.runs ?? 15;
  const scenes = { flat: flatScene(nodes), nested: nestedScene(nodes) };
  const rows = [
    measure("flat", sceneText(scenes.flat), nodes, runs),
    measure("nested", sceneText(scenes.nested), nodes, runs),
  ];
  const godot: GodotResult =
    options.godot === false ? { ok: false, note: "Godot 3 column not asked for" } : timeGodot3(scenes, runs);
  if (godot.ok) {
    for (const row of rows) {
      const g = godot.shapes[row.shape];
      if (!g) continue;
      const loadInstance = g.loadMs.map((ms, i) => ms + g.instanceMs[i]);
      row.godot = {
        loadMs: median(g.loadMs),
        instanceMs: median(g.instanceMs),
        enterMs: median(g.enterMs),
        loadInstanceMs: median(loadInstance),
      };
    }
  }
  const result = {
    rows,
    godotNote: godot.ok ? null : godot.note,
    godotVersion: godot.ok ? godot.version : null,
  };
  if (options.print ?? true) console.log(report(result, runs));
  return result;
}

/** The table: our phases, then Godot 3's from its binary .scn and our total against its load + instance. */
export function report(result: SceneLoadResult, runs: number): string {
  const withGodot = result.godotNote === null;
  const headers = ["scene", "nodes", "parse+validate", "instantiate", "enter tree", "total"];
  if (withGodot) headers.push("Godot .scn load", "instance", "enter tree", "load+instance", "total vs Godot");
  const rows = result.rows.map((r) => {
    const row: Array<string | number> = [
      r.shape,
      String(r.nodes),
      r.parseMs,
      r.instantiateMs,
      r.enterTreeMs,
      r.totalMs,
    ];
    if (withGodot) {
      const g = r.godot;
      row.push(
        g?.loadMs ?? "–",
        g?.instanceMs ?? "–",
        g?.enterMs ?? "–",
        g?.loadInstanceMs ?? "–",
        g ? `${(r.totalMs / g.loadInstanceMs).toFixed(2)}x` : "–",
      );
    }
    return row;
  });
  return [
    `scene load: median of ${runs} runs (ms)${withGodot ? `; Godot ${result.godotVersion}, binary .scn, timed in the same run` : ""}`,
    formatTable(headers, rows),
    ...(withGodot ? [] : [`(${result.godotNote})`]),
  ].join("\n");
}

function argument(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : Number(process.argv[index + 1]);
}

if (require.main === module) main({ nodes: argument("--nodes"), runs: argument("--runs") });
