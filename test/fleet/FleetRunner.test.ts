import * as path from "node:path";
import { loadScene, Node, TestClock, type PackedScene } from "../../src";
import { FleetRunner, type FleetRunnerOptions } from "../../src/fleet/FleetRunner";
import type { InstanceExit } from "../../src/fleet/protocol";
import { instanceSeed } from "../../src/fleet/seed";
import { contiguous } from "../../src/core/indexRange";

const FIXTURES = path.join(__dirname, "..", "fixtures", "fleet");
type ProbeRecord = Record<string, unknown>;
const sink = globalThis as { fleetProbe?: ProbeRecord[] };

const scenes: Record<string, PackedScene> = {};
beforeAll(async () => {
  for (const name of ["probe", "failing", "staying", "exploding"]) {
    scenes[name] = await loadScene(path.join(FIXTURES, `${name}.scene.json`));
  }
});
beforeEach(() => (sink.fleetProbe = []));
afterAll(() => delete sink.fleetProbe);

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function fleet(scene: string, options: Partial<FleetRunnerOptions> = {}) {
  const clock = new TestClock();
  const exits: InstanceExit[] = [];
  const errors: string[] = [];
  const started: Array<[at: number, indices: number[]]> = [];
  const runner = new FleetRunner({
    scene: scenes[scene],
    indices: contiguous(4),
    count: 4,
    baseSeed: 42,
    rampUpMs: 0,
    durationMs: null,
    fps: 60,
    clock,
    onExited: (batch) => exits.push(...batch),
    onError: (index, text) => errors.push(`${index}: ${text}`),
    onStarted: (indices) => started.push([clock.now(), indices]),
    ...options,
  });
  let result: { notStarted: number } | null = null;
  void runner.run().then((r) => (result = r));
  return {
    runner,
    clock,
    exits,
    errors,
    started,
    records: sink.fleetProbe!,
    /** Lets the run's promise settle, then reports how it ended (null while still running). */
    async result() {
      await Promise.resolve();
      return result;
    },
  };
}

const byIndex = (exits: InstanceExit[]) => [...exits].sort((a, b) => a.index - b.index);

