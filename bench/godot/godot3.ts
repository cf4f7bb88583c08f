/**
 * Godot 3.2.3's own figure for the scene-load benchmark: the same scene written as a `.tscn`, converted
 * to a binary `.scn` by Godot itself, then loaded, instanced and added to the tree in a headless Godot
 * (Debian's `godot3-server`, `apt-get install godot3-server`), timed inside Godot with
 * `OS.get_ticks_usec()` (see ./measure.gd), in the same run as ours. Without the binary the column is
 * skipped with a note; nothing else depends on Godot.
 *
 * SCENETREE_GODOT3 names another binary (a `godot3` or `Godot_v3.2.3-stable_linux_server.64`).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type NodeJson = {
  name: string;
  type: string;
  props?: Record<string, unknown>;
  children?: NodeJson[];
};

export interface GodotPhases {
  loadMs: number[];
  instanceMs: number[];
  enterMs: number[];
}

export type GodotResult =
  { ok: true; version: string; shapes: Record<string, GodotPhases> } | { ok: false; note: string };

const MEASURE_SCRIPT = path.join(__dirname, "measure.gd");

/** `waitTime` → `wait_time`: the scene's props under Godot's own names. */
function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function value(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? `${v}.0` : String(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  throw new Error(`godot3: no .tscn form for ${JSON.stringify(v)}`);
}

/** The scene as a Godot 3 text scene (format=2): every node, its type and props, parent paths. */
export function toTscn(root: NodeJson): string {
  const lines = ["[gd_scene format=2]", ""];
  const visit = (node: NodeJson, parent: string | null): void => {
    const parentAttr = parent === null ? "" : ` parent="${parent}"`;
    lines.push(`[node name="${node.name}" type="${node.type}"${parentAttr}]`);
    for (const [key, v] of Object.entries(node.props ?? {})) lines.push(`${snakeCase(key)} = ${value(v)}`);
    lines.push("");
    const here = parent === null ? "." : parent === "." ? node.name : `${parent}/${node.name}`;
    for (const child of node.children ?? []) visit(child, here);
  };
  visit(root, null);
  return lines.join("\n");
}

function binary(): string {
  return process.env.SCENETREE_GODOT3 ?? "godot3-server";
}

/** Godot's version line, or null when the binary is not there. */
function godotVersion(): string | null {
  const r = spawnSync(binary(), ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (r.error) return null;
  // Godot 3 exits with 255 after printing its version; the line itself is the test.
  const line = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  return /^\d+\.\d+/.test(line) ? line : null;
}

/** Converts and times each scene in one Godot process; `runs` timed runs after two warm-ups. */
export function timeGodot3(scenes: Record<string, NodeJson>, runs: number): GodotResult {
  const version = godotVersion();
  if (version === null)
    return {
      ok: false,
      note: `Godot 3 column skipped: no ${binary()} binary (apt-get install godot3-server, or set SCENETREE_GODOT3)`,
    };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-godot3-"));
  try {
    fs.writeFileSync(path.join(dir, "project.godot"), "config_version=4\n");
    fs.copyFileSync(MEASURE_SCRIPT, path.join(dir, "measure.gd"));
    for (const [shape, root] of Object.entries(scenes))
      fs.writeFileSync(path.join(dir, `${shape}.tscn`), toTscn(root));
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ shapes: Object.keys(scenes), runs }));
    const r = spawnSync(binary(), ["--no-window", "--path", dir, "--script", "res://measure.gd"], {
      encoding: "utf8",
      timeout: 300_000, // a GDScript error leaves Godot running instead of quitting
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("SCENETREE_RESULT "));
    if (!line)
      return {
        ok: false,
        note: `Godot 3 column skipped: ${binary()} printed no result (exit ${r.status}): ${(r.stderr || r.stdout || "").trim().slice(-300)}`,
      };
    const parsed = JSON.parse(line.slice("SCENETREE_RESULT ".length)) as Record<
      string,
      { load?: number[]; instance?: number[]; enter?: number[]; error?: string }
    >;
    const shapes: Record<string, GodotPhases> = {};
    for (const [shape, p] of Object.entries(parsed)) {
      if (p.error) return { ok: false, note: `Godot 3 column skipped: ${shape}: ${p.error}` };
      shapes[shape] = { loadMs: p.load ?? [], instanceMs: p.instance ?? [], enterMs: p.enter ?? [] };
    }
    return { ok: true, version, shapes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
