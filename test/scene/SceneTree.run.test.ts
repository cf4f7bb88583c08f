import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { SystemClock, TestClock } from "../../src/core/clock";

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

  describe("#setSuspend", () => {
    class Counter extends Node {
      deltas: number[] = [];
      override _process(delta: number) {
        this.deltas.push(delta);
      }
    }

    function runningTree() {
      const clock = new TestClock();
      const tree = new SceneTree({ clock, fatalErrors: true });
      const counter = new Counter("C");
      tree.root.addChild(counter);
      const done = tree.run({ fps: 10 });
      return { clock, tree, counter, done };
    }

    it("holds run(): no frame runs and the frame count stands still while suspended", () => {
      const { clock, tree, counter } = runningTree();
      clock.advance(250); // frames at 0, 100 and 200 ms
      expect(tree.getFrame()).toBe(3);
      tree.setSuspend(true);
      expect(tree.isSuspended()).toBe(true);
      clock.advance(10_000);
      expect(tree.getFrame()).toBe(3);
      expect(counter.deltas).toHaveLength(3);
      expect(clock.pendingCount).toBe(0); // the held loop schedules nothing
      tree.quit();
    });

    it("resumes with a nominal frame, without catching up the suspended time", () => {
      const { clock, tree, counter } = runningTree();
      clock.advance(150);
      tree.setSuspend(true);
      clock.advance(5_000);
      tree.setSuspend(false);
      expect(tree.isSuspended()).toBe(false);
      clock.advance(0);
      expect(tree.getFrame()).toBe(3);
      clock.advance(100);
      expect(tree.getFrame()).toBe(4);
      expect(counter.deltas).toEqual([0.1, 0.1, 0.1, 0.1]);
      tree.quit();
    });

    it("runs exactly one frame when resumed for one frame and suspended again from processFrame", () => {
      const { clock, tree } = runningTree();
      clock.advance(50);
      tree.setSuspend(true);
      clock.advance(1_000);
      const before = tree.getFrame();
      tree.once("processFrame", () => tree.setSuspend(true));
      tree.setSuspend(false);
      clock.advance(5_000);
      expect(tree.getFrame()).toBe(before + 1);
      expect(tree.isSuspended()).toBe(true);
      tree.quit();
    });

    it("runs a frame on step() while suspended, in which no node processes (Godot's can_process)", () => {
      const { clock, tree, counter } = runningTree();
      clock.advance(0);
      tree.setSuspend(true);
      clock.advance(500);
      tree.step(0.25);
      expect(tree.getFrame()).toBe(2);
      expect(counter.deltas).toEqual([0.1]);
      tree.quit();
    });

    it("lets quit() end a suspended run(): its frame runs and run() resolves with the code", async () => {
      const { clock, tree, counter, done } = runningTree();
      clock.advance(0);
      tree.setSuspend(true);
      clock.advance(500);
      tree.quit(5);
      clock.advance(0);
      await expect(done).resolves.toBe(5);
      expect(tree.getFrame()).toBe(2);
      expect(counter.deltas).toHaveLength(1); // the quitting frame runs suspended: nothing processes
      expect(clock.pendingCount).toBe(0);
    });

    it("lets finalize() end a suspended run()", async () => {
      const { clock, tree, done } = runningTree();
      clock.advance(0);
      tree.setSuspend(true);
      clock.advance(100);
      tree.finalize();
      clock.advance(0);
      await expect(done).resolves.toBe(0);
      expect(tree.getFrame()).toBe(1);
    });

    it("starts held when suspended before run()", () => {
      const clock = new TestClock();
      const tree = new SceneTree({ clock });
      tree.setSuspend(true);
      void tree.run();
      clock.advance(1_000);
      expect(tree.getFrame()).toBe(0);
      tree.setSuspend(false);
      clock.advance(0);
      expect(tree.getFrame()).toBe(1);
      tree.quit();
      clock.advance(100);
    });
  });
});
