import { Node, SceneTree, TestClock, Timer, parseScene, registerNodeType, type PackedScene } from "../../src";
import { FleetRunner } from "../../src/fleet/FleetRunner";
import { FRAME_LOG_REFRESH } from "../../src/scene/frameSleep";
import { contiguous } from "../../src/core/indexRange";

/**
 * A fleet's trees sleep through frames that can only count their Timers down (scene/frameSleep.ts).
 * Each test runs one scenario twice: on instance 0 of a FleetRunner (where the tree sleeps) and on a
 * SceneTree stepped by hand every frame with the same delta, and compares everything the scenario saw.
 */

type Log = unknown[][];
let log: Log = [];

class SleepProbe extends Node {
  onTimeout(name: string): void {
    const tree = this.getTree();
    // Only instance 0 is compared (the others are there to be left alone).
    if (tree.instance.index === 0) log.push(["timeout", name, tree.getFrame(), tree.getPhysicsFrame()]);
  }
}
class Processing extends Node {
  override _process(delta: number): void {
    log.push(["process", this.name, this.getTree().getFrame(), delta]);
  }
}
registerNodeType("SleepProbe", SleepProbe);
registerNodeType("SleepProcessing", Processing);

const timer = (name: string, props: Record<string, unknown>) => ({ name, type: "Timer", props });
const scene: PackedScene = parseScene(
  JSON.stringify({
    format: 1,
    root: {
      name: "Probe",
      type: "SleepProbe",
      children: [
        timer("A", { waitTime: 0.25, autostart: true }),
        timer("B", { waitTime: 0.4, autostart: true, oneShot: true }),
        timer("C", { waitTime: 0.1, autostart: true, ignoreTimeScale: true }),
      ],
    },
    connections: ["A", "B", "C"].map((name) => ({
      from: name,
      signal: "timeout",
      to: ".",
      method: "onTimeout",
      binds: [name],
    })),
  }),
);

/** What a scenario does between frames: `frame` frames have run. */
type Between = (frame: number, tree: SceneTree, root: Node) => void;

const FPS = 60;
const PERIOD_MS = 1000 / FPS;

function runReference(frames: number, between: Between): Log {
  log = [];
  const tree = new SceneTree({ clock: new TestClock() });
  const root = scene.instantiate();
  tree.root.addChild(root);
  tree.currentScene = root;
  for (let frame = 0; frame < frames && !tree.isFinalized(); frame++) {
    between(frame, tree, root);
    tree.step(1 / FPS);
  }
  if (!tree.isFinalized()) between(frames, tree, root);
  log.push(["end", tree.getFrame(), tree.isFinalized(), tree.exitCode]);
  tree.finalize();
  return log;
}

/** Also counts how often the loop stepped instance 0 (`steps`) and instance 1, left alone (`otherSteps`). */
function runInFleet(
  frames: number,
  between: Between,
  instances = 3,
): { log: Log; steps: number; otherSteps: number } {
  log = [];
  const clock = new TestClock();
  const runner = new FleetRunner({
    scene,
    indices: contiguous(instances),
    count: instances,
    baseSeed: 1,
    rampUpMs: 0,
    durationMs: null,
    fps: FPS,
    clock,
    onError: (index, text) => log.push(["error", index, text]),
  });
  void runner.run();
  const tree = runner.treeOf(0)!;
  const root = tree.currentScene!;
  const probe = jest.spyOn(tree, "step");
  const others = runner.treeOf(1)!;
  const otherSteps = jest.spyOn(others, "step");
  for (let frame = 0; frame < frames && !tree.isFinalized(); frame++) {
    between(frame, tree, root);
    // To just past the frame's start: the loop runs it, with the nominal delta. Nothing here reads the
    // tree, which would make it catch up.
    clock.advance(frame * PERIOD_MS + 0.5 - clock.now());
  }
  if (!tree.isFinalized()) between(frames, tree, root);
  log.push(["end", tree.getFrame(), tree.isFinalized(), tree.exitCode]);
  const steps = probe.mock.calls.length;
  const othersStepped = otherSteps.mock.calls.length;
  probe.mockRestore();
  otherSteps.mockRestore();
  runner.stop();
  return { log: [...log], steps, otherSteps: othersStepped };
}

