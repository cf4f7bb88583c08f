import { MAX_TIMER_DELAY_MS, SystemClock, TestClock } from "../../src/core/clock";

describe("TestClock", () => {
  it("runs due tasks in time order, ties in scheduling order, with now() at each task's time", () => {
    const clock = new TestClock(100);
    const seen: string[] = [];
    clock.schedule(() => seen.push(`b@${clock.now()}`), 20);
    clock.schedule(() => seen.push(`a@${clock.now()}`), 10);
    clock.schedule(() => seen.push(`c@${clock.now()}`), 20);
    clock.advance(15);
    expect(seen).toEqual(["a@110"]);
    clock.advance(100);
    expect(seen).toEqual(["a@110", "b@120", "c@120"]);
    expect(clock.now()).toBe(215);
  });

  it("runs tasks scheduled while advancing when they fall due in the same advance", () => {
    const clock = new TestClock();
    const seen: number[] = [];
    const again = () => {
      seen.push(clock.now());
      if (seen.length < 5) clock.schedule(again, 10);
    };
    clock.schedule(again, 10);
    clock.advance(35);
    expect(seen).toEqual([10, 20, 30]);
    expect(clock.nextDueTime()).toBe(40);
  });

  it("does not run cancelled tasks", () => {
    const clock = new TestClock();
    let ran = false;
    const task = clock.schedule(() => (ran = true), 5);
    task.cancel();
    clock.advance(10);
    expect(ran).toBe(false);
    expect(clock.pendingCount).toBe(0);
  });
});

describe("TestClock.advanceAsync", () => {
  /** A chain of awaits: each wake-up schedules the next one 10 ms later. */
  function chain(clock: TestClock): { wakes: number[] } {
    const seen = { wakes: [] as number[] };
    void (async () => {
      for (;;) {
        await new Promise<void>((resolve) => clock.schedule(resolve, 10));
        seen.wakes.push(clock.now());
      }
    })();
    return seen;
  }

  it("lets an await resume after each task, so a chain of awaits keeps up with the clock", async () => {
    const clock = new TestClock();
    const seen = chain(clock);
    await clock.advanceAsync(55);
    expect(seen.wakes).toEqual([10, 20, 30, 40, 50]);
    expect(clock.now()).toBe(55);
  });

  it("where advance runs every task first: the chain resumes once, after it returns", async () => {
    const clock = new TestClock();
    const seen = chain(clock);
    clock.advance(55);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(seen.wakes).toEqual([55]);
  });
});

describe("SystemClock", () => {
  it("schedules on real time and can cancel", async () => {
    const clock = new SystemClock();
    const start = clock.now();
    let cancelledRan = false;
    clock.schedule(() => (cancelledRan = true), 5).cancel();
    await new Promise<void>((resolve) => clock.schedule(resolve, 20));
    expect(clock.now() - start).toBeGreaterThanOrEqual(15);
    expect(cancelledRan).toBe(false);
  });
});

describe("long and endless delays", () => {
  const DAY_MS = 24 * 3600 * 1000;

  it("TestClock: a 30-day task runs at 30 days, not before; Infinity never runs and holds nothing", () => {
    const clock = new TestClock();
    const seen: string[] = [];
    clock.schedule(() => seen.push("30 days"), 30 * DAY_MS);
    clock.schedule(() => seen.push("never"), Infinity).cancel();
    clock.schedule(() => seen.push("never"), Infinity);
    expect(clock.pendingCount).toBe(1);
    clock.advance(30 * DAY_MS - 1);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual(["30 days"]);
    clock.advance(Number.MAX_VALUE);
    expect(seen).toEqual(["30 days"]);
    expect(clock.pendingCount).toBe(0);
  });

  describe("SystemClock", () => {
    let delays: number[];
    let spy: jest.SpyInstance;

    beforeEach(() => {
      delays = [];
      const real = global.setTimeout;
      spy = jest.spyOn(global, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
        delays.push(ms ?? 0);
        return real(fn, ms);
      }) as typeof setTimeout);
    });

    afterEach(() => spy.mockRestore());

    it("never hands the host a delay it would clamp: a 30-day wait arms a timer of at most 2^31 - 1 ms", () => {
      const clock = new SystemClock();
      expect(clock.maxTimerDelayMs).toBe(MAX_TIMER_DELAY_MS);
      clock.schedule(() => {}, 30 * DAY_MS).cancel();
      clock.schedule(() => {}, 2 ** 31).cancel();
      expect(delays).toHaveLength(2);
      for (const ms of delays) {
        expect(ms).toBeGreaterThan(1);
        expect(ms).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
      }
    });

    it("chains timers of at most maxTimerDelayMs and runs the callback once, never early", async () => {
      const clock = new SystemClock({ maxTimerDelayMs: 5 });
      const start = clock.now();
      let ranAt = -1;
      let runs = 0;
      await new Promise<void>((resolve) =>
        clock.schedule(() => {
          runs++;
          ranAt = clock.now();
          resolve();
        }, 40),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(runs).toBe(1);
      expect(ranAt - start).toBeGreaterThanOrEqual(40);
      // 40 ms in chunks of at most 5 ms (how many depends on how late each fires), never one longer.
      const chain = delays.filter((ms) => ms !== 20);
      expect(chain[0]).toBe(5);
      for (const ms of chain) expect(ms).toBeLessThanOrEqual(5);
    });

    it("cancelling a chained wait mid-way stops it and leaves no timer", async () => {
      const before = timeouts();
      const clock = new SystemClock({ maxTimerDelayMs: 5 });
      let ran = false;
      // 10 s in 5 ms links: however late this loaded machine wakes us, the task is still mid-chain.
      const task = clock.schedule(() => (ran = true), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 12));
      task.cancel();
      expect(timeouts()).toBe(before);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(ran).toBe(false);
    });

    it("Infinity means never: no host timer at all; NaN and negative delays run as soon as possible", async () => {
      const clock = new SystemClock();
      let ran = false;
      clock.schedule(() => (ran = true), Infinity).cancel();
      clock.schedule(() => (ran = true), Infinity);
      expect(delays).toEqual([]);
      const soon: string[] = [];
      await Promise.all([
        new Promise<void>((resolve) => clock.schedule(() => resolve(void soon.push("NaN")), NaN)),
        new Promise<void>((resolve) => clock.schedule(() => resolve(void soon.push("-5")), -5)),
      ]);
      expect(delays).toEqual([0, 0]);
      expect(soon).toEqual(["NaN", "-5"]);
      expect(ran).toBe(false);
    });
  });
});

/** Host timers that keep the process alive right now. */
function timeouts(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}
