import { SceneTree } from "../../../src/scene/SceneTree";
import { Timer, TimerProcessCallback } from "../../../src/nodes/Timer";
import { TweenProcessMode } from "../../../src/scene/tween/Tween";
import { FRAME, Log, ProcessingNode } from "../../helpers/recording";

/**
 * Where tweens run in a frame: Godot 4's SceneTree::physics_process and ::process call
 * process_timers(), then process_tweens(), after the nodes have processed and before deletions.
 */
describe("Tween in the frame", () => {
  let tree: SceneTree;
  let log: Log;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true });
    log = new Log();
  });

  afterEach(() => tree.finalize());

  it("steps after _process, Timer nodes and tree timers, before deletions and the last deferred flush", () => {
    const a = new ProcessingNode("A", log);
    tree.root.addChild(a);
    const timer = Object.assign(new Timer("T"), { waitTime: FRAME / 2, autostart: true, oneShot: true });
    timer.on("timeout", () => log.push("T:timeout"));
    tree.root.addChild(timer);
    const physicsTimer = Object.assign(new Timer("PT"), {
      waitTime: FRAME / 2,
      autostart: true,
      oneShot: true,
      processCallback: TimerProcessCallback.PHYSICS,
    });
    physicsTimer.on("timeout", () => log.push("PT:timeout"));
    tree.root.addChild(physicsTimer);
    tree.createTimer(FRAME / 2).on("timeout", () => log.push("treeTimer:timeout"));
    tree.createTimer(FRAME / 2, true, true).on("timeout", () => log.push("physicsTreeTimer:timeout"));

    const target = { v: 0 };
    const tween = a.createTween();
    tween.tweenMethod(() => log.push("tween:method"), 0, 1, 1);
    tween.parallel().tweenCallback(() => {
      log.push("tween:callback");
      tree.root.callDeferred(() => log.push("deferredFromTween"));
      a.queueFree();
    });
    const physicsTween = a.createTween().setProcessMode(TweenProcessMode.PHYSICS);
    physicsTween.tweenProperty(target, "v", 1, 1);
    physicsTween.parallel().tweenCallback(() => log.push(`physicsTween:v=${target.v}`));
    a.on("treeExiting", () => log.push("A:freed"));
    log.take();

    tree.step(FRAME);
    expect(log.take()).toEqual([
      "A:physics", // A comes before the Timers in tree order
      "PT:timeout",
      "physicsTreeTimer:timeout",
      `physicsTween:v=${Math.fround(FRAME)}`,
      "A:process",
      "T:timeout",
      "treeTimer:timeout",
      "tween:method",
      "tween:callback",
      "A:exit",
      "A:freed",
      "deferredFromTween",
    ]);
  });

  it("a tween made in _process steps in the same frame; one made by a tween, in the next", () => {
    const a = new ProcessingNode("A", log);
    tree.root.addChild(a);
    a.onProcess = () => {
      if (tree.getFrame() !== 0) return;
      const outer = a.createTween();
      outer.tweenMethod((v: number) => log.push(`outer:${v}`), 0, 1, 1);
      outer.parallel().tweenCallback(() => {
        a.createTween().tweenMethod((v: number) => log.push(`inner:${v}`), 0, 1, 1);
      });
    };
    log.take();
    tree.step(FRAME);
    const w = Math.fround(FRAME);
    expect(log.take()).toEqual(["A:physics", "A:process", `outer:${w}`]);
    tree.step(FRAME);
    expect(log.take()).toEqual(["A:physics", "A:process", `outer:${Math.fround(2 * FRAME)}`, `inner:${w}`]);
  });
});
