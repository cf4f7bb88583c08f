import { parseTscnDocument } from "../../src/tscn/document";
import { TscnError } from "../../src/tscn/errors";

function failure(text: string): TscnError {
  try {
    parseTscnDocument(text, "t.tscn");
  } catch (error) {
    if (error instanceof TscnError) return error;
    throw error;
  }
  throw new Error("parsed");
}

describe("parseTscnDocument", () => {
  test("the header, then every section in file order with its attributes and property lines", () => {
    const doc = parseTscnDocument(
      [
        '[gd_scene load_steps=2 format=3 uid="uid://x"]',
        "",
        '[ext_resource type="Script" path="res://a.gd" id="1_a"]',
        "",
        '[node name="Main" type="Node"]',
        "speed = 2",
        'metadata/note = "hi"',
        "",
        '[connection signal="timeout" from="T" to="." method="on_t"]',
      ].join("\n"),
      "t.tscn",
    );
    expect(doc.file).toBe("t.tscn");
    expect(doc.format).toBe(3);
    expect(doc.header.tag).toBe("gd_scene");
    expect(doc.header.attrs.get("uid")).toEqual({ value: "uid://x", line: 1, column: 33 });
    expect(doc.sections.map((s) => [s.tag, s.line])).toEqual([
      ["ext_resource", 3],
      ["node", 5],
      ["connection", 9],
    ]);
    const node = doc.sections[1];
    expect(node.attrs.get("name")?.value).toBe("Main");
    expect(node.props).toEqual([
      { key: "speed", value: 2, line: 6, column: 1 },
      { key: "metadata/note", value: "hi", line: 7, column: 1 },
    ]);
  });

  test("Godot 3's format=2 is read", () => {
    expect(parseTscnDocument("[gd_scene load_steps=1 format=2]\n", "t.tscn").format).toBe(2);
  });

  test.each([
    ["an empty file", "", "ERR_TSCN_SYNTAX", 1, 1, "Empty file: a .tscn starts with [gd_scene ...]."],
    [
      "a .tres",
      '[gd_resource type="Theme" format=3]\n',
      "ERR_TSCN_UNSUPPORTED",
      1,
      1,
      "This is a resource file (.tres), not a scene; only scenes (.tscn) can be imported.",
    ],
    [
      "no header",
      '[node name="A"]\n',
      "ERR_TSCN_SYNTAX",
      1,
      1,
      'A .tscn starts with [gd_scene ...], found ["node"].',
    ],
    [
      "Godot 2's format=1",
      "[gd_scene format=1]\n",
      "ERR_TSCN_UNSUPPORTED",
      1,
      11,
      "Scene format 1 (Godot 2) is not supported: convert the project to Godot 3 (Godot 2.1.4+: Project > Tools > Export to Godot 3.0) and import the scene it writes.",
    ],
    [
      "a format from after Godot 4",
      "[gd_scene format=5]\n",
      "ERR_TSCN_UNSUPPORTED",
      1,
      11,
      "Scene format 5 is not supported: Godot 3 writes format=2, Godot 4 format=3 (or 4).",
    ],
    [
      "no format",
      "[gd_scene load_steps=1]\n",
      "ERR_TSCN_UNSUPPORTED",
      1,
      1,
      "The [gd_scene] header has no format=; Godot 3 writes format=2, Godot 4 format=3.",
    ],
    [
      "a second header",
      "[gd_scene format=3]\n[gd_scene format=3]\n",
      "ERR_TSCN_SYNTAX",
      2,
      1,
      "A second [gd_scene] header.",
    ],
    [
      "a property before the header",
      "x = 1\n",
      "ERR_TSCN_SYNTAX",
      1,
      1,
      'Property "x" before the [gd_scene] header.',
    ],
    [
      "an attribute given twice",
      '[gd_scene format=3]\n[node name="A" name="B"]\n',
      "ERR_TSCN_SYNTAX",
      2,
      16,
      'Attribute "name" is given twice.',
    ],
  ])("%s is refused at its line:column", (_what, text, code, line, column, detail) => {
    expect(failure(text)).toMatchObject({ code, file: "t.tscn", line, column, detail });
  });
});
