/**
 * Godot 4's tests/scene/test_timer.cpp (commit 00bac1cb), translated case by case (SUBCASEs become
 * `it`s with the shared setup in `beforeEach`). Where Godot prints an error and leaves the value as it
 * was (`set_wait_time(-22.0)`), scenetree throws a typed error (the README's misuse rule); those lines
 * say so. `SceneTree::process(delta)` and `SceneTree::physics_process(delta)` are `tree.process(delta)`
 * and `tree.physicsProcess(delta)`: the idle step alone and one physics step alone.
 */
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import { Timer, TimerProcessCallback } from "../../src/nodes/Timer";
import type { GodotObject } from "../../src/scene/GodotObject";

let tree: SceneTree;
let testTimer: Timer;

beforeEach(() => {
  tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
  testTimer = new Timer(); // memnew(Timer)
});

afterEach(() => {
  testTimer.free(); // memdelete(test_timer)
  tree.finalize();
});

/** SIGNAL_WATCH: records the arguments of each emission of `signal`; `unwatch` is SIGNAL_UNWATCH. */
function signalWatch(object: GodotObject, signal: string): { emissions: unknown[][]; unwatch: () => void } {
  const emissions: unknown[][] = [];
  const unwatch = object.connect(signal, (...args: unknown[]) => {
    emissions.push(args);
  });
  return { emissions, unwatch };
}

