/**
 * Validation at the limits: scenes as large, deep, wide and broken as the default SceneLimits allow,
 * each read, parsed and validated (valid ones packed, invalid ones reported). Goal: every one well
 * under 2 s, linear in what the files hold (one bad path in an 88 KB scene once took 36 s, 100 bad
 * NodePath props 800 levels deep 55 s).
 *
 *   npx tsx bench/scene-validate.ts [--runs N] [--quick]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import "../src/nodes/websocketTypes";
import { DEFAULT_SCENE_LIMITS, loadScene, SceneError } from "scenetree";
import { formatTable, median } from "./measure";

export interface SceneValidateOptions {
  runs?: number;
  /** Smaller scenes (a tenth of the limits), for the smoke test. */
  tiny?: boolean;
  print?: boolean;
}

export interface SceneValidateRow {
  scenario: string;
  bytes: number;
  files: number;
  /** Problems reported (0: the scene is valid). */
  problems: number;
  /** Wall-clock time, median and worst. */
  medianMs: number;
  maxMs: number;
  /** CPU time of the process, median: on a shared machine the wall clock also counts waiting. */
  cpuMs: number;
}

interface Scenario {
  name: string;
  /** Writes the scene files into `dir`; returns the top-level file. */
  write(dir: string, scale: number): string;
}

const node = (name: string, extra: object = {}) => ({ name, type: "Node", ...extra });
const { maxNodes, maxDepth, maxFileBytes, maxFiles } = DEFAULT_SCENE_LIMITS;

/** `levels` nodes nested in one another, written as text (JSON.stringify would recurse that deep). */
function chain(levels: number, open: (i: number) => string, leaf = '{"name":"Leaf","type":"Node"}'): string {
  let text = "";
  for (let i = 0; i < levels - 1; i++) text += `${open(i)},"children":[`;
  return text + leaf + "]}".repeat(levels - 1);
}

function write(dir: string, name: string, text: string | object): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof text === "string" ? text : JSON.stringify(text));
  return file;
}

const SCENARIOS: Scenario[] = [
  {
    name: `flat: ${maxNodes.toLocaleString("en")} nodes`,
    write: (dir, scale) => {
      const children = Array.from({ length: Math.floor(maxNodes * scale) - 1 }, (_, i) => node(`N${i}`));
      return write(dir, "flat.scene.json", { format: 1, root: node("Root", { children }) });
    },
  },
  {
    name: `${maxDepth.toLocaleString("en")} deep, ${maxNodes.toLocaleString("en")} nodes`,
    write: (dir, scale) => {
      // A spine maxDepth deep with as many leaves beside it at every level as maxNodes allows.
      const levels = Math.floor(maxDepth * scale);
      const leaves = Math.floor((maxNodes * scale) / levels) - 1;
      let text = "";
      for (let i = 0; i < levels - 1; i++) {
        text += `{"name":"L${i}","type":"Timer","props":{"waitTime":1},"children":[`;
        for (let j = 0; j < leaves; j++) text += `{"name":"S${j}","type":"Node"},`;
      }
      text += '{"name":"Leaf","type":"Node"}' + "]}".repeat(levels - 1);
      return write(dir, "deep-wide.scene.json", `{"format":1,"root":${text}}`);
    },
  },
  {
    name: `${(maxFileBytes / 1024 / 1024).toFixed(0)} MiB file`,
    write: (dir, scale) => {
      const bytes = maxFileBytes * scale;
      const name = "n".repeat(150);
      const count = Math.floor((bytes - 200) / (name.length + 40));
      const children = Array.from({ length: count }, (_, i) => ({ name: `${name}${i}`, type: "Node" }));
      return write(dir, "big.scene.json", { format: 1, root: node("Root", { children }) });
    },
  },
  {
    name: "one bad connection path, 1,000 deep",
    write: (dir, scale) => {
      const levels = Math.floor(maxDepth * scale);
      const long = (i: number) => `Level${i}WithAFairlyLongName`;
      const text = chain(levels, (i) => `{"name":"${long(i)}","type":"Node"`);
      const path = Array.from({ length: levels - 2 }, (_, i) => long(i + 1)).join("/") + "x";
      const connection = `{"from":"${path}","signal":"ready","to":".","method":"queueFree"}`;
      return write(
        dir,
        "bad-connection.scene.json",
        `{"format":1,"root":${text},"connections":[${connection}]}`,
      );
    },
  },
  {
    name: "a bad NodePath prop on every node, 1,000 deep",
    write: (dir, scale) => {
      const levels = Math.floor(maxDepth * scale);
      const text = chain(
        levels,
        (i) => `{"name":"L${i}","type":"WebSocketNode","props":{"autoconnectReference":"../../Nope${i}"}`,
      );
      return write(dir, "bad-paths.scene.json", `{"format":1,"root":${text}}`);
    },
  },
  {
    name: "an unknown type on every node, 1,000 deep",
    write: (dir, scale) => {
      const text = chain(Math.floor(maxDepth * scale), (i) => `{"name":"L${i}","type":"Nodd"`);
      return write(dir, "unknown-types.scene.json", `{"format":1,"root":${text}}`);
    },
  },
  {
    name: "2,000 mistyped connections among 2,000 siblings",
    write: (dir, scale) => {
      const count = Math.floor(2000 * scale);
      const name = (i: number) => `N${String(i).padStart(4, "0")}`;
      const children = Array.from({ length: count }, (_, i) => node(name(i)));
      const connections = Array.from({ length: count }, (_, i) => ({
        from: `${name(i)}x`,
        signal: "ready",
        to: ".",
        method: "queueFree",
      }));
      return write(dir, "typos.scene.json", { format: 1, root: node("Root", { children }), connections });
    },
  },
  {
    name: `${(maxFiles - 2).toLocaleString("en")} sub-scenes deep over a ${(maxNodes - maxFiles).toLocaleString("en")}-node leaf`,
    write: (dir, scale) => {
      // Each level adds one to the depth: with the leaf's two, 998 levels make exactly maxDepth.
      const levels = Math.floor((maxFiles - 2) * scale);
      const children = Array.from({ length: Math.floor((maxNodes - maxFiles) * scale) }, (_, i) =>
        node(`N${i}`),
      );
      write(dir, `s${levels}.scene.json`, { format: 1, root: node("Leaf", { children }) });
      for (let i = levels - 1; i >= 0; i--) {
        const child = { name: "C", instance: `./s${i + 1}.scene.json` };
        write(dir, `s${i}.scene.json`, { format: 1, root: node(`S${i}`, { children: [child] }) });
      }
      return path.join(dir, "s0.scene.json");
    },
  },
  {
    name: "instance bomb: 8 levels of 20 instances",
    write: (dir) => {
      write(dir, "b0.scene.json", { format: 1, root: node("Leaf") });
      for (let level = 1; level <= 8; level++) {
        const children = Array.from({ length: 20 }, (_, i) => ({
          name: `I${i}`,
          instance: `./b${level - 1}.scene.json`,
        }));
        write(dir, `b${level}.scene.json`, { format: 1, root: node(`B${level}`, { children }) });
      }
      return path.join(dir, "b8.scene.json");
    },
  },
];

