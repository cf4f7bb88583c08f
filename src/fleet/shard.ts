import { indexAt, type IndexRange } from "../core/indexRange";

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
export function shardIndices(instances: number, shard: Shard): IndexRange {
  return { first: shard.index, step: shard.count, length: shardSize(instances, shard) };
}

/**
 * Deals `indices` out to `workers` in turn, so each worker gets an even share of every stretch of the
 * ramp-up rather than one worker starting all the early instances: worker `w` gets the positions `w`,
 * `w + workers`, `w + 2 workers`… of `indices`, itself a range.
 */
export function dealToWorkers(indices: IndexRange, workers: number): IndexRange[] {
  return Array.from({ length: workers }, (_, worker) => ({
    first: indexAt(indices, worker),
    step: indices.step * workers,
    length: indices.length > worker ? Math.ceil((indices.length - worker) / workers) : 0,
  }));
}
