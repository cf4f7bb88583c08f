import { TestClock } from "../../src/core/clock";
import { LogLimiter } from "../../src/fleet/logLimiter";

describe("LogLimiter", () => {
  test("passes perSecond lines a second, then says how many it dropped", () => {
    const clock = new TestClock();
    const lines: string[] = [];
    const limiter = new LogLimiter(clock, (text) => lines.push(text), 2);
    for (let i = 0; i < 5; i++) limiter.log(`a${i}`);
    expect(lines).toEqual(["a0", "a1"]);
    clock.advance(999);
    limiter.log("still the same second");
    clock.advance(1);
    limiter.log("b0");
    expect(lines).toEqual(["a0", "a1", "… 4 more error line(s) were not shown.", "b0"]);
    limiter.log("b1");
    limiter.log("b2");
    limiter.flush();
    limiter.flush();
    expect(lines.slice(4)).toEqual(["b1", "… 1 more error line(s) were not shown."]);
  });
});
