import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { loadScene, SceneError, SceneTree, Timer } from "../../src";

const CORPUS = path.join(__dirname, "..", "fixtures", "tscn");
const ROOT = path.join(__dirname, "..", "..");

describe("loading .tscn directly", () => {
  test("loadScene converts a Godot 3 scene and its instanced .tscn sub-scene on the fly", async () => {
    const packed = await loadScene(path.join(CORPUS, "godot3", "main.tscn"));
    const tree = new SceneTree({ fatalErrors: true });
    const scene = packed.instantiate();
    tree.root.addChild(scene);
    expect(scene.getNode("Tick")).toBeInstanceOf(Timer);
    const hero = scene.getNode("World/Hero");
    expect(hero.owner).toBe(scene);
    expect(hero.getNode("Cooldown").owner).toBe(hero); // the sub-scene's nodes stay owned by its root
    tree.finalize();
  });

  test("a malformed .tscn is a SceneError at the .tscn's line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tscn-"));
    const file = path.join(dir, "broken.tscn");
    fs.writeFileSync(file, '[gd_scene format=3]\n\n[node name="Root" type="Node"]\nvalue = "unterminated\n');
    const error = await loadScene(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SceneError);
    expect((error as SceneError).code).toBe("ERR_TSCN");
    expect((error as SceneError).file).toBe(file);
    expect((error as SceneError).line).toBe(4);
    fs.rmSync(dir, { recursive: true });
  });

  test("scenetree run takes a .tscn and scenetree import converts one (child processes)", () => {
    const bin = path.join(ROOT, "bin", "scenetree.js");
    const run = spawnSync(
      process.execPath,
      [bin, "run", path.join(CORPUS, "godot3", "main.tscn"), "--quit-after", "0.1", "--print-tree"],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("┖╴root");
    expect(run.stderr).toContain("main.tscn:34: warning:");
    const imported = spawnSync(process.execPath, [bin, "import", path.join(CORPUS, "godot4", "lobby.tscn")], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ format: 1, root: { name: "Lobby" } });
  });
});
