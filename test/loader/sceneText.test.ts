import { DEFAULT_SCENE_LIMITS, type SceneLimits } from "../../src/loader/limits";
import { ReportBudget } from "../../src/loader/problems";
import { SceneError } from "../../src/loader/SceneError";
import { parseSceneText } from "../../src/loader/sceneText";

/** One scene file's text to JSON plus the files it names (src/loader/sceneText.ts). */
describe("parseSceneText", () => {
  const parse = (text: string, limits: Partial<SceneLimits> = {}, quote = true) =>
    parseSceneText(
      text,
      "main.scene.json",
      { ...DEFAULT_SCENE_LIMITS, ...limits },
      {
        quote,
        report: new ReportBudget(),
      },
    );

  function failure(run: () => unknown): SceneError {
    try {
      run();
    } catch (error) {
      if (error instanceof SceneError) return error;
      throw error;
    }
    throw new Error("did not throw");
  }

  test("collects instances in file order, editable children included, placeholders apart", () => {
    const parsed = parse(
      JSON.stringify({
        format: 1,
        root: {
          name: "Main",
          type: "Node",
          children: [
            { name: "A", instance: "a.scene.json" },
            {
              name: "B",
              instance: "b.scene.json",
              editable: { "Body/Gun": { children: [{ name: "Scope", instance: "scope.scene.json" }] } },
              children: [{ name: "Later", instance: "later.scene.json" }],
            },
            { name: "P", instance: "big.scene.json", placeholder: true },
            { name: "Empty", instance: "" },
          ],
        },
        scripts: ["types.js", 3, ""],
      }),
    );
    expect(parsed.instances).toEqual([
      { ref: "a.scene.json", at: ["root", "children", 0, "instance"] },
      { ref: "b.scene.json", at: ["root", "children", 1, "instance"] },
      {
        ref: "scope.scene.json",
        at: ["root", "children", 1, "editable", "Body/Gun", "children", 0, "instance"],
      },
      { ref: "later.scene.json", at: ["root", "children", 1, "children", 0, "instance"] },
    ]);
    expect(parsed.placeholders).toEqual([{ ref: "big.scene.json", at: ["root", "children", 2, "instance"] }]);
    expect(parsed.scripts).toEqual([{ ref: "types.js", at: ["scripts", 0] }]);
    expect(parsed.problems.items).toEqual([]);
  });

  test("JSON that is not an object yields no references and no throw", () => {
    for (const text of ["null", "[1,2]", '"x"']) {
      const parsed = parse(text);
      expect([parsed.instances, parsed.placeholders, parsed.scripts]).toEqual([[], [], []]);
    }
  });

  test("a syntax error is ERR_JSON_SYNTAX at its line and column", () => {
    const error = failure(() => parse('{\n  "format": 1,\n  "root": }'));
    expect(error.code).toBe("ERR_JSON_SYNTAX");
    expect([error.file, error.line, error.column]).toEqual(["main.scene.json", 3, 11]);
  });

  test("too big or too deep is ERR_LIMIT before parsing, the depth at its place", () => {
    const big = failure(() => parse(`{"format":1,"root":"${"x".repeat(200)}"}`, { maxFileBytes: 100 }));
    expect(big.code).toBe("ERR_LIMIT");
    // Multi-byte characters count in bytes, not in UTF-16 units.
    const wide = failure(() => parse(`"${"é".repeat(60)}"`, { maxFileBytes: 100 }));
    expect(wide.code).toBe("ERR_LIMIT");
    expect(parse(`"${"e".repeat(60)}"`, { maxFileBytes: 100 }).raw).toBe("e".repeat(60));
    const deep = failure(() => parse('\uFEFF{\n"a": [[[[1]]]]}', { maxJsonNesting: 3 }));
    expect(deep.code).toBe("ERR_LIMIT");
    expect([deep.line, deep.column]).toEqual([2, 8]);
    expect(deep.message).toContain("3");
  });
});
