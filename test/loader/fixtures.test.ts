import * as path from "node:path";
import { loadScene, parseScene, SceneError, type SceneProblem } from "../../src";

const FIXTURES = path.join(__dirname, "..", "fixtures", "scenes");
const fixture = (name: string) => path.join(FIXTURES, name);

async function problemsOf(name: string): Promise<SceneProblem[]> {
  const error = await loadScene(fixture(name)).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof SceneError))
    throw new Error(`${name} should fail with a SceneError, got ${String(error)}`);
  return [...error.problems];
}

const brief = (p: SceneProblem) => ({
  code: p.code,
  file: path.basename(p.file),
  line: p.line,
  column: p.column,
  path: p.path,
});

describe("loadScene on broken scenes", () => {
  // One fixture per error kind: the exact code, line:column and JSON path of each problem.
  test.each([
    ["json-syntax.scene.json", "ERR_JSON_SYNTAX", 3, 42, ""],
    ["missing-type.scene.json", "ERR_SCHEMA", 3, 11, "root"],
    ["unsupported-format.scene.json", "ERR_UNSUPPORTED_FORMAT", 2, 13, "format"],
    ["unknown-property.scene.json", "ERR_UNKNOWN_PROPERTY", 7, 65, "root.children[0].props.waitTim"],
    ["wrong-type.scene.json", "ERR_WRONG_TYPE", 7, 61, "root.children[0].props.oneShot"],
    ["out-of-range.scene.json", "ERR_OUT_OF_RANGE", 8, 62, "root.children[1].props.waitTime"],
    ["invalid-value.scene.json", "ERR_INVALID_VALUE", 3, 71, "root.props.processMode"],
    ["invalid-name.scene.json", "ERR_INVALID_NAME", 3, 68, "root.children[0].name"],
    ["unknown-type.scene.json", "ERR_UNKNOWN_TYPE", 6, 41, "root.children[0].type"],
    ["duplicate-name.scene.json", "ERR_DUPLICATE_NAME", 8, 17, "root.children[1].name"],
    ["missing-instance.scene.json", "ERR_MISSING_FILE", 6, 32, "root.children[0].instance"],
    ["missing-script.scene.json", "ERR_MISSING_FILE", 3, 15, "scripts[0]"],
    ["throwing-script.scene.json", "ERR_SCRIPT_LOAD", 3, 15, "scripts[0]"],
    ["outside-script.scene.json", "ERR_SCRIPT_LOAD", 3, 15, "scripts[0]"],
  ])("%s → %s at %d:%d %s", async (name, code, line, column, jsonPath) => {
    expect((await problemsOf(name)).map(brief)).toEqual([{ code, file: name, line, column, path: jsonPath }]);
  });

  test("the SceneError repeats its first problem's location", async () => {
    const error = (await loadScene(fixture("unknown-type.scene.json")).catch(
      (e: unknown) => e,
    )) as SceneError;
    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.line, error.column, error.path]).toEqual([
      "ERR_UNKNOWN_TYPE",
      6,
      41,
      "root.children[0].type",
    ]);
    expect(error.file).toBe(fixture("unknown-type.scene.json"));
    expect(error.problems[0].hint).toContain('Did you mean "Timer"?');
    expect(error.message).toContain("unknown-type.scene.json:6:41  root.children[0].type  ERR_UNKNOWN_TYPE");
  });

  test("did-you-mean for an unknown property", async () => {
    const [problem] = await problemsOf("unknown-property.scene.json");
    expect(problem.message).toBe('Unknown property "waitTim" in Timer props.');
    expect(problem.hint).toMatch(/^Did you mean "waitTime"\? Known properties: processMode, /);
  });

  test("NodePath props must point at a node of the scene, written relative", async () => {
    expect((await problemsOf("bad-node-path.scene.json")).map(brief)).toEqual([
      {
        code: "ERR_BAD_NODE_PATH",
        file: "bad-node-path.scene.json",
        line: 8,
        column: 62,
        path: "root.children[0].props.target",
      },
      {
        code: "ERR_BAD_NODE_PATH",
        file: "bad-node-path.scene.json",
        line: 9,
        column: 62,
        path: "root.children[1].props.target",
      },
    ]);
  });

  test("connections: missing node, missing signal, missing method", async () => {
    const problems = await problemsOf("bad-connection.scene.json");
    expect(problems.map(brief)).toEqual([
      {
        code: "ERR_BAD_CONNECTION",
        file: "bad-connection.scene.json",
        line: 9,
        column: 15,
        path: "connections[0].from",
      },
      {
        code: "ERR_BAD_CONNECTION",
        file: "bad-connection.scene.json",
        line: 10,
        column: 30,
        path: "connections[1].signal",
      },
      {
        code: "ERR_BAD_CONNECTION",
        file: "bad-connection.scene.json",
        line: 11,
        column: 62,
        path: "connections[2].method",
      },
    ]);
    expect(problems[1].hint).toMatch(/^Did you mean "timeout"\?/);
  });

  test("an instance cycle is reported where it closes", async () => {
    expect((await problemsOf("cycle-a.scene.json")).map(brief)).toEqual([
      {
        code: "ERR_INSTANCE_CYCLE",
        file: "cycle-b.scene.json",
        line: 6,
        column: 32,
        path: "root.children[0].instance",
      },
    ]);
  });

  test("every problem of a file is reported at once, in file order", async () => {
    expect(
      (await problemsOf("many-errors.scene.json")).map((p) => [p.code, p.line, p.column, p.path]),
    ).toEqual([
      ["ERR_OUT_OF_RANGE", 7, 62, "root.children[0].props.waitTime"],
      ["ERR_WRONG_TYPE", 7, 77, "root.children[0].props.oneShot"],
      ["ERR_UNKNOWN_TYPE", 8, 30, "root.children[1].type"],
      ["ERR_DUPLICATE_NAME", 9, 17, "root.children[2].name"],
      ["ERR_UNKNOWN_PROPERTY", 9, 38, "root.children[2].colour"],
      ["ERR_BAD_CONNECTION", 12, 44, "connections[0].signal"],
    ]);
  });

  test("keys that could reach a prototype are refused and never applied", async () => {
    expect(
      (await problemsOf("forbidden-key.scene.json")).map((p) => [p.code, p.line, p.column, p.path]),
    ).toEqual([
      ["ERR_FORBIDDEN_KEY", 6, 16, "root.props.__proto__"],
      ["ERR_FORBIDDEN_KEY", 7, 49, "root.children[0].constructor"],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("no script of a file that failed validation is imported", async () => {
    const flags = globalThis as { sideEffectRan?: boolean };
    delete flags.sideEffectRan;
    const problems = await problemsOf("invalid-with-script.scene.json");
    // The unknown type might come from the script, so only the props problem is known without it.
    expect(problems.map((p) => [p.code, p.path])).toEqual([["ERR_INVALID_VALUE", "root.props.processMode"]]);
    expect(flags.sideEffectRan).toBeUndefined();
  });

  test("a missing scene file", async () => {
    expect((await problemsOf("nope.scene.json")).map(brief)).toEqual([
      { code: "ERR_MISSING_FILE", file: "nope.scene.json", line: 1, column: 1, path: "" },
    ]);
  });
});

describe("scene-file thresholds", () => {
  test("every bad threshold is a problem at its expression (or metric key), with the threshold's code", async () => {
    const problems = await problemsOf("bad-thresholds.scene.json");
    expect(problems.map(brief)).toEqual([
      {
        code: "ERR_INVALID_VALUE",
        file: "bad-thresholds.scene.json",
        line: 5,
        column: 36,
        path: "thresholds.ws_connecting[1]",
      },
      {
        code: "ERR_INVALID_VALUE",
        file: "bad-thresholds.scene.json",
        line: 6,
        column: 21,
        path: "thresholds.ws_sessions[0]",
      },
      {
        code: "ERR_INVALID_VALUE",
        file: "bad-thresholds.scene.json",
        line: 7,
        column: 5,
        path: 'thresholds["9lives"]',
      },
      {
        code: "ERR_WRONG_TYPE",
        file: "bad-thresholds.scene.json",
        line: 8,
        column: 18,
        path: "thresholds.join_time",
      },
    ]);
    expect(problems[0].message).toBe(
      'Threshold "p(95<500" of "ws_connecting": ERR_THRESHOLD_METHOD: Unknown aggregation method "p(95": use count, rate, value, avg, min, max, med or p(N). Did you mean p(95)?',
    );
    expect(problems[1].message).toContain(
      "ERR_THRESHOLD_UNSUPPORTED: ws_sessions is a counter: it has no p(99).",
    );
    expect(problems[2].message).toContain("ERR_THRESHOLD_METRIC");
  });

  test("valid thresholds reach the PackedScene as written; a scene without has none", async () => {
    const scene = parseScene(
      JSON.stringify({
        format: 1,
        root: { name: "Main", type: "Node" },
        thresholds: { ws_connecting: ["p(95)<500"], "join_time{room:lobby}": ["max<300", "med<100"] },
      }),
    );
    expect(scene.thresholds).toEqual({
      ws_connecting: ["p(95)<500"],
      "join_time{room:lobby}": ["max<300", "med<100"],
    });
    expect((await loadScene(fixture("forever.scene.json"))).thresholds).toEqual({});
  });
});
