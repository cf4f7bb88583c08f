import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeSceneSandbox, type SceneSandbox } from "../../helpers/hostileScenes";

/**
 * A script is inside the project only if the file the module loader really runs is. Under tsx (the
 * CLI), `./a.js` runs a sibling `a.ts` when there is one: a harmless `a.js` inside the project must
 * not let an `a.ts` symlinked to somewhere else run.
 */

const BIN = path.join(__dirname, "..", "..", "..", "bin", "scenetree.js");
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

test("./a.js with a.ts symlinked out of the project: refused, and the module never runs", () => {
  box.write("outside/evil.ts", evil);
  box.write("project/a.js", "module.exports = {};\n");
  box.link("project/a.ts", path.join(box.outside, "evil.ts"));
  box.write("project/main.scene.json", {
    format: 1,
    scripts: ["./a.js"],
    root: { name: "Main", type: "Node" },
  });
  const { code, stderr } = validate("main.scene.json");
  expect(code).toBe(2);
  expect(stderr).toContain(
    `scripts[0]  ERR_SCRIPT_LOAD: Script "./a.js" is outside the scene's project folder`,
  );
  expect(fs.existsSync(path.join(box.outside, "ran"))).toBe(false);
});

test("./b.js that tsx runs as a b.ts inside the project is imported", () => {
  box.write("project/b.ts", 'require("node:fs").writeFileSync(__dirname + "/ran", "ran");\nexport {};\n');
  box.write("project/main.scene.json", {
    format: 1,
    scripts: ["./b.js"],
    root: { name: "Main", type: "Node" },
  });
  expect(validate("main.scene.json")).toMatchObject({ code: 0, stdout: "ok  main.scene.json\n" });
  expect(fs.readFileSync(path.join(box.project, "ran"), "utf8")).toBe("ran");
});
