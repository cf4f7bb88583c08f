import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";

/** Godot's `Engine.time_scale` as `tree.timeScale`. 1/64 s frames keep every sum exact. */
const DELTA = 1 / 64;

describe("SceneTree#timeScale", () => {
  let tree: SceneTree;

  beforeEach(() => {
    tree = new SceneTree({ fatalErrors: true, physicsTicksPerSecond: 64 });
  });

  afterEach(() => tree.finalize());

  class Deltas extends Node {
    idle: number[] = [];
    physics: number[] = [];
    override _process(delta: number): void {
      this.idle.push(delta);
    }
    override _physicsProcess(delta: number): void {
      this.physics.push(delta);
    }
  }

  it("is 1 by default and scales the delta of _process and _physicsProcess", () => {
    const node = new Deltas("D");
    tree.root.addChild(node);
    expect(tree.timeScale).toBe(1);
    tree.step(DELTA);
    tree.timeScale = 0.25;
    tree.step(DELTA);
    expect(node.idle).toEqual([DELTA, DELTA / 4]);
    expect(node.physics).toEqual([1 / 64, 1 / 256]);
  });

  it("keeps the number of physics steps on real time, as Godot's main loop does", () => {
    const node = new Deltas("D");
    tree.root.addChild(node);
    tree.timeScale = 3;
    for (let i = 0; i < 4; i++) tree.step(DELTA);
    expect(node.physics).toEqual([3 / 64, 3 / 64, 3 / 64, 3 / 64]);
  });

  it("scales createTimer timers unless they ignore the time scale", () => {
    tree.timeScale = 0.5;
    const fired: string[] = [];
    tree.createTimer(0.25).on("timeout", () => fired.push(`scaled@${tree.getFrame() + 1}`));
    tree.createTimer(0.25, true, false, true).on("timeout", () => fired.push(`real@${tree.getFrame() + 1}`));
    tree.createTimer(0.25, true, true).on("timeout", () => fired.push(`physics@${tree.getFrame() + 1}`));
    for (let i = 0; i < 40; i++) tree.step(DELTA);
    // Tree timers fire at or below zero: 16 real frames, or 32 at half speed.
    expect(fired).toEqual(["real@16", "physics@32", "scaled@32"]);
  });

  it("0 freezes game time while frames go on", () => {
    const node = new Deltas("D");
    tree.root.addChild(node);
    tree.timeScale = 0;
    let fired = false;
    tree.createTimer(0.01).on("timeout", () => (fired = true));
    for (let i = 0; i < 10; i++) tree.step(DELTA);
    expect(fired).toBe(false);
    expect(tree.getFrame()).toBe(10);
    expect(new Set(node.idle)).toEqual(new Set([0]));
  });

  it("refuses a negative or non-finite scale", () => {
    for (const bad of [-1, NaN, Infinity]) {
      expect(() => (tree.timeScale = bad)).toThrow(expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }));
    }
    expect(tree.timeScale).toBe(1);
  });
});
