/**
 * Godot 4's tests/scene/test_scene_tree.cpp (commit fa50d215), translated case by case.
 * `SceneTree::process(0.1)` is `tree.process(0.1)`, the idle step alone.
 */
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";

let tree: SceneTree;

beforeEach(() => {
  tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
});
afterEach(() => tree.finalize());

describe("[SceneTree] Suspended process_frame signal", () => {
  it("emits no processFrame while suspended, and one after resuming", () => {
    // SIGNAL_WATCH: records the arguments of each emission.
    const emissions: unknown[][] = [];
    const unwatch = tree.connect("processFrame", (...args: unknown[]) => {
      emissions.push(args);
    });

    tree.setSuspend(true);
    tree.process(0.1);
    expect(emissions).toEqual([]); // SIGNAL_CHECK_FALSE

    tree.setSuspend(false);
    tree.process(0.1);
    expect(emissions).toEqual([[]]); // SIGNAL_CHECK: once, with no arguments

    unwatch(); // SIGNAL_UNWATCH
  });

  it("a whole frame (tree.step) while suspended emits no processFrame either", () => {
    const emissions: unknown[][] = [];
    tree.connect("processFrame", (...args: unknown[]) => {
      emissions.push(args);
    });
    tree.setSuspend(true);
    tree.step(0.1);
    expect(emissions).toEqual([]);
    tree.setSuspend(false);
    tree.step(0.1);
    expect(emissions).toEqual([[]]);
  });
});
