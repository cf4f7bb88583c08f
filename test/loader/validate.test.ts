import * as path from "node:path";
import { parseScene, SceneError, type SceneProblem } from "../../src";
import { makeSceneSandbox, nestedSceneText, type SceneSandbox } from "../helpers/hostileScenes";

function problemsOf(scene: unknown, file?: string): SceneProblem[] {
  try {
    parseScene(typeof scene === "string" ? scene : JSON.stringify(scene), file ? { file } : {});
  } catch (error) {
    if (error instanceof SceneError) return [...error.problems];
    throw error;
  }
  throw new Error("expected a SceneError");
}

const conn = (from: string, signal: string, to = ".", method = "queueFree") => ({ from, signal, to, method });

describe('messages name nodes by their path from the scene root, never as "."', () => {
  test("connections, NodePath props and unique names", () => {
    const problems = problemsOf({
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        children: [
          { name: "Clock", type: "Timer", uniqueNameInOwner: true },
          {
            name: "Panel",
            type: "Node",
            children: [{ name: "Clock", type: "Node", uniqueNameInOwner: true }],
          },
          { name: "Link", type: "WebSocketNode", props: { autoconnectReference: "../Nowhere" } },
        ],
      },
      connections: [
        conn(".", "timeot"),
        conn("Clock", "tick"),
        conn("Clock", "timeout", "Panel/Clock", "explode"),
      ],
    });
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ["ERR_DUPLICATE_NAME", 'The unique name "%Clock" is already used in this scene by "Main/Clock".'],
      ["ERR_BAD_NODE_PATH", 'No node at "../Nowhere" relative to "Main/Link".'],
      ["ERR_BAD_CONNECTION", 'Node "Main" has no signal "timeot".'],
      ["ERR_BAD_CONNECTION", 'Timer "Main/Clock" has no signal "tick".'],
      ["ERR_BAD_CONNECTION", 'Node "Main/Panel/Clock" has no method "explode".'],
    ]);
    for (const problem of problems) expect(`${problem.message} ${problem.hint}`).not.toMatch(/ "\."[ .,]/);
  });

  test("a duplicate sibling names its parent by path", () => {
    const [problem] = problemsOf({
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        children: [
          {
            name: "A",
            type: "Node",
            children: [
              { name: "B", type: "Node" },
              { name: "B", type: "Node" },
            ],
          },
        ],
      },
    });
    expect(problem.message).toBe('"Main/A" already has a child named "B".');
  });
});

describe("an instance root's uniqueNameInOwner override: validation and instantiation agree", () => {
  let box: SceneSandbox;
  let file: string;
  beforeEach(() => {
    box = makeSceneSandbox();
    box.write("project/unique.scene.json", {
      format: 1,
      root: { name: "X", type: "Node", uniqueNameInOwner: true },
    });
    box.write("project/plain.scene.json", { format: 1, root: { name: "X", type: "Node" } });
    file = path.join(box.project, "main.scene.json");
  });
  afterEach(() => box.dispose());

  const main = (instance: string, unique: boolean) =>
    JSON.stringify({
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        children: [
          { name: "X", type: "Timer", uniqueNameInOwner: true },
          { name: "Holder", type: "Node", children: [{ instance, uniqueNameInOwner: unique }] },
        ],
      },
      connections: [conn("%X", "timeout")],
    });

  test("a unique sub-scene root overridden with false beside another %X: valid, and it builds", () => {
    const root = parseScene(main("./unique.scene.json", false), { file }).instantiate();
    expect(root.getNode("%X")).toBe(root.getNode("X"));
    expect(root.getNode("Holder/X").uniqueNameInOwner).toBe(false);
    root.free();
  });

  test("a plain sub-scene root overridden with true beside another %X: ERR_DUPLICATE_NAME at the override", () => {
    expect(problemsOf(main("./plain.scene.json", true), file).map((p) => [p.code, p.path])).toEqual([
      ["ERR_DUPLICATE_NAME", "root.children[1].children[0].uniqueNameInOwner"],
    ]);
  });

  test("overridden with true and nothing else named X: %X is the instance root", () => {
    const text = JSON.stringify({
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        children: [{ instance: "./plain.scene.json", uniqueNameInOwner: true }],
      },
    });
    const root = parseScene(text, { file }).instantiate();
    expect(root.getNode("%X").owner).toBe(root);
    root.free();
  });
});

describe("did-you-mean for node paths, one step at a time", () => {
  test("a typo in a path, deep in the scene, is corrected at the step that fails", () => {
    const text = nestedSceneText(900).replace(
      '{"name":"Leaf","type":"Node"}',
      '{"name":"Leaf","type":"Node","children":[{"name":"Clock","type":"Timer"},{"name":"Link","type":"WebSocketNode","props":{"autoconnectReference":"../Clok"}}]}',
    );
    const [problem] = problemsOf(text);
    expect(problem.code).toBe("ERR_BAD_NODE_PATH");
    expect(problem.hint).toBe('Did you mean "../Clock"?');
  });

  test("a typo among 10,000 siblings: a connection path gets its hint", () => {
    const children = Array.from({ length: 10_000 }, (_, i) => ({ name: `Node${i}`, type: "Node" }));
    children.push({ name: "Clock", type: "Timer" });
    const [problem] = problemsOf({
      format: 1,
      root: { name: "R", type: "Node", children },
      connections: [conn("Clokc", "timeout")],
    });
    expect(problem.hint).toMatch(/Did you mean "Clock"\?$/);
  });

  test("past the load's hint budget, problems are still all reported, only without a did-you-mean", () => {
    // 2,000 names of the typo's length for each of 800 hints: more edit distances than one load may spend.
    const name = (i: number) => `N${String(i).padStart(4, "0")}`;
    const children = Array.from({ length: 2000 }, (_, i) => ({ name: name(i), type: "Node" }));
    const connections = Array.from({ length: 800 }, (_, i) => conn(`${name(i)}x`, "ready"));
    const problems = problemsOf({ format: 1, root: { name: "R", type: "Node", children }, connections });
    expect(problems).toHaveLength(800);
    expect(problems[0].hint).toMatch(/Did you mean "N0000"\?$/);
    expect(problems[799].hint).not.toMatch(/Did you mean/);
  });
});

describe("maxProblems", () => {
  test("past it, one ERR_LIMIT says the rest are not reported; the scene is refused", () => {
    const children = Array.from({ length: 50 }, (_, i) => ({
      name: `N${i}`,
      type: "Node",
      props: { bad: i },
    }));
    const text = JSON.stringify({ format: 1, root: { name: "R", type: "Node", children } });
    let error: unknown;
    try {
      parseScene(text, { limits: { maxProblems: 30 } });
    } catch (e) {
      error = e;
    }
    if (!(error instanceof SceneError)) throw new Error("expected a SceneError");
    expect(error.problems).toHaveLength(31);
    expect(error.problems[30]).toMatchObject({ code: "ERR_LIMIT", path: "root.children[30].props.bad" });
    expect(error.problems[30].message).toMatch(/More than 30 problems/);
    // The message spells out the first 20; `problems` has them all.
    expect(error.message).toMatch(/^Invalid scene \(31 problems\):\n/);
    expect(error.message).toMatch(/… and 11 more \(see problems\)\.$/);
  });
});
