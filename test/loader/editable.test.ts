import "../../src"; // the package entry installs the built-in node types
import * as path from "node:path";
import {
  buildSceneJsonSchema,
  loadScene,
  nodePathProp,
  nodePropsSchema,
  parseScene,
  registerNodeType,
  SceneError,
  unregisterNodeType,
  type SceneProblem,
} from "../../src/loader";
import { z } from "zod";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { Timer } from "../../src/nodes/Timer";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";
import { matchesSchema } from "../helpers/jsonSchemaCheck";

/**
 * Editable children (Godot's `[editable path=…]` and its `parent="Sub/S1"` nodes): an instance entry
 * changes nodes inside its sub-scene. The enemy scene instances sub2, so `Sub2/S1` crosses an instance.
 */

let box: SceneSandbox;
beforeEach(() => {
  box = makeSceneSandbox();
  box.write("project/sub2.scene.json", {
    format: 1,
    root: { name: "Sub2", type: "Node", children: [{ name: "S1", type: "Node" }] },
  });
  box.write("project/enemy.scene.json", {
    format: 1,
    root: {
      name: "Enemy",
      type: "Node",
      children: [
        { name: "Body", type: "Node", children: [{ name: "Gun", type: "Timer", uniqueNameInOwner: true }] },
        { name: "Sub2", instance: "sub2.scene.json" },
      ],
    },
  });
});
afterEach(() => box.dispose());

function main(enemy: object, extra: object = {}): string {
  return box.write(
    "project/main.scene.json",
    JSON.stringify(
      {
        format: 1,
        root: {
          name: "Main",
          type: "Node",
          children: [{ name: "Enemy", instance: "enemy.scene.json", ...enemy }],
        },
        ...extra,
      },
      null,
      2,
    ),
  );
}

async function problemsOf(file: string): Promise<readonly SceneProblem[]> {
  try {
    await loadScene(file);
  } catch (error) {
    if (error instanceof SceneError) return error.problems;
    throw error;
  }
  throw new Error("the scene loaded");
}

test("the brief's example: overrides, groups and children inside the instance, owners as Godot gives them", async () => {
  const file = main({
    props: { processPriority: 2 },
    editable: {
      "Body/Gun": { props: { waitTime: 5 }, groups: ["armed"], children: [{ name: "Scope", type: "Node" }] },
      "Sub2/S1": { children: [{ name: "ExtraDeep", type: "Node" }] },
    },
    children: [{ name: "Extra", type: "Node" }],
  });
  const root = (await loadScene(file)).instantiate();
  const enemy = root.getNode("Enemy");
  const gun = root.getNode("Enemy/Body/Gun") as Timer;
  expect([enemy.processPriority, gun.waitTime, gun.isInGroup("armed")]).toEqual([2, 5, true]);
  // The instance's own nodes keep their scene roots as owners; what this scene adds is its root's.
  const owners = ["Enemy", "Enemy/Body", "Enemy/Body/Gun", "Enemy/Sub2", "Enemy/Sub2/S1"].map(
    (p) => root.getNode(p).owner?.name,
  );
  expect(owners).toEqual(["Main", "Enemy", "Enemy", "Enemy", "Sub2"]);
  for (const added of ["Enemy/Body/Gun/Scope", "Enemy/Sub2/S1/ExtraDeep", "Enemy/Extra"])
    expect(root.getNode(added).owner).toBe(root);
  // Appended after the node's own children; the instance's extra child after the sub-scene's.
  expect(enemy.getChildren().map((n) => n.name)).toEqual(["Body", "Sub2", "Extra"]);
  expect(gun.getNode("%Gun")).toBe(gun); // still the enemy's unique node
  const tree = new SceneTree({ fatalErrors: true });
  tree.root.addChild(root);
  tree.step(1 / 60);
  tree.finalize();
});

