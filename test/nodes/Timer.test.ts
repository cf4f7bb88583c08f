import { SceneTree } from "../../src/scene/SceneTree";
import { Timer, TimerProcessCallback } from "../../src/nodes/Timer";
import { ProcessMode } from "../../src/scene/Node";
import { FRAME } from "../helpers/recording";

describe("Timer", () => {
  let tree: SceneTree;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
  });

  afterEach(() => tree.finalize());

  function timer(props: Partial<Pick<Timer, "waitTime" | "oneShot" | "autostart">> = {}): Timer {
    const t = new Timer("T");
    Object.assign(t, props);
    tree.root.addChild(t);
    return t;
  }

  function framesOfTimeouts(t: Timer, frames: number): number[] {
    const fired: number[] = [];
    t.on("timeout", () => fired.push(tree.getFrame() + 1));
    for (let i = 0; i < frames; i++) tree.step(FRAME);
    return fired;
  }

  it("does nothing until started; autostart starts it when ready", () => {
    expect(framesOfTimeouts(timer({ waitTime: 0.1 }), 20)).toEqual([]);
  });

  it("repeats, carrying the overshoot over", () => {
    const t = timer({ waitTime: 0.1, autostart: true });
    // 0.1 s = 6 frames; the remainder makes every cycle exactly 6 frames.
    expect(framesOfTimeouts(t, 30)).toEqual([7, 13, 19, 25]);
  });

  it("stops after one timeout when oneShot", () => {
    const t = timer({ waitTime: 0.05, oneShot: true, autostart: true });
    expect(framesOfTimeouts(t, 30)).toEqual([4]);
    expect(t.isStopped()).toBe(true);
    expect(t.timeLeft).toBe(0);
  });

  it("start(time) sets waitTime; stop() stops; paused freezes timeLeft", () => {
    const t = timer();
    t.start(0.5);
    expect(t.waitTime).toBe(0.5);
    tree.step(FRAME);
    const left = t.timeLeft;
    t.paused = true;
    tree.step(FRAME);
    expect(t.timeLeft).toBe(left);
    t.paused = false;
    tree.step(FRAME);
    expect(t.timeLeft).toBeLessThan(left);
    t.stop();
    expect(t.isStopped()).toBe(true);
  });

  it("ticks in physics steps with processCallback PHYSICS", () => {
    const t = timer({ waitTime: 0.05, oneShot: true });
    t.processCallback = TimerProcessCallback.PHYSICS;
    t.start();
    const fired: string[] = [];
    t.on("timeout", () => fired.push(tree.getPhysicsFrame() + 1 + ":physics"));
    for (let i = 0; i < 10; i++) tree.step(FRAME);
    expect(fired).toEqual(["4:physics"]);
  });

  it("follows the tree's pause through its process mode", () => {
    const t = timer({ waitTime: 0.05, autostart: true });
    tree.paused = true;
    expect(framesOfTimeouts(t, 10)).toEqual([]);
    t.processMode = ProcessMode.ALWAYS;
    expect(framesOfTimeouts(t, 4)).toEqual([14]);
  });

  it("refuses to start outside the tree and refuses a non-positive waitTime", () => {
    const loose = new Timer("Loose");
    expect(() => loose.start()).toThrow(expect.objectContaining({ code: "ERR_NOT_IN_TREE" }));
    expect(() => (loose.waitTime = 0)).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
  });
});

describe("Timer#maxTimeoutsPerTick", () => {
  it("fires a timer shorter than a frame once per frame by default, up to the limit when raised", () => {
    const tree = new SceneTree({ fatalErrors: true });
    const timer = new Timer("T");
    timer.waitTime = 0.005; // 3.33 timeouts per 1/60 s frame
    tree.root.addChild(timer);
    timer.start();
    let fired = 0;
    timer.on("timeout", () => fired++);
    tree.step(FRAME);
    expect(fired).toBe(1);
    timer.maxTimeoutsPerTick = 10;
    fired = 0;
    tree.step(FRAME);
    expect(fired).toBe(5); // -0.0067 carried over, minus a frame: 5 x 0.005 to get back above zero
    expect(() => (timer.maxTimeoutsPerTick = 0)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
    tree.finalize();
  });
});

describe("Timer and tree.timeScale", () => {
  // 1/64 s frames and 64 physics ticks: every sum below is exact in binary.
  const DELTA = 1 / 64;

  function firstTimeout(configure: (timer: Timer) => void, delta = DELTA): number {
    const tree = new SceneTree({ fatalErrors: true, physicsTicksPerSecond: 64 });
    tree.timeScale = 0.5;
    const timer = Object.assign(new Timer("T"), { waitTime: 0.25, autostart: true });
    configure(timer);
    tree.root.addChild(timer);
    let frame = 0;
    timer.on("timeout", () => (frame ||= tree.getFrame() + 1));
    for (let i = 0; i < 64 && frame === 0; i++) tree.step(delta);
    tree.finalize();
    return frame;
  }

  it("counts scaled time: 0.25 s at half speed takes 32 frames of 1/64 s (it fires below zero, on the 33rd)", () => {
    expect(firstTimeout(() => undefined)).toBe(33);
    expect(firstTimeout((t) => (t.processCallback = TimerProcessCallback.PHYSICS))).toBe(33);
  });

  it("ignoreTimeScale counts the real delta", () => {
    expect(firstTimeout((t) => (t.ignoreTimeScale = true))).toBe(17);
  });

  it("a PHYSICS timer that ignores the time scale counts the idle frame's delta each physics step, as Godot does", () => {
    // Frames of 1/32 s run two physics steps; Godot subtracts Engine.get_process_step() (1/32) in each.
    const physics = (t: Timer) => {
      t.processCallback = TimerProcessCallback.PHYSICS;
      t.ignoreTimeScale = true;
    };
    expect(firstTimeout(physics, 1 / 32)).toBe(5); // 9 steps x 1/32 > 0.25: the first step of frame 5
  });
});
