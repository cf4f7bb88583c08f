import { SceneTree, SceneTreeError, TestClock } from "../../src";

describe("SceneTree#instance", () => {
  test("a tree on its own is instance 0 of 1 with seed 0", () => {
    expect(new SceneTree({ clock: new TestClock() }).instance).toEqual({ index: 0, count: 1, seed: 0 });
  });

  test("is the instance given, copied and frozen", () => {
    const given = { index: 2, count: 3, seed: 4294967295 };
    const tree = new SceneTree({ clock: new TestClock(), instance: given });
    given.index = 0;
    expect(tree.instance).toEqual({ index: 2, count: 3, seed: 4294967295 });
    expect(Object.isFrozen(tree.instance)).toBe(true);
  });

  test.each([
    { index: 3, count: 3, seed: 0 },
    { index: -1, count: 3, seed: 0 },
    { index: 0.5, count: 3, seed: 0 },
    { index: 0, count: 0, seed: 0 },
    { index: 0, count: 1, seed: -1 },
    { index: 0, count: 1, seed: 2 ** 32 },
  ])("refuses %j with ERR_INVALID_ARGUMENT", (instance) => {
    expect(() => new SceneTree({ clock: new TestClock(), instance })).toThrow(
      expect.objectContaining({ constructor: SceneTreeError, code: "ERR_INVALID_ARGUMENT" }),
    );
  });
});
