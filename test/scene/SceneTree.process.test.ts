/**
 * `tree.process(delta)` and `tree.physicsProcess(delta)`: Godot's `SceneTree::process` and
 * `SceneTree::physics_process`, the idle step and one physics step run apart (as Godot's own tests do).
 */
import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { Timer, TimerProcessCallback } from "../../src/nodes/Timer";
import { TestClock } from "../../src/core/clock";
import { Log } from "../helpers/recording";

let tree: SceneTree;
let log: Log;

beforeEach(() => {
  tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
  log = new Log();
});
afterEach(() => tree.finalize());

/** Logs its processing and records the deltas it gets. */
class DeltaNode extends Node {
  deltas: number[] = [];
  physicsDeltas: number[] = [];
  onProcess?: () => void;
  override _process(delta: number): void {
    log.push(`${this.name}:process`);
    this.deltas.push(delta);
    this.onProcess?.();
  }
  override _physicsProcess(delta: number): void {
    log.push(`${this.name}:physics`);
    this.physicsDeltas.push(delta);
  }
}

function processing(name: string): DeltaNode {
  const node = new DeltaNode(name);
  tree.root.addChild(node);
  return node;
}

describe("SceneTree#process", () => {
  it("runs the idle step alone, with the delta as given, and counts a frame", () => {
    const a = processing("A");
    tree.on("physicsFrame", () => log.push("physicsFrame"));
    tree.on("processFrame", () => log.push("processFrame"));
    tree.timeScale = 0.5; // Godot's main loop scales the delta; a direct call does not
    log.take();
    expect(tree.process(0.25)).toBe(false);
    expect(log.take()).toEqual(["processFrame", "A:process"]);
    expect(a.deltas).toEqual([0.25]);
    expect(tree.getFrame()).toBe(1);
    expect(tree.getPhysicsFrame()).toBe(0);
  });

  it("counts idle timers down, flushes deferred calls and frees queued nodes", () => {
    const timer = new Timer("T");
    tree.root.addChild(timer);
    timer.start(0.1);
    const fired: string[] = [];
    timer.on("timeout", () => fired.push("timeout"));
    tree.createTimer(0.05).on("timeout", () => fired.push("createTimer"));
    const gone = new Node("Gone");
    tree.root.addChild(gone);
    gone.queueFree();
    tree.root.callDeferred(() => fired.push("deferred"));
    tree.process(0.2);
    expect(fired).toEqual(["deferred", "timeout", "createTimer"]);
    expect(gone.isInstanceValid()).toBe(false);
  });

  it("ends the tree after quit(), and says so", () => {
    processing("A").onProcess = () => tree.quit(3);
    expect(tree.process(0.1)).toBe(true);
    expect(tree.isFinalized()).toBe(true);
    expect(tree.exitCode).toBe(3);
    expect(tree.process(0.1)).toBe(true); // a finalized tree runs nothing
  });

  it("refuses a negative delta and a call from inside a frame", () => {
    expect(() => tree.process(-1)).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    const a = processing("A");
    let inner: unknown = null;
    a.onProcess = () => {
      try {
        tree.physicsProcess(0.1);
      } catch (error) {
        inner = error;
      }
    };
    tree.process(0.1);
    expect(inner).toEqual(expect.objectContaining({ code: "ERR_STEP_REENTERED" }));
  });
});

describe("SceneTree#physicsProcess", () => {
  it("runs one physics step alone, with the delta as given, and counts a physics frame", () => {
    const a = processing("A");
    tree.on("physicsFrame", () => log.push("physicsFrame"));
    tree.on("processFrame", () => log.push("processFrame"));
    log.take();
    expect(tree.physicsProcess(0.2)).toBe(false);
    expect(log.take()).toEqual(["physicsFrame", "A:physics"]);
    expect(a.physicsDeltas).toEqual([0.2]);
    expect(tree.getPhysicsFrame()).toBe(1);
    expect(tree.getFrame()).toBe(0);
  });

  it("counts physics timers down and leaves idle ones alone", () => {
    const physics = new Timer("P");
    physics.processCallback = TimerProcessCallback.PHYSICS;
    const idle = new Timer("I");
    tree.root.addChild(physics);
    tree.root.addChild(idle);
    physics.start(1);
    idle.start(1);
    tree.physicsProcess(0.25);
    expect(physics.timeLeft).toBeCloseTo(0.75);
    expect(idle.timeLeft).toBe(1);
  });
});
