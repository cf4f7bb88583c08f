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

  test("a connection listed twice names its ends by path, the root by its name", () => {
    const problems = problemsOf({
      format: 1,
      root: { name: "Main", type: "Node", children: [{ name: "Clock", type: "Timer" }] },
      connections: [conn("Clock", "timeout"), conn("Clock", "timeout"), conn(".", "ready", "Clock", "stop")],
    });
    expect(problems.map((p) => [p.code, p.path, p.message])).toEqual([
      [
        "ERR_BAD_CONNECTION",
        "connections[1]",
        "The same connection (Main/Clock.timeout → Main.queueFree) is listed twice.",
      ],
    ]);
    const twice = problemsOf({
      format: 1,
      root: { name: "Main", type: "Node", children: [{ name: "Clock", type: "Timer" }] },
      connections: [conn(".", "ready", "Clock", "stop"), conn(".", "ready", "Clock", "stop")],
    });
    expect(twice.map((p) => p.message)).toEqual([
      "The same connection (Main.ready → Main/Clock.stop) is listed twice.",
    ]);
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

describe("connection flags", () => {
  const scene = (flags: unknown, signal = "timeout") => ({
    format: 1,
    root: { name: "Main", type: "Node", children: [{ name: "Clock", type: "Timer" }] },
    connections: [{ ...conn("Clock", signal), flags }],
  });
  const ACCEPTED =
    'Accepted: "DEFERRED", "PERSIST", "ONE_SHOT", "REFERENCE_COUNTED", "APPEND_SOURCE_OBJECT".';

  test("a misspelt name in the list is reported at its place, with a did-you-mean, as an enum prop's is", () => {
    const problems = problemsOf(scene(["ONE_SHOT", "DEFFERED"]));
    expect(problems.map((p) => [p.code, p.path, p.message, p.hint])).toEqual([
      [
        "ERR_INVALID_VALUE",
        "connections[0].flags[1]",
        '"flags" can\'t be "DEFFERED".',
        `Did you mean "DEFERRED"? ${ACCEPTED}`,
      ],
    ]);
    // Where the name is written: line:column of the string itself.
    const text =
      '{"format": 1, "root": {"name": "M", "type": "Timer"},\n "connections": [{"from": ".", "signal": "timeout", "to": ".", "method": "stop", "flags": ["DEFFERED"]}]}';
    expect(problemsOf(text).map((p) => [p.line, p.column])).toEqual([[2, 92]]);
  });

  test("a misspelt single name, and one that is no name at all", () => {
    expect(problemsOf(scene("one_shot")).map((p) => [p.path, p.message, p.hint])).toEqual([
      ["connections[0].flags", '"flags" can\'t be "one_shot".', `Did you mean "ONE_SHOT"? ${ACCEPTED}`],
    ]);
    expect(problemsOf(scene(["DEFERRED", 4])).map((p) => [p.path, p.message, p.hint])).toEqual([
      ["connections[0].flags[1]", '"flags" can\'t be 4.', ACCEPTED],
    ]);
  });

  test("a number with bits no flag has is refused, naming the flags; every sum of them is accepted", () => {
    const problems = problemsOf(scene(99));
    expect(problems.map((p) => [p.code, p.path, p.message, p.hint])).toEqual([
      [
        "ERR_INVALID_VALUE",
        "connections[0].flags",
        '"flags" can\'t be 99: it has bits no ConnectFlags member has (96).',
        "The flags are DEFERRED (1), PERSIST (2), ONE_SHOT (4), REFERENCE_COUNTED (8) and APPEND_SOURCE_OBJECT (16); " +
          'write their sum (at most 31) or a list of their names, e.g. ["DEFERRED", "ONE_SHOT"].',
      ],
    ]);
    expect(problemsOf(scene(32))[0].message).toBe(
      '"flags" can\'t be 32: it has bits no ConnectFlags member has (32).',
    );
    const packed = parseScene(JSON.stringify(scene(31)));
    expect(packed.spec.connections[0].flags).toBe(31);
    expect(problemsOf(scene(-1)).map((p) => [p.code, p.message])).toEqual([
      ["ERR_OUT_OF_RANGE", '"flags" must be >= 0, got -1.'],
    ]);
    expect(problemsOf(scene(1.5)).map((p) => [p.code, p.message])).toEqual([
      ["ERR_WRONG_TYPE", '"flags" must be an integer, got 1.5.'],
    ]);
    expect(problemsOf(scene({ DEFERRED: true })).map((p) => [p.code, p.path, p.message])).toEqual([
      ["ERR_WRONG_TYPE", "connections[0].flags", '"flags" can\'t be an object.'],
    ]);
  });

  test("bad flags do not hide the connection's other problems", () => {
    const problems = problemsOf(scene(["DEFFERED"], "timout"));
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ["ERR_BAD_CONNECTION", "connections[0].signal"],
      ["ERR_INVALID_VALUE", "connections[0].flags[0]"],
    ]);
    const missing = problemsOf({
      ...scene(["DEFFERED"]),
      connections: [{ from: "Clock", signal: "timeout", to: ".", flags: "X" }],
    });
    expect(missing.map((p) => [p.code, p.path])).toEqual([
      ["ERR_SCHEMA", "connections[0].method"],
      ["ERR_INVALID_VALUE", "connections[0].flags"],
    ]);
  });
});

