import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import { Node } from "../../src/scene/Node";
import { FrameClock } from "../../src/inspector/FrameClock";

const nextTurn = () => Promise.resolve();

describe("FrameClock", () => {
  it("times each frame from its first signal to the end of the code that stepped it", async () => {
    const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
    class Busy extends Node {
      override _process() {
        const until = performance.now() + 2;
        while (performance.now() < until); // 2 ms of work inside the frame
      }
    }
    tree.root.addChild(new Busy("Busy"));
    const frames = new FrameClock(tree);
    for (let i = 0; i < 3; i++) {
      tree.step(1 / 60); // one idle step and one physics step: still one frame
      await nextTurn();
    }
    const times = frames.takeTimes();
    expect(times).toHaveLength(3);
    for (const ms of times) expect(ms).toBeGreaterThanOrEqual(2);
    expect(frames.takeTimes()).toEqual([]);
    expect(frames.fps()).toBe(3); // three frames ended within the last second
    frames.dispose();
    expect([tree.listenerCount("processFrame"), tree.listenerCount("physicsFrame")]).toEqual([0, 0]);
  });
});