test("overrides are made after the sub-scene is built and before the scene enters a tree", async () => {
  const seen: string[] = [];
  class Probe extends Node {
    private _value = 0;
    get value(): number {
      return this._value;
    }
    set value(v: number) {
      seen.push(`set ${v} inTree=${this.isInsideTree()} children=${this.getChildCount()}`);
      this._value = v;
    }
    override _ready(): void {
      seen.push(`ready ${this._value}`);
    }
  }
  registerNodeType("Probe", Probe, nodePropsSchema.extend({ value: z.number().optional() }));
  try {
    box.write("project/probe.scene.json", {
      format: 1,
      root: { name: "P", type: "Node", children: [{ name: "In", type: "Probe", props: { value: 1 } }] },
    });
    const text = JSON.stringify({
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        children: [{ instance: "probe.scene.json", editable: { In: { props: { value: 2 } } } }],
      },
    });
    const root = parseScene(text, { file: path.join(box.project, "m.scene.json") }).instantiate();
    seen.push("built");
    const tree = new SceneTree({ fatalErrors: true });
    tree.root.addChild(root);
    tree.finalize();
    expect(seen).toEqual([
      "set 1 inTree=false children=0",
      "set 2 inTree=false children=0",
      "built",
      "ready 2",
    ]);
  } finally {
    unregisterNodeType("Probe");
  }
});

test('"editable": {} alone marks the instance editable and changes nothing', async () => {
  const root = (await loadScene(main({ editable: {} }))).instantiate();
  expect(root.getNode("Enemy/Body/Gun")).toBeInstanceOf(Timer);
});

test("connections may name nodes inside an edited instance and the nodes added there", async () => {
  const file = main(
    { editable: { "Sub2/S1": { children: [{ name: "ExtraDeep", type: "Timer" }] } } },
    {
      connections: [
        { from: "Enemy/Body/Gun", signal: "timeout", to: "Enemy/Sub2/S1/ExtraDeep", method: "stop" },
        { from: "Enemy/Sub2/S1/ExtraDeep", signal: "timeout", to: ".", method: "queueFree" },
      ],
    },
  );
  const root = (await loadScene(file)).instantiate();
  const deep = root.getNode("Enemy/Sub2/S1/ExtraDeep") as Timer;
  expect(
    root
      .getNode("Enemy/Body/Gun")
      .getSignalConnectionList("timeout")
      .map((c) => (c.callable as { getObject(): unknown }).getObject()),
  ).toEqual([deep]);
  expect(deep.getSignalConnectionList("timeout")).toHaveLength(1);
});

test("NodePath props of the nodes added inside the instance resolve like the built tree", async () => {
  class Pointer extends Node {
    target: Node | null = null;
  }
  registerNodeType("EditPointer", Pointer, nodePropsSchema.extend({ target: nodePathProp().optional() }));
  try {
    const ok = main({
      editable: { Body: { children: [{ name: "P", type: "EditPointer", props: { target: "../Gun" } }] } },
    });
    const root = (await loadScene(ok)).instantiate();
    expect((root.getNode("Enemy/Body/P") as Pointer).target).toBe(root.getNode("Enemy/Body/Gun"));
    const bad = main({
      editable: { Body: { children: [{ name: "P", type: "EditPointer", props: { target: "../Gn" } }] } },
    });
    const problems = await problemsOf(bad);
    expect(problems.map((p) => [p.code, p.path, p.hint])).toEqual([
      [
        "ERR_BAD_NODE_PATH",
        "root.children[0].editable.Body.children[0].props.target",
        'Did you mean "../Gun"?',
      ],
    ]);
  } finally {
    unregisterNodeType("EditPointer");
  }
});

test("a key naming no node of the instance: file, line:column of the key, JSON path, a did-you-mean", async () => {
  const file = main({ editable: { "Body/Gn": { props: { waitTime: 5 } }, ".": {}, "../Body": {} } });
  const problems = await problemsOf(file);
  expect(problems.map((p) => [p.code, p.file, p.line, p.column, p.path])).toEqual([
    ["ERR_BAD_NODE_PATH", file, 11, 11, 'root.children[0].editable["Body/Gn"]'],
    ["ERR_BAD_NODE_PATH", file, 16, 11, 'root.children[0].editable["."]'],
    ["ERR_BAD_NODE_PATH", file, 17, 11, 'root.children[0].editable["../Body"]'],
  ]);
  expect(problems[0].message).toBe('The instance "Main/Enemy" has no node at "Body/Gn".');
  expect(problems[0].hint).toBe('Did you mean "Body/Gun"?');
});

