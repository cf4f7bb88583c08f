/** Which part of a fleet one machine runs: instances `index`, `index + count`, `index + 2 count`… */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const WHOLE_FLEET: Shard = Object.freeze({ index: 0, count: 1 });

/** How many of `instances` fall in `shard`. */
export function shardSize(instances: number, shard: Shard): number {
  return instances > shard.index ? Math.ceil((instances - shard.index) / shard.count) : 0;
}

/** The global indices `shard` runs, ascending. */
export function shardIndices(instances: number, shard: Shard): number[] {
  const indices = new Array<number>(shardSize(instances, shard));
  for (let i = 0; i < indices.length; i++) indices[i] = shard.index + i * shard.count;
  return indices;
}

/**
 * Deals `indices` out to `workers` in turn, so each worker gets an even share of every stretch of the
 * ramp-up rather than one worker starting all the early instances.
 */
export function dealToWorkers(indices: readonly number[], workers: number): number[][] {
  const hands = Array.from({ length: workers }, () => [] as number[]);
  for (let i = 0; i < indices.length; i++) hands[i % workers].push(indices[i]);
  return hands;
}
