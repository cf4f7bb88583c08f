import * as path from "node:path";
import { convertTscn, importTscn, TscnError } from "../../src/tscn";

const FILE = path.resolve(__dirname, "../fixtures/tscn/godot4/broken.tscn");

function errorOf(text: string): TscnError {
  try {
    convertTscn(text, { file: FILE });
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

  test("unique_name_in_owner as a header attribute too; node_paths and unique_id are read silently", () => {
    const { scene, warnings } = convert(
      `${HEAD}[node name="A" type="Node" unique_id=1]\n\n[node name="B" type="Node" parent="." unique_name_in_owner=true unique_id=2]\n`,
    );
    expect(scene.root.children).toEqual([{ name: "B", type: "Node", uniqueNameInOwner: true }]);
    expect(warnings).toEqual([]);
  });

  test("an unknown type becomes Node with a warning; a registered one is kept", () => {
    const { scene, warnings } = convert(`${HEAD}[node name="A" type="Spatial"]\nprocess_priority = 4\n`);
    expect(scene.root).toEqual({ name: "A", type: "Node", props: { processPriority: 4 } });
    expect(warnings).toMatchObject([{ code: "W_UNKNOWN_TYPE", line: 3, file: FILE }]);
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
});
