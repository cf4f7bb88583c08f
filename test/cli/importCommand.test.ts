import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { importCommand } from "../../src/cli/importCommand";
import { loadScene, parseScene, unregisterNodeType } from "../../src";
import { importTscn } from "../../src/tscn";
import { registerUserTypes } from "../tscn/userTypes";

const CORPUS = path.resolve(__dirname, "../fixtures/tscn");

registerUserTypes();

async function cli(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await importCommand(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
  });
  return { code, stdout, stderr };
}

describe("scenetree import", () => {
  test("prints the JSON scene to stdout and the warnings to stderr", async () => {
    const { code, stdout, stderr } = await cli(
      [path.join(CORPUS, "godot3/main.tscn")],
      path.join(CORPUS, "godot3"),
    );
    expect(code).toBe(0);
    // The fixture was made with --instances json; printed, the sub-scene stays its .tscn.
    const expected = fs
      .readFileSync(path.join(CORPUS, "godot3/main.scene.json"), "utf8")
      .replace('"./player.scene.json"', '"./player.tscn"');
    expect(JSON.parse(stdout)).toEqual(JSON.parse(expected));
    expect(stderr).toContain(
      `${path.join(CORPUS, "godot3/main.tscn")}:34: warning: Node "Sprite": scenetree has no Node2D node`,
    );
    expect(stderr).toContain("note: script res://scripts/bot.gd → scenetree type Bot");
  });

  test("-o writes the file (and with --instances json the sub-scenes), paths relative to it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tscn-cli-"));
    try {
      // a copy of the Godot 4 project, so the sub-scene's JSON is written into the temporary folder
      fs.cpSync(path.join(CORPUS, "godot4"), path.join(dir, "game"), { recursive: true });
      for (const f of ["game/main.scene.json", "game/ui/hud.scene.json"]) fs.rmSync(path.join(dir, f));
      const out = path.join(dir, "out", "main.scene.json");
      fs.mkdirSync(path.dirname(out));
      const { code, stdout, stderr } = await cli([
        path.join(dir, "game/main.tscn"),
        "-o",
        out,
        "--instances",
        "json",
      ]);
      expect([code, stdout]).toEqual([0, ""]);
      expect(stderr).toContain(`wrote ${out} (13 warnings)`);
      const scene = JSON.parse(fs.readFileSync(out, "utf8"));
      expect(scene.root.children[2].instance).toBe("../game/ui/hud.scene.json");
      // the written files load
      expect(parseScene(fs.readFileSync(out, "utf8"), { file: out }).instantiate().free()).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("printed, paths are relative to the current folder, so redirecting the output there gives a scene that loads", async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-cli-")));
    try {
      fs.cpSync(path.join(CORPUS, "godot3"), path.join(dir, "godot"), { recursive: true });
      fs.writeFileSync(path.join(dir, "package.json"), "{}\n");
      fs.writeFileSync(path.join(dir, "bots.js"), "");
      const { code, stdout } = await cli(["godot/main.tscn", "--scripts", "./bots.js"], dir);
      expect(code).toBe(0);
      const scene = JSON.parse(stdout);
      expect(scene.scripts).toEqual(["./bots.js"]);
      expect(scene.root.children[1].children[1].instance).toBe("./godot/player.tscn");
      // `> out.scene.json` in the current folder
      const out = path.join(dir, "out.scene.json");
      fs.writeFileSync(out, stdout);
      expect((await loadScene(out)).instantiate().free()).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the --scripts note says no node took a registered type only when none did, type= included", async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-cli-")));
    const register = (name: string) =>
      'const { Node, nodePropsSchema, registerNodeType } = require("scenetree");\n' +
      `registerNodeType("${name}", class extends Node {}, nodePropsSchema);\n`;
    try {
      fs.writeFileSync(path.join(dir, "project.godot"), "");
      fs.writeFileSync(path.join(dir, "bag.js"), register("CliNoteBag"));
      fs.writeFileSync(path.join(dir, "sack.js"), register("CliNoteSack"));
      fs.writeFileSync(
        path.join(dir, "main.tscn"),
        '[gd_scene format=3]\n\n[node name="Main" type="CliNoteBag"]\n',
      );
      const taken = await cli(["main.tscn", "--scripts", "./bag.js"], dir);
      expect(taken.code).toBe(0);
      expect(JSON.parse(taken.stdout).root.type).toBe("CliNoteBag");
      expect(taken.stderr).toBe("");
      const untaken = await cli(["main.tscn", "--scripts", "./sack.js"], dir);
      expect(untaken.stderr).toBe("note: no node took a type registered by --scripts (CliNoteSack).\n");
    } finally {
      unregisterNodeType("CliNoteBag");
      unregisterNodeType("CliNoteSack");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--instances json without -o is a usage error (the printed scene would point at files never written)", async () => {
    const { code, stdout, stderr } = await cli([
      path.join(CORPUS, "godot3/main.tscn"),
      "--instances",
      "json",
    ]);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toBe(
      "scenetree: --instances json needs -o: the scene it makes points at the sub-scenes' .scene.json files, which only -o writes.\n" +
        'Run "scenetree import --help" for usage.\n',
    );
  });

  test.each([
    ["th.tres", "This is a resource file (.tres), not a scene; only scenes (.tscn) can be imported."],
    ["level.scn", "This is a binary scene (.scn); only text scenes (.tscn) can be imported."],
    ["mesh.res", "This is a binary resource file (.res), not a scene; only scenes (.tscn) can be imported."],
  ])("exit 2 for a %s: ERR_TSCN_UNSUPPORTED, saying to save the scene as .tscn", async (name, detail) => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-cli-")));
    try {
      const file = path.join(dir, name);
      fs.writeFileSync(file, '[gd_resource type="Theme" format=3]\n');
      const { code, stdout, stderr } = await cli([file]);
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toBe(`error: ${file}:1:1: ${detail} Save the scene as .tscn in Godot.\n`);
      const error = await importTscn(file).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ERR_TSCN_UNSUPPORTED", line: 1, column: 1 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("exit 2 for a malformed file, with file:line:column", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tscn-cli-"));
    try {
      const file = path.join(dir, "bad.tscn");
      fs.writeFileSync(file, '[gd_scene format=2]\n\n[node name="A" type="Node"]\nwait_time 2\n');
      const { code, stdout, stderr } = await cli([file]);
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toBe(
        `error: ${file}:4:1: Expected a property line "key = value", found "wait_time 2".\n`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("exit 2 for a .tscn larger than the loader's maxFileBytes (a sparse 290 MB file), not read whole", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tscn-cli-"));
    try {
      const file = path.join(dir, "huge.tscn");
      fs.writeFileSync(file, "");
      fs.truncateSync(file, 290 * 1024 * 1024);
      const { code, stdout, stderr } = await cli([file]);
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toBe(`error: ${file}:1:1: The scene file is larger than ${32 * 1024 * 1024} bytes.\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("exit 2 for bad arguments; --help exits 0", async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(["scene.json"])).code).toBe(2);
    expect((await cli(["a.tscn", "--instances", "xml"])).code).toBe(2);
    expect((await cli(["a.tscn", "--frobnicate"])).code).toBe(2);
    expect((await cli(["missing.tscn"])).code).toBe(2);
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: scenetree import");
    expect(help.stdout).toContain(
      "Printed, its relative paths (sub-scenes,\n--scripts) are relative to the current folder: redirect it to a file there (> main.scene.json).\n",
    );
  });
});