test("a key can't name this file's own nodes: children of the instance, or those another key adds", async () => {
  const problems = await problemsOf(
    main({
      editable: { Extra: {}, Body: { children: [{ name: "Scope", type: "Node" }] }, "Body/Scope": {} },
      children: [{ name: "Extra", type: "Node" }],
    }),
  );
  expect(problems.map((p) => p.path)).toEqual([
    "root.children[0].editable.Extra",
    'root.children[0].editable["Body/Scope"]',
  ]);
});

test("props are checked against the type of the node the key names", async () => {
  const problems = await problemsOf(
    main({ editable: { "Body/Gun": { props: { waitTime: -1 } }, "Sub2/S1": { props: { waitTime: 1 } } } }),
  );
  expect(problems.map((p) => [p.code, p.path])).toEqual([
    ["ERR_OUT_OF_RANGE", 'root.children[0].editable["Body/Gun"].props.waitTime'],
    ["ERR_UNKNOWN_PROPERTY", 'root.children[0].editable["Sub2/S1"].props.waitTime'],
  ]);
});

test("a child added inside the instance can't take the name of a node already there", async () => {
  const problems = await problemsOf(
    main({ editable: { Body: { children: [{ name: "Gun", type: "Node" }] } } }),
  );
  expect(problems.map((p) => [p.code, p.path])).toEqual([
    ["ERR_DUPLICATE_NAME", "root.children[0].editable.Body.children[0].name"],
  ]);
});

test("an entry of the wrong shape is reported by the schema", async () => {
  const problems = await problemsOf(main({ editable: { Body: { prop: {} } } }));
  expect(problems.map((p) => p.code)).toEqual(["ERR_UNKNOWN_PROPERTY"]);
  expect(problems[0].path).toBe("root.children[0].editable.Body.prop");
});

test("edits nest: a sub-scene's own edits are part of the instance the scene around it edits", async () => {
  box.write("project/mid.scene.json", {
    format: 1,
    root: {
      name: "Mid",
      type: "Node",
      children: [
        {
          name: "E",
          instance: "enemy.scene.json",
          editable: { "Sub2/S1": { children: [{ name: "Deep", type: "Timer" }] } },
        },
      ],
    },
  });
  const text = JSON.stringify({
    format: 1,
    root: {
      name: "Top",
      type: "Node",
      children: [
        {
          instance: "mid.scene.json",
          editable: {
            "E/Sub2/S1/Deep": {
              props: { waitTime: 3 },
              children: [{ name: "Deeper", instance: "sub2.scene.json" }],
            },
          },
        },
      ],
    },
    connections: [
      {
        from: "Mid/E/Sub2/S1/Deep",
        signal: "timeout",
        to: "Mid/E/Sub2/S1/Deep/Deeper/S1",
        method: "queueFree",
      },
    ],
  });
  const root = parseScene(text, { file: path.join(box.project, "top.scene.json") }).instantiate();
  const deep = root.getNode("Mid/E/Sub2/S1/Deep") as Timer;
  expect(deep.waitTime).toBe(3);
  expect(deep.owner?.name).toBe("Mid"); // added by mid: owned by mid's root
  const deeper = root.getNode("Mid/E/Sub2/S1/Deep/Deeper");
  expect(deeper.owner).toBe(root);
  expect(deeper.getNode("S1").owner).toBe(deeper);
});

test("each instance gets its own edits: the sub-scene's outline is not changed for the others", async () => {
  const text = JSON.stringify({
    format: 1,
    root: {
      name: "Main",
      type: "Node",
      children: [
        {
          name: "A",
          instance: "enemy.scene.json",
          editable: { Body: { children: [{ name: "Only", type: "Node" }] } },
        },
        { name: "B", instance: "enemy.scene.json" },
      ],
    },
    connections: [{ from: "B/Body/Only", signal: "ready", to: ".", method: "queueFree" }],
  });
  let problems: readonly SceneProblem[] = [];
  try {
    parseScene(text, { file: path.join(box.project, "m.scene.json") });
  } catch (error) {
    problems = (error as SceneError).problems;
  }
  expect(problems.map((p) => [p.code, p.path])).toEqual([["ERR_BAD_CONNECTION", "connections[0].from"]]);
});

