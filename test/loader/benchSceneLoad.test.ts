import { flatScene, main, nestedScene } from "../../bench/scene-load";
import { parseScene } from "../../src";

describe("bench/scene-load", () => {
  test("generates valid flat and nested scenes of the asked size", () => {
    expect(parseScene(flatScene(50)).instantiate().getChildCount()).toBe(49);
    const nested = parseScene(nestedScene(111)).instantiate();
    expect(nested.getChildCount()).toBe(10);
    expect(nested.getChild(0)!.getChildCount()).toBe(10);
  });

  test("main runs with tiny counts and reports every phase", () => {
    const rows = main({ nodes: 200, runs: 1, print: false });
    expect(rows.map((r) => [r.shape, r.nodes])).toEqual([
      ["flat", 200],
      ["nested", 200],
    ]);
    for (const row of rows) expect(row.totalMs).toBeGreaterThan(0);
  });
});
