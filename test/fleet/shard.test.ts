import { dealToWorkers, shardIndices, shardSize } from "../../src/fleet/shard";

describe("shardIndices", () => {
  test("shard I of M runs I, I+M, I+2M… below N", () => {
    expect(shardIndices(10, { index: 0, count: 3 })).toEqual([0, 3, 6, 9]);
    expect(shardIndices(10, { index: 1, count: 3 })).toEqual([1, 4, 7]);
    expect(shardIndices(10, { index: 2, count: 3 })).toEqual([2, 5, 8]);
    expect(shardIndices(5, { index: 0, count: 1 })).toEqual([0, 1, 2, 3, 4]);
  });

  test("a shard past the last instance is empty", () => {
    expect(shardIndices(2, { index: 2, count: 4 })).toEqual([]);
    expect(shardIndices(2, { index: 3, count: 4 })).toEqual([]);
    expect(shardSize(2, { index: 3, count: 4 })).toBe(0);
  });

  test.each([
    [1, 1],
    [7, 3],
    [100, 7],
    [5, 8],
    [1000, 10],
  ])("the %i instances over %i shards are each run exactly once", (instances, shards) => {
    const all: number[] = [];
    for (let index = 0; index < shards; index++) {
      const part = shardIndices(instances, { index, count: shards });
      expect(part).toHaveLength(shardSize(instances, { index, count: shards }));
      all.push(...part);
    }
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: instances }, (_, i) => i));
  });
});

describe("dealToWorkers", () => {
  test("deals in turn, so every worker gets early and late instances", () => {
    expect(dealToWorkers([1, 4, 7, 10, 13], 2)).toEqual([
      [1, 7, 13],
      [4, 10],
    ]);
    expect(dealToWorkers([0, 1, 2], 3)).toEqual([[0], [1], [2]]);
  });
});
