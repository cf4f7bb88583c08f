import { randomInt } from "node:crypto";

/** The largest seed: seeds are unsigned 32-bit numbers. */
export const MAX_SEED = 0xffffffff;

/** A fresh base seed, for runs given no `--seed`. */
export function randomBaseSeed(): number {
  return randomInt(MAX_SEED + 1);
}

/**
 * The seed of instance `index` in a fleet with base seed `base`: the same on every machine and worker,
 * and different for every index below 2^32 - 1 (an odd multiplier and murmur3's finalizer are both
 * one-to-one on 32-bit numbers), so no two bots of a fleet share a random sequence.
 */
export function instanceSeed(base: number, index: number): number {
  let h = (base + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
