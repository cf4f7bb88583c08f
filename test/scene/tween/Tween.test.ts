import { SceneTree } from "../../../src/scene/SceneTree";
import { Node, ProcessMode } from "../../../src/scene/Node";
import { Callable } from "../../../src/scene/Callable";
import { UserCallbackError } from "../../../src/core/errors";
import { EaseType, TransitionType, runEquation } from "../../../src/scene/tween/easing";
import { Tween, TweenPauseMode, TweenProcessMode } from "../../../src/scene/tween/Tween";
import { FRAME } from "../../helpers/recording";

/**
 * Godot 4's Tween (scene/animation/tween.cpp) frame by frame. Expected values are written out from
 * Godot's arithmetic: elapsed time is the double sum of the frame deltas, the eased weight is a 32-bit
 * float (`run_equation` works in `real_t`), and the blend `a + (b - a) * weight` is done in double.
 */

const f = Math.fround;

/** Elapsed time after each of `frames` frames, summed in double as a tweener sums its deltas. */
function elapsedTimes(frames: number, delta = FRAME): number[] {
  const times: number[] = [];
  let t = 0;
  for (let i = 0; i < frames; i++) times.push((t += delta));
  return times;
}

describe("Tween", () => {
  let tree: SceneTree;
  let node: Node;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    node = new Node("Mover");
    tree.root.addChild(node);
  });

  afterEach(() => tree.finalize());

  /** Runs `frames` frames and returns `read()` after each. */
  function perFrame<T>(frames: number, read: () => T, delta = FRAME): T[] {
    const values: T[] = [];
    for (let i = 0; i < frames; i++) {
      tree.step(delta);
      values.push(read());
    }
    return values;
  }

  describe("tweenProperty", () => {
    it("eases linearly with Godot's exact value every frame and sets the final value last", () => {
      const target = { v: 0 };
      const tween = node.createTween();
      tween.tweenProperty(target, "v", 100, 0.25);
      const finished: number[] = [];
      tween.connect("finished", () => finished.push(tree.getFrame() + 1));

      const values = perFrame(16, () => target.v);
      expect(values[0]).toBe(6.666667014360428); // 100 * float(1/60) / 0.25
      // LINEAR with d = 0.25 is float(t) / 0.25, exact in binary: 400 * float(t).
      expect(values.slice(0, 15)).toEqual(elapsedTimes(15).map((t) => 400 * f(t)));
      // 15 frames of 1/60 add up to 0.24999999999999997 s: frame 15 reads 100 (float(t) rounds to 0.25)
      // but the tweener is not done; it finishes on frame 16, as in Godot.
      expect(values[14]).toBe(100);
      expect(finished).toEqual([16]);
      expect(values[15]).toBe(100);
    });

    it("uses the property's value when its step starts, not when it was appended", () => {
      const target = { v: 10 };
      const tween = tree.createTween();
      tween.tweenInterval(2 * FRAME + 1e-9);
      tween.tweenProperty(target, "v", 20, 1);
      target.v = 0; // changed after appending, before the step starts
      const values = perFrame(3, () => target.v);
      // The interval ends in frame 3 with a leftover of 1/60 - 1e-9 s, which the property tweener uses.
      const leftover = elapsedTimes(3)[2] - (2 * FRAME + 1e-9);
      expect(values).toEqual([0, 0, 0 + 20 * f(leftover)]);
    });

    it("from(value) starts from the given value; fromCurrent() from the value when appended", () => {
      const a = { v: 0 };
      const b = { v: 10 };
      const tween = tree.createTween().setParallel();
      tween.tweenProperty(a, "v", 100, 1).from(50);
      tween.tweenProperty(b, "v", 20, 1).fromCurrent();
      b.v = -1000;
      tree.step(FRAME);
      expect(a.v).toBe(50 + 50 * f(FRAME));
      expect(b.v).toBe(10 + 10 * f(FRAME));
    });

    it("asRelative() adds the final value to the starting one", () => {
      const target = { v: 5 };
      node.createTween().tweenProperty(target, "v", 10, 1).asRelative();
      tree.step(FRAME);
      expect(target.v).toBe(5 + (15 - 5) * f(FRAME));
      for (let i = 0; i < 60; i++) tree.step(FRAME);
      expect(target.v).toBe(15);
    });

    it("setDelay() holds the value, then takes the value current at the end of the delay", () => {
      const target = { v: 0 };
      node.createTween().tweenProperty(target, "v", 30, 0.5).setDelay(0.1);
      const seen: number[] = [];
      for (let i = 1; i <= 8; i++) {
        if (i === 4) target.v = 6; // during the delay: the tween starts from here
        tree.step(FRAME);
        seen.push(target.v);
      }
      const times = elapsedTimes(8);
      expect(times[5]).toBeLessThan(0.1); // 6 frames: 0.09999999999999999, still waiting
      expect(seen.slice(0, 6)).toEqual([0, 0, 0, 6, 6, 6]);
      expect(seen[6]).toBe(6 + 24 * f(f(times[6] - 0.1) / f(0.5)));
      expect(seen[7]).toBe(6 + 24 * f(f(times[7] - 0.1) / f(0.5)));
    });

    it("setTrans/setEase on the tweener, or as the tween's defaults for later tweeners", () => {
      const a = { v: 0 };
      const b = { v: 0 };
      const c = { v: 0 };
      const tween = tree.createTween().setParallel();
      tween.tweenProperty(a, "v", 1, 1); // LINEAR, IN_OUT: Godot's defaults
      tween.setTrans(TransitionType.BOUNCE).setEase(EaseType.OUT);
      tween.tweenProperty(b, "v", 1, 1);
      tween.tweenProperty(c, "v", 1, 1).setTrans(TransitionType.ELASTIC).setEase(EaseType.IN_OUT);
      const times = elapsedTimes(30);
      const values = perFrame(30, () => [a.v, b.v, c.v]);
      expect(values).toEqual(
        times.map((t) => [
          f(t),
          runEquation(TransitionType.BOUNCE, EaseType.OUT, t, 0, 1, 1),
          runEquation(TransitionType.ELASTIC, EaseType.IN_OUT, t, 0, 1, 1),
        ]),
      );
    });

    it("tweens objects of numbers component by component, and one component by path", () => {
      class Sprite {
        private _position = { x: 0, y: 0 };
        sets = 0;
        get position(): { x: number; y: number } {
          return this._position;
        }
        set position(value: { x: number; y: number }) {
          this.sets++;
          this._position = value;
        }
        scale = { x: 1, y: 1 };
      }
      const sprite = new Sprite();
      const final = { x: 60, y: -30 };
      const tween = tree.createTween();
      tween.tweenProperty(sprite, "position", final, 0.5);
      tween.parallel().tweenProperty(sprite, "scale:y", 3, 0.5);
      tree.step(FRAME);
      const w = f(f(FRAME) / f(0.5));
      expect(sprite.position).toEqual({ x: 60 * w, y: -30 * w });
      expect(sprite.scale).toEqual({ x: 1, y: 1 + 2 * w });
      expect(sprite.sets).toBe(1); // a new object through the setter, as Godot sets a Vector2
      for (let i = 0; i < 40; i++) tree.step(FRAME);
      expect(sprite.position).toEqual(final);
      expect(sprite.position).not.toBe(final); // a copy: the tween never shares the caller's object
      expect(sprite.scale).toEqual({ x: 1, y: 3 });
    });

    it("rejects a missing property, a value of another shape, and non-numbers, with typed errors", () => {
      const tween = tree.createTween();
      const target = { v: 0, p: { x: 0, y: 0 }, s: "text" };
      const invalid = expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" });
      expect(() => tween.tweenProperty(target, "nope" as "v", 1, 1)).toThrow(invalid);
      expect(() => tween.tweenProperty(target, "p:z", 1, 1)).toThrow(invalid);
      expect(() => tween.tweenProperty(target, "v", { x: 1 }, 1)).toThrow(invalid);
      expect(() => tween.tweenProperty(target, "p", { x: 1 }, 1)).toThrow(invalid);
      expect(() => tween.tweenProperty(target, "s", 1, 1)).toThrow(invalid);
      expect(() => tween.tweenProperty(target, "v", 1, -1)).toThrow(invalid);
      expect(() => tween.tweenProperty(target, "v", 1, 1).from({ x: 0 })).toThrow(invalid);
    });

    it("finishes a tweener whose target object was freed, and goes on", () => {
      const other = new Node("Other");
      tree.root.addChild(other);
      const done: string[] = [];
      const tween = tree.createTween();
      tween.tweenProperty(other, "processPriority", 10, 1).connect("finished", () => done.push("property"));
      tween.tweenCallback(() => done.push("callback"));
      other.free();
      tree.step(FRAME);
      expect(done).toEqual(["property", "callback"]);
    });
  });

  describe("tweenInterval, tweenCallback, tweenMethod", () => {
    it("runs steps one after another, carrying each step's leftover time into the next", () => {
      const log: string[] = [];
      const tween = node.createTween();
      tween.tweenInterval(0.03);
      tween.tweenCallback(() => log.push(`callback@${tree.getFrame() + 1}`));
      tween.tweenInterval(0.01);
      tween.tweenCallback(() => log.push(`second@${tree.getFrame() + 1}`));
      tween.connect("stepFinished", (idx) => log.push(`step${idx}@${tree.getFrame() + 1}`));
      perFrame(4, () => null);
      // Frame 2 ends the 0.03 s interval with 1/300 s left over: the callback runs in the same frame,
      // then the 0.01 s interval takes that leftover and finishes in frame 3 (0.05 - 0.03 = 0.02 > 0.01).
      expect(log).toEqual(["step0@2", "callback@2", "step1@2", "step2@3", "second@3", "step3@3"]);
    });

    it("a step that ends exactly on a frame boundary leaves no time: the next runs in the next frame", () => {
      const log: number[] = [];
      const tween = tree.createTween();
      tween.tweenInterval(0.05); // 3 frames of 1/60 sum to exactly 0.05
      tween.tweenCallback(() => log.push(tree.getFrame() + 1));
      perFrame(4, () => null);
      expect(log).toEqual([4]);
    });

    it("tweenCallback accepts a Callable and skips it once its target is freed", () => {
      class Target extends Node {
        calls = 0;
        hit(): void {
          this.calls++;
        }
      }
      const live = new Target("Live");
      const dead = new Target("Dead");
      tree.root.addChild(live);
      tree.root.addChild(dead);
      const tween = tree.createTween().setParallel();
      tween.tweenCallback(new Callable(live, "hit"));
      tween.tweenCallback(new Callable(dead, "hit"));
      dead.free();
      tree.step(FRAME);
      expect(live.calls).toBe(1);
    });

    it("tweenCallback's setDelay waits within a parallel step", () => {
      const log: number[] = [];
      const tween = tree.createTween().setParallel();
      tween.tweenCallback(() => log.push(tree.getFrame() + 1)).setDelay(0.04);
      tween.tweenCallback(() => log.push(-(tree.getFrame() + 1)));
      perFrame(4, () => null);
      expect(log).toEqual([-1, 3]);
    });

    it("tweenMethod calls the method with the eased value every frame, the final value last", () => {
      const values: unknown[] = [];
      node
        .createTween()
        .tweenMethod((v: number) => values.push(v), 2, 8, 0.05)
        .setTrans(TransitionType.QUAD)
        .setEase(EaseType.IN);
      perFrame(4, () => null);
      const times = elapsedTimes(2);
      expect(values).toEqual([
        2 + 6 * runEquation(TransitionType.QUAD, EaseType.IN, times[0], 0, 1, 0.05),
        2 + 6 * runEquation(TransitionType.QUAD, EaseType.IN, times[1], 0, 1, 0.05),
        8,
      ]);
    });

    it("tweenMethod tweens objects of numbers, handing each call a fresh object", () => {
      const values: Array<{ x: number; y: number }> = [];
      tree
        .createTween()
        .tweenMethod((v: { x: number; y: number }) => values.push(v), { x: 0, y: 4 }, { x: 6, y: 0 }, 0.5);
      perFrame(2, () => null);
      const w = elapsedTimes(2).map((t) => f(f(t) / f(0.5)));
      expect(values).toEqual([
        { x: 6 * w[0], y: 4 + (0 - 4) * w[0] },
        { x: 6 * w[1], y: 4 + (0 - 4) * w[1] },
      ]);
      expect(values[0]).not.toBe(values[1]);
    });
  });

  describe("parallel, setParallel, chain", () => {
    it("parallel() joins the next tweener to the previous step; chain() starts a new one", () => {
      const steps: number[] = [];
      const log: string[] = [];
      const tween = tree.createTween();
      tween.tweenCallback(() => log.push("a"));
      tween.parallel().tweenCallback(() => log.push("b"));
      tween.tweenCallback(() => log.push("c"));
      tween.connect("stepFinished", (idx) => steps.push(idx));
      tree.step(FRAME);
      expect(log).toEqual(["a", "b", "c"]);
      expect(steps).toEqual([0, 1]);

      const steps2: number[] = [];
      const tween2 = tree.createTween().setParallel();
      tween2.tweenCallback(() => undefined);
      tween2.tweenCallback(() => undefined);
      tween2.chain().tweenCallback(() => undefined);
      tween2.tweenCallback(() => undefined); // parallel again: setParallel is the default
      tween2.connect("stepFinished", (idx) => steps2.push(idx));
      tree.step(FRAME);
      expect(steps2).toEqual([0, 1]);
    });

    it("a parallel step lasts as long as its longest tweener", () => {
      const a = { v: 0 };
      const b = { v: 0 };
      const tween = tree.createTween().setParallel();
      tween.tweenProperty(a, "v", 1, 2 * FRAME);
      tween.tweenProperty(b, "v", 1, 4 * FRAME);
      const stepDone: number[] = [];
      tween.connect("stepFinished", () => stepDone.push(tree.getFrame() + 1));
      const values = perFrame(5, () => [a.v, b.v]);
      expect(values.map(([va]) => va)).toEqual([f(f(FRAME) / f(2 * FRAME)), 1, 1, 1, 1]);
      expect(stepDone).toEqual([4]);
    });
  });

  describe("setLoops", () => {
    it("repeats the steps, emitting loopFinished between loops and finished once", () => {
      const log: string[] = [];
      const tween = tree.createTween().setLoops(3);
      tween.tweenInterval(0.04);
      tween.connect("loopFinished", (n) => log.push(`loop${n}@${tree.getFrame() + 1}`));
      tween.connect("finished", () => log.push(`finished@${tree.getFrame() + 1}`));
      expect(tween.getLoopsLeft()).toBe(3);
      perFrame(9, () => null);
      // 0.04 s loops on 1/60 s frames: each loop's leftover carries into the next.
      expect(log).toEqual(["loop1@3", "loop2@5", "finished@8"]);
      expect(tween.getLoopsLeft()).toBe(0);
    });

    it("setLoops() with no count loops forever", () => {
      const loops: number[] = [];
      const tween = tree.createTween().setLoops();
      tween.tweenInterval(FRAME);
      tween.connect("loopFinished", (n) => loops.push(n));
      perFrame(100, () => null);
      expect(tween.getLoopsLeft()).toBe(-1);
      expect(loops).toEqual(Array.from({ length: 100 }, (_, i) => i + 1)); // one loop a frame, no leftover
      expect(tween.isValid()).toBe(true);
    });

    it("stops an infinite loop whose steps take no time, reporting it", () => {
      const errors: UserCallbackError[] = [];
      const soft = new SceneTree({ onError: (error) => errors.push(error) });
      let calls = 0;
      const tween = soft.createTween().setLoops();
      tween.tweenCallback(() => calls++);
      soft.step(FRAME);
      expect(calls).toBe(2); // a second loop that used no time makes Godot sure
      expect(errors).toHaveLength(1);
      expect(errors[0].cause).toMatchObject({ code: "ERR_TWEEN_INVALID" });
      expect(tween.isValid()).toBe(false);
      soft.finalize();
    });
  });

  describe("speed, time scale, process and pause modes", () => {
    it("setSpeedScale multiplies every delta, as a 32-bit float", () => {
      const target = { v: 0 };
      const tween = tree.createTween().setSpeedScale(0.1);
      tween.tweenProperty(target, "v", 1, 1);
      tree.step(FRAME);
      expect(target.v).toBe(f(FRAME * f(0.1)));
      expect(tween.getTotalElapsedTime()).toBe(FRAME * f(0.1));
    });

    it("a tween callback that pauses or unpauses the tree holds or frees the tweens after it in the same pass", () => {
      const stepped: string[] = [];
      tree.createTween().tweenCallback(() => (tree.paused = true));
      tree.createTween().tweenCallback(() => stepped.push(`unbound ${tree.getFrame()}`));
      tree
        .createTween()
        .setPauseMode(TweenPauseMode.STOP)
        .tweenCallback(() => stepped.push(`stop ${tree.getFrame()}`));
      tree.step(FRAME);
      expect(stepped).toEqual([]); // Godot's process_tweens reads the tree's paused flag for each tween
      tree
        .createTween()
        .setPauseMode(TweenPauseMode.PROCESS)
        .tweenCallback(() => (tree.paused = false));
      tree
        .createTween()
        .setPauseMode(TweenPauseMode.STOP)
        .tweenCallback(() => stepped.push(`late stop ${tree.getFrame()}`));
      tree.step(FRAME); // the tweens before the unpausing one were passed over while still paused
      expect(stepped).toEqual(["late stop 1"]);
      tree.step(FRAME);
      expect(stepped).toEqual(["late stop 1", "unbound 2", "stop 2"]);
    });

    it("tree.timeScale scales the tween's delta; setIgnoreTimeScale uses the real one", () => {
      tree.timeScale = 0.5;
      const scaled = { v: 0 };
      const real = { v: 0 };
      tree.createTween().tweenProperty(scaled, "v", 1, 1);
      tree.createTween().setIgnoreTimeScale().tweenProperty(real, "v", 1, 1);
      tree.step(FRAME);
      expect(scaled.v).toBe(f(FRAME * 0.5));
      expect(real.v).toBe(f(FRAME));
    });

    it("TweenProcessMode.PHYSICS steps in each physics step with the physics delta", () => {
      const deltas: number[] = [];
      let last = 0;
      const tween = tree.createTween().setProcessMode(TweenProcessMode.PHYSICS);
      tween.tweenMethod(
        (v: number) => {
          deltas.push(v - last);
          last = v;
        },
        0,
        10,
        10,
      );
      tree.step(2 / 60); // two physics steps of 1/60
      expect(deltas).toHaveLength(2);
      expect(last).toBe(10 * f(f(2 * FRAME) / 10));
    });

    it("a bound tween follows its node's pause: stops with a pausable node, runs with ALWAYS", () => {
      const pausable = { v: 0 };
      const always = { v: 0 };
      const alwaysNode = new Node("Always");
      alwaysNode.processMode = ProcessMode.ALWAYS;
      tree.root.addChild(alwaysNode);
      node.createTween().tweenProperty(pausable, "v", 1, 1);
      alwaysNode.createTween().tweenProperty(always, "v", 1, 1);
      tree.paused = true;
      tree.step(FRAME);
      expect(pausable.v).toBe(0);
      expect(always.v).toBe(f(FRAME));
      tree.paused = false;
      tree.step(FRAME);
      expect(pausable.v).toBe(f(FRAME));
    });

    it("TweenPauseMode STOP and PROCESS decide for unbound tweens (and override the node for PROCESS)", () => {
      const stop = { v: 0 };
      const process = { v: 0 };
      const boundProcess = { v: 0 };
      tree.createTween().tweenProperty(stop, "v", 1, 1); // BOUND without a node acts as STOP
      tree.createTween().setPauseMode(TweenPauseMode.PROCESS).tweenProperty(process, "v", 1, 1);
      node.createTween().setPauseMode(TweenPauseMode.PROCESS).tweenProperty(boundProcess, "v", 1, 1);
      tree.paused = true;
      tree.step(FRAME);
      expect([stop.v, process.v, boundProcess.v]).toEqual([0, f(FRAME), f(FRAME)]);
    });

    it("a bound tween waits while its node is out of the tree and dies when the node is freed", () => {
      const target = { v: 0 };
      const tween = node.createTween();
      tween.tweenProperty(target, "v", 1, 1);
      tree.root.removeChild(node);
      tree.step(FRAME);
      expect(target.v).toBe(0);
      tree.root.addChild(node);
      tree.step(FRAME);
      expect(target.v).toBe(f(FRAME));
      node.free();
      expect(tween.isValid()).toBe(true);
      tree.step(FRAME);
      expect(tween.isValid()).toBe(false);
      expect(target.v).toBe(f(FRAME));
      expect(tree.getProcessedTweens()).toEqual([]);
    });

    it("createTween on a node outside the tree is ERR_NOT_IN_TREE, as in Godot 4", () => {
      const loose = new Node("Loose");
      expect(() => loose.createTween()).toThrow(expect.objectContaining({ code: "ERR_NOT_IN_TREE" }));
      expect(tree.getProcessedTweens()).toEqual([]);
      loose.free();
    });
  });

  describe("play, pause, stop, kill, isRunning, isValid", () => {
    it("a tree that is finalized clears its tweens: none stays valid or takes tweeners", () => {
      const own = new SceneTree({ fatalErrors: true });
      const tween = own.createTween();
      tween.tweenInterval(1);
      own.step(FRAME);
      own.finalize();
      expect(tween.isValid()).toBe(false);
      expect(() => tween.tweenInterval(1)).toThrow(/invalid/i);
    });

    it("pause() keeps the position, play() resumes; stop() rewinds to the first step", () => {
      const target = { v: 0 };
      const tween = tree.createTween();
      tween.tweenProperty(target, "v", 60, 1);
      tree.step(FRAME);
      tween.pause();
      expect(tween.isRunning()).toBe(false);
      tree.step(FRAME);
      expect(target.v).toBe(60 * f(FRAME));
      tween.play();
      tree.step(FRAME);
      expect(target.v).toBe(60 * f(2 * FRAME));
      tween.stop();
      target.v = 0;
      tween.play();
      tree.step(FRAME);
      expect(target.v).toBe(60 * f(FRAME));
    });

    it("emits finished, stops running and becomes invalid at the next step; play() then throws", () => {
      const tween = tree.createTween();
      tween.tweenInterval(FRAME / 2);
      let finished = 0;
      tween.connect("finished", () => finished++);
      expect(tween.isRunning()).toBe(true);
      tree.step(FRAME);
      expect(finished).toBe(1);
      expect(tween.isRunning()).toBe(false);
      expect(tween.isValid()).toBe(true); // discarded at its next step
      expect(tree.getProcessedTweens()).toContain(tween); // as Godot's get_processed_tweens until then
      expect(() => tween.play()).toThrow(expect.objectContaining({ code: "ERR_TWEEN_INVALID" }));
      tree.step(FRAME);
      expect(tween.isValid()).toBe(false);
      expect(tree.getProcessedTweens()).not.toContain(tween);
      expect(() => tween.tweenInterval(1)).toThrow(expect.objectContaining({ code: "ERR_TWEEN_INVALID" }));
    });

    it("kill() aborts without finished", () => {
      const target = { v: 0 };
      const tween = tree.createTween();
      tween.tweenProperty(target, "v", 1, 1);
      let finished = 0;
      tween.connect("finished", () => finished++);
      tree.step(FRAME);
      tween.kill();
      tree.step(FRAME);
      expect(target.v).toBe(f(FRAME));
      expect(finished).toBe(0);
      expect(tween.isValid()).toBe(false);
    });

    it("can't append once started (ERR_TWEEN_STARTED) until stop()", () => {
      const tween = tree.createTween();
      tween.tweenInterval(1);
      tree.step(FRAME);
      expect(() => tween.tweenInterval(1)).toThrow(expect.objectContaining({ code: "ERR_TWEEN_STARTED" }));
      tween.stop();
      expect(() => tween.tweenInterval(1)).not.toThrow();
    });

    it("a tween made with new is invalid, as in Godot", () => {
      const tween = new Tween();
      expect(tween.isValid()).toBe(false);
      expect(() => tween.tweenInterval(1)).toThrow(expect.objectContaining({ code: "ERR_TWEEN_INVALID" }));
    });

    it("customStep() steps a paused tween by hand", () => {
      const target = { v: 0 };
      const tween = tree.createTween();
      tween.tweenProperty(target, "v", 1, 1);
      tween.pause();
      expect(tween.customStep(0.25)).toBe(true);
      expect(target.v).toBe(0.25);
      expect(tween.isRunning()).toBe(false);
    });
  });

  describe("errors", () => {
    it("a Callable whose method is missing ends its tweener at once and silently, as Godot's is_valid() check does", () => {
      const errors: UserCallbackError[] = [];
      const soft = new SceneTree({ onError: (error) => errors.push(error) });
      const holder = new Node("Holder");
      soft.root.addChild(holder);
      const order: string[] = [];
      const tween = holder.createTween();
      tween.tweenMethod(new Callable(holder, "noSuchMethod"), 0, 1, 0.5);
      tween.tweenCallback(() => order.push(`next ${soft.getFrame()}`));
      tween.tweenCallback(new Callable(holder, "alsoMissing"));
      tween.connect("finished", () => order.push(`finished ${soft.getFrame()}`));
      soft.step(FRAME);
      expect(order).toEqual(["next 0", "finished 0"]);
      expect(errors).toEqual([]);
      soft.finalize();
    });

    it("a tween started with no tweeners is reported and discarded", () => {
      const errors: UserCallbackError[] = [];
      const soft = new SceneTree({ onError: (error) => errors.push(error) });
      const holder = new Node("Holder");
      soft.root.addChild(holder);
      const tween = holder.createTween();
      soft.step(FRAME);
      expect(errors).toHaveLength(1);
      expect(errors[0].nodePath).toBe("/root/Holder");
      expect(errors[0].message).toContain("Tween (bound to /root/Holder): started with no Tweeners.");
      expect(tween.isValid()).toBe(false);
      soft.finalize();
    });

    it("a throwing callback is reported with the bound node's path, and the tween goes on", () => {
      const errors: UserCallbackError[] = [];
      const soft = new SceneTree({ onError: (error) => errors.push(error) });
      const holder = new Node("Holder");
      soft.root.addChild(holder);
      const log: string[] = [];
      const tween = holder.createTween();
      tween.tweenCallback(() => {
        throw new Error("boom");
      });
      tween.tweenCallback(() => log.push("after"));
      soft.step(FRAME);
      expect(errors.map((e) => [e.nodePath, e.callback])).toEqual([["/root/Holder", "tween callback"]]);
      expect(log).toEqual(["after"]);
      soft.finalize();
    });

    it("a start value that can't be read is reported, and the frame goes on", () => {
      const errors: UserCallbackError[] = [];
      const soft = new SceneTree({ onError: (error) => errors.push(error) });
      const holder = new Node("Holder");
      soft.root.addChild(holder);
      const target: { v: unknown; w: number; p: { x: number } } = { v: 0, w: 0, p: { x: 0 } };
      const tween = holder.createTween();
      tween.tweenProperty(target, "v", 10, 1);
      tween.parallel().tweenProperty(target, "p", { x: 1 }, 1);
      const other = soft.createTween();
      other.tweenProperty(target, "w", 10, 1);
      target.v = "ten";
      target.p = { x: 0, y: 0 } as { x: number };
      soft.step(FRAME);
      expect(errors.map((e) => [e.nodePath, e.callback])).toEqual([
        ["/root/Holder", 'tweened property "v"'],
        ["/root/Holder", 'tweened property "p"'],
      ]);
      expect(target.w).toBeGreaterThan(0); // the tween after it still stepped
      expect(target.v).toBeCloseTo(10 / 60, 5); // from the value it had when appended
      soft.finalize();
    });

    it("with fatalErrors a throwing callback comes out of step()", () => {
      node.createTween().tweenCallback(() => {
        throw new Error("boom");
      });
      expect(() => tree.step(FRAME)).toThrow(UserCallbackError);
    });
  });
});