const timerOf = (root: Node, name: string) => root.getNode<Timer>(name);
const reads = (tree: SceneTree, root: Node) => [
  tree.getFrame(),
  tree.getPhysicsFrame(),
  timerOf(root, "A").timeLeft,
  timerOf(root, "B").timeLeft,
  timerOf(root, "C").timeLeft,
];

describe("FleetRunner: sleeping trees are indistinguishable from trees stepped every frame", () => {
  test("timeouts in the same frames, and the same readings between frames, through time scale and timer changes", () => {
    const between: Between = (frame, tree, root) => {
      if (frame % 7 === 3) log.push(["read", frame, ...reads(tree, root)]);
      if (frame === 50) tree.timeScale = 2;
      if (frame === 120) tree.timeScale = 0.5;
      if (frame === 150) timerOf(root, "A").stop();
      if (frame === 180) timerOf(root, "A").start(0.33);
      if (frame === 200) timerOf(root, "B").start();
      if (frame === 215) timerOf(root, "C").ignoreTimeScale = false;
      if (frame === 230) tree.physicsTicksPerSecond = 30;
      if (frame === 260) timerOf(root, "A").paused = true;
      if (frame === 280) timerOf(root, "A").paused = false;
    };
    const expected = runReference(320, between);
    const fleet = runInFleet(320, between);
    expect(fleet.log).toEqual(expected);
    expect(expected.filter((entry) => entry[0] === "timeout").length).toBeGreaterThan(40);
    // Another instance, left alone, was stepped in the frames its Timers time out in and the one
    // before (a countdown of whole frames ends a hair above or below zero), not in every frame.
    expect(fleet.otherSteps).toBeLessThan(320 / 2);
  });

  test("work given between frames wakes the tree: deferred calls, new processing nodes, frame listeners, freeing, quit", () => {
    let stopListening = () => {};
    const between: Between = (frame, tree, root) => {
      if (frame === 20) root.callDeferred(() => log.push(["deferred", tree.getFrame()]));
      if (frame === 40) root.addChild(new Processing("P"));
      if (frame === 43) root.getNode("P").queueFree();
      if (frame === 60)
        stopListening = tree.connect("processFrame", () => log.push(["processFrame", tree.getFrame()]));
      if (frame === 63) stopListening();
      if (frame === 80)
        tree.createTimer(0.05).connect("timeout", () => log.push(["treeTimer", tree.getFrame()]));
      if (frame === 100)
        root
          .createTween()
          .tweenCallback(() => log.push(["tween", tree.getFrame()]))
          .setDelay(0.1);
      if (frame === 130) timerOf(root, "C").setProcessInternal(false);
      if (frame === 140) log.push(["read", ...reads(tree, root)]);
      if (frame === 150) timerOf(root, "C").setProcessInternal(true);
      if (frame === 170) tree.paused = true;
      if (frame === 190) tree.paused = false;
      if (frame === 205) log.push(["read", ...reads(tree, root)]);
      if (frame === 210) tree.quit(3);
    };
    const expected = runReference(300, between);
    expect(expected.map((entry) => entry[0])).toEqual(
      expect.arrayContaining(["deferred", "process", "processFrame", "treeTimer", "tween"]),
    );
    expect(expected.at(-1)).toEqual(["end", 211, true, 3]);
    expect(runInFleet(300, between).log).toEqual(expected);
  });

  test("a change made while asleep applies from then on: the frames before it replay as they ran", () => {
    const between: Between = (frame, tree, root) => {
      const a = timerOf(root, "A");
      if (frame === 0) {
        timerOf(root, "B").stop();
        timerOf(root, "C").stop();
        a.start(2);
      }
      // One reading at a time, each alone: a Timer's timeLeft, then the tree's counts.
      if (frame % 5 === 1) log.push(["timeLeft", frame, a.timeLeft]);
      if (frame % 5 === 2) log.push(["physicsFrame", frame, tree.getPhysicsFrame()]);
      if (frame === 12) tree.timeScale = 3;
      if (frame === 23) a.ignoreTimeScale = true;
      if (frame === 34) tree.timeScale = 0.25;
      if (frame === 45) a.ignoreTimeScale = false;
      if (frame === 56) tree.physicsTicksPerSecond = 25;
      if (frame === 67) tree.timeScale = 0;
      if (frame === 78) tree.timeScale = 1.5;
      if (frame === 89) a.waitTime = 0.5;
    };
    const expected = runReference(400, between);
    expect(expected.filter((entry) => entry[0] === "timeout").length).toBeGreaterThan(3);
    const fleet = runInFleet(400, between);
    expect(fleet.log).toEqual(expected);
    expect(fleet.steps).toBeLessThan(400 / 4);
  });

  test("a tree with nothing to count down sleeps on, and still counts every frame and physics step", () => {
    const frames = FRAME_LOG_REFRESH * 2 + 100; // past the log's refresh, twice
    const between: Between = (frame, tree, root) => {
      if (frame === 0) for (const name of ["A", "B", "C"]) timerOf(root, name).stop();
      if (frame % 1000 === 999 || frame === frames)
        log.push(["read", frame, tree.getFrame(), tree.getPhysicsFrame()]);
    };
    const expected = runReference(frames, between);
    const fleet = runInFleet(frames, between);
    expect(fleet.log).toEqual(expected);
    expect(fleet.steps).toBeLessThan(10);
  });
});