describe("the file's top level", () => {
  test('a missing "format" is a missing key: ERR_SCHEMA at the top-level object, saying what to add', () => {
    const problems = problemsOf('\n  { "root": { "name": "Main", "type": "Node" } }\n');
    expect(problems).toEqual([
      {
        code: "ERR_SCHEMA",
        file: "<string>",
        line: 2,
        column: 3,
        path: "",
        message: 'Missing required property "format" in the scene file.',
        hint: 'Add "format": 1.',
      },
    ]);
  });
});

describe("a key that takes an object (props, editable) given something else", () => {
  test("says it must be an object and shows one, not zod's <record>", () => {
    const problems = problemsOf({
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        props: [],
        children: [{ name: "Part", instance: "./part.scene.json", editable: "Clock" }],
      },
    });
    const wrongTypes = problems.filter((p) => p.code === "ERR_WRONG_TYPE");
    expect(wrongTypes.map((p) => [p.code, p.path, p.message, p.hint])).toEqual([
      [
        "ERR_WRONG_TYPE",
        "root.props",
        '"props" must be an object, got an array.',
        "Write an object here, e.g. {}.",
      ],
      [
        "ERR_WRONG_TYPE",
        "root.children[0].editable",
        '"editable" must be an object, got "Clock".',
        "Write an object here, e.g. {}.",
      ],
    ]);
  });
});

describe("every problem of a node's props at once", () => {
  test("a NodePath prop is checked even when a sibling prop fails its schema", () => {
    const problems = problemsOf({
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        children: [
          {
            name: "Link",
            type: "WebSocketNode",
            props: { connectionTimeout: "fast", autoconnectReference: "Nobody", conectionTimeout: 1 },
          },
        ],
      },
    });
    expect(problems.map((p) => [p.code, p.path, p.message])).toEqual([
      [
        "ERR_WRONG_TYPE",
        "root.children[0].props.connectionTimeout",
        '"connectionTimeout" must be a number, got "fast".',
      ],
      [
        "ERR_BAD_NODE_PATH",
        "root.children[0].props.autoconnectReference",
        'No node at "Nobody" relative to "Main/Link".',
      ],
      [
        "ERR_UNKNOWN_PROPERTY",
        "root.children[0].props.conectionTimeout",
        'Unknown property "conectionTimeout" in WebSocketNode props.',
      ],
    ]);
  });

  test("a NodePath prop that fails its own schema is reported once, by the schema", () => {
    const problems = problemsOf({
      format: 1,
      root: { name: "Main", type: "WebSocketNode", props: { autoconnectReference: "", host: 1 } },
    });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ["ERR_SCHEMA", "root.props.autoconnectReference"],
      ["ERR_WRONG_TYPE", "root.props.host"],
    ]);
  });
});
