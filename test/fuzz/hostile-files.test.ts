import * as fc from "fast-check";
import * as path from "node:path";
import { DEFAULT_SCENE_LIMITS } from "../../src/loader/limits";
import { loadScene, parseScene, registerNodeType, SceneError, unregisterNodeType } from "../../src";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { CHAOS_SEED, scaled } from "../helpers/chaos";
import {
  makeSceneSandbox,
  nestedSceneText,
  prototypeSnapshot,
  type SceneSandbox,
} from "../helpers/hostileScenes";

/**
 * Scene files built to hurt: extreme nesting and width, instance cycles and bombs, paths out of the
 * project, scripts outside it, forbidden keys, malformed JSON. Each ends in a SceneError with a clear
 * code and place, or a correct tree; never a crash, a hang or a polluted prototype.
 */

const FILE = path.join(__dirname, "hostile.scene.json");

function refusal(run: () => unknown): SceneError {
  try {
    run();
  } catch (error) {
    if (error instanceof SceneError) return error;
    throw error;
  }
  throw new Error("expected a SceneError");
}

async function refusalOf(promise: Promise<unknown>): Promise<SceneError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SceneError) return error;
    throw error;
  }
  throw new Error("expected a SceneError");
}

const marker = globalThis as { __scenetreeOutsideImported?: number };
const before = prototypeSnapshot();

afterAll(() => {
  expect(prototypeSnapshot()).toEqual(before);
  expect(marker.__scenetreeOutsideImported).toBeUndefined();
});

describe("size and depth", () => {
  test("10,000 levels of nesting: ERR_LIMIT at the line:column where it goes too deep, not a stack overflow", () => {
    const text = nestedSceneText(10_000);
    const error = refusal(() => parseScene(text, { file: FILE }));
    expect(error.problems).toHaveLength(1);
    expect(error).toMatchObject({ code: "ERR_LIMIT", line: 1 });
    // The opening bracket of level 2,101: nothing past it was looked at.
    let depth = 0;
    let offset = 0;
    for (; offset < text.length && depth <= DEFAULT_SCENE_LIMITS.maxJsonNesting; offset++)
      if (text[offset] === "{" || text[offset] === "[") depth++;
      else if (text[offset] === "}" || text[offset] === "]") depth--;
    expect(error.column).toBe(offset);
    expect(error.message).toMatch(/nested deeper than 2100 levels/);
  });

  test("JSON nested 100,000 deep inside a prop (and unterminated): ERR_LIMIT, not a crash", () => {
    const text = `{"format":1,"root":{"name":"R","type":"Node","props":{"x":${"[".repeat(100_000)}`;
    expect(refusal(() => parseScene(text, { file: FILE })).code).toBe("ERR_LIMIT");
  });

  test(`nodes nested just past maxDepth (${DEFAULT_SCENE_LIMITS.maxDepth}): ERR_LIMIT at the node's path`, () => {
    const error = refusal(() =>
      parseScene(nestedSceneText(DEFAULT_SCENE_LIMITS.maxDepth + 1), { file: FILE }),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.code).toBe("ERR_LIMIT");
    expect(error.path).toMatch(/^root(\.children\[0\]){1000}$/);
  });

  test(`nodes nested exactly maxDepth deep: the correct tree, which enters and leaves a SceneTree`, () => {
    const root = parseScene(nestedSceneText(DEFAULT_SCENE_LIMITS.maxDepth), { file: FILE }).instantiate();
    const tree = new SceneTree({ fatalErrors: true });
    tree.root.addChild(root);
    tree.step(1 / 60);
    let depth = 1;
    for (let node = root; node.getChildCount() > 0; node = node.getChild(0)!) depth++;
    expect(depth).toBe(DEFAULT_SCENE_LIMITS.maxDepth);
    tree.finalize();
  });

  test("100,000 siblings: the correct tree", () => {
    const children = Array.from({ length: 100_000 }, (_, i) => ({ name: `N${i}`, type: "Node" }));
    const root = parseScene(JSON.stringify({ format: 1, root: { name: "R", type: "Node", children } }), {
      file: FILE,
    }).instantiate();
    expect(root.getChildCount()).toBe(100_000);
    expect(root.getChild(99_999)!.name).toBe("N99999");
    root.free();
  });

  test("more nodes than maxNodes, or a file larger than maxFileBytes: ERR_LIMIT (limits are options)", () => {
    const children = Array.from({ length: 50 }, (_, i) => ({ name: `N${i}`, type: "Node" }));
    const text = JSON.stringify({ format: 1, root: { name: "R", type: "Node", children } });
    expect(refusal(() => parseScene(text, { file: FILE, limits: { maxNodes: 10 } })).message).toMatch(
      /more than 10 nodes/,
    );
    expect(refusal(() => parseScene(text, { file: FILE, limits: { maxFileBytes: 100 } })).message).toMatch(
      /larger than 100 bytes/,
    );
    expect(
      parseScene(text, { file: FILE, limits: { maxNodes: 51 } })
        .instantiate()
        .getChildCount(),
    ).toBe(50);
  });
});

