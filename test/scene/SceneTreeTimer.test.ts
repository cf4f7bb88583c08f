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

  test("a NaN time reads 0 and fires at the next step, as Godot's MAX(time_left, 0.0) makes it", () => {
    const tree = new SceneTree({ fatalErrors: true });
    const timer = tree.createTimer(NaN);
    expect(timer.timeLeft).toBe(0);
    let fired = 0;
    timer.on("timeout", () => fired++);
    tree.step(1 / 60);
    expect(fired).toBe(1);
    const later = tree.createTimer(5);
    later.on("timeout", () => fired++);
    tree.step(1 / 60);
    later.timeLeft = NaN;
    tree.step(1 / 60);
    expect(fired).toBe(2);
    tree.finalize();
  });

  test("timeLeft can be set, and a timer made by hand counts down from what it was given", () => {
    const timer = new SceneTreeTimer(2);
    expect(timer.timeLeft).toBe(2);
    timer.timeLeft = 0.5;
    expect(timer.timeLeft).toBe(0.5);
  });
});
