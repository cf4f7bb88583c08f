import { parseScene, SceneError } from "../../src";
import { buildSceneJsonSchema } from "../../src/loader/jsonSchema";
import { checkStats, matchesSchema } from "../helpers/jsonSchemaCheck";

/** The editor's verdict (the JSON Schema) and the loader's, side by side. */
function verdicts(scene: unknown): { editor: boolean; loader: string } {
  const editor = matchesSchema(buildSceneJsonSchema(), scene);
  try {
    parseScene(JSON.stringify(scene), { file: `${__dirname}/virtual.scene.json` });
    return { editor, loader: "ok" };
  } catch (error) {
    if (!(error instanceof SceneError)) throw error;
    return { editor, loader: [...new Set(error.problems.map((p) => p.code))].join(",") };
  }
}

const withName = (name: string) => ({ format: 1, root: { name, type: "Node" } });
const withChild = (child: unknown) => ({
  format: 1,
  root: { name: "Main", type: "Node", children: [child] },
});

describe("the scene JSON Schema refuses what the loader refuses", () => {
  test.each(["a.b", "a/b", "a:b", "@x", "%A", "..", '"q"'])(
    "a node name with a NodePath character (%s)",
    (name) => {
      expect(verdicts(withName(name))).toEqual({ editor: false, loader: "ERR_INVALID_NAME" });
      expect(verdicts(withChild({ name, type: "Timer" }))).toEqual({
        editor: false,
        loader: "ERR_INVALID_NAME",
      });
      expect(verdicts(withChild({ name, type: "MyScriptType" })).editor).toBe(false);
      expect(verdicts(withChild({ name, instance: "./parts/sub.scene.json" })).editor).toBe(false);
    },
  );

  test("names Godot allows are fine in both", () => {
    for (const name of ["Main", "a b", "Ünïcode", "x-1", "_"])
      expect(verdicts(withName(name))).toEqual({ editor: true, loader: "ok" });
  });

  test.each(["x", "enemy", "./enemy.scene", "enemy.js", "../Timer"])(
    'an "instance" that is not a scene file (%s)',
    (instance) => {
      expect(verdicts(withChild({ instance }))).toEqual({ editor: false, loader: "ERR_INVALID_VALUE" });
    },
  );

  test('an "instance" naming a scene file passes the schema, whatever the case of its extension', () => {
    const schema = buildSceneJsonSchema();
    for (const instance of ["./a.scene.json", "b.JSON", "parts/c.tscn", "d.TSCN"])
      expect(matchesSchema(schema, withChild({ instance }))).toBe(true);
  });

  test("a placeholder instance: named, with no children or editable, never the root", () => {
    const placeholder = { name: "Later", instance: "./parts/sub.scene.json", placeholder: true };
    expect(verdicts(withChild(placeholder))).toEqual({ editor: true, loader: "ok" });
    expect(verdicts(withChild({ ...placeholder, props: { x: 1 }, groups: ["g"] })).editor).toBe(true);
    const { name: _name, ...unnamed } = placeholder;
    expect(verdicts(withChild(unnamed))).toEqual({ editor: false, loader: "ERR_SCHEMA" });
    for (const extra of [{ children: [] }, { editable: {} }, { children: [{ name: "C", type: "Node" }] }])
      expect(verdicts(withChild({ ...placeholder, ...extra }))).toEqual({
        editor: false,
        loader: "ERR_SCHEMA",
      });
    expect(verdicts({ format: 1, root: placeholder })).toEqual({ editor: false, loader: "ERR_SCHEMA" });
    expect(
      matchesSchema(buildSceneJsonSchema(), withChild({ ...placeholder, placeholder: false, editable: {} })),
    ).toBe(true);
  });

  test("a deep tree costs an editor work in proportion to its depth, not exponential in it", () => {
    const schema = buildSceneJsonSchema();
    const evaluated = (depth: number, leaf: unknown) => {
      let node = leaf;
      for (let i = 0; i < depth; i++) node = { name: `N${i}`, type: "Node", children: [node] };
      checkStats.evaluated = 0;
      const valid = matchesSchema(schema, { format: 1, root: node });
      return { valid, evaluated: checkStats.evaluated };
    };
    // An editor tries every variant of a failing node; the bad prop is deep down.
    const bad = { name: "Leaf", type: "Timer", props: { waitTime: "soon" } };
    const shallow = evaluated(4, bad);
    const deep = evaluated(8, bad);
    expect([shallow.valid, deep.valid]).toEqual([false, false]);
    expect(deep.evaluated).toBeLessThan(shallow.evaluated * 3);
    expect(evaluated(8, { name: "Leaf", type: "Timer", props: { waitTime: 2 } }).valid).toBe(true);
  });
});
