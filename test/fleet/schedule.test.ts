import { TestClock, type Clock } from "../../src/core/clock";
import { MAX_FLEET_SECONDS } from "../../src/fleet/flags";
import { MAX_STARTS_PER_TURN, RampScheduler, startOffsetMs } from "../../src/fleet/schedule";
import { shardIndices, WHOLE_FLEET } from "../../src/fleet/shard";
import { contiguous, type IndexRange } from "../../src/core/indexRange";

/** Runs a scheduler to the end on a TestClock; returns when each index started (ms) and the batches. */
function rampOn(indices: IndexRange, count: number, rampUpMs: number, startAt = 0) {
  const clock = new TestClock(startAt);
  const startedAt = new Map<number, number>();
  const batches: number[][] = [];
  const ramp = new RampScheduler(clock, indices, count, rampUpMs, (batch) => {
    batches.push(batch);
    for (const index of batch) startedAt.set(index, clock.now());
  });
  ramp.begin();
  clock.advance(rampUpMs + 1);
  return { startedAt, batches, ramp, clock };
}

describe("startOffsetMs", () => {
  test("spreads the instances evenly over the ramp-up by global index", () => {
    expect([0, 1, 2, 3].map((i) => startOffsetMs(i, 4, 2000))).toEqual([0, 500, 1000, 1500]);
    expect(startOffsetMs(5, 10, 0)).toBe(0);
  });
});

describe("RampScheduler", () => {
  test("starts each instance at its offset from begin(), on the clock", () => {
    const { startedAt, ramp, clock } = rampOn(contiguous(5), 5, 10_000, 1234);
    expect([...startedAt]).toEqual([
      [0, 1234],
      [1, 3234],
      [2, 5234],
      [3, 7234],
      [4, 9234],
    ]);
    expect(ramp.pending).toBe(0);
    expect(clock.pendingCount).toBe(0);
  });

  test("a shard keeps the global timetable: its instances start when they would in one process", () => {
    const shard = shardIndices(12, { index: 1, count: 3 }); // 1, 4, 7, 10
    const { startedAt } = rampOn(shard, 12, 6000);
    expect([...startedAt]).toEqual([
      [1, 500],
      [4, 2000],
      [7, 3500],
      [10, 5000],
    ]);
  });

  test("keeps one clock task pending, however many instances wait", () => {
    const clock = new TestClock();
    const ramp = new RampScheduler(
      clock,
      shardIndices(10_000, { index: 0, count: 1 }),
      10_000,
      60_000,
      () => {},
    );
    ramp.begin();
    expect(clock.pendingCount).toBe(1);
    clock.advance(30_000);
    expect(ramp.pending).toBe(5000 - 1);
    expect(clock.pendingCount).toBe(1);
  });

  test("no ramp-up starts everything in one batch at begin()", () => {
    const { batches } = rampOn({ first: 0, step: 2, length: 3 }, 6, 0);
    expect(batches).toEqual([[0, 2, 4]]);
  });

  test("instances that fell due while the clock was late start together in one batch", () => {
    // A clock that runs every task at the next whole 100 ms, as a busy event loop runs timers late.
    const inner = new TestClock();
    const coarse: Clock = {
      now: () => inner.now(),
      schedule: (callback, delayMs) =>
        inner.schedule(callback, Math.ceil((inner.now() + delayMs) / 100) * 100 - inner.now()),
    };
    const batches: Array<[at: number, indices: number[]]> = [];
    const ramp = new RampScheduler(coarse, shardIndices(1000, WHOLE_FLEET), 1000, 1000, (batch) =>
      batches.push([inner.now(), batch]),
    );
    ramp.begin();
    inner.advance(1000);
    // Instance i is due at i ms: 0 at once, then 1..100 at 100 ms, 101..200 at 200 ms, … 901..999 at 1 s.
    const expected = [[0, 1, 0]];
    for (let at = 100; at <= 1000; at += 100) expected.push([at, at === 1000 ? 99 : 100, at - 99]);
    expect(batches.map(([at, batch]) => [at, batch.length, batch[0]])).toEqual(expected);
    expect(batches.flatMap(([, batch]) => batch)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  test("at most MAX_STARTS_PER_TURN start in one go; the rest follow on later turns at the same instant", () => {
    const clock = new TestClock();
    const batches: Array<[at: number, size: number]> = [];
    const count = MAX_STARTS_PER_TURN * 2 + 50;
    const ramp = new RampScheduler(clock, shardIndices(count, WHOLE_FLEET), count, 0, (batch) =>
      batches.push([clock.now(), batch.length]),
    );
    ramp.begin();
    expect(batches).toEqual([[0, MAX_STARTS_PER_TURN]]);
    clock.advance(0);
    expect(batches).toEqual([
      [0, MAX_STARTS_PER_TURN],
      [0, MAX_STARTS_PER_TURN],
      [0, 50],
    ]);
  });

  test("the longest ramp-up over the largest fleet: instance 0 starts at once, the last one within the ramp-up", () => {
    const clock = new TestClock();
    const started: number[] = [];
    const count = 4294967295;
    const rampUpMs = MAX_FLEET_SECONDS * 1000;
    const ramp = new RampScheduler(clock, contiguous(count), count, rampUpMs, (batch) =>
      started.push(...batch),
    );
    ramp.begin();
    expect(started).toEqual([0]);
    expect(ramp.pending).toBe(count - 1);
    expect(clock.pendingCount).toBe(1);
    expect(startOffsetMs(count - 1, count, rampUpMs)).toBeLessThan(rampUpMs);
    ramp.cancel();
  });

  test("cancel() starts nothing more", () => {
    const clock = new TestClock();
    const started: number[] = [];
    const ramp = new RampScheduler(clock, contiguous(4), 4, 4000, (batch) => started.push(...batch));
    ramp.begin();
    clock.advance(1500);
    ramp.cancel();
    clock.advance(10_000);
    expect(started).toEqual([0, 1]);
    expect(ramp.pending).toBe(0);
    expect(clock.pendingCount).toBe(0);
  });
});
