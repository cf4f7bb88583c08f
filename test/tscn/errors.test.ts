import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadScene, SceneError } from "../../src";
import { convertTscn, importTscn, TscnError } from "../../src/tscn";
import { MAX_VALUE_NESTING } from "../../src/tscn/values";

const FILE = path.resolve(__dirname, "../fixtures/tscn/godot4/broken.tscn");

function errorOf(text: string, file = FILE): TscnError {
  try {
    convertTscn(text, { file });
  } catch (error) {
    if (error instanceof TscnError) return error;
    throw error;
  }
  throw new Error("no error");
}

/** `code line:column` of the error a text produces. */
const where = (text: string) => {
  const e = errorOf(text);
  return `${e.code} ${e.line}:${e.column}`;
};

const HEAD = '[gd_scene format=3 uid="uid://x"]\n\n';

describe("malformed .tscn files: the error names the file, line and column", () => {
  test("unterminated string, reported where it starts", () => {
    const e = errorOf(`${HEAD}[node name="A" type="Node"]\ntext = "never closed\nmore = 1\n`);
    expect([e.code, e.file, e.line, e.column]).toEqual(["ERR_TSCN_SYNTAX", FILE, 4, 8]);
    expect(e.message).toBe(`${FILE}:4:8: Unterminated string.`);
  });

  test.each([
    ["a property line without =", `${HEAD}[node name="A" type="Node"]\nwait_time 2\n`, "ERR_TSCN_SYNTAX 4:1"],
    [
      "an unclosed section header",
      `${HEAD}[node name="A" type="Node"\n[node name="B"]\n`,
      "ERR_TSCN_SYNTAX 4:1",
    ],
    [
      "an unclosed dictionary spanning lines",
      `${HEAD}[node name="A" type="Node"]\nd = {\n"a": 1\n"b": 2\n}\n`,
      "ERR_TSCN_SYNTAX 6:1",
    ],
    ["an unknown identifier", `${HEAD}[node name="A" type="Node"]\nx = maybe\n`, "ERR_TSCN_SYNTAX 4:5"],
    ["a stray character", `${HEAD}[node name="A" type="Node"]\nx = 1 $\n`, "ERR_TSCN_SYNTAX 4:7"],
    ["a property before the header", `x = 1\n${HEAD}`, "ERR_TSCN_SYNTAX 1:1"],
    ["no format=", '[gd_scene load_steps=2]\n[node name="A" type="Node"]\n', "ERR_TSCN_UNSUPPORTED 1:1"],
    ["format=1 (Godot 2)", '[gd_scene format=1]\n[node name="A" type="Node"]\n', "ERR_TSCN_UNSUPPORTED 1:11"],
    ["a .tres resource", '[gd_resource type="Theme" format=3]\n', "ERR_TSCN_UNSUPPORTED 1:1"],
    ["no nodes", `${HEAD}`, "ERR_TSCN_STRUCTURE 1:1"],
    [
      "a parent that does not exist",
      `${HEAD}[node name="A" type="Node"]\n\n[node name="B" type="Node" parent="Nope"]\n`,
      "ERR_TSCN_STRUCTURE 5:28",
    ],
    [
      "two roots",
      `${HEAD}[node name="A" type="Node"]\n[node name="B" type="Node"]\n`,
      "ERR_TSCN_STRUCTURE 4:1",
    ],
    ["a child before the root", `${HEAD}[node name="B" type="Node" parent="."]\n`, "ERR_TSCN_STRUCTURE 3:1"],
    [
      "an ExtResource id that was never declared",
      `${HEAD}[node name="A" type="Node"]\nscript = ExtResource("9_nope")\n`,
      "ERR_TSCN_STRUCTURE 4:1",
    ],
    [
      "a duplicate ext_resource id",
      `[gd_scene format=2]\n[ext_resource path="res://a.gd" type="Script" id=1]\n[ext_resource path="res://b.gd" type="Script" id=1]\n`,
      "ERR_TSCN_STRUCTURE 3:1",
    ],
    [
      "a missing sub-scene",
      `${HEAD}[ext_resource type="PackedScene" path="res://nowhere.tscn" id="1_a"]\n\n[node name="A" type="Node"]\n[node name="B" parent="." instance=ExtResource("1_a")]\n`,
      "ERR_MISSING_FILE 6:27",
    ],
  ])("%s", (_what, text, expected) => {
    expect(where(text)).toBe(expected);
  });

  test("scenes that instance each other", async () => {
    const cycle = path.resolve(__dirname, "../fixtures/tscn/cycle/a.tscn");
    await expect(importTscn(cycle)).rejects.toMatchObject({
      code: "ERR_INSTANCE_CYCLE",
      file: path.resolve(__dirname, "../fixtures/tscn/cycle/b.tscn"),
      line: 6,
    });
  });

  test("a missing file", async () => {
    await expect(importTscn("/nonexistent/scene.tscn")).rejects.toMatchObject({
      code: "ERR_MISSING_FILE",
      line: 1,
    });
  });
});