test("the JSON Schema for editors takes editable entries and placeholders, and refuses what the loader refuses", () => {
  const schema = buildSceneJsonSchema();
  const scene = (edits: object, extra: object = {}) => ({
    format: 1,
    root: {
      name: "Main",
      type: "Node",
      children: [{ name: "Enemy", instance: "enemy.scene.json", editable: edits, ...extra }],
    },
  });
  const good = {
    "Body/Gun": { props: { waitTime: 5 }, groups: ["armed"], children: [{ name: "Scope", type: "Node" }] },
  };
  expect(matchesSchema(schema, scene(good))).toBe(true);
  // The loader refuses "editable" on a placeholder, even {} (its sub-scene is not built yet).
  expect(matchesSchema(schema, scene({}, { placeholder: true }))).toBe(false);
  expect(matchesSchema(schema, scene({ ".": {} }))).toBe(false);
  expect(matchesSchema(schema, scene({ "../Body": {} }))).toBe(false);
  expect(matchesSchema(schema, scene({ Body: { prop: {} } }))).toBe(false);
  expect(matchesSchema(schema, scene({ Body: { children: [{ name: "NoType" }] } }))).toBe(false);
});

test("a setter that throws on an edited node: ERR_INSTANTIATE at the editable entry, nothing left half-built", async () => {
  let built: Node[] = [];
  class Fragile extends Node {
    constructor() {
      super();
      built.push(this);
    }
    set brittle(value: number) {
      if (value > 1) throw new Error("too brittle");
    }
  }
  registerNodeType("Fragile", Fragile, nodePropsSchema.extend({ brittle: z.number().optional() }));
  try {
    box.write("project/fragile.scene.json", {
      format: 1,
      root: { name: "F", type: "Node", children: [{ name: "In", type: "Fragile", props: { brittle: 1 } }] },
    });
    const file = box.write(
      "project/m.scene.json",
      JSON.stringify(
        {
          format: 1,
          root: {
            name: "Main",
            type: "Node",
            children: [{ instance: "fragile.scene.json", editable: { In: { props: { brittle: 2 } } } }],
          },
        },
        null,
        2,
      ),
    );
    const packed = await loadScene(file);
    built = [];
    let error: SceneError | null = null;
    try {
      packed.instantiate();
    } catch (e) {
      error = e as SceneError;
    }
    expect(error?.problems.map((p) => [p.code, p.line, p.path, p.message])).toEqual([
      ["ERR_INSTANTIATE", 10, "root.children[0].editable.In", "Editing the node failed: too brittle"],
    ]);
    expect(built.map((n) => n.isInstanceValid())).toEqual([false]);
  } finally {
    unregisterNodeType("Fragile");
  }
});

test("a setter that throws on an instance root's override: the built sub-scene is freed too", async () => {
  const built: Node[] = [];
  class FragileRoot extends Node {
    constructor() {
      super();
      built.push(this);
    }
    set brittle(value: number) {
      if (value > 1) throw new Error("too brittle");
    }
  }
  registerNodeType("FragileRoot", FragileRoot, nodePropsSchema.extend({ brittle: z.number().optional() }));
  try {
    box.write("project/fragile.scene.json", { format: 1, root: { name: "F", type: "FragileRoot" } });
    const text = JSON.stringify({
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        children: [{ instance: "fragile.scene.json", props: { brittle: 2 } }],
      },
    });
    expect(() => parseScene(text, { file: path.join(box.project, "m.scene.json") }).instantiate()).toThrow(
      SceneError,
    );
    expect(built.map((n) => n.isInstanceValid())).toEqual([false]);
  } finally {
    unregisterNodeType("FragileRoot");
  }
});
