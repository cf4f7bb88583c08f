import { parseTscnDocument } from "../../src/tscn/document";
import { toJson } from "../../src/tscn/json";
import { snakeToCamel, fileNameToPascal } from "../../src/tscn/naming";
import type { TscnValue } from "../../src/tscn/values";

const resources = {
  ext: (id: string) => ({ ext: id }),
  sub: (id: string) => ({ sub: id }),
};

/** Parses `key = <value>` inside a minimal scene and returns the value. */
function value(text: string, format = 3): TscnValue {
  const doc = parseTscnDocument(
    `[gd_scene format=${format}]\n\n[node name="A" type="Node"]\nkey = ${text}\n`,
    "t.tscn",
  );
  return doc.sections[0].props[0].value;
}

const json = (text: string) => toJson(value(text), resources);

describe("values", () => {
  // Reduced from qarmin/The-worst-Godot-test-project, MainScenes/2DALL.tscn (format=2, written by a
  // Godot 4.0 development build): a SpriteFrames' animations, the name a `@"..."` StringName.
  test('@"x" StringNames inside a format=2 value (a Godot 4.0 development build)', () => {
    const text =
      '[ {\n"frames": [ ExtResource( 5 ) ],\n"loop": true,\n"name": @"New Anim",\n"speed": 5.0\n} ]';
    expect(toJson(value(text, 2), resources)).toEqual([
      { frames: [{ ext: "5" }], loop: true, name: "New Anim", speed: 5 },
    ]);
  });

  test.each([
    ["true", true],
    ["false", false],
    ["null", null],
    ["42", 42],
    ["-7", -7],
    ["0.25", 0.25],
    ["1e-05", 1e-5],
    ['"a \\"q\\" \\\\ \\n \\t \\u00e9"', 'a "q" \\ \n \t é'],
    ['&"walk"', "walk"],
    ['NodePath("../A:prop")', "../A:prop"],
    ["Vector2(1, -2.5)", { x: 1, y: -2.5 }],
    ["Vector2( 1, 2 )", { x: 1, y: 2 }],
    ["Vector3i(1, 2, 3)", { x: 1, y: 2, z: 3 }],
    ["Color(1, 0.5, 0, 1)", { r: 1, g: 0.5, b: 0, a: 1 }],
    ["Rect2(0, 0, 32, 16)", { position: { x: 0, y: 0 }, size: { x: 32, y: 16 } }],
    ['PoolStringArray( "a", "b" )', ["a", "b"]],
    ['PackedStringArray("a", "b")', ["a", "b"]],
    [
      "PackedVector2Array(0, 1, 2, 3)",
      [
        { x: 0, y: 1 },
        { x: 2, y: 3 },
      ],
    ],
    ['PackedByteArray("AQID")', [1, 2, 3]],
    ["[ 1, [ 2 ], {} ]", [1, [2], {}]],
    ["Array[int]([1, 2, 3])", [1, 2, 3]],
    ['Array[ExtResource("1_x")]([])', []],
    ['Dictionary[String, int]({"a": 1})', { a: 1 }],
    ['{\n"k": "v",\n"n": {\n"deep": [ 1, 2 ]\n}\n}', { k: "v", n: { deep: [1, 2] } }],
    ["ExtResource( 1 )", { ext: "1" }],
    ['ExtResource("1_abc")', { ext: "1_abc" }],
    ['SubResource("Gradient_x")', { sub: "Gradient_x" }],
  ])("%s", (text, expected) => {
    expect(json(text)).toEqual(expected);
  });

  test("inf, -inf, inf_neg and nan are read, and refused as JSON", () => {
    expect(value("inf")).toBe(Infinity);
    expect(value("-inf")).toBe(-Infinity);
    expect(value("inf_neg")).toBe(-Infinity);
    expect(value("nan")).toBeNaN();
    expect(() => json("inf")).toThrow("can't be written in JSON");
    expect(() => json("Vector2(inf, 0)")).toThrow("holding Infinity");
  });

  test("an integer past 2^53 is read as written, and refused as JSON instead of rounded", () => {
    expect(value("9007199254740993")).toEqual({ kind: "bigInteger", text: "9007199254740993" });
    expect(() => json("9007199254740993")).toThrow(
      "9007199254740993 is an integer a JSON number can't hold exactly (it would become 9007199254740992)",
    );
    expect(() => json("[1, -1234567890123456789]")).toThrow("-1234567890123456789 is an integer");
    expect(() => json("PackedInt64Array(1, 9007199254740995)")).toThrow("9007199254740995 is an integer");
    // what a double holds exactly stays a number, however large
    expect(value("9007199254740992")).toBe(2 ** 53);
    expect(value("-9223372036854775808")).toBe(-(2 ** 63));
    expect(value("1e300")).toBe(1e300);
    expect(value("ExtResource( 12345678901234567890 )")).toEqual({
      kind: "extResource",
      id: "12345678901234567890",
    });
  });

  test("Object(...) is read (Godot 4) but has no JSON form", () => {
    expect(value('Object(InputEventKey,"resource_local_to_scene":false,"keycode":65)')).toEqual({
      kind: "object",
      className: "InputEventKey",
      entries: [
        ["resource_local_to_scene", false],
        ["keycode", 65],
      ],
    });
    expect(() => json("Object(InputEventKey)")).toThrow("no JSON form");
  });

  test("a string may span lines, and the next property's line number is still right", () => {
    const doc = parseTscnDocument(
      '[gd_scene format=2]\n[node name="A" type="Node"]\na = "x\ny"\nb = 1 ; comment\n',
      "t.tscn",
    );
    const props = doc.sections[0].props;
    expect(props.map((p) => [p.key, p.value, p.line])).toEqual([
      ["a", "x\ny", 3],
      ["b", 1, 5],
    ]);
  });

  test("keys with / and quoted keys; comments anywhere between statements", () => {
    const doc = parseTscnDocument(
      '; leading comment\n[gd_scene format=3]\n; between\n[node name="A" type="Node"] ; after a header\ncustom_colors/font_color = Color(1, 1, 1, 1)\n"metadata/odd key" = 2\n',
      "t.tscn",
    );
    expect(doc.sections[0].props.map((p) => [p.key, p.line])).toEqual([
      ["custom_colors/font_color", 5],
      ["metadata/odd key", 6],
    ]);
  });
});

describe("names", () => {
  test.each([
    ["wait_time", "waitTime"],
    ["tree_entered", "treeEntered"],
    ["_on_Timer_timeout", "_onTimerTimeout"],
    ["_ready", "_ready"],
    ["autostart", "autostart"],
  ])("%s → %s", (snake, camel) => expect(snakeToCamel(snake)).toBe(camel));

  test("file names as class names", () => {
    expect(fileNameToPascal("websocket_client.gd")).toBe("WebsocketClient");
    expect(fileNameToPascal("websocket.gd")).toBe("Websocket");
  });
});
