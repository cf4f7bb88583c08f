import { Node, TestClock, Timer, parseScene, registerNodeType, type PackedScene } from "../../src";
import { FleetRunner } from "../../src/fleet/FleetRunner";
import type { InstanceExit } from "../../src/fleet/protocol";
import { InspectorAgent } from "../../src/inspector/agent";
import type { FromAgent } from "../../src/inspector/relay";
import { Metrics } from "../../src/metrics/Metrics";
import { FRAME_LOG_REFRESH } from "../../src/scene/frameSleep";
import { contiguous } from "../../src/core/indexRange";

/**
 * A suspended tree (`setSuspend(true)`, the inspector's Pause) in a fleet's shared frame loop: as with
 * `SceneTree.run()`, none of its frames run (frame count, processing and Timers stand still) while the
 * other trees go on; resuming continues where it stood, and quitting while suspended still ends it.
 */

let timeouts: number[] = [];
let processed: number[] = [];

class SuspendProbe extends Node {
  onTimeout(): void {
    timeouts[this.getTree().instance.index]++;
  }
}
/** Processes every frame (so its tree never sleeps) while `on`. */
class SuspendProcessing extends Node {
  override _process(): void {
    processed[this.getTree().instance.index]++;
  }
}
registerNodeType("SuspendProbe", SuspendProbe);
registerNodeType("SuspendProcessing", SuspendProcessing);

/** A 0.25 s repeating Timer: alone, its tree sleeps between timeouts; with `processing`, it never does. */
function probeScene(processing: boolean): PackedScene {
  return parseScene(
    JSON.stringify({
      format: 1,
      root: {
        name: "Probe",
        type: "SuspendProbe",
        children: [
          { name: "T", type: "Timer", props: { waitTime: 0.25, autostart: true } },
          ...(processing ? [{ name: "P", type: "SuspendProcessing" }] : []),
        ],
      },
      connections: [{ from: "T", signal: "timeout", to: ".", method: "onTimeout" }],
    }),
  );
}

const FPS = 10;
const PERIOD_MS = 1000 / FPS;
const INSTANCES = 3;

function fleet(processing: boolean) {
  timeouts = Array<number>(INSTANCES).fill(0);
  processed = Array<number>(INSTANCES).fill(0);
  const clock = new TestClock();
  const exits: InstanceExit[] = [];
  const runner = new FleetRunner({
    scene: probeScene(processing),
    indices: contiguous(3),
    count: INSTANCES,
    baseSeed: 1,
    rampUpMs: 0,
    durationMs: null,
    fps: FPS,
    clock,
    onExited: (batch) => exits.push(...batch),
  });
  void runner.run();
  const trees = [0, 1, 2].map((index) => runner.treeOf(index)!);
  const steps = trees.map((tree) => jest.spyOn(tree, "step"));
  /** Runs the loop's frames up to frame `frame` (0-based: frame 0 runs at time 0). */
  const toFrame = (frame: number) => clock.advance(frame * PERIOD_MS + 1 - clock.now());
  const timer = (index: number) => trees[index].currentScene!.getNode<Timer>("T");
  const stepped = () => steps.map((spy) => spy.mock.calls.length);
  return { runner, clock, trees, exits, toFrame, timer, stepped };
}

afterEach(() => jest.restoreAllMocks());

