import { SceneTree } from "../../src/scene/SceneTree";
import { Node, ProcessMode } from "../../src/scene/Node";
import { Timer } from "../../src/nodes/Timer";
import { TestClock, type Clock } from "../../src/core/clock";
import { TransitionType } from "../../src/scene/tween/easing";
import { NOTIFICATION_SUSPENDED, NOTIFICATION_UNSUSPENDED } from "../../src/scene/node/notifications";

/**
 * Godot 4's frame loop where a frame departs from the ordinary: a frame longer than
 * `maxPhysicsStepsPerFrame` physics steps (Main::iteration's cap), `quit()` asked for during a physics
 * step, and a suspended tree (SceneTree::set_suspend, Node::can_process).
 */

const TICK = 1 / 60;

/** Records its callbacks' deltas. */
class Probe extends Node {
  process: number[] = [];
  physics: number[] = [];
  onPhysics?: (step: number) => void;
  override _process(delta: number): void {
    this.process.push(delta);
  }
  override _physicsProcess(delta: number): void {
    this.physics.push(delta);
    this.onPhysics?.(this.physics.length);
  }
}

class Mover extends Node {
  x = 0;
}

describe("a long frame: the physics steps past the cap are cut from the idle step too", () => {
  let tree: SceneTree;
  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true }); // 60 ticks a second, at most 8 steps a frame
  });
  afterEach(() => tree.finalize());

  // Main::iteration: process_step -= (advance.physics_steps - max_physics_steps) * physics_step.
  const IDLE = 1 - (60 - 8) * TICK;

  it("step(1): 8 physics steps, _process, Timers, createTimer timers and tweens count 8/60 s", () => {
    const probe = new Probe("P");
    const timer = new Timer("T");
    timer.waitTime = 0.5;
    timer.autostart = true;
    const mover = new Mover("M");
    tree.root.addChild(probe);
    tree.root.addChild(timer);
    tree.root.addChild(mover);
    const fired: string[] = [];
    timer.on("timeout", () => fired.push("Timer"));
    const treeTimer = tree.createTimer(0.5);
    treeTimer.on("timeout", () => fired.push("createTimer"));
    tree.createTween().tweenProperty(mover, "x", 1, 1).setTrans(TransitionType.LINEAR);

    tree.step(1);

    expect(probe.physics).toEqual(Array<number>(8).fill(TICK));
    expect(probe.process).toEqual([IDLE]);
    expect(fired).toEqual([]); // a 0.5 s timer does not fire in a frame that hands out 8/60 s
    expect(timer.timeLeft).toBe(0.5 - IDLE);
    expect(treeTimer.timeLeft).toBe(0.5 - IDLE);
    expect(mover.x).toBe(Math.fround(IDLE)); // tweened values are single precision, as Godot's floats
    expect(tree.getPhysicsFrame()).toBe(8);
    expect(tree.getFrame()).toBe(1);
  });

  it("applies the time scale on top of the cut", () => {
    const probe = new Probe("P");
    tree.root.addChild(probe);
    tree.timeScale = 0.5;
    tree.step(1);
    expect(probe.physics).toEqual(Array<number>(8).fill(TICK * 0.5));
    expect(probe.process).toEqual([IDLE * 0.5]);
  });

  it("leaves a frame within the cap alone", () => {
    const probe = new Probe("P");
    tree.root.addChild(probe);
    tree.step(8 * TICK);
    expect(probe.physics).toHaveLength(8);
    expect(probe.process).toEqual([8 * TICK]);
  });

  it("timers and tweens that ignore the time scale count the whole frame (Engine.get_process_step())", () => {
    // Main::iteration sets Engine::_process_step before the cut.
    const timer = new Timer("T");
    timer.waitTime = 0.5;
    timer.autostart = true;
    timer.ignoreTimeScale = true;
    tree.root.addChild(timer);
    const fired: string[] = [];
    timer.on("timeout", () => fired.push("Timer"));
    tree.createTimer(0.5, true, false, true).on("timeout", () => fired.push("createTimer"));
    tree.step(1);
    expect(fired).toEqual(["Timer", "createTimer"]);
  });

  it("drops the physics steps past the cap but keeps the part of a step left over (MainTimerSync's time_accum)", () => {
    const probe = new Probe("P");
    tree.root.addChild(probe);
    const long = 1 + TICK / 2; // 60.5 steps due
    tree.step(long);
    expect(probe.physics).toHaveLength(8);
    expect(probe.process).toEqual([long - (60 - 8) * TICK]);
    tree.step(TICK / 2); // with the half step kept, a whole one is due
    expect(probe.physics).toHaveLength(9);
    tree.step(TICK);
    expect(probe.physics).toHaveLength(10);
  });

  it("run(): a frame that measured 1 s gets its idle delta cut the same way", () => {
    // A clock whose time jumps by a second while one frame runs: that frame took a second.
    const base = new TestClock();
    let lag = 0;
    const clock: Clock = { now: () => base.now() + lag, schedule: (run, ms) => base.schedule(run, ms) };
    const timed = new SceneTree({ clock, physicsTicksPerSecond: 10, fatalErrors: true });
    const probe = new Probe("P");
    const physicsPerFrame: number[] = [];
    let physicsSoFar = 0;
    class Hitch extends Node {
      override _process(): void {
        physicsPerFrame.push(probe.physics.length - physicsSoFar);
        physicsSoFar = probe.physics.length;
        if (probe.process.length === 2) lag = 1000;
      }
    }
    timed.root.addChild(probe);
    timed.root.addChild(new Hitch("H"));
    void timed.run({ fps: 10 });
    base.advance(100);
    // Frames at 0 and 100 ms; the second took 1 s, so the third measures 1 s: 10 steps due, 8 run.
    expect(probe.process.slice(0, 3)).toEqual([0.1, 0.1, 1 - (10 - 8) * (1 / 10)]);
    expect(physicsPerFrame.slice(0, 3)).toEqual([1, 1, 8]);
    timed.quit();
    base.advance(1000);
  });
});

