import * as path from "node:path";
import { formatProblem, loadScene, SceneError, unregisterNodeType, type Node } from "../../src";
import { loadSceneSync } from "../../src/loader/loadScene";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

/**
 * No user code runs from an invalid scene, sub-scenes included: every file of the graph is checked as
 * far as it can be without scripts before any script is imported; then everything is checked again.
 */

const LOADER = path.join(__dirname, "..", "..", "src", "loader");
const NODE = path.join(__dirname, "..", "..", "src", "scene", "Node");
const ran = globalThis as { scriptsRan?: string[] };

/** A script that records that it ran and registers `type` (a plain Node subclass) when given. */
function script(name: string, type?: string): string {
  const register = type
    ? `const { Node } = require(${JSON.stringify(NODE)});
       const { registerNodeType } = require(${JSON.stringify(LOADER)});
       class ${type} extends Node {}
       registerNodeType(${JSON.stringify(type)}, ${type});`
    : "";
  return `(globalThis.scriptsRan ??= []).push(${JSON.stringify(name)});\n${register}\n`;
}

async function problemsOf(file: string): Promise<Array<[string, string, string]>> {
  const error = await loadScene(file).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof SceneError)) throw new Error(`expected a SceneError, got ${String(error)}`);
  return error.problems.map((p) => [p.code, path.basename(p.file), p.path]);
}

let box: SceneSandbox;
beforeEach(() => {
  box = makeSceneSandbox();
  delete ran.scriptsRan;
});
afterEach(() => {
  box.dispose();
  for (const type of ["GraphBot", "SubBot", "TopBot", "TscnButton", "TscnReceiver"]) unregisterNodeType(type);
});

test("a sub-scene's scripts do not run when the scene instancing it is invalid", async () => {
  box.write("project/sub.js", script("sub", "SubBot"));
  box.write("project/sub.scene.json", {
    format: 1,
    scripts: ["./sub.js"],
    root: { name: "Sub", type: "SubBot" },
  });
  box.write("project/top.scene.json", {
    format: 1,
    root: {
      name: "Top",
      type: "Timer",
      props: { waitTime: -1 },
      children: [{ instance: "./sub.scene.json" }],
    },
  });
  expect(await problemsOf(path.join(box.project, "top.scene.json"))).toEqual([
    ["ERR_OUT_OF_RANGE", "top.scene.json", "root.props.waitTime"],
  ]);
  expect(ran.scriptsRan).toBeUndefined();
});

test("the top-level scene's scripts do not run when a sub-scene is invalid", async () => {
  box.write("project/top.js", script("top", "TopBot"));
  box.write("project/sub.scene.json", { format: 1, root: { name: "Sub", type: "Node", props: { nope: 1 } } });
  box.write("project/top.scene.json", {
    format: 1,
    scripts: ["./top.js"],
    root: { name: "Top", type: "TopBot", children: [{ instance: "./sub.scene.json" }] },
  });
  expect(await problemsOf(path.join(box.project, "top.scene.json"))).toEqual([
    ["ERR_UNKNOWN_PROPERTY", "sub.scene.json", "root.props.nope"],
  ]);
  expect(ran.scriptsRan).toBeUndefined();
});

test("a valid graph: sub-scenes' scripts run first, each module once, and every file may use their types", async () => {
  box.write("project/sub.js", script("sub", "SubBot"));
  box.write("project/top.js", script("top", "TopBot"));
  box.write("project/sub.scene.json", {
    format: 1,
    scripts: ["./sub.js"],
    root: { name: "Sub", type: "SubBot", children: [{ name: "T", type: "TopBot" }] },
  });
  box.write("project/top.scene.json", {
    format: 1,
    scripts: ["./top.js", "./sub.js"],
    root: {
      name: "Top",
      type: "TopBot",
      children: [{ instance: "./sub.scene.json" }, { instance: "./sub.scene.json", name: "Sub2" }],
    },
  });
  const packed = await loadScene(path.join(box.project, "top.scene.json"));
  expect(ran.scriptsRan).toEqual(["sub", "top"]);
  expect(packed.scripts).toEqual([path.join(box.project, "top.js"), path.join(box.project, "sub.js")]);
  const root = packed.instantiate();
  expect(root.getNode("Sub2/T").constructor.name).toBe("TopBot");
  root.free();
});

