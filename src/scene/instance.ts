import { SceneTreeError } from "../core/errors";

/** Which of several identical trees one is: see `SceneTree.instance`. */
export interface TreeInstance {
  /** 0 .. count-1, unique across every worker and shard of a fleet. */
  readonly index: number;
  /** How many instances the whole fleet has. */
  readonly count: number;
  /** An unsigned 32-bit number derived from the fleet's base seed and `index`. */
  readonly seed: number;
}

/** A tree created on its own. */
export const SINGLE_INSTANCE: TreeInstance = Object.freeze({ index: 0, count: 1, seed: 0 });

/** Throws unless `instance` is a whole index below a positive count with an unsigned 32-bit seed. */
export function checkTreeInstance(instance: TreeInstance): void {
  const { index, count, seed } = instance;
  const valid =
    Number.isSafeInteger(count) &&
    count >= 1 &&
    Number.isSafeInteger(index) &&
    index >= 0 &&
    index < count &&
    Number.isInteger(seed) &&
    seed >= 0 &&
    seed <= 0xffffffff;
  if (!valid) {
    throw new SceneTreeError(
      "ERR_INVALID_ARGUMENT",
      `instance needs 0 <= index < count and a seed in 0..4294967295, got ${JSON.stringify(instance)}.`,
    );
  }
}

/** The `{index}`, `{count}` and `{seed}` placeholders of scene props, for `PackedScene.instantiate`. */
export function instancePlaceholders(instance: TreeInstance): Record<"index" | "count" | "seed", number> {
  return { index: instance.index, count: instance.count, seed: instance.seed };
}