describe("conversions checked on small scenes", () => {
  const convert = (text: string) => convertTscn(text, { file: FILE });

  test("unique_name_in_owner as a header attribute too; node_paths, unique_id and parent_id_path are read silently", () => {
    const { scene, warnings } = convert(
      `${HEAD}[node name="A" type="Node" unique_id=1]\n\n[node name="B" type="Node" parent="." unique_name_in_owner=true unique_id=2 parent_id_path=PackedInt32Array(1)]\n`,
    );
    expect(scene.root.children).toEqual([{ name: "B", type: "Node", uniqueNameInOwner: true }]);
    expect(warnings).toEqual([]);
  });

  // Reduced from qarmin/The-worst-Godot-test-project, MainScenes/ALL.tscn and ViewportALL.tscn
  // (format=2): `script = null` on a node stopped the import ("script = must be ExtResource(...)").
  test("script = null is no script, as Godot loads it", () => {
    const { scene, warnings } = convertTscn(
      `[gd_scene format=2]\n\n[node name="ALL" type="Node"]\nscript = null\n\n[node name="T" type="Timer" parent="."]\nscript = null\nwait_time = 2.0\n`,
      { file: FILE },
    );
    expect(scene.root).toEqual({
      name: "ALL",
      type: "Node",
      children: [{ name: "T", type: "Timer", props: { waitTime: 2 } }],
    });
    expect(warnings).toEqual([]);
  });

  test("script = null on an instance, or a node of one, is left out with a warning (Godot removes the script)", () => {
    const { scene, warnings } = convert(
      `${HEAD}[ext_resource type="PackedScene" path="res://scripted_instance/plain.tscn" id="1_p"]\n[node name="A" type="Node"]\n[node name="P" parent="." instance=ExtResource("1_p")]\nscript = null\n`,
    );
    expect(scene.root.children).toEqual([{ name: "P", instance: "./scripted_instance/plain.tscn" }]);
    expect(warnings.map((w) => [w.code, w.line])).toEqual([["W_SCRIPT", 6]]);
    expect(warnings[0].message).toContain("script = null takes the script");
  });

  test("an unknown type becomes Node with a warning; a registered one is kept", () => {
    const { scene, warnings } = convert(`${HEAD}[node name="A" type="Spatial"]\nprocess_priority = 4\n`);
    expect(scene.root).toEqual({ name: "A", type: "Node", props: { processPriority: 4 } });
    expect(warnings).toMatchObject([{ code: "W_UNKNOWN_TYPE", line: 3, file: FILE }]);
  });

  test("Godot 3 __meta__: the user's set_meta keys are named as node metadata, the editor's as editor data", () => {
    const meta = (value: string) =>
      convertTscn(`[gd_scene format=2]\n[node name="A" type="Node"]\n__meta__ = ${value}\n`, {
        file: FILE,
      }).warnings.map((w) => [w.code, w.line, w.message]);
    expect(meta('{\n"_edit_lock_": true,\n"note": "boss",\n"score": 3\n}')).toEqual([
      [
        "W_PROPERTY_DROPPED",
        3,
        "__meta__: node metadata (set_meta) has no place in a JSON scene; left out: note, score.",
      ],
      ["W_PROPERTY_DROPPED", 3, "__meta__: editor-only data (_edit_lock_), left out."],
    ]);
    expect(meta('{\n"_edit_group_": true,\n"_editor_description_": "x"\n}')).toEqual([
      ["W_PROPERTY_DROPPED", 3, "__meta__: editor-only data (_edit_group_, _editor_description_), left out."],
    ]);
  });

  test("a property of a Godot class that became Node names that class, or the script; a known type's blames the script", () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-props-")));
    try {
      fs.writeFileSync(path.join(dir, "project.godot"), "");
      fs.mkdirSync(path.join(dir, "scripts"));
      fs.writeFileSync(path.join(dir, "scripts/player.gd"), "extends Node2D\n");
      const text =
        '[gd_scene load_steps=2 format=2]\n[ext_resource path="res://scripts/player.gd" type="Script" id=1]\n' +
        '[node name="A" type="Node2D"]\nscript = ExtResource( 1 )\nmodulate = Color( 1, 1, 1, 1 )\n' +
        '[node name="B" type="Node2D" parent="."]\nmodulate = Color( 1, 1, 1, 1 )\n' +
        '[node name="T" type="Timer" parent="."]\nscript = ExtResource( 1 )\nspeed = 2\n';
      const dropped = convertTscn(text, { file: path.join(dir, "main.tscn") })
        .warnings.filter((w) => w.code === "W_PROPERTY_DROPPED")
        .map((w) => [w.line, w.message]);
      expect(dropped).toEqual([
        [
          5,
          'modulate: Node has no property "modulate" (a Node2D property, or the script res://scripts/player.gd\'s); left out.',
        ],
        [7, 'modulate: Node has no property "modulate" (a Node2D property); left out.'],
        [
          10,
          'speed: Timer has no property "speed" (it likely belongs to the script res://scripts/player.gd); left out.',
        ],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("owner= and index= on a node each say what becomes of them", () => {
    const { warnings } = convert(
      `${HEAD}[node name="A" type="Node"]\n[node name="B" type="Node" parent="." owner="." index="0"]\n`,
    );
    expect(warnings.map((w) => [w.code, w.line, w.message])).toEqual([
      ["W_UNSUPPORTED", 4, 'index="0" on node "B" is not supported; children keep their file order.'],
      [
        "W_UNSUPPORTED",
        4,
        'owner="." on node "B" is not supported; the node is owned by the scene\'s root, as every node a JSON scene builds is.',
      ],
    ]);
  });

  test("a node name with a path character (a Godot 3 model's house.001) stops the conversion at its line", () => {
    expect(() =>
      convertTscn(
        '[gd_scene format=2]\n[node name="Main" type="Node"]\n[node name="house.001" type="Node" parent="."]\n',
        {
          file: FILE,
        },
      ),
    ).toThrow(
      expect.objectContaining({
        code: "ERR_TSCN_STRUCTURE",
        line: 3,
        message: expect.stringContaining('rename it in Godot (e.g. "house_001")'),
      }),
    );
  });

  // Reduced from godot-demo-projects 3.x, 3d/truck_town/town_mesh.tscn: 135 such names, one error each.
  test("the error counts the nodes after it that need renaming too", () => {
    const e = errorOf(
      '[gd_scene format=2]\n[node name="Main" type="Spatial"]\n[node name="house_01a_GEO.002" type="Spatial" parent="."]\n' +
        '[node name="ok" type="Spatial" parent="."]\n[node name="house_02_GEO.001" type="Spatial" parent="."]\n' +
        '[node name="house_03a_GEO.001" type="Spatial" parent="."]\n',
    );
    expect([e.code, e.line]).toEqual(["ERR_TSCN_STRUCTURE", 3]);
    expect(e.detail).toBe(
      'Node name "house_01a_GEO.002" has a character scenetree reserves for node paths (. : @ / " %); rename it in Godot (e.g. "house_01a_GEO_002"), and the 2 other nodes after it with such names, and save the scene again.',
    );
  });

  test("a second child of the same name is renamed as Godot renames it (A2), with a warning at its line", async () => {
    const text =
      `${HEAD}[node name="Main" type="Node"]\n` +
      `[node name="A" type="Timer" parent="."]\nwait_time = 1.0\n` +
      `[node name="A" type="Timer" parent="."]\nwait_time = 2.0\n` +
      `[node name="A" type="Node" parent="."]\n` +
      `[connection signal="timeout" from="A" to="." method="queue_free"]\n`;
    const { scene, warnings } = convertTscn(text, { file: FILE });
    expect(scene.root.children?.map((c) => [c.name, c.props])).toEqual([
      ["A", { waitTime: 1 }],
      ["A2", { waitTime: 2 }],
      ["A3", undefined],
    ]);
    expect(scene.connections?.[0]).toMatchObject({ from: "A", signal: "timeout" });
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ["W_UNSUPPORTED", 6],
      ["W_UNSUPPORTED", 8],
    ]);
    expect(warnings[0].message).toBe(
      'Node "A2": "Main" (the root) already has a child named "A", so this one is renamed "A2", as Godot renames it when it loads the scene; paths to "A" mean the first one. Rename one of them in Godot and save the scene again.',
    );
    // It loads: before, the load failed with ERR_DUPLICATE_NAME at a line of the converted JSON, named as the .tscn's.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tscn-dup-"));
    try {
      fs.writeFileSync(path.join(dir, "dup.tscn"), text);
      const root = (await loadScene(path.join(dir, "dup.tscn"))).instantiate();
      expect(root.getChildren().map((c) => c.name)).toEqual(["A", "A2", "A3"]);
      root.free();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a second node with the same %unique name keeps its name but not the unique flag, with a warning", async () => {
    const text =
      `${HEAD}[node name="Main" type="Node"]\n` +
      `[node name="A" type="Timer" parent="."]\nunique_name_in_owner = true\n` +
      `[node name="B" type="Node" parent="."]\n` +
      `[node name="A" type="Timer" parent="B" unique_name_in_owner=true]\n`;
    const { scene, warnings } = convertTscn(text, { file: FILE });
    expect(scene.root.children?.[0].uniqueNameInOwner).toBe(true);
    expect(scene.root.children?.[1].children?.[0]).toEqual({ name: "A", type: "Timer" });
    expect(warnings.map((w) => [w.code, w.line, w.message])).toEqual([
      [
        "W_UNSUPPORTED",
        7,
        'Node "B/A": unique_name_in_owner left out, as Godot leaves it when it loads the scene: "A" already has the unique name "%A". Rename one of them in Godot and save the scene again.',
      ],
    ]);
    // It loads: before, the load failed with ERR_DUPLICATE_NAME at a line of the converted JSON, named as the .tscn's.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tscn-unique-"));
    try {
      fs.writeFileSync(path.join(dir, "unique.tscn"), text);
      const root = (await loadScene(path.join(dir, "unique.tscn"))).instantiate();
      expect(root.getNode("%A")).toBe(root.getNode("A"));
      root.free();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("Godot 3 process_mode on a non-Timer is not the node's process mode", () => {
    const { scene, warnings } = convertTscn(
      '[gd_scene format=2]\n[node name="A" type="AnimationPlayer"]\nprocess_mode = 0\n',
      { file: FILE },
    );
    expect(scene.root.props).toBeUndefined();
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ["W_UNKNOWN_TYPE", 2],
      ["W_PROPERTY_DROPPED", 3],
    ]);
  });

  test("an integer past 2^53 is left out with a warning at its line, as inf and nan are, not rounded", () => {
    const { scene, warnings } = convert(
      `${HEAD}[node name="A" type="Node"]\nprocess_priority = 9007199254740993\n[node name="B" type="Node" parent="."]\nprocess_priority = inf\n`,
    );
    expect(scene.root.props).toBeUndefined();
    expect(warnings.map((w) => [w.code, w.line, w.message])).toEqual([
      [
        "W_PROPERTY_DROPPED",
        4,
        "process_priority: 9007199254740993 is an integer a JSON number can't hold exactly (it would become 9007199254740992); left out.",
      ],
      ["W_PROPERTY_DROPPED", 6, "process_priority: Infinity can't be written in JSON; left out."],
    ]);
  });

  test("a value the type refuses is left out with a warning", () => {
    const { scene, warnings } = convert(
      `${HEAD}[node name="T" type="Timer"]\nwait_time = -1.0\none_shot = true\n`,
    );
    expect(scene.root.props).toEqual({ oneShot: true });
    expect(warnings).toMatchObject([{ code: "W_PROPERTY_DROPPED", line: 4 }]);
    expect(warnings[0].message).toContain('"waitTime" does not accept -1');
  });

  test("connections to missing nodes or signals are dropped with a warning", () => {
    const { scene, warnings } = convert(
      `${HEAD}[node name="A" type="Node"]\n[node name="T" type="Timer" parent="."]\n[connection signal="timeout" from="Nope" to="." method="x"]\n[connection signal="no_such" from="T" to="T" method="start"]\n[connection signal="timeout" from="T" to="T" method="stop" flags=2]\n`,
    );
    expect(scene.connections).toEqual([{ from: "T", signal: "timeout", to: "T", method: "stop" }]);
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ["W_CONNECTION_DROPPED", 5],
      ["W_CONNECTION_DROPPED", 6],
    ]);
  });

  test("res:// without a project.godot resolves from the scene's folder, with a warning", () => {
    const { warnings } = convertTscn(
      `${HEAD}[ext_resource type="Script" path="res://x.gd" id="1_a"]\n[node name="A" type="Node"]\nscript = ExtResource("1_a")\n`,
      { file: "/tmp/no-project/scene.tscn" },
    );
    expect(warnings.map((w) => w.code)).toEqual(["W_NO_PROJECT", "W_SCRIPT"]);
  });

  // dialogic's repository (an addon) has no project.godot: every res:// sub-scene was "not found" at
  // <scene folder>/addons/..., with nothing saying why, as the W_NO_PROJECT warning is never printed.
  test("a res:// sub-scene missing without a project.godot: the error says why and what to pass", () => {
    const e = errorOf(
      `${HEAD}[ext_resource type="PackedScene" path="res://addons/x/sub.tscn" id="1_a"]\n[node name="A" type="Node"]\n[node name="S" parent="." instance=ExtResource("1_a")]\n`,
      "/tmp/no-project/addons/x/scene.tscn",
    );
    expect([e.code, e.line]).toEqual(["ERR_MISSING_FILE", 5]);
    expect(e.message).toContain("There is no project.godot above the scene, so res:// is its folder");
    expect(e.message).toContain(
      "put one in the Godot project's folder (scenetree import also takes --project DIR",
    );
  });

  // dialogic again, imported with --project: the import succeeded, but `scenetree validate` of its output
  // failed, as the .tscn instances are converted again at load time without --project.
  test("--project naming a folder without a project.godot: .tscn instances are warned not to load", async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-addon-")));
    try {
      fs.mkdirSync(path.join(dir, "addons/x"), { recursive: true });
      fs.writeFileSync(path.join(dir, "addons/x/sub.tscn"), `${HEAD}[node name="S" type="Node"]\n`);
      const main = path.join(dir, "addons/x/main.tscn");
      fs.writeFileSync(
        main,
        `${HEAD}[ext_resource type="PackedScene" path="res://addons/x/sub.tscn" id="1_a"]\n[node name="A" type="Node"]\n[node name="S" parent="." instance=ExtResource("1_a")]\n[node name="T" parent="." instance=ExtResource("1_a")]\n`,
      );
      const tscn = await importTscn(main, { projectRoot: dir });
      expect(tscn.warnings.map((w) => [w.code, w.line])).toEqual([["W_NO_PROJECT", 5]]);
      expect(tscn.warnings[0].message).toContain(
        "Put a project.godot there, or import with --instances json.",
      );
      const json = await importTscn(main, { projectRoot: dir, instances: "json" });
      expect(json.warnings).toEqual([]);
      fs.writeFileSync(path.join(dir, "project.godot"), "");
      expect((await importTscn(main, { projectRoot: dir })).warnings).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a sub-scene missing inside a Godot project: no project hint", () => {
    const e = errorOf(
      `${HEAD}[ext_resource type="PackedScene" path="res://gone.tscn" id="1_a"]\n[node name="A" type="Node"]\n[node name="S" parent="." instance=ExtResource("1_a")]\n`,
    );
    expect(e.code).toBe("ERR_MISSING_FILE");
    expect(e.message).not.toContain("project.godot");
  });
});

describe("hostile .tscn files: limits, deep values, aliases", () => {
  let dir: string;
  beforeEach(() => (dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-hostile-")))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const node = '[node name="A" type="Node"]\n';

  test("a value nested 5,000 deep is ERR_TSCN_SYNTAX at its line:column, not a stack overflow", () => {
    const text = `${HEAD}${node}metadata/x = ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    const e = errorOf(text);
    expect([e.code, e.line]).toEqual(["ERR_TSCN_SYNTAX", 4]);
    expect(e.column).toBe(14 + MAX_VALUE_NESTING);
    expect(e.detail).toBe(`Values are nested deeper than ${MAX_VALUE_NESTING} levels here.`);
    // Constructors and dictionaries nest the same way.
    expect(errorOf(`${HEAD}${node}x = ${"Vector2(".repeat(5000)}`).code).toBe("ERR_TSCN_SYNTAX");
    expect(errorOf(`${HEAD}${node}x = ${'{"k": '.repeat(5000)}`).code).toBe("ERR_TSCN_SYNTAX");
    // Up to the limit, a value converts.
    const ok = `${HEAD}${node}metadata/x = ${"[".repeat(MAX_VALUE_NESTING)}${"]".repeat(MAX_VALUE_NESTING)}\n`;
    expect(convertTscn(ok, { file: FILE }).scene.root.name).toBe("A");
  });

  test("loadScene of that file: ERR_TSCN at the .tscn's line:column", async () => {
    const file = path.join(dir, "deep.tscn");
    fs.writeFileSync(file, `${HEAD}${node}metadata/x = ${"[".repeat(5000)}\n`);
    const error = (await loadScene(file).catch((e: unknown) => e)) as SceneError;
    expect(error).toBeInstanceOf(SceneError);
    expect(error.problems.map((p) => [p.code, p.file, p.line])).toEqual([["ERR_TSCN", file, 4]]);
  });

  test("nodes nested deeper than maxDepth are ERR_LIMIT at the [node] line", () => {
    let text = `${HEAD}[node name="N0" type="Node"]\n`;
    let parent = ".";
    for (let i = 1; i <= 1000; i++) {
      text += `[node name="N${i}" type="Node" parent="${parent}"]\n`;
      parent = parent === "." ? `N${i}` : `${parent}/N${i}`;
    }
    const e = errorOf(text);
    expect([e.code, e.line]).toEqual(["ERR_LIMIT", 3 + 1000]);
    expect(convertTscn(text, { file: FILE, limits: { maxDepth: 1001 } }).scene.root.name).toBe("N0");
  });

  test("a 290 MB .tscn (sparse) is ERR_LIMIT after reading at most maxFileBytes, for import and sub-scenes", async () => {
    const huge = path.join(dir, "huge.tscn");
    fs.writeFileSync(huge, "");
    fs.truncateSync(huge, 290 * 1024 * 1024);
    await expect(importTscn(huge)).rejects.toMatchObject({ code: "ERR_LIMIT", file: huge, line: 1 });
    const main = path.join(dir, "main.tscn");
    fs.writeFileSync(
      main,
      `${HEAD}[ext_resource type="PackedScene" path="huge.tscn" id="1"]\n\n${node}[node name="H" parent="." instance=ExtResource("1")]\n`,
    );
    await expect(importTscn(main)).rejects.toMatchObject({ code: "ERR_LIMIT", file: main, line: 6 });
    const small = path.join(dir, "small.tscn");
    fs.writeFileSync(small, `${HEAD}${node}`);
    fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace("huge.tscn", "small.tscn"));
    const maxTotalBytes = fs.statSync(main).size + 10; // room for main.tscn, not for small.tscn too
    await expect(importTscn(main, { limits: { maxTotalBytes } })).rejects.toMatchObject({
      code: "ERR_LIMIT",
      line: 6,
    });
  });

  test("a GDScript that is a device (zero.gd -> /dev/zero) is not read: the import finishes, with a warning", async () => {
    fs.symlinkSync("/dev/zero", path.join(dir, "zero.gd"));
    const main = path.join(dir, "main.tscn");
    fs.writeFileSync(
      main,
      `${HEAD}[ext_resource type="Script" path="zero.gd" id="1"]\n\n[node name="A" type="Node"]\nscript = ExtResource("1")\n`,
    );
    const { warnings } = await importTscn(main);
    expect(warnings.map((w) => [w.code, w.message.includes("could not be read")])).toContainEqual([
      "W_SCRIPT",
      true,
    ]);
  });

  test("a symlink loop between .tscn files is ERR_INSTANCE_CYCLE, found on real paths", async () => {
    fs.symlinkSync(dir, path.join(dir, "loop"));
    const a = path.join(dir, "a.tscn");
    fs.writeFileSync(
      a,
      `${HEAD}[ext_resource type="PackedScene" path="loop/a.tscn" id="1"]\n\n${node}[node name="Again" parent="." instance=ExtResource("1")]\n`,
    );
    await expect(importTscn(a)).rejects.toMatchObject({ code: "ERR_INSTANCE_CYCLE", line: 6 });
  });

  test("a file that is not a .tscn (a symlink named .tscn to a .env) is read without quoting it", async () => {
    const env = path.join(dir, ".env");
    fs.writeFileSync(env, "SECRET_TOKEN=hunter2\n");
    const link = path.join(dir, "scene.tscn");
    fs.symlinkSync(env, link);
    const error = (await importTscn(link).catch((e: unknown) => e)) as TscnError;
    expect(error).toBeInstanceOf(TscnError);
    expect(error.message).not.toMatch(/hunter2|SECRET/);
    // In a .tscn, a syntax error quotes at most a short piece.
    const e = errorOf(`${HEAD}${node}x = hunter2_is_the_password_of_the_admin\n`);
    expect(e.detail).toBe('Unknown identifier "hunter2_is_the_p…".');
  });
});

describe("overlong names in a .tscn are repeated cut short", () => {
  const big = "B".repeat(300_000);

  test("in conversion warnings", () => {
    const text =
      `${HEAD}[node name="R" type="Node"]\n\n[node name="${big}" type="${big}" parent="."]\n${big} = 5\n\n` +
      `[connection signal="${big}" from="." to="." method="${big}"]\n`;
    const { warnings } = convertTscn(text, { file: FILE });
    expect(warnings.length).toBeGreaterThanOrEqual(3);
    for (const warning of warnings) {
      expect(warning.message.length).toBeLessThan(600);
      expect(warning.message).toContain(`${"B".repeat(60)}… (300000 characters)`);
    }
  });

  test("in errors", () => {
    const e = errorOf(`${HEAD}[node name="R" type="Node"]\n\n[node name="x" parent="${big}"]\n`);
    expect(e.code).toBe("ERR_TSCN_STRUCTURE");
    expect(e.detail).toBe(`Node "x": no node at parent path "${"B".repeat(60)}… (300000 characters)".`);
    expect(e.message).toBe(`${FILE}:5:16: ${e.detail}`);
  });
});
