import { backoffDelay, DEFAULT_BACKOFF } from "../../src/net/Backoff";

describe("backoffDelay", () => {
  test("defaults: first try at once, then 1 s doubling, capped at 30 s", () => {
    expect(DEFAULT_BACKOFF.reconnectDelay).toBe(1);
    expect(DEFAULT_BACKOFF.reconnectDelayMax).toBe(30);
    const delays = Array.from({ length: 9 }, (_, attempt) => backoffDelay(attempt));
    expect(delays).toEqual([0, 1, 2, 4, 8, 16, 30, 30, 30]);
  });

  test("custom base and cap; a cap below the base wins", () => {
    const settings = { reconnectDelay: 0.5, reconnectDelayMax: 3 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, settings))).toEqual([0.5, 1, 2, 3, 3]);
    expect(backoffDelay(1, { reconnectDelay: 10, reconnectDelayMax: 2 })).toBe(2);
  });

  test("huge attempt numbers stay at the cap instead of overflowing", () => {
    expect(backoffDelay(5000)).toBe(30);
    expect(backoffDelay(Number.MAX_SAFE_INTEGER)).toBe(30);
  });

  test("jitter only lowers a delay, within the fraction, and never exceeds the cap", () => {
    const settings = { reconnectDelay: 1, reconnectDelayMax: 8, reconnectJitter: 0.25 };
    expect(backoffDelay(3, { ...settings, random: () => 0 })).toBe(4);
    expect(backoffDelay(3, { ...settings, random: () => 0.5 })).toBe(3.5);
    expect(backoffDelay(3, { ...settings, random: () => 0.999999 })).toBeCloseTo(3, 4);
    for (let attempt = 1; attempt < 12; attempt++) {
      const ceiling = Math.min(8, 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, settings);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeGreaterThanOrEqual(ceiling * 0.75);
      }
    }
  });

  test("the first try stays immediate whatever the jitter", () => {
    expect(backoffDelay(0, { reconnectJitter: 1, random: () => 0.5 })).toBe(0);
  });

  test("out-of-range settings are clamped rather than producing negative or NaN delays", () => {
    expect(backoffDelay(2, { reconnectJitter: 5, random: () => 0.5 })).toBe(1); // jitter clamped to 1
    expect(backoffDelay(2, { reconnectJitter: -1 })).toBe(2);
    expect(backoffDelay(2, { reconnectDelay: -3 })).toBe(0);
    expect(backoffDelay(2, { reconnectDelay: NaN })).toBe(0);
    expect(backoffDelay(2, { reconnectJitter: 0.5, random: () => 7 })).toBe(1); // random clamped to 1
    expect(backoffDelay(-1)).toBe(0);
    expect(backoffDelay(NaN)).toBe(0);
  });
});