describe("quit() during a physics step", () => {
  let tree: SceneTree;
  let log: string[];
  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = [];
    tree.on("physicsFrame", () => log.push("physicsFrame"));
    tree.on("processFrame", () => log.push("processFrame"));
  });
  afterEach(() => tree.finalize());

  class Quitter extends Node {
    quitAt = 0;
    steps = 0;
    override _physicsProcess(): void {
      this.steps++;
      log.push(`physics ${this.steps}`);
      if (this.steps === this.quitAt) {
        this.callDeferred(() => log.push("deferred from the quitting step"));
        this.getTree().quit(3);
      }
    }
    override _process(): void {
      log.push("process");
    }
    override _exitTree(): void {
      log.push("exit");
    }
  }

  it("is the frame's last physics step; the idle step still runs, then the tree is torn down", () => {
    const quitter = new Quitter("Q");
    quitter.quitAt = 2;
    tree.root.addChild(quitter);
    tree.step(5 * TICK);
    expect(log).toEqual([
      "physicsFrame",
      "physics 1",
      "physicsFrame",
      "physics 2",
      "deferred from the quitting step",
      "processFrame",
      "process",
      "exit",
    ]);
    expect(tree.isFinalized()).toBe(true);
    expect(tree.exitCode).toBe(3);
    expect(tree.getPhysicsFrame()).toBe(2);
    expect(tree.getFrame()).toBe(1);
  });

  it("asked for between frames: the next frame runs one physics step, then its idle step", () => {
    const quitter = new Quitter("Q");
    tree.root.addChild(quitter);
    tree.quit();
    tree.step(5 * TICK);
    expect(log).toEqual(["physicsFrame", "physics 1", "processFrame", "process", "exit"]);
    expect(tree.getPhysicsFrame()).toBe(1);
  });

  it("deferred by a physics timer, runs in Main::iteration's flush after the step: the next step is the last", () => {
    tree.root.addChild(new Quitter("Q"));
    tree.createTimer(TICK / 2, true, true).on("timeout", () =>
      tree.callDeferred(() => {
        log.push("quit");
        tree.quit();
      }),
    );
    tree.step(5 * TICK);
    expect(log).toEqual([
      "physicsFrame",
      "physics 1",
      "quit",
      "physicsFrame",
      "physics 2",
      "processFrame",
      "process",
      "exit",
    ]);
  });

  it("counts the one physics step in a tree with nothing to run in it", () => {
    const idle = new SceneTree();
    idle.quit();
    idle.step(5 * TICK);
    expect(idle.isFinalized()).toBe(true);
    expect(idle.getPhysicsFrame()).toBe(1);
    expect(idle.getFrame()).toBe(1);
  });
});

