/**
 * The layer map is enforced by `npm run lint:layers` (dependency-cruiser with .dependency-cruiser.js).
 * These run the same checker, with the same config, on tiny projects laid out like src/, so a config
 * that could never fail (a rule that matches nothing, type-only imports not seen) fails here.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.join(__dirname, "..", "..");
const DEPCRUISE = path.join(REPO, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
const CONFIG = path.join(REPO, ".dependency-cruiser.js");

jest.setTimeout(60_000);

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/** A project with `files` (paths under it → source) and a tsconfig, checked like src/. */
function check(files: Record<string, string>): { status: number | null; output: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-layers-"));
  roots.push(root);
  const all = {
    "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext", strict: true } }),
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  const result = spawnSync(
    process.execPath,
    [DEPCRUISE, "src", "--config", CONFIG, "--output-type", "err", "--no-progress"],
    { cwd: root, encoding: "utf8" },
  );
  return { status: result.status, output: result.stdout + result.stderr };
}

test("imports that follow the layer map pass", () => {
  const result = check({
    "src/core/clock.ts": "export const now = (): number => 0;\n",
    "src/scene/Node.ts": 'import { now } from "../core/clock";\nexport const born = now();\n',
    "src/index.ts": 'export { born } from "./scene/Node";\n',
  });
  expect(result.output).toMatch(/no dependency violations found/);
  expect(result.status).toBe(0);
});

test("a cycle made only of type imports fails no-circular", () => {
  const result = check({
    "src/scene/Node.ts":
      'import type { SceneTree } from "./SceneTree";\nexport interface Node { tree: SceneTree }\n',
    "src/scene/SceneTree.ts":
      'import type { Node } from "./Node";\nexport interface SceneTree { root: Node }\n',
  });
  expect(result.status).not.toBe(0);
  expect(result.output).toMatch(/no-circular: src\/scene\/(Node|SceneTree)\.ts/);
});

const UPWARD: Array<[from: string, to: string]> = [
  ["nodes", "loader"],
  ["net", "scene"],
  ["loader", "tscn"],
  ["fleet", "cli"],
  ["core", "metrics"],
];

test("each upward import fails its layer's rule, a type-only one too", () => {
  const files: Record<string, string> = {};
  for (const [from, to] of UPWARD) {
    files[`src/${to}/thing.ts`] = "export interface Thing { id: number }\n";
    files[`src/${from}/user.ts`] =
      `import type { Thing } from "../${to}/thing";\nexport const id = (t: Thing): number => t.id;\n`;
  }
  const result = check(files);
  expect(result.status).not.toBe(0);
  for (const [from, to] of UPWARD) {
    expect(result.output).toContain(`layer-${from}: src/${from}/user.ts → src/${to}/thing.ts`);
  }
});

test("a module inside src/ importing the public surface, or a module outside the layers, fails", () => {
  const result = check({
    "src/index.ts": 'export { helper } from "./helpers";\nexport const version = 1;\n',
    "src/helpers.ts": "export const helper = 1;\n",
    "src/cli/main.ts": 'import { version } from "../index";\nexport const v = version;\n',
  });
  expect(result.status).not.toBe(0);
  expect(result.output).toContain("no-public-surface-inside: src/cli/main.ts → src/index.ts");
  expect(result.output).toContain("no-module-outside-layers: src/index.ts → src/helpers.ts");
});

test("src itself follows the layer map and has no import cycle (CI runs only jest)", () => {
  const result = spawnSync(
    process.execPath,
    [DEPCRUISE, "src", "--config", CONFIG, "--output-type", "err", "--no-progress"],
    { cwd: REPO, encoding: "utf8" },
  );
  expect(result.stdout + result.stderr).toMatch(/no dependency violations found/);
  expect(result.status).toBe(0);
});
