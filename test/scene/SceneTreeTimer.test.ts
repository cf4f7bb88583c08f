import { SceneTree } from "../../src/scene/SceneTree";
import { SceneTreeTimer } from "../../src/scene/SceneTreeTimer";

describe("SceneTreeTimer", () => {
  test("timeLeft never reads below 0, in its timeout and after, as Godot's get_time_left clamps it", () => {
    const tree = new SceneTree({ fatalErrors: true });
    const timer = tree.createTimer(0.01);
    const seen: number[] = [];
    timer.on("timeout", () => seen.push(timer.timeLeft));
    tree.step(1 / 60);
    expect(seen).toEqual([0]);
    expect(timer.timeLeft).toBe(0);
    tree.finalize();
  });

  test("timeLeft can be set, and a timer made by hand counts down from what it was given", () => {
    const timer = new SceneTreeTimer(2);
    expect(timer.timeLeft).toBe(2);
    timer.timeLeft = 0.5;
    expect(timer.timeLeft).toBe(0.5);
  });
});
