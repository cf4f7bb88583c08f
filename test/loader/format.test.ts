import { ConnectFlags } from "../../src/scene/GodotObject";
import {
  ALL_CONNECT_FLAGS,
  CONNECT_FLAG_NAMES,
  connectFlagsSchema,
  connectFlagsToNumber,
  connectionSchema,
  instanceNodeSchema,
  INVALID_NAME_CHARACTERS,
  SCENE_FORMAT_VERSION,
  sceneFileSchema,
  typedNodeSchema,
} from "../../src/loader/format";

/** The scene file's structure as zod schemas (src/loader/format.ts). */
describe("scene format schemas", () => {
  test("the file's top level: format 1 only, known keys only, thresholds in k6 syntax", () => {
    expect(SCENE_FORMAT_VERSION).toBe(1);
    expect(sceneFileSchema.safeParse({ format: 1, root: {} }).success).toBe(true);
    expect(sceneFileSchema.safeParse({ format: 2, root: {} }).success).toBe(false);
    expect(sceneFileSchema.safeParse({ format: 1, root: {}, extra: true }).success).toBe(false);
    expect(sceneFileSchema.safeParse({ format: 1, root: {}, scripts: [""] }).success).toBe(false);
    expect(
      sceneFileSchema.safeParse({ format: 1, root: {}, thresholds: { ws_connecting: ["p(95)<500"] } })
        .success,
    ).toBe(true);
  });

  test("a typed node needs a name and a type, and is strict", () => {
    expect(
      typedNodeSchema.safeParse({ name: "A", type: "Node", props: { x: 1 }, groups: ["g"] }).success,
    ).toBe(true);
    expect(typedNodeSchema.safeParse({ name: "", type: "Node" }).success).toBe(false);
    expect(typedNodeSchema.safeParse({ name: "A" }).success).toBe(false);
    expect(typedNodeSchema.safeParse({ name: "A", type: "Node", instance: "x" }).success).toBe(false);
    expect(typedNodeSchema.safeParse({ name: "A", type: "Node", groups: [""] }).success).toBe(false);
  });

  test("an instance may omit its name, carry editable entries and be a placeholder", () => {
    expect(instanceNodeSchema.safeParse({ instance: "a.scene.json" }).success).toBe(true);
    expect(
      instanceNodeSchema.safeParse({
        instance: "a.scene.json",
        editable: { "Body/Gun": { props: { damage: 5 }, groups: ["armed"], children: [] } },
        placeholder: true,
      }).success,
    ).toBe(true);
    expect(
      instanceNodeSchema.safeParse({ instance: "a.scene.json", editable: { X: { name: "no" } } }).success,
    ).toBe(false);
    expect(instanceNodeSchema.safeParse({ instance: "" }).success).toBe(false);
  });

  test('node names may not hold . : @ / " %', () => {
    for (const bad of ["a.b", "a:b", "@a", "a/b", 'a"b', "%a"])
      expect(INVALID_NAME_CHARACTERS.test(bad)).toBe(true);
    for (const good of ["Gun", "a_b", "a-b 2", "Ünïcode"])
      expect(INVALID_NAME_CHARACTERS.test(good)).toBe(false);
  });

  test("connection flags: a number, a member name or a list of names", () => {
    expect(connectFlagsSchema.safeParse(5).success).toBe(true);
    expect(connectFlagsSchema.safeParse(31).success).toBe(true); // every flag at once
    expect(connectFlagsSchema.safeParse(32).success).toBe(false); // a bit no flag has
    expect(connectFlagsSchema.safeParse(99).success).toBe(false);
    expect(ALL_CONNECT_FLAGS).toBe(31);
    expect(CONNECT_FLAG_NAMES).toEqual([
      "DEFERRED",
      "PERSIST",
      "ONE_SHOT",
      "REFERENCE_COUNTED",
      "APPEND_SOURCE_OBJECT",
    ]);
    expect(connectFlagsSchema.safeParse(-1).success).toBe(false);
    expect(connectFlagsSchema.safeParse(1.5).success).toBe(false);
    expect(connectFlagsSchema.safeParse("ONE_SHOT").success).toBe(true);
    expect(connectFlagsSchema.safeParse("one_shot").success).toBe(false);
    expect(connectFlagsSchema.safeParse("4").success).toBe(false); // the enum's reverse keys are not names
    expect(connectFlagsSchema.safeParse(["DEFERRED", "PERSIST"]).success).toBe(true);
    expect(connectFlagsToNumber(undefined)).toBe(0);
    expect(connectFlagsToNumber(6)).toBe(6);
    expect(connectFlagsToNumber("ONE_SHOT")).toBe(ConnectFlags.ONE_SHOT);
    expect(connectFlagsToNumber(["DEFERRED", "ONE_SHOT", "DEFERRED"])).toBe(
      ConnectFlags.DEFERRED | ConnectFlags.ONE_SHOT,
    );
    expect(connectFlagsToNumber([])).toBe(0);
  });

  test("a connection names its ends and method; binds and flags are optional", () => {
    const ok = { from: ".", signal: "timeout", to: "Bot", method: "onTimeout" };
    expect(connectionSchema.safeParse(ok).success).toBe(true);
    expect(connectionSchema.safeParse({ ...ok, binds: [1, "a"], flags: ["ONE_SHOT"] }).success).toBe(true);
    expect(connectionSchema.safeParse({ ...ok, method: "" }).success).toBe(false);
    expect(connectionSchema.safeParse({ ...ok, flags: "NOPE" }).success).toBe(false);
    expect(connectionSchema.safeParse({ ...ok, target: "x" }).success).toBe(false);
  });
});
