import { Callable } from "../../../src/scene/Callable";
import { Node } from "../../../src/scene/Node";
import { SceneTree } from "../../../src/scene/SceneTree";
import { EaseType, TransitionType } from "../../../src/scene/tween/easing";
import {
  CallbackTweener,
  IntervalTweener,
  MethodTweener,
  PropertyTweener,
} from "../../../src/scene/tween/tweeners";

// Linear steps of a quarter second, so every expected value is exact. At 4 physics ticks a second
// such a frame is one physics step: at the default 60, its 15 steps would pass
// maxPhysicsStepsPerFrame (8) and, as in Godot, the idle step would get 8/60 s instead.
const STEP = 0.25;

class Mover extends Node {
  x = 0;
  pos = { x: 0, y: 0 };
  seen: number[] = [];
  record(value: number): void {
    this.seen.push(value);
  }
}

describe("tweeners", () => {
  let tree: SceneTree;
  let mover: Mover;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true, physicsTicksPerSecond: 4 });
    mover = new Mover("Mover");
    tree.root.addChild(mover);
  });
  afterEach(() => tree.finalize());

  function frames(count: number, read: () => unknown): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < count; i++) {
      tree.step(STEP);
      out.push(read());
    }
    return out;
  }

  test("PropertyTweener: from its value when it starts to the final value, then finished once", () => {
    const tween = mover.createTween();
    const tweener = tween.tweenProperty(mover, "x", 10, 1).setTrans(TransitionType.LINEAR);
    expect(tweener).toBeInstanceOf(PropertyTweener);
    let finished = 0;
    tweener.connect("finished", () => finished++);
    expect(frames(5, () => mover.x)).toEqual([2.5, 5, 7.5, 10, 10]);
    expect(finished).toBe(1);
  });

  test("from(), asRelative() and setDelay() change where and when it moves; components are tweened alone", () => {
    mover.x = 4;
    mover.createTween().tweenProperty(mover, "x", 2, 0.5).from(0).setTrans(TransitionType.LINEAR);
    expect(frames(2, () => mover.x)).toEqual([1, 2]);
    mover.x = 4;
    mover.createTween().tweenProperty(mover, "x", 2, 0.5).asRelative().setTrans(TransitionType.LINEAR);
    expect(frames(2, () => mover.x)).toEqual([5, 6]);
    mover.createTween().tweenProperty(mover, "pos:y", 1, 0.5).setDelay(0.5).setTrans(TransitionType.LINEAR);
    expect(frames(4, () => mover.pos.y)).toEqual([0, 0, 0.5, 1]);
    expect(mover.pos.x).toBe(0);
  });

  test("IntervalTweener waits, then the next tweener runs; CallbackTweener calls once, after its delay", () => {
    const calls: string[] = [];
    const tween = mover.createTween();
    expect(tween.tweenInterval(0.5)).toBeInstanceOf(IntervalTweener);
    const callback = tween.tweenCallback(() => calls.push("called"));
    expect(callback).toBeInstanceOf(CallbackTweener);
    callback.setDelay(0.25);
    expect(frames(4, () => calls.length)).toEqual([0, 0, 1, 1]);
  });

  test("a CallbackTweener whose Callable's target was freed calls nothing", () => {
    const other = new Mover("Other");
    tree.root.addChild(other);
    mover.createTween().tweenCallback(new Callable(other, "record").bind(1)).setDelay(0.25);
    other.free();
    expect(() => frames(2, () => 0)).not.toThrow();
  });

  test("MethodTweener calls the method with the eased value every step", () => {
    const tweener = mover
      .createTween()
      .tweenMethod((v: number) => mover.record(v), 0, 8, 1)
      .setTrans(TransitionType.LINEAR)
      .setEase(EaseType.IN);
    expect(tweener).toBeInstanceOf(MethodTweener);
    frames(4, () => 0);
    expect(mover.seen).toEqual([2, 4, 6, 8]);
  });

  test("bad times, transitions and eases are ERR_INVALID_ARGUMENT", () => {
    const tween = mover.createTween();
    const tweener = tween.tweenProperty(mover, "x", 1, 1);
    expect(() => tweener.setDelay(-1)).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    expect(() => tweener.setTrans(99 as TransitionType)).toThrow("Invalid transition type: 99.");
    expect(() => tweener.setEase(99 as EaseType)).toThrow("Invalid ease type: 99.");
    expect(() => tween.tweenInterval(Infinity)).toThrow("time must be a finite number >= 0, got Infinity.");
    tween.kill();
  });
});