describe("[SceneTree][Timer] Check Timer Setters and Getters", () => {
  it("[Timer] Timer set and get wait time", () => {
    // check default
    expect(testTimer.waitTime).toBeCloseTo(1.0);

    testTimer.waitTime = 50.0;
    expect(testTimer.waitTime).toBeCloseTo(50.0);

    testTimer.waitTime = 42.0;
    expect(testTimer.waitTime).toBeCloseTo(42.0);

    // wait time remains unchanged if we attempt to set it negative or zero
    // Godot: ERR_FAIL_COND_MSG (prints "Time should be greater than zero." and returns).
    expect(() => (testTimer.waitTime = -22.0)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
    expect(testTimer.waitTime).toBeCloseTo(42.0);

    // Godot: ERR_FAIL_COND_MSG, as above.
    expect(() => (testTimer.waitTime = 0.0)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
    expect(testTimer.waitTime).toBeCloseTo(42.0);
  });

  it("[Timer] Timer set and get one shot", () => {
    // check default
    expect(testTimer.oneShot).toBe(false);

    testTimer.oneShot = true;
    expect(testTimer.oneShot).toBe(true);

    testTimer.oneShot = false;
    expect(testTimer.oneShot).toBe(false);
  });

  it("[Timer] Timer set and get autostart", () => {
    // check default
    expect(testTimer.autostart).toBe(false);

    testTimer.autostart = true;
    expect(testTimer.autostart).toBe(true);

    testTimer.autostart = false;
    expect(testTimer.autostart).toBe(false);
  });

  it("[Timer] Timer start and stop", () => {
    // Godot's subcase only sets autostart (it checks nothing); the value is checked here.
    testTimer.autostart = false;
    expect(testTimer.autostart).toBe(false);
  });

  it("[Timer] Timer set and get paused", () => {
    // check default
    expect(testTimer.paused).toBe(false);

    testTimer.paused = true;
    expect(testTimer.paused).toBe(true);

    testTimer.paused = false;
    expect(testTimer.paused).toBe(false);
  });
});

describe("[SceneTree][Timer] Check Timer Start and Stop", () => {
  it("[Timer] Timer start and stop", () => {
    tree.root.addChild(testTimer);

    testTimer.start(5.0);

    expect(testTimer.waitTime).toBeCloseTo(5.0);
    expect(testTimer.timeLeft).toBeCloseTo(5.0);

    testTimer.start(-2.0);

    // the wait time and time left remains unchanged when started with a negative start time
    expect(testTimer.waitTime).toBeCloseTo(5.0);
    expect(testTimer.timeLeft).toBeCloseTo(5.0);

    testTimer.stop();
    expect(testTimer.isProcessing()).toBe(false);
    expect(testTimer.autostart).toBe(false);
  });
});

describe("[SceneTree][Timer] Check Timer process callback", () => {
  it("[Timer] Timer process callback", () => {
    // check default
    expect(testTimer.processCallback).toBe(TimerProcessCallback.IDLE);

    testTimer.processCallback = TimerProcessCallback.PHYSICS;
    expect(testTimer.processCallback).toBe(TimerProcessCallback.PHYSICS);

    testTimer.processCallback = TimerProcessCallback.IDLE;
    expect(testTimer.processCallback).toBe(TimerProcessCallback.IDLE);
  });
});

describe("[SceneTree][Timer] Check Timer timeout signal", () => {
  beforeEach(() => {
    tree.root.addChild(testTimer);

    testTimer.setProcess(true);
    testTimer.setPhysicsProcess(true);
  });

  it("[Timer] Timer process timeout signal must be emitted", () => {
    const watch = signalWatch(testTimer, "timeout");
    testTimer.start(0.1);

    tree.process(0.2);

    const signalArgs: unknown[][] = [[]];

    // SIGNAL_CHECK: emitted once, with no arguments.
    expect(watch.emissions).toEqual(signalArgs);

    watch.unwatch();
  });

  it("[Timer] Timer process timeout signal must not be emitted", () => {
    const watch = signalWatch(testTimer, "timeout");
    testTimer.start(0.1);

    tree.process(0.05);

    // SIGNAL_CHECK_FALSE
    expect(watch.emissions).toEqual([]);
    // Not in Godot's test: the timer did count the step down (so the check above is not vacuous).
    expect(testTimer.timeLeft).toBeCloseTo(0.05);

    watch.unwatch();
  });

  // Godot sets the callback between the subcases: doctest runs it for the two below (and after the two
  // above, where it no longer matters).
  describe("after set_timer_process_callback(TIMER_PROCESS_PHYSICS)", () => {
    beforeEach(() => {
      testTimer.processCallback = TimerProcessCallback.PHYSICS;
    });

    it("[Timer] Timer physics process timeout signal must be emitted", () => {
      const watch = signalWatch(testTimer, "timeout");
      testTimer.start(0.1);

      tree.physicsProcess(0.2);

      const signalArgs: unknown[][] = [[]];

      // SIGNAL_CHECK: emitted once, with no arguments.
      expect(watch.emissions).toEqual(signalArgs);

      watch.unwatch();
    });

    it("[Timer] Timer physics process timeout signal must not be emitted", () => {
      const watch = signalWatch(testTimer, "timeout");
      testTimer.start(0.1);

      tree.physicsProcess(0.05);

      // SIGNAL_CHECK_FALSE
      expect(watch.emissions).toEqual([]);
      // Not in Godot's test: the physics step counted it down.
      expect(testTimer.timeLeft).toBeCloseTo(0.05);

      watch.unwatch();
    });
  });
});

describe("[SceneTree][Timer] Check Timer Autostart behavior", () => {
  it("Timer starts automatically when added to scene if autostart is enabled", () => {
    testTimer.autostart = true;
    tree.root.addChild(testTimer);

    expect(testTimer.isStopped()).toBe(false);
    expect(testTimer.timeLeft).toBeGreaterThan(0.0);
  });
});

describe("[SceneTree][Timer] Check Paused Timer behavior", () => {
  beforeEach(() => {
    tree.root.addChild(testTimer);
  });

  it("Paused Timer doesn't process time and time left remains unchanged", () => {
    testTimer.waitTime = 2.0;
    testTimer.start();
    testTimer.paused = true;

    // Simulate passing time
    tree.process(1.0);

    expect(testTimer.timeLeft).toBeCloseTo(2.0);

    testTimer.paused = false;
    tree.process(1.0);
    expect(testTimer.timeLeft).toBeCloseTo(1.0);
  });
});
