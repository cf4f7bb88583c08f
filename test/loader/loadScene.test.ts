import "../../src"; // the package entry installs the built-in node types and .tscn
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadScene, parseScene } from "../../src/loader/loadScene";
import { SceneError, type SceneProblem } from "../../src/loader/SceneError";
import type { TscnWarning } from "../../src/tscn/errors";

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "loadScene-")));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(file: string, content: unknown): string {
  const full = path.join(dir, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return full;
}

const scene = (root: object) => ({ format: 1, root });

async function problemsOf(load: () => unknown): Promise<SceneProblem[]> {
  try {
    await load();
  } catch (error) {
    if (error instanceof SceneError) return [...error.problems];
    throw error;
  }
  throw new Error("loaded");
}

describe("loadScene and parseScene", () => {
  test("loadScene reads the file and the sub-scenes it instances, relative to it", async () => {
    write(
      "parts/part.scene.json",
      scene({ name: "Part", type: "Node", children: [{ name: "In", type: "Node" }] }),
    );
    const main = write(
      "main.scene.json",
      scene({ name: "Main", type: "Node", children: [{ instance: "parts/part.scene.json" }] }),
    );
    const packed = await loadScene(main);
    expect(packed.file).toBe(main);
    const root = packed.instantiate();
    expect(root.getNode("Part/In").name).toBe("In");
    root.free();
  });

  test("parseScene names the text <string> unless told a file, and resolves sub-scenes from that file's folder", async () => {
    const broken = JSON.stringify(scene({ name: "A", type: "Nope" }));
    expect((await problemsOf(() => parseScene(broken)))[0].file).toBe("<string>");
    write("sub/part.scene.json", scene({ name: "Part", type: "Node" }));
    const text = JSON.stringify(
      scene({ name: "A", type: "Node", children: [{ instance: "part.scene.json" }] }),
    );
    const root = parseScene(text, { file: path.join(dir, "sub", "main.scene.json") }).instantiate();
    expect(root.getNode("Part").name).toBe("Part");
    root.free();
  });

  test("a missing file is ERR_MISSING_FILE at its 1:1; sync and async loads report a missing sub-scene alike", async () => {
    const missing = path.join(dir, "none.scene.json");
    expect(await problemsOf(() => loadScene(missing))).toEqual([
      {
        code: "ERR_MISSING_FILE",
        file: missing,
        line: 1,
        column: 1,
        path: "",
        message: "Scene file not found.",
        hint: "Check the path; relative paths resolve from the current folder.",
      },
    ]);
    const main = write(
      "main.scene.json",
      scene({ name: "Main", type: "Node", children: [{ instance: "gone.scene.json" }] }),
    );
    const async = await problemsOf(() => loadScene(main));
    const sync = await problemsOf(() => parseScene(fs.readFileSync(main, "utf8"), { file: main }));
    expect(async).toEqual(sync);
    expect(async.map((p) => [p.code, p.path])).toEqual([["ERR_MISSING_FILE", "root.children[0].instance"]]);
  });

  test("limits given in part keep the other defaults", async () => {
    const main = write("main.scene.json", scene({ name: "Main", type: "Node" }));
    const [problem] = await problemsOf(() => loadScene(main, { limits: { maxFileBytes: 10 } }));
    expect([problem.code, problem.message]).toEqual(["ERR_LIMIT", "The scene file is larger than 10 bytes."]);
    const deep = scene({
      name: "A",
      type: "Node",
      children: [{ name: "B", type: "Node", children: [{ name: "C", type: "Node" }] }],
    });
    const [tooDeep] = await problemsOf(() => parseScene(JSON.stringify(deep), { limits: { maxDepth: 2 } }));
    expect([tooDeep.code, tooDeep.path]).toEqual(["ERR_LIMIT", "root.children[0].children[0]"]);
  });

  test("confineInstancesToProject refuses a sub-scene outside the project folder; by default it loads", async () => {
    write("outside.scene.json", scene({ name: "Out", type: "Node" }));
    write("project/package.json", "{}");
    const main = write(
      "project/main.scene.json",
      scene({ name: "Main", type: "Node", children: [{ instance: "../outside.scene.json" }] }),
    );
    (await loadScene(main)).instantiate().free();
    const [problem] = await problemsOf(() => loadScene(main, { confineInstancesToProject: true }));
    expect(problem).toMatchObject({ code: "ERR_OUTSIDE_PROJECT", path: "root.children[0].instance" });
    expect(problem.message).toBe(
      `Sub-scene "../outside.scene.json" is outside the scene's project folder (${path.join(dir, "project")}).`,
    );
  });

  test("a .tscn loads directly, and each conversion warning reaches onWarning once", async () => {
    const file = write("main.tscn", '[gd_scene format=3]\n\n[node name="Main" type="Sprite2D"]\n');
    const warnings: TscnWarning[] = [];
    const root = (await loadScene(file, { onWarning: (w) => warnings.push(w) })).instantiate();
    expect(root.name).toBe("Main");
    expect(warnings.map((w) => [w.code, w.line])).toEqual([["W_UNKNOWN_TYPE", 3]]);
    root.free();
  });

  test.each([
    ["th.tres", "This is a resource file (.tres), not a scene; only scenes (.tscn) can be imported."],
    ["x.scn", "This is a binary scene (.scn); only text scenes (.tscn) can be imported."],
    ["X.RES", "This is a binary resource file (.res), not a scene; only scenes (.tscn) can be imported."],
  ])(
    "a %s is ERR_TSCN_UNSUPPORTED saying to save the scene as .tscn, as the scene or as a sub-scene",
    async (name, detail) => {
      const file = write(name, '[gd_resource type="Theme" format=3]\n');
      const expected = {
        code: "ERR_TSCN_UNSUPPORTED",
        file,
        line: 1,
        column: 1,
        path: "",
        message: `${detail} Save the scene as .tscn in Godot.`,
        hint: "scenetree reads Godot scenes as text only: open the scene in Godot and save it under a .tscn name (Scene > Save Scene As).",
      };
      expect(await problemsOf(() => loadScene(file))).toEqual([expected]);
      const main = write(
        "main.scene.json",
        scene({ name: "Main", type: "Node", children: [{ instance: `./${name}` }] }),
      );
      // As a sub-scene, the problem also names the "instance" entry that led to the file.
      const includedFrom = [{ file: main, line: 8, column: 21, path: "root.children[0].instance" }];
      expect(await problemsOf(() => loadScene(main))).toEqual([{ ...expected, includedFrom }]);
    },
  );
});
