import { toJson, Unrepresentable, type ResourceResolver } from "../../src/tscn/json";
import type { TscnValue } from "../../src/tscn/values";

const resources: ResourceResolver = { ext: (id) => `ext:${id}`, sub: (id) => `sub:${id}` };
const call = (name: string, ...args: TscnValue[]): TscnValue => ({ kind: "call", name, args });
const json = (value: TscnValue) => toJson(value, resources);

describe("toJson", () => {
  test("literals, StringName and NodePath as themselves", () => {
    expect([null, true, 3, "s"].map((v) => json(v))).toEqual([null, true, 3, "s"]);
    expect(json({ kind: "stringName", value: "walk" })).toBe("walk");
    expect(json({ kind: "nodePath", path: "../A:b" })).toBe("../A:b");
  });

  test("arrays and dictionaries recursively, keys as strings, with no prototype surprises", () => {
    const dict: TscnValue = {
      kind: "dictionary",
      typeArgs: null,
      entries: [
        [1, { kind: "array", elementType: null, items: [true, "x"] }],
        ["__proto__", 2],
      ],
    };
    const out = json(dict) as Record<string, unknown>;
    expect(out).toEqual(JSON.parse('{ "1": [true, "x"], "__proto__": 2 }'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("resources go through the resolver", () => {
    expect(json({ kind: "extResource", id: "1_a" })).toBe("ext:1_a");
    expect(json({ kind: "subResource", id: "G" })).toBe("sub:G");
  });

  test("vectors, colors, rects and transforms as plain objects", () => {
    expect(json(call("Vector2", 1, 2))).toEqual({ x: 1, y: 2 });
    expect(json(call("Color", 1, 0, 0))).toEqual({ r: 1, g: 0, b: 0, a: 1 });
    expect(json(call("Rect2", 0, 1, 2, 3))).toEqual({ position: { x: 0, y: 1 }, size: { x: 2, y: 3 } });
    expect(json(call("Plane", 0, 1, 0, 5))).toEqual({ normal: { x: 0, y: 1, z: 0 }, d: 5 });
    expect(json(call("Transform2D", 1, 0, 0, 1, 10, 20))).toEqual({
      x: { x: 1, y: 0 },
      y: { x: 0, y: 1 },
      origin: { x: 10, y: 20 },
    });
    expect(json(call("PackedVector2Array", 1, 2, 3, 4))).toEqual([
      { x: 1, y: 2 },
      { x: 3, y: 4 },
    ]);
    expect(json(call("PackedByteArray", "AQID"))).toEqual([1, 2, 3]);
    expect(json(call("PackedByteArray", 4, 5))).toEqual([4, 5]);
  });

  test.each<[string, TscnValue, RegExp]>([
    ["infinity", Infinity, /can't be written in JSON/],
    ["NaN inside a vector", call("Vector2", NaN, 1), /holding NaN/],
    ["a vector of the wrong size", call("Vector2", 1, 2, 3), /with 3 values/],
    ["a non-number in a vector", call("Vector2", "a", 1), /not a number/],
    ["a packed vector array cut short", call("PackedVector2Array", 1, 2, 3), /with 3 values/],
    ["Object(...)", { kind: "object", className: "Resource", entries: [] }, /Object\(Resource, \.\.\.\)/],
    ["an unknown constructor", call("Quaternion2", 1), /has no JSON form/],
    [
      "a dictionary key that is an array",
      { kind: "dictionary", typeArgs: null, entries: [[{ kind: "array", elementType: null, items: [] }, 1]] },
      /dictionary key/,
    ],
  ])("%s is Unrepresentable", (_what, value, message) => {
    expect(() => json(value)).toThrow(Unrepresentable);
    expect(() => json(value)).toThrow(message);
  });
});
