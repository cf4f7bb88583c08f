import { SystemClock, TestClock } from "../../src/scene/clock";

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
