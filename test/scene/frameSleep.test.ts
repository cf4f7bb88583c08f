import { AWAKE, FRAME_LOG_CAPACITY, FrameLog, countDown, countdownSeconds } from "../../src/scene/frameSleep";
import { Node, ProcessMode } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { Timer } from "../../src/nodes/Timer";

describe("FrameLog", () => {
  test("keeps each completed frame's delta and their sum; the frame in progress is readable too", () => {
    const log = new FrameLog();
    for (const delta of [0.1, 0.2, 0.3]) {
      log.begin(delta);
      log.end();
    }
    log.begin(0.4);
    expect(log.frames).toBe(3);
    expect(log.time).toBeCloseTo(0.6, 12);
    expect([0, 1, 2, 3].map((frame) => log.deltaOf(frame))).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(log.nextFrame()).toBe(4);
    expect(log.nextFrameTime()).toBeCloseTo(1.0, 12);
    log.end();
    expect(log.nextFrame()).toBe(4);
    expect(log.nextFrameTime()).toBeCloseTo(1.0, 12);
  });

  test("during a frame, slots the loop has gone past are through it, the rest not yet", () => {
    const log = new FrameLog();
    log.begin(1 / 60);
    log.cursor = 5;
    expect(log.reached(4)).toBe(1);
    expect(log.reached(5)).toBe(0);
    expect(log.reached(9)).toBe(0);
    log.end();
    expect(log.reached(4)).toBe(1);
    expect(log.reached(9)).toBe(1);
  });

  test("deltas are kept for the last FRAME_LOG_CAPACITY frames", () => {
    const log = new FrameLog();
    for (let frame = 0; frame < FRAME_LOG_CAPACITY + 3; frame++) {
      log.begin(frame);
      log.end();
    }
    expect(log.deltaOf(FRAME_LOG_CAPACITY + 2)).toBe(FRAME_LOG_CAPACITY + 2);
    expect(log.deltaOf(3)).toBe(3);
  });

  test("slots grow with their wake times kept, new slots awake", () => {
    const log = new FrameLog();
    log.wakeAt[3] = 12.5;
    log.ensureSlots(1000);
    expect(log.wakeAt.length).toBeGreaterThanOrEqual(1000);
    expect(log.wakeAt[3]).toBe(12.5);
    expect(log.wakeAt[999]).toBe(AWAKE);
  });
});

describe("countdownSeconds / countDown: whether a tree's idle processing only counts down, and for how long", () => {
  function treeWith(...nodes: Node[]): SceneTree {
    const tree = new SceneTree();
    for (const node of nodes) tree.root.addChild(node);
    return tree;
  }

  test("running Timers: the least time left, in unscaled seconds; each counts down as its frame would", () => {
    const a = new Timer("A");
    const b = new Timer("B");
    const tree = treeWith(a, b);
    a.start(0.5);
    b.start(2);
    expect(countdownSeconds([a, b], 1)).toBe(0.5);
    expect(countdownSeconds([a, b], 2)).toBe(0.25);
    expect(countdownSeconds([a, b], 0)).toBe(Infinity);
    b.ignoreTimeScale = true;
    countDown([a, b], 0.2, 0.1);
    expect([a.timeLeft, b.timeLeft]).toEqual([0.5 - 0.2, 2 - 0.1]);
    expect(countdownSeconds([], 1)).toBe(Infinity);
    tree.finalize();
  });

  test("-1 for a node that does more: its own _process, not a countdown, or a process mode that stops it", () => {
    class Busy extends Node {
      override _process(): void {}
    }
    const timer = new Timer("T");
    const busy = new Busy("Busy");
    const plain = new Node("Plain");
    const tree = treeWith(timer, busy, plain);
    timer.start(1);
    expect(countdownSeconds([timer, busy], 1)).toBe(-1);
    expect(countdownSeconds([plain], 1)).toBe(-1);
    timer.processMode = ProcessMode.DISABLED;
    expect(countdownSeconds([timer], 1)).toBe(-1);
    tree.finalize();
  });
});