describe("setSuspend", () => {
  let tree: SceneTree;
  let log: string[];
  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = [];
  });
  afterEach(() => tree.finalize());

  /** Logs its processing and the suspend notifications. */
  class Watcher extends Node {
    override _process(): void {
      log.push(`${this.name}:process`);
    }
    override _physicsProcess(): void {
      log.push(`${this.name}:physics`);
    }
    override _notification(what: number): void {
      if (what === NOTIFICATION_SUSPENDED) log.push(`${this.name}:SUSPENDED`);
      if (what === NOTIFICATION_UNSUSPENDED) log.push(`${this.name}:UNSUSPENDED`);
    }
  }

  it("makes canProcess() false for every node, whatever its process mode (Node::can_process)", () => {
    const modes = [ProcessMode.INHERIT, ProcessMode.PAUSABLE, ProcessMode.ALWAYS, ProcessMode.WHEN_PAUSED];
    const nodes = modes.map((mode, i) => {
      const node = new Node(`N${i}`);
      node.processMode = mode;
      tree.root.addChild(node);
      return node;
    });
    const can = () => nodes.map((node) => node.canProcess());
    expect(can()).toEqual([true, true, true, false]);
    tree.setSuspend(true);
    expect(can()).toEqual([false, false, false, false]);
    tree.paused = true; // left alone while suspended (see the README): no refusal, no throw
    expect(tree.paused).toBe(true);
    expect(can()).toEqual([false, false, false, false]);
    tree.setSuspend(false);
    expect(can()).toEqual([false, false, true, true]);
  });

  it("sends NOTIFICATION_SUSPENDED / UNSUSPENDED to every node, parents first; the same value again sends nothing", () => {
    const a = new Watcher("A");
    a.addChild(new Watcher("B"));
    tree.root.addChild(a);
    tree.root.addChild(new Watcher("C"));
    tree.setSuspend(true);
    tree.setSuspend(true);
    expect(log).toEqual(["A:SUSPENDED", "B:SUSPENDED", "C:SUSPENDED"]);
    log = [];
    tree.setSuspend(false);
    tree.setSuspend(false);
    expect(log).toEqual(["A:UNSUSPENDED", "B:UNSUSPENDED", "C:UNSUSPENDED"]);
    expect(Node.NOTIFICATION_PAUSED).toBe(14);
    expect([NOTIFICATION_SUSPENDED, NOTIFICATION_UNSUSPENDED]).toEqual([9003, 9004]);
  });

  it("step() while suspended: the frame runs, nothing processes, game time is frozen", () => {
    tree.root.addChild(new Watcher("W"));
    const timer = new Timer("T");
    timer.waitTime = 0.02;
    timer.autostart = true;
    tree.root.addChild(timer);
    timer.on("timeout", () => log.push("Timer:timeout"));
    const gone = new Node("Gone");
    tree.root.addChild(gone);
    const mover = new Mover("M");
    tree.root.addChild(mover);
    tree.createTween().tweenProperty(mover, "x", 1, 1).setTrans(TransitionType.LINEAR);
    const bound = new Mover("Bound");
    tree.root.addChild(bound);
    bound.createTween().tweenProperty(bound, "x", 1, 1).setTrans(TransitionType.LINEAR);
    const scaled = tree.createTimer(0.02);
    scaled.on("timeout", () => log.push("createTimer:timeout"));
    tree.createTimer(0.01, true, false, true).on("timeout", () => log.push("unscaled createTimer:timeout"));
    tree.on("physicsFrame", () => log.push("physicsFrame"));
    tree.on("processFrame", () => log.push("processFrame"));
    tree.setSuspend(true);
    log = [];
    tree.callDeferred(() => log.push("deferred"));
    gone.queueFree();

    tree.step(TICK);

    // No processFrame: Godot 4's SceneTree::process emits it only when not suspended (test_scene_tree.cpp).
    expect(log).toEqual(["physicsFrame", "deferred", "unscaled createTimer:timeout"]);
    expect(gone.isInstanceValid()).toBe(false);
    expect(scaled.timeLeft).toBe(0.02); // the time scale counts as 0 (Engine's freeze_time_scale)
    expect(timer.timeLeft).toBe(0.02); // a Timer node ticks in its internal processing: none
    expect(mover.x).toBe(0);
    expect(bound.x).toBe(0);
    expect(tree.getFrame()).toBe(1);
    expect(tree.getPhysicsFrame()).toBe(1);

    tree.setSuspend(false);
    log = [];
    tree.step(TICK);
    expect(log).toEqual(["physicsFrame", "W:physics", "processFrame", "W:process"]);
    expect(scaled.timeLeft).toBe(0.02 - TICK);
    expect(timer.timeLeft).toBe(0.02 - TICK);
    expect(mover.x).toBe(Math.fround(TICK));
    expect(bound.x).toBe(Math.fround(TICK));
  });

  it("called during a frame, takes effect when the frame ends: the frame runs as it began", () => {
    const a = new Watcher("A");
    const b = new Watcher("B");
    tree.root.addChild(a);
    tree.root.addChild(b);
    tree.on("processFrame", () => {
      tree.setSuspend(true);
      log.push(`processFrame suspended=${tree.isSuspended()}`);
    });
    tree.step(TICK);
    expect(log).toEqual([
      "A:physics",
      "B:physics",
      "processFrame suspended=false",
      "A:process",
      "B:process",
      "A:SUSPENDED",
      "B:SUSPENDED",
    ]);
    expect(tree.isSuspended()).toBe(true);
    log = [];
    tree.step(TICK);
    expect(log).toEqual([]); // suspended: no processFrame
  });

  it("a suspend and resume within one frame cancel out", () => {
    tree.root.addChild(new Watcher("A"));
    tree.on("processFrame", () => {
      tree.setSuspend(true);
      tree.setSuspend(false);
    });
    tree.step(TICK);
    expect(log).toEqual(["A:physics", "A:process"]);
    expect(tree.isSuspended()).toBe(false);
  });
});