describe("FleetRunner", () => {
  test("every instance's script sees its own index, the fleet's count and a seed from the base and index", async () => {
    const run = fleet("probe", { indices: { first: 1, step: 2, length: 3 }, count: 6, baseSeed: 42 });
    run.clock.advance(100);
    const ready = run.records.filter((r) => "index" in r);
    expect(ready.map(({ index, count, seed }) => ({ index, count, seed }))).toEqual(
      [1, 3, 5].map((index) => ({ index, count: 6, seed: instanceSeed(42, index) })),
    );
    expect(byIndex(run.exits)).toEqual([1, 3, 5].map((index) => ({ index, code: 0 })));
    expect(await run.result()).toEqual({ notStarted: 0 });
    expect(run.clock.pendingCount).toBe(0);
  });

  test("{index}, {count} and {seed} in the scene's props are filled in per instance", () => {
    const run = fleet("probe", { indices: { first: 0, step: 7, length: 2 }, count: 8, baseSeed: 1 });
    run.clock.advance(100);
    expect(run.records.filter((r) => "label" in r).map(({ label, tags }) => ({ label, tags }))).toEqual([
      { label: `bot-0-of-8 seed ${instanceSeed(1, 0)} {other}`, tags: ["t0"] },
      { label: `bot-7-of-8 seed ${instanceSeed(1, 7)} {other}`, tags: ["t7"] },
    ]);
  });

  test("--ramp-up: instance i of N starts i/N of the ramp-up after the start, on the clock", () => {
    const run = fleet("staying", { indices: contiguous(5), count: 5, rampUpMs: 10_000 });
    run.clock.advance(20_000);
    expect(run.records.filter((r) => "index" in r).map(({ index, at }) => [index, at])).toEqual([
      [0, 0],
      [1, 2000],
      [2, 4000],
      [3, 6000],
      [4, 8000],
    ]);
    expect(run.started).toEqual(range(5).map((i) => [i * 2000, [i]]));
    run.runner.stop();
  });

  test("one frame loop steps every tree: one pending clock task however many trees run", () => {
    const run = fleet("staying", { indices: contiguous(50), count: 50 });
    run.clock.advance(990);
    expect(run.runner.liveCount).toBe(50);
    expect(run.clock.pendingCount).toBe(1);
    run.runner.stop();
    const frames = run.records.filter((r) => "exitTree" in r).map((r) => r.frames);
    // Frames at 0, 1/60 s, … 59/60 s: 60 of them, the same for every tree.
    expect(new Set(frames)).toEqual(new Set([60]));
    expect(frames).toHaveLength(50);
  });

  test("a frame that ends late skips the missed frames: the next one waits for the next period, with the longer delta", () => {
    const test = new TestClock();
    let lag = 0; // what the trees' work "took": the worker's time runs ahead of the test clock's by this
    const clock = { now: () => test.now() + lag, schedule: test.schedule.bind(test) };
    const deltas: number[] = [];
    const run = fleet("staying", {
      indices: contiguous(1),
      count: 1,
      clock,
      prepareTree: (tree) => {
        class Slow extends Node {
          override _process(delta: number): void {
            deltas.push(Math.round(delta * 6000) / 100); // in 1/60 s
            if (deltas.length === 3) lag += 40; // the third frame takes 40 ms: 2.4 periods
          }
        }
        tree.root.addChild(new Slow());
      },
    });
    test.advance(200);
    // Frames at 0, 1/60, 2/60 s (the slow one, ending at 2/60 s + 40 ms = 4.4/60 s), then 5/60, 6/60…
    expect(deltas.slice(0, 6)).toEqual([1, 1, 1, 3, 1, 1]);
    // The worker's 240 ms hold the frames 0 … 14/60 s less the two skipped: 3/60 and 4/60 s.
    expect(deltas).toHaveLength(15 - 2);
    run.runner.stop();
  });

  test("--duration: every live instance leaves with _exitTree at that time; later ones never start", async () => {
    const run = fleet("staying", { indices: contiguous(6), count: 6, rampUpMs: 1200, durationMs: 500 });
    run.clock.advance(5000);
    const left = run.records.filter((r) => "exitTree" in r);
    expect(left.map(({ exitTree, at }) => [exitTree, at])).toEqual([
      [0, 500],
      [1, 500],
      [2, 500],
    ]);
    expect(byIndex(run.exits)).toEqual([0, 1, 2].map((index) => ({ index, code: 0 })));
    expect(await run.result()).toEqual({ notStarted: 3 });
    expect(run.clock.pendingCount).toBe(0);
  });

  test("stop(): every live tree is torn down at once, nothing more starts, the run ends", async () => {
    const run = fleet("staying", { indices: contiguous(4), count: 4, rampUpMs: 4000 });
    run.clock.advance(1500);
    run.runner.stop();
    expect(run.records.filter((r) => "exitTree" in r).map((r) => r.exitTree)).toEqual([0, 1]);
    expect(await run.result()).toEqual({ notStarted: 2 });
    expect(run.clock.pendingCount).toBe(0);
  });

  test("exit codes are reported per instance as trees quit", () => {
    const run = fleet("failing", { indices: contiguous(5), count: 5 });
    run.clock.advance(100);
    expect(byIndex(run.exits)).toEqual(range(5).map((index) => ({ index, code: index === 3 ? 1 : 0 })));
  });

  test("an instance whose scene can't be built fails with 1 and an error; the others run", async () => {
    const run = fleet("exploding", { indices: contiguous(4), count: 4 });
    run.clock.advance(100);
    run.runner.stop();
    expect(byIndex(run.exits)).toEqual(range(4).map((index) => ({ index, code: index === 2 ? 1 : 0 })));
    expect(run.errors).toEqual([
      expect.stringMatching(/^2: ERROR: Building the scene failed: .*throwWhen 2=2/s),
    ]);
    expect(await run.result()).toEqual({ notStarted: 0 });
  });

  test("prepareTree sees every tree before its scene is built", () => {
    const prepared: Array<[index: number, recordsSoFar: number]> = [];
    const run = fleet("probe", {
      indices: { first: 2, step: 3, length: 2 },
      count: 6,
      prepareTree: (tree) => prepared.push([tree.instance.index, sink.fleetProbe!.length]),
    });
    run.clock.advance(100);
    expect(prepared).toEqual([
      [2, 0],
      [5, 1],
    ]);
  });

  test("a shard with nothing to run ends at once", async () => {
    const run = fleet("probe", { indices: contiguous(0), count: 4 });
    expect(await run.result()).toEqual({ notStarted: 0 });
    expect(run.clock.pendingCount).toBe(0);
  });
});
