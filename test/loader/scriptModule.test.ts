import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runBuiltCli } from "../helpers/childCli";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

/**
 * A script is inside the project only if the file the module loader really runs is, and the file the
 * loader checks is the file that runs. The CLI is compiled JavaScript that installs tsx's register hook
 * for `.ts` scripts: `./a.js` is a.js then, never a sibling a.ts, even once a `.ts` script has put the
 * hook in place.
 */

const BIN = path.join(__dirname, "..", "..", "bin", "scenetree.js");
const evil = 'require("node:fs").writeFileSync(__dirname + "/ran", "ran");\nexport {};\n';

let box: SceneSandbox;
beforeEach(() => (box = makeSceneSandbox()));
afterEach(() => box.dispose());

function validate(scene: string) {
  const result = spawnSync(process.execPath, [BIN, "validate", scene], {
    cwd: box.project,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("./a.js with a.ts symlinked out of the project: a.js runs, the a.ts never does", () => {
  box.write("outside/evil.ts", evil);
  box.write("project/first.ts", "export {};\n"); // installs the TypeScript hook before ./a.js runs
  box.write("project/a.js", 'require("node:fs").writeFileSync(__dirname + "/ran-js", "ran");\n');
  box.link("project/a.ts", path.join(box.outside, "evil.ts"));
  box.write("project/main.scene.json", {
    format: 1,
    scripts: ["./first.ts", "./a.js"],
    root: { name: "Main", type: "Node" },
  });
  expect(validate("main.scene.json")).toMatchObject({ code: 0, stdout: "ok  main.scene.json\n" });
  expect(fs.existsSync(path.join(box.project, "ran-js"))).toBe(true);
  expect(fs.existsSync(path.join(box.outside, "ran"))).toBe(false);
});

test("./a.ts symlinked out of the project: refused by the file it leads to, and never run", () => {
  box.write("outside/evil.ts", evil);
  box.link("project/a.ts", path.join(box.outside, "evil.ts"));
  box.write("project/main.scene.json", {
    format: 1,
    scripts: ["./a.ts"],
    root: { name: "Main", type: "Node" },
  });
  const { code, stderr } = validate("main.scene.json");
  expect(code).toBe(2);
  expect(stderr).toContain(
    `scripts[0]  ERR_SCRIPT_LOAD: Script "./a.ts" is outside the scene's project folder`,
  );
  expect(fs.existsSync(path.join(box.outside, "ran"))).toBe(false);
});

test("./b.js where only b.ts exists: not found, and nothing runs", () => {
  box.write("project/b.ts", 'require("node:fs").writeFileSync(__dirname + "/ran", "ran");\nexport {};\n');
  box.write("project/main.scene.json", {
    format: 1,
    scripts: ["./b.js"],
    root: { name: "Main", type: "Node" },
  });
  const { code, stderr } = validate("main.scene.json");
  expect(code).toBe(2);
  expect(stderr).toContain(
    `scripts[0]  ERR_MISSING_FILE: Script file not found: ${path.join(box.project, "b.js")}.`,
  );
  expect(fs.existsSync(path.join(box.project, "ran"))).toBe(false);
});

test("a script that can't be found is the one problem: the type it would register is not reported too", () => {
  box.write("project/main.scene.json", {
    format: 1,
    scripts: ["./nope.ts"],
    root: { name: "Main", type: "Bot" },
  });
  const { code, stderr } = validate("main.scene.json");
  expect(code).toBe(2);
  expect(stderr).toContain(
    `scripts[0]  ERR_MISSING_FILE: Script file not found: ${path.join(box.project, "nope.ts")}.`,
  );
  expect(stderr).not.toContain("ERR_UNKNOWN_TYPE");
  expect(stderr).toContain("1 problem found.");
});

test("a .ts script is compiled by the hook, and its failure names file:line:col", () => {
  box.write(
    "project/ok.ts",
    'const n: number = 1;\nrequire("node:fs").writeFileSync(__dirname + "/ran", String(n));\nexport {};\n',
  );
  box.write("project/broken.ts", "export const x = (;\n");
  box.write("project/main.scene.json", {
    format: 1,
    scripts: ["./ok.ts"],
    root: { name: "Main", type: "Node" },
  });
  box.write("project/bad.scene.json", {
    format: 1,
    scripts: ["./broken.ts"],
    root: { name: "Main", type: "Node" },
  });
  expect(validate("main.scene.json")).toMatchObject({ code: 0 });
  expect(fs.readFileSync(path.join(box.project, "ran"), "utf8")).toBe("1");
  const bad = validate("bad.scene.json");
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain(`${path.join(box.project, "broken.ts")}:1:`);
});

test("a .ts script's run loads the package's public entry before tsx hooks every later require", async () => {
  // Under tsx's resolver the entry's requires of what it re-exports took ~5x as long (every fleet worker,
  // every run with TypeScript scripts): the built loader loads it first.
  const run = await runBuiltCli([
    "run",
    path.join("bench", "fleet", "bot.scene.json"),
    "--quit-after",
    "0.05",
  ]);
  expect(run.stderr).toBe("");
  const entry = run.modules.indexOf(path.join("dist", "index.js"));
  const tsx = run.modules.indexOf(path.join("node_modules", "tsx", "dist", "cjs", "api", "index.cjs"));
  const script = run.modules.indexOf(path.join("bench", "fleet", "echoBot.ts"));
  expect(entry).toBeGreaterThan(-1);
  expect(tsx).toBeGreaterThan(entry);
  expect(script).toBeGreaterThan(tsx);
});