describe("files on disk", () => {
  let box: SceneSandbox;
  beforeEach(() => (box = makeSceneSandbox()));
  afterEach(() => box.dispose());

  const node = (name: string, extra: object = {}) => ({ name, type: "Node", ...extra });
  const outsideModule =
    "globalThis.__scenetreeOutsideImported = (globalThis.__scenetreeOutsideImported || 0) + 1;\n";

  test("an instance cycle (a → b → a) is ERR_INSTANCE_CYCLE, not a hang", async () => {
    box.write("project/a.scene.json", {
      format: 1,
      root: node("A", { children: [{ instance: "./b.scene.json" }] }),
    });
    box.write("project/b.scene.json", {
      format: 1,
      root: node("B", { children: [{ instance: "./a.scene.json" }] }),
    });
    const error = await refusalOf(loadScene(path.join(box.project, "a.scene.json")));
    expect(error.problems.map((p) => p.code)).toContain("ERR_INSTANCE_CYCLE");
  });

  test("an instance bomb (8 levels of 20 instances each: 2.5e10 nodes) is ERR_LIMIT before anything is built", async () => {
    let built = 0;
    class CountedLeaf extends Node {
      constructor() {
        super();
        built++;
      }
    }
    registerNodeType("CountedLeaf", CountedLeaf);
    box.write("project/s0.scene.json", { format: 1, root: { name: "Leaf", type: "CountedLeaf" } });
    for (let level = 1; level <= 8; level++) {
      const children = Array.from({ length: 20 }, (_, i) => ({
        name: `I${i}`,
        instance: `./s${level - 1}.scene.json`,
      }));
      box.write(`project/s${level}.scene.json`, { format: 1, root: node(`S${level}`, { children }) });
    }
    try {
      const error = await refusalOf(loadScene(path.join(box.project, "s8.scene.json")));
      expect(error.problems.map((p) => [p.code, path.basename(p.file)])).toEqual([
        ["ERR_LIMIT", "s5.scene.json"],
      ]);
      expect(error.problems[0].message).toMatch(/more than 250000 nodes/);
      expect(built).toBe(0);
    } finally {
      unregisterNodeType("CountedLeaf");
    }
  });

  test("deep sub-scenes stacked past maxDepth together are ERR_LIMIT (depth counts through instances)", async () => {
    const half = Math.ceil(DEFAULT_SCENE_LIMITS.maxDepth / 2) + 1;
    box.write("project/deep.scene.json", nestedSceneText(half));
    const outer = nestedSceneText(half).replace(
      '{"name":"Leaf","type":"Node"}',
      '{"instance":"./deep.scene.json"}',
    );
    box.write("project/outer.scene.json", outer);
    const error = await refusalOf(loadScene(path.join(box.project, "outer.scene.json")));
    expect(error.code).toBe("ERR_LIMIT");
  });

  test.each([
    ["climbing out with ../", "../outside/sub.scene.json"],
    ["an absolute path", "ABSOLUTE"],
    ["a symlink inside the project pointing out", "./linked.scene.json"],
  ])(
    "with confineInstancesToProject, an instance path outside the project (%s) is ERR_OUTSIDE_PROJECT",
    async (_what, ref) => {
      const sub = box.write("outside/sub.scene.json", { format: 1, root: node("Sub") });
      box.link("project/linked.scene.json", sub);
      const instance = ref === "ABSOLUTE" ? sub : ref;
      box.write("project/main.scene.json", { format: 1, root: node("Main", { children: [{ instance }] }) });
      const main = path.join(box.project, "main.scene.json");
      const error = await refusalOf(loadScene(main, { confineInstancesToProject: true }));
      expect(error.problems.map((p) => p.code)).toEqual(["ERR_OUTSIDE_PROJECT"]);
      expect((await loadScene(main)).instantiate().getChild(0)!.name).toBe("Sub"); // allowed by default
      expect(error.path).toBe("root.children[0].instance");
    },
  );

  test.each([
    ["climbing out with ../", "../outside/evil.js"],
    ["a symlink inside the project pointing out", "./evil-link.js"],
  ])("a script outside the project (%s) is refused and never runs", async (_what, ref) => {
    const evil = box.write("outside/evil.js", outsideModule);
    box.link("project/evil-link.js", evil);
    box.write("project/main.scene.json", { format: 1, scripts: [ref], root: node("Main") });
    const error = await refusalOf(loadScene(path.join(box.project, "main.scene.json")));
    expect(error.code).toBe("ERR_SCRIPT_LOAD");
    expect(error.message).toMatch(/outside the scene's project folder/);
    expect(marker.__scenetreeOutsideImported).toBeUndefined();
  });

  test("a sub-scene from outside the project cannot bring its own folder's scripts along", async () => {
    box.write("outside/evil.js", outsideModule);
    box.write("outside/sub.scene.json", { format: 1, scripts: ["./evil.js"], root: node("Sub") });
    box.write("project/main.scene.json", {
      format: 1,
      root: node("Main", { children: [{ instance: "../outside/sub.scene.json" }] }),
    });
    const error = await refusalOf(loadScene(path.join(box.project, "main.scene.json")));
    expect(error.code).toBe("ERR_SCRIPT_LOAD");
    expect(marker.__scenetreeOutsideImported).toBeUndefined();
  });

  test("a file larger than maxFileBytes is refused", async () => {
    const file = box.write("project/big.scene.json", " ".repeat(4096));
    const error = await refusalOf(loadScene(file, { limits: { maxFileBytes: 1024 } }));
    expect(error).toMatchObject({ code: "ERR_LIMIT", line: 1, column: 1 });
  });
});

describe("forbidden keys", () => {
  test.each(["__proto__", "constructor", "prototype"])(
    "%s anywhere (top level, node, props, nested values, connections) is ERR_FORBIDDEN_KEY and pollutes nothing",
    (key) => {
      const bad = `"${key}": { "polluted": true, "toString": 1 }`;
      const text = `{ "format": 1, ${bad},
        "root": { "name": "R", "type": "Timer", ${bad},
          "props": { ${bad}, "waitTime": 1 },
          "children": [ { "name": "C", "type": "Node", "groups": ["g"], ${bad} } ] },
        "connections": [ { ${bad}, "from": ".", "signal": "timeout", "to": ".", "method": "stop", "binds": [{ ${bad} }] } ] }`;
      const error = refusal(() => parseScene(text, { file: FILE }));
      expect(error.problems.map((p) => p.code)).toEqual(new Array(6).fill("ERR_FORBIDDEN_KEY"));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(prototypeSnapshot()).toEqual(before);
    },
  );
});

describe(`malformed JSON: exactly one ERR_JSON_SYNTAX with line:column (seed ${CHAOS_SEED})`, () => {
  const valid = JSON.stringify(
    {
      format: 1,
      root: { name: "Main", type: "Node", children: [{ name: "T", type: "Timer", props: { waitTime: 2 } }] },
    },
    null,
    2,
  );

  /** One problem, ERR_JSON_SYNTAX, at a line:column that exists in the text. */
  function expectOneSyntaxError(text: string): SceneError {
    const error = refusal(() => parseScene(text, { file: FILE }));
    expect(error.problems).toHaveLength(1);
    expect(error.code).toBe("ERR_JSON_SYNTAX");
    const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lines.length);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.column).toBeLessThanOrEqual(lines[error.line - 1].length + 1);
    expect(error.message).toMatch(/Invalid JSON: .+/);
    return error;
  }

  test("truncated at every offset", () => {
    for (let cut = 0; cut < valid.length; cut++) expectOneSyntaxError(valid.slice(0, cut));
  });

  test("truncated after a byte order mark", () => {
    for (let cut = 1; cut < valid.length; cut += 7) expectOneSyntaxError("\uFEFF" + valid.slice(0, cut));
    expect(parseScene("\uFEFF" + valid, { file: FILE }).instantiate().name).toBe("Main"); // a BOM alone is fine
  });

  test("a trailing comma points at the character after it", () => {
    const text = valid.replace('"waitTime": 2', '"waitTime": 2,');
    const error = expectOneSyntaxError(text);
    const line = text.split("\n").findIndex((l) => l.includes('"waitTime": 2,')) + 2; // the closing brace
    expect(error.line).toBe(line);
  });

  test("a byte order mark in the middle, comments, single quotes, NaN: one error each", () => {
    expectOneSyntaxError(valid.replace('"Main"', '\uFEFF"Main"'));
    expectOneSyntaxError(valid.replace('"format": 1,', '"format": 1, // comment'));
    expectOneSyntaxError(valid.replace('"Main"', "'Main'"));
    expectOneSyntaxError(valid.replace("2", "NaN"));
  });

  test(`${scaled(500, 5000)} binary garbage and random splices: one error with a valid line:column`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .uint8Array({ minLength: 1, maxLength: 200 })
            .map((bytes) => Buffer.from(bytes).toString("latin1")),
          fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString("utf8")),
          fc
            .tuple(fc.nat(valid.length), fc.string({ minLength: 1, maxLength: 5 }))
            .map(([at, junk]) => valid.slice(0, at) + junk + valid.slice(at)),
        ),
        (text) => {
          let validJson = true;
          try {
            JSON.parse(text.replace(/^\uFEFF/, ""));
          } catch {
            validJson = false;
          }
          if (!validJson) expectOneSyntaxError(text);
          else {
            try {
              parseScene(text, { file: FILE }).instantiate().free();
            } catch (error) {
              if (!(error instanceof SceneError)) throw error;
            }
          }
        },
      ),
      { seed: CHAOS_SEED, numRuns: scaled(500, 5000) },
    );
  });
});
