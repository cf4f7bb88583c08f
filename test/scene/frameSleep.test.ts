import { AWAKE, FRAME_LOG_CAPACITY, FrameLog } from "../../src/scene/frameSleep";

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
