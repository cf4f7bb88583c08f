import { matchesSubset, MessageWaits } from "../../src/nodes/messageWaits";

describe("matchesSubset", () => {
  test("objects: each key of the subset, recursively; other keys ignored", () => {
    const message = { type: "joined", room: { id: 7, name: "a" }, n: 0, flag: false, none: null };
    expect(matchesSubset(message, { type: "joined" })).toBe(true);
    expect(matchesSubset(message, { room: { id: 7 } })).toBe(true);
    expect(matchesSubset(message, { n: 0, flag: false, none: null })).toBe(true);
    expect(matchesSubset(message, {})).toBe(true);
    expect(matchesSubset(message, { type: "left" })).toBe(false);
    expect(matchesSubset(message, { room: { id: "7" } })).toBe(false); // no coercion
    expect(matchesSubset(message, { missing: undefined })).toBe(false); // the key must be there
    expect(matchesSubset(message, { room: 7 })).toBe(false);
    expect(matchesSubset({ toString: 1 }, { toString: 1 })).toBe(true);
    expect(matchesSubset({}, { toString: Object.prototype.toString })).toBe(false); // own keys only
  });

  test("arrays: same length, items matched in order; primitives: ===", () => {
    expect(matchesSubset([1, { a: 1, b: 2 }], [1, { a: 1 }])).toBe(true);
    expect(matchesSubset([1, 2], [1])).toBe(false);
    expect(matchesSubset([2, 1], [1, 2])).toBe(false);
    expect(matchesSubset({ 0: 1, length: 1 }, [1])).toBe(false);
    expect(matchesSubset([1], { 0: 1 })).toBe(false);
    expect(matchesSubset("a", "a")).toBe(true);
    expect(matchesSubset(null, {})).toBe(false);
  });
});

describe("MessageWaits", () => {
  function wait(match: Parameters<MessageWaits["add"]>[0]["match"]) {
    const outcome: { resolved: unknown[]; rejected: unknown[] } = { resolved: [], rejected: [] };
    return {
      outcome,
      wait: {
        match,
        resolve: (message: unknown) => void outcome.resolved.push(message),
        reject: (error: Error) => void outcome.rejected.push(error.message),
        timeout: null,
      },
    };
  }
  const failed = (error: unknown) => new Error(`failed: ${(error as Error).message}`);

  test("text is parsed once when it is JSON; other text stays a string; each wait settles once", () => {
    const waits = new MessageWaits();
    const seen: unknown[] = [];
    const a = wait((message) => (seen.push(message), true));
    const b = wait({ x: 1 });
    waits.add(a.wait);
    waits.add(b.wait);
    waits.offer(Buffer.from("not json {"), true, failed);
    waits.offer(Buffer.from(' {"x":1}'), true, failed);
    waits.offer(Buffer.from('{"x":1}'), true, failed);
    expect(seen).toEqual(["not json {"]);
    expect([a.outcome.resolved, b.outcome.resolved, waits.size]).toEqual([["not json {"], [{ x: 1 }], 0]);
  });

  test("malformed JSON is the string; numbers, strings and literals parse", () => {
    const waits = new MessageWaits();
    const got: unknown[] = [];
    for (const text of ["{oops", "12", '"s"', "true", "null", "-1", "nullish"]) {
      const w = wait(() => true);
      waits.add(w.wait);
      waits.offer(Buffer.from(text), true, failed);
      got.push(w.outcome.resolved[0]);
    }
    expect(got).toEqual(["{oops", 12, "s", true, null, -1, "nullish"]);
  });

  test("a throwing predicate rejects its own wait; rejectAll rejects the rest", () => {
    const waits = new MessageWaits();
    const bad = wait(() => {
      throw new Error("boom");
    });
    const other = wait(() => false);
    waits.add(bad.wait);
    waits.add(other.wait);
    waits.offer(Buffer.from([1]), false, failed);
    expect(bad.outcome.rejected).toEqual(["failed: boom"]);
    waits.rejectAll(new Error("closed"));
    expect(other.outcome.rejected).toEqual(["closed"]);
    expect(waits.remove(other.wait)).toBe(false);
  });
});