describe("FleetRunner: one tree's code reading or waking another in the same frame", () => {
  /** The trees of the run, by instance index, for the instances' code to reach each other. */
  const trees = new Map<number, SceneTree>();

  class Poker extends Node {
    override _ready(): void {
      const tree = this.getTree();
      trees.set(tree.instance.index, tree);
      // Instance 0 mostly sleeps; instance 1, stepped after it in each frame, pokes it often.
      this.getNode<Timer>("Poke").start(tree.instance.index === 0 ? 0.7 : 0.1);
    }

    onPoke(): void {
      const me = this.getTree();
      const other = trees.get(1 - me.instance.index)!;
      const otherTimer = other.currentScene!.getNode<Timer>("Poke");
      log.push([
        "poke",
        me.instance.index,
        me.getFrame(),
        other.getFrame(),
        other.getPhysicsFrame(),
        otherTimer.timeLeft,
      ]);
      if (me.getFrame() % 3 === 0) {
        const index = other.instance.index;
        other.currentScene!.callDeferred(() => log.push(["deferred", index, other.getFrame()]));
      }
    }
  }
  registerNodeType("SleepPoker", Poker);
  const pokers = parseScene(
    JSON.stringify({
      format: 1,
      root: { name: "Poker", type: "SleepPoker", children: [{ name: "Poke", type: "Timer" }] },
      connections: [{ from: "Poke", signal: "timeout", to: ".", method: "onPoke" }],
    }),
  );

  test("the later tree sees the earlier one through the frame in progress, and wakes it for the next", () => {
    const frames = 240;
    log = [];
    trees.clear();
    const reference = [0, 1].map((index) => {
      const tree = new SceneTree({ clock: new TestClock(), instance: { index, count: 2, seed: 1 } });
      const root = pokers.instantiate();
      tree.root.addChild(root);
      tree.currentScene = root;
      return tree;
    });
    for (let frame = 0; frame < frames; frame++) for (const tree of reference) tree.step(1 / FPS);
    const expected = log;
    reference.forEach((tree) => tree.finalize());
    expect(expected.filter((entry) => entry[0] === "deferred").length).toBeGreaterThan(5);

    log = [];
    trees.clear();
    const clock = new TestClock();
    const runner = new FleetRunner({
      scene: pokers,
      indices: contiguous(2),
      count: 2,
      baseSeed: 1,
      rampUpMs: 0,
      durationMs: null,
      fps: FPS,
      clock,
    });
    void runner.run();
    for (let frame = 0; frame < frames; frame++) clock.advance(frame * PERIOD_MS + 0.5 - clock.now());
    runner.stop();
    expect(log).toEqual(expected);
  });
});