async function measure(scenario: Scenario, runs: number, scale: number): Promise<SceneValidateRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scene-validate-"));
  try {
    const top = scenario.write(dir, scale);
    const files = fs.readdirSync(dir);
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
    const times: number[] = [];
    const cpu: number[] = [];
    let problems = 0;
    for (let run = 0; run < runs + 1; run++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      problems = await loadScene(top).then(
        () => 0,
        (error: unknown) => {
          if (error instanceof SceneError) return error.problems.length;
          throw error;
        },
      );
      const used = process.cpuUsage(cpuStarted);
      if (run === 0) continue; // the first run warms the JIT up
      times.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
    return {
      scenario: scenario.name,
      bytes,
      files: files.length,
      problems,
      medianMs: median(times),
      maxMs: Math.max(...times),
      cpuMs: median(cpu),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function main(options: SceneValidateOptions = {}): Promise<SceneValidateRow[]> {
  const runs = options.runs ?? 5;
  const rows: SceneValidateRow[] = [];
  for (const scenario of SCENARIOS) rows.push(await measure(scenario, runs, options.tiny ? 0.1 : 1));
  if (options.print ?? true) console.log(report(rows, runs));
  return rows;
}

export function report(rows: SceneValidateRow[], runs: number): string {
  return [
    `Scene validation at the limits: read + parse + validate, median and worst of ${runs} runs and median CPU time (ms); goal < 2000 each`,
    "",
    formatTable(
      ["scene", "files", "MiB", "problems", "median", "worst", "CPU"],
      rows.map((r) => [
        r.scenario,
        String(r.files),
        (r.bytes / 1024 / 1024).toFixed(2),
        String(r.problems),
        r.medianMs,
        r.maxMs,
        r.cpuMs,
      ]),
    ),
  ].join("\n");
}

function argument(name: string): number | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : Number(process.argv[index + 1]);
}

if (require.main === module) {
  void main({ runs: argument("--runs") ?? (process.argv.includes("--quick") ? 2 : 5) });
}
