import { flatScene, main, nestedScene, report } from "../../bench/scene-load";
import { toTscn } from "../../bench/godot/godot3";
import { parseScene } from "../../src";

const text = (root: ReturnType<typeof flatScene>) => JSON.stringify({ format: 1, root });

describe("bench/scene-load", () => {
  test("generates valid flat and nested scenes of the asked size", () => {
    expect(
      parseScene(text(flatScene(50)))
        .instantiate()
        .getChildCount(),
    ).toBe(49);
    const nested = parseScene(text(nestedScene(111))).instantiate();
    expect(nested.getChildCount()).toBe(10);
    expect(nested.getChild(0)!.getChildCount()).toBe(10);
  });

  test("main runs with tiny counts and reports every phase, noting a skipped Godot column", () => {
    const result = main({ nodes: 200, runs: 1, print: false, godot: false });
    expect(result.rows.map((r) => [r.shape, r.nodes])).toEqual([
      ["flat", 200],
      ["nested", 200],
    ]);
    for (const row of result.rows) expect(row.totalMs).toBeGreaterThan(0);
    expect(result.godotNote).toMatch(/Godot 3 column/);
    expect(report(result, 1)).toContain(`(${result.godotNote})`);
  });

  test("writes the same scene as a Godot 3 .tscn: types, props under Godot's names, parent paths", () => {
    const tscn = toTscn(nestedScene(12, 10));
    expect(tscn.startsWith("[gd_scene format=2]\n")).toBe(true);
    expect(tscn).toContain('[node name="Root" type="Node"]\n');
    expect(tscn).toContain('[node name="N10" type="Timer" parent="."]\nwait_time = 4.0\none_shot = true\n');
    expect(tscn).toContain('[node name="N11" type="Node" parent="N1"]');
    expect(tscn.match(/\[node /g)).toHaveLength(12);
  });
});
