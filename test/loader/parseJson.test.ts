import { parseJsonWithPositions } from "../../src/loader/parseJson";
import { parseScene, SceneError } from "../../src";

describe("parseJsonWithPositions", () => {
  test("maps paths to line:column of the value or the key", () => {
    const result = parseJsonWithPositions('{\n  "a": [1,\n    {"b": true}]\n}');
    if (!result.ok) throw new Error("should parse");
    expect(result.source.positionOf(["a", 1, "b"])).toEqual({ line: 3, column: 11 });
    expect(result.source.positionOf(["a", 1, "b"], "key")).toEqual({ line: 3, column: 6 });
    expect(result.source.positionOf(["a", 1, "missing"])).toEqual({ line: 3, column: 5 });
  });

  test.each([
    ['{"a": 1,}', 1, 9],
    ['{"a": 1 // no comments\n}', 1, 9],
    ["{'a': 1}", 1, 2],
    ['{"a": 1}\n{"b": 2}', 2, 1],
    ["", 1, 1],
  ])("rejects %j at %d:%d", (text, line, column) => {
    const result = parseJsonWithPositions(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.position).toEqual({ line, column });
  });

  test("a raw tab inside a string is reported at the tab, saying how to write one", () => {
    const result = parseJsonWithPositions('{\n  "name": "Ma\tin"\n}');
    expect(result).toEqual({
      ok: false,
      position: { line: 2, column: 14 },
      message:
        'a tab or other control character inside a string (write a tab as \\t, a line break as \\n), found "\\t"',
    });
  });

  test("tolerates a byte order mark, and columns ignore it", () => {
    const result = parseJsonWithPositions('\uFEFF{"a": 1}');
    expect(result.ok && result.value).toEqual({ a: 1 });
    if (result.ok) expect(result.source.positionOf(["a"])).toEqual({ line: 1, column: 7 });
  });
});

describe("parseScene", () => {
  test("malformed JSON is one ERR_JSON_SYNTAX with line:column", () => {
    expect.assertions(2);
    try {
      parseScene('{\n  "format": 1\n  "root": {}\n}', { file: "inline.json" });
    } catch (error) {
      expect(error).toBeInstanceOf(SceneError);
      expect((error as SceneError).problems.map((p) => [p.code, p.file, p.line, p.column])).toEqual([
        ["ERR_JSON_SYNTAX", "inline.json", 3, 3],
      ]);
    }
  });

  test("a __proto__ key never reaches a prototype", () => {
    const text = '{"format": 1, "root": {"name": "R", "type": "Node", "props": {"__proto__": {"x": 1}}}}';
    expect(() => parseScene(text)).toThrow(/ERR_FORBIDDEN_KEY/);
    expect(({} as { x?: number }).x).toBeUndefined();
  });
});