test("after the scripts, every problem of every file is reported at once", async () => {
  box.write("project/bots.js", script("bots", "GraphBot"));
  box.write("project/sub.scene.json", {
    format: 1,
    root: { name: "Sub", type: "GraphBot", props: { speed: 1 } },
  });
  box.write("project/top.scene.json", {
    format: 1,
    scripts: ["./bots.js"],
    root: {
      name: "Top",
      type: "GraphBot",
      children: [{ name: "Typo", type: "GrahpBot" }, { instance: "./sub.scene.json" }],
    },
  });
  expect(await problemsOf(path.join(box.project, "top.scene.json"))).toEqual([
    ["ERR_UNKNOWN_TYPE", "top.scene.json", "root.children[0].type"],
    ["ERR_UNKNOWN_PROPERTY", "sub.scene.json", "root.props.speed"],
  ]);
  expect(ran.scriptsRan).toEqual(["bots"]);
});

/**
 * A scene's scripts register `TscnButton` (a node with a `pressed` signal) and `TscnReceiver` (with
 * `onTick`), as `scenetree import --scripts` leaves them for a scene whose sub-scene is a `.tscn`.
 */
const BUTTON_SCRIPT = `(globalThis.scriptsRan ??= []).push("classes");
const { Node, registerNodeType, signal } = require("scenetree");
class TscnButton extends Node { static signals = Node.signals.extend({ pressed: signal() }); }
class TscnReceiver extends Node { calls = 0; onTick() { this.calls++; } }
registerNodeType("TscnButton", TscnButton);
registerNodeType("TscnReceiver", TscnReceiver);
`;

const TSCN_BUTTON = '[gd_scene format=3]\n\n[node name="Btn" type="TscnButton"]\n';