describe.each([
  ["a sleeping tree (Timers only)", false],
  ["a processing tree", true],
])("FleetRunner: %s that is suspended", (_name, processing) => {
  test("stands still while the others go on, through refresh frames, and continues when resumed", () => {
    const { runner, trees, toFrame, timer, stepped } = fleet(processing);
    toFrame(9); // frames 0..9: 1 s of tree time
    expect(trees.map((tree) => tree.getFrame())).toEqual([10, 10, 10]);
    expect(timeouts).toEqual([4, 4, 4]);

    trees[1].setSuspend(true);
    const left = timer(1).timeLeft;
    const before = stepped();
    const processedBefore = [...processed];
    toFrame(9 + 25); // 2.5 s more: ten timeouts for the others
    expect(trees.map((tree) => tree.getFrame())).toEqual([35, 10, 35]);
    expect(timeouts).toEqual([14, 4, 14]);
    expect(timer(1).timeLeft).toBe(left);
    expect(stepped()[1]).toBe(before[1]); // not stepped at all
    if (processing) expect(processed.map((n, i) => n - processedBefore[i])).toEqual([25, 0, 25]);

    // Every FRAME_LOG_REFRESH frames the loop steps every tree, sleeping or not: not a suspended one.
    toFrame(FRAME_LOG_REFRESH + 10);
    expect(trees[1].getFrame()).toBe(10);
    expect(timeouts[1]).toBe(4);
    expect(stepped()[1]).toBe(before[1]);
    expect(trees[0].getFrame()).toBe(FRAME_LOG_REFRESH + 11);

    trees[1].setSuspend(false);
    const resumedAt = FRAME_LOG_REFRESH + 10;
    toFrame(resumedAt + 10); // ten frames more: 1 s, as the first second of its run
    expect(trees[1].getFrame()).toBe(20);
    expect(timeouts[1]).toBe(8);
    expect(runner.liveCount).toBe(3);
    runner.stop();
  });

  test("a tree that quits while suspended runs its quitting frame and leaves with its code", async () => {
    const { runner, trees, toFrame, exits } = fleet(processing);
    toFrame(5);
    trees[2].setSuspend(true);
    toFrame(10);
    expect(exits).toEqual([]);
    trees[2].quit(5);
    toFrame(11);
    expect(exits).toEqual([{ index: 2, code: 5 }]);
    expect(trees[2].isFinalized()).toBe(true);
    expect(runner.liveCount).toBe(2);
    // The trees moved down a slot keep their state: the one suspended now stays so.
    trees[1].setSuspend(true);
    toFrame(20);
    expect(trees.map((tree) => (tree.isFinalized() ? null : tree.getFrame()))).toEqual([21, 12, null]);
    runner.stop();
    await Promise.resolve();
  });
});

describe("FleetRunner: the inspector's Pause and Next frame on a fleet's tree (through its agent)", () => {
  test("Pause holds the picked tree; Next frame steps it exactly once; Resume goes on", () => {
    const { runner, trees, toFrame, stepped } = fleet(false);
    const posted: FromAgent[] = [];
    const agent = new InspectorAgent(
      (message) => posted.push(message),
      (index) => runner.treeOf(index),
      new Metrics(),
    );
    try {
      toFrame(4);
      agent.receive({ op: "attach", page: 1, index: 1 });
      const send = (message: object) => agent.receive({ op: "message", page: 1, message } as never);
      send({ t: "suspend", on: true });
      expect(trees[1].isSuspended()).toBe(true);
      toFrame(14);
      expect(trees.map((tree) => tree.getFrame())).toEqual([15, 5, 15]);
      expect(timeouts).toEqual([6, 2, 6]);

      const before = stepped()[1];
      send({ t: "nextFrame", req: 1 });
      expect(posted).toContainEqual({
        op: "page",
        page: 1,
        index: 1,
        message: { t: "result", req: 1, ok: true },
      });
      toFrame(20);
      expect(stepped()[1]).toBe(before + 1);
      expect(trees[1].getFrame()).toBe(6);
      expect(trees[1].isSuspended()).toBe(true);
      send({ t: "nextFrame", req: 2 });
      toFrame(25);
      send({ t: "nextFrame", req: 3 });
      toFrame(30);
      expect(trees[1].getFrame()).toBe(8);
      expect(timeouts[1]).toBe(3); // its Timer timed out in frame 7, 0.75 s into its run: only then

      send({ t: "suspend", on: false });
      toFrame(40);
      expect(trees.map((tree) => tree.getFrame())).toEqual([41, 18, 41]);
      expect(trees[1].isSuspended()).toBe(false);
    } finally {
      agent.dispose();
      runner.stop();
    }
  });
});
