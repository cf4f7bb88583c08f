/**
 * Whole numbers `first`, `first + step`, `first + 2 step`… (`length` of them, ascending): a fleet's
 * share of instances (a shard's, a worker's) as three numbers rather than a list, so a fleet of
 * 4,294,967,295 instances is planned in constant memory and only the instances that start cost anything.
 */
export interface IndexRange {
  readonly first: number;
  /** At least 1. */
  readonly step: number;
  readonly length: number;
}

/** 0, 1, … `length - 1`. */
export function contiguous(length: number): IndexRange {
  return { first: 0, step: 1, length };
}

/** The number at `position` (0-based) of `range`. */
export function indexAt(range: IndexRange, position: number): number {
  return range.first + position * range.step;
}

/** Where `index` is in `range` (0-based), or -1 when `range` does not hold it. */
export function positionOf(range: IndexRange, index: number): number {
  const offset = index - range.first;
  if (!(offset >= 0) || offset % range.step !== 0) return -1;
  const position = offset / range.step;
  return position < range.length ? position : -1;
}

/** Every number of `range`, as a list: for small ranges only (tests, messages). */
export function listIndices(range: IndexRange): number[] {
  return Array.from({ length: range.length }, (_, position) => indexAt(range, position));
}
