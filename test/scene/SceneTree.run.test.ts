import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { SystemClock, TestClock } from "../../src/scene/clock";

describe("SceneTree", () => {
  describe("#run", () => {
    it("steps frames at the given fps on the injected clock, with exact deltas, until quit", async () => {
      const clock = new TestClock();
      const tree = new SceneTree({ clock, fatalErrors: true });
      const deltas: number[] = [];
      class Counter extends Node {
        override _process(delta: number) {
          deltas.push(delta);
          if (deltas.length === 600) this.getTree().quit(7);
        }
      }
      tree.root.addChild(new Counter("C"));
      const done = tree.run({ fps: 60 });
      clock.advance(10_000); // 10 s of frames in microseconds of test time
      await expect(done).resolves.toBe(7);
      expect(deltas).toHaveLength(600);
      expect(new Set(deltas)).toEqual(new Set([1 / 60]));
      expect(tree.isFinalized()).toBe(true);
      expect(clock.pendingCount).toBe(0); // nothing left scheduled
    });

    it("runs on the real clock by default (wiring check): measured deltas count the timer down", async () => {
      const tree = new SceneTree({ fatalErrors: true });
      expect(tree.clock).toBeInstanceOf(SystemClock);
      const deltas: number[] = [];
      class Counter extends Node {
        override _process(delta: number) {
          deltas.push(delta);
        }
      }
      tree.root.addChild(new Counter("C"));
      tree.createTimer(0.1).on("timeout", () => tree.quit(0));
      await expect(tree.run({ fps: 120 })).resolves.toBe(0);
      // However loaded the machine, the timer ends the loop on the first frame whose measured deltas
      // add up to its 0.1 s (with a rounding hair for the timer's own running subtraction).
      expect(deltas.every((delta) => delta > 0)).toBe(true);
      const total = deltas.reduce((sum, delta) => sum + delta, 0);
      expect(total).toBeGreaterThanOrEqual(0.1 - 1e-9);
      expect(total - deltas[deltas.length - 1]).toBeLessThan(0.1 + 1e-9);
    }, 10_000);

    it("resolves with the frame's quit code even when quit() is called before the first frame", async () => {
      const clock = new TestClock();
      const tree = new SceneTree({ clock });
      let frames = 0;
      class Counter extends Node {
        override _process() {
          frames++;
        }
      }
      tree.root.addChild(new Counter("C"));
      tree.quit(2);
      const done = tree.run();
      clock.advance(1000);
      await expect(done).resolves.toBe(2);
      expect(frames).toBe(1); // as in Godot, the frame in which quit takes effect still runs
    });
  });
});
