import { Fifo } from "../../src/core/Fifo";

describe("Fifo", () => {
  test("keeps order across interleaved pushes and shifts, and through compaction", () => {
    const fifo = new Fifo<number>();
    const expected: number[] = [];
    let next = 0;
    let got = 0;
    // Grow well past the compaction threshold while consuming, so compaction happens mid-stream.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 300; i++) {
        fifo.push(next);
        expected.push(next++);
      }
      for (let i = 0; i < 200; i++) expect(fifo.shift()).toBe(expected[got++]);
      expect(fifo.length).toBe(next - got);
      expect(fifo.peek()).toBe(expected[got]);
    }
    while (fifo.length > 0) expect(fifo.shift()).toBe(expected[got++]);
    expect(got).toBe(next);
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.peek()).toBeUndefined();
  });

  test("drain() returns everything oldest first and empties the queue", () => {
    const fifo = new Fifo<string>();
    ["a", "b", "c"].forEach((item) => fifo.push(item));
    fifo.shift();
    expect(fifo.drain()).toEqual(["b", "c"]);
    expect(fifo.length).toBe(0);
    fifo.push("d");
    expect(fifo.shift()).toBe("d");
  });
});