describe(".tscn sub-scenes of a scene with scripts are converted with the types those scripts register", () => {
  const pressAndCount = (root: Node): number => {
    (root.getNode("B") as unknown as { emit(signal: string): void }).emit("pressed");
    return (root.getNode("Recv") as unknown as { calls: number }).calls;
  };

  test.each([
    ["loadScene", (file: string) => loadScene(file)],
    ["loadSceneSync", (file: string) => Promise.resolve(loadSceneSync(file))],
  ])("the scene's own scripts (%s)", async (_name, load) => {
    box.write("project/project.godot", "");
    box.write("project/classes.js", BUTTON_SCRIPT);
    box.write("project/sub.tscn", TSCN_BUTTON);
    box.write("project/main.scene.json", {
      format: 1,
      scripts: ["./classes.js"],
      root: {
        name: "Main",
        type: "Node",
        children: [
          { name: "B", instance: "./sub.tscn" },
          { name: "Recv", type: "TscnReceiver" },
        ],
      },
      connections: [{ from: "B", signal: "pressed", to: "Recv", method: "onTick" }],
    });
    const packed = await load(path.join(box.project, "main.scene.json"));
    const root = packed.instantiate();
    try {
      expect(root.getNode("B").constructor.name).toBe("TscnButton");
      expect(pressAndCount(root)).toBe(1);
    } finally {
      root.free();
    }
    expect(ran.scriptsRan).toEqual(["classes"]);
  });

  test("a sub-scene's scripts, and the warnings are those of the conversion with the types, each once", async () => {
    box.write("project/project.godot", "");
    box.write("project/classes.js", BUTTON_SCRIPT);
    box.write("project/sub.tscn", TSCN_BUTTON + '\n[node name="Label" type="Label" parent="."]\n');
    box.write("project/widgets.scene.json", {
      format: 1,
      scripts: ["./classes.js"],
      root: { name: "Widgets", type: "Node" },
    });
    box.write("project/main.scene.json", {
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        children: [
          { name: "B", instance: "./sub.tscn" },
          { instance: "./widgets.scene.json" },
          { name: "Recv", type: "TscnReceiver" },
        ],
      },
      connections: [{ from: "B", signal: "pressed", to: "Recv", method: "onTick" }],
    });
    const warnings: string[] = [];
    const packed = await loadScene(path.join(box.project, "main.scene.json"), {
      onWarning: (w) => warnings.push(`${path.basename(w.file)}:${w.line}: ${w.code}`),
    });
    const root = packed.instantiate();
    try {
      expect(pressAndCount(root)).toBe(1);
    } finally {
      root.free();
    }
    expect(warnings).toEqual(["sub.tscn:5: W_UNKNOWN_TYPE"]);
  });

  test("the scripts still do not run when a file is invalid, and the warnings are those of the first conversion", async () => {
    box.write("project/project.godot", "");
    box.write("project/classes.js", BUTTON_SCRIPT);
    box.write("project/sub.tscn", TSCN_BUTTON);
    box.write("project/main.scene.json", {
      format: 1,
      scripts: ["./classes.js"],
      root: {
        name: "Main",
        type: "Timer",
        props: { waitTime: -1 },
        children: [{ name: "B", instance: "./sub.tscn" }],
      },
    });
    const warnings: string[] = [];
    const error = await loadScene(path.join(box.project, "main.scene.json"), {
      onWarning: (w) => warnings.push(`${path.basename(w.file)}:${w.line}: ${w.code}`),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SceneError);
    expect((error as SceneError).problems.map((p) => [p.code, p.path])).toEqual([
      ["ERR_OUT_OF_RANGE", "root.props.waitTime"],
    ]);
    expect(ran.scriptsRan).toBeUndefined();
    expect(warnings).toEqual(["sub.tscn:3: W_UNKNOWN_TYPE"]);
  });
});

describe("a problem in a sub-scene names the instance entries that led to its file", () => {
  test("nearest first, the top-level file's last; the top-level file's own problems have none", async () => {
    box.write(
      "project/bad.scene.json",
      '{\n  "format": 1,\n  "root": { "name": "Bad", "type": "Timer", "props": { "waitTime": "fast" } }\n}\n',
    );
    box.write(
      "project/mid.scene.json",
      '{\n  "format": 1,\n  "root": {\n    "name": "Mid",\n    "type": "Node",\n    "children": [{ "name": "Inner", "instance": "./bad.scene.json" }]\n  }\n}\n',
    );
    const top = box.write(
      "project/top.scene.json",
      '{\n  "format": 1,\n  "root": {\n    "name": "Top",\n    "type": "Node",\n    "props": { "nope": 1 },\n    "children": [\n      { "name": "Part", "instance": "./mid.scene.json" }\n    ]\n  }\n}\n',
    );
    const error = await loadScene(top).then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof SceneError)) throw new Error("expected a SceneError");
    const mid = path.join(box.project, "mid.scene.json");
    expect(error.problems.map((p) => [path.basename(p.file), p.path, p.includedFrom])).toEqual([
      ["top.scene.json", "root.props.nope", undefined],
      [
        "bad.scene.json",
        "root.props.waitTime",
        [
          { file: mid, line: 6, column: 49, path: "root.children[0].instance" },
          { file: top, line: 8, column: 37, path: "root.children[0].instance" },
        ],
      ],
    ]);
    expect(formatProblem(error.problems[1], box.project)).toBe(
      [
        'bad.scene.json:3:68  root.props.waitTime  ERR_WRONG_TYPE: "waitTime" must be a number, got "fast".',
        "    hint: Write a number here, e.g. 1.5.",
        "    instanced at: mid.scene.json:6:49  root.children[0].instance",
        "    instanced at: top.scene.json:8:37  root.children[0].instance",
      ].join("\n"),
    );
  });
});
