import { listIndices, positionOf } from "../../src/core/indexRange";
import { dealToWorkers, shardIndices, shardSize } from "../../src/fleet/shard";

describe("shardIndices", () => {
  test("shard I of M runs I, I+M, I+2M… below N", () => {
    expect(listIndices(shardIndices(10, { index: 0, count: 3 }))).toEqual([0, 3, 6, 9]);
    expect(listIndices(shardIndices(10, { index: 1, count: 3 }))).toEqual([1, 4, 7]);
    expect(listIndices(shardIndices(10, { index: 2, count: 3 }))).toEqual([2, 5, 8]);
    expect(listIndices(shardIndices(5, { index: 0, count: 1 }))).toEqual([0, 1, 2, 3, 4]);
  });

  test("a shard past the last instance is empty", () => {
    expect(listIndices(shardIndices(2, { index: 2, count: 4 }))).toEqual([]);
    expect(listIndices(shardIndices(2, { index: 3, count: 4 }))).toEqual([]);
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
      expect(part.length).toBe(shardSize(instances, { index, count: shards }));
      all.push(...listIndices(part));
    }
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: instances }, (_, i) => i));
  });

  test("the largest fleet is planned as three numbers, not a list of 4294967295", () => {
    expect(shardIndices(4294967295, { index: 0, count: 1 })).toEqual({
      first: 0,
      step: 1,
      length: 4294967295,
    });
    const shard = shardIndices(4294967295, { index: 2, count: 3 });
    expect(shard).toEqual({ first: 2, step: 3, length: 1431655765 });
    expect(positionOf(shard, 4294967294)).toBe(1431655764); // the last instance is this shard's
  });
});

describe("dealToWorkers", () => {
  test("deals in turn, so every worker gets early and late instances", () => {
    expect(dealToWorkers({ first: 1, step: 3, length: 5 }, 2).map(listIndices)).toEqual([
      [1, 7, 13],
      [4, 10],
    ]);
    expect(dealToWorkers({ first: 0, step: 1, length: 3 }, 3).map(listIndices)).toEqual([[0], [1], [2]]);
  });

  test.each([
    [10, 3, 1, 4],
    [1000, 7, 3, 5],
    [17, 4, 0, 8],
  ])(
    "%i instances in shards of %i (shard %i) over %i workers: each of the shard's run by exactly one worker",
    (instances, count, index, workers) => {
      const shard = shardIndices(instances, { index, count });
      const hands = dealToWorkers(shard, workers);
      const all = hands.flatMap(listIndices).sort((a, b) => a - b);
      expect(all).toEqual(listIndices(shard));
      // Position p of the shard is worker p % workers's, as the inspector finds a worker.
      listIndices(shard).forEach((i, p) => expect(positionOf(hands[p % workers], i)).not.toBe(-1));
    },
  );

  test("the largest fleet over the most workers: 1024 ranges, each of three numbers", () => {
    const hands = dealToWorkers(shardIndices(4294967295, { index: 0, count: 1 }), 1024);
    expect(hands).toHaveLength(1024);
    expect(hands[0]).toEqual({ first: 0, step: 1024, length: 4194304 });
    expect(hands[1023]).toEqual({ first: 1023, step: 1024, length: 4194303 });
    expect(hands.reduce((n, hand) => n + hand.length, 0)).toBe(4294967295);
  });
});
