import type * as Hdr from "hdr-histogram-js";

/**
 * Trend samples live in HdrHistograms (hdr-histogram-js, its pure JS mode: no WebAssembly). They record
 * integers, so a value is recorded as `round(value * SCALE)`: a Trend of milliseconds keeps microseconds.
 * With 3 significant digits a percentile is within 0.1% of the true sample, and two histograms merge
 * exactly: the merge of A and B answers every percentile as one histogram fed A's and B's samples would.
 */
export const SCALE = 1000;
export const SIGNIFICANT_DIGITS = 3;

export type Histogram = Hdr.Histogram;

let hdr: typeof Hdr | undefined;

/**
 * Loaded on the first Trend sample, not at import: the engine imports this layer for `tree.metrics`,
 * and a tree that records no Trend should not pay for loading the library.
 */
function lib(): typeof Hdr {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (hdr ??= require("hdr-histogram-js") as typeof Hdr);
}

/**
 * A Trend starts in a packed histogram (a few hundred bytes for a few samples, where a flat one takes
 * 20 to 30 kB) and moves to a flat one, several times faster to record into, at this many samples: a
 * bot's handshake Trend with one sample stays small, a busy Trend gets fast.
 */
export const PACKED_UNTIL = 1000;

/** Loads the library now (the first Trend sample does, so that loading is not left to a later read). */
export function loadHistogramLibrary(): void {
  lib();
}

export function newHistogram(packed = true): Histogram {
  return lib().build({
    bitBucketSize: packed ? "packed" : 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
}

/** Records `value`; returns the histogram to keep, the flat copy once `PACKED_UNTIL` is reached. */
export function recordValue(histogram: Histogram, value: number): Histogram {
  histogram.recordValue(Math.round(value * SCALE));
  if (histogram.totalCount !== PACKED_UNTIL || !isPacked(histogram)) return histogram;
  const flat = newHistogram(false);
  flat.add(histogram);
  return flat;
}

/**
 * Records `values` in order into `histogram` (a new one when null) as {@link recordValue} would one by
 * one; returns the histogram to keep. A batch that alone reaches `PACKED_UNTIL` goes straight into a flat
 * histogram: the packed one would be copied into a flat one before the batch was done anyway.
 */
export function recordValues(histogram: Histogram | null, values: readonly number[]): Histogram {
  let h = histogram ?? newHistogram(values.length < PACKED_UNTIL);
  for (let i = 0; i < values.length; i++) h = recordValue(h, values[i]);
  return h;
}

function isPacked(histogram: Histogram): boolean {
  return histogram instanceof lib().PackedHistogram;
}

/**
 * The value at percentile `p` (0..100), clamped into the exact [min, max] kept beside the histogram:
 * a histogram bucket's upper edge may lie a hair above the largest sample.
 */
export function percentile(histogram: Histogram, p: number, min: number, max: number): number {
  const value = histogram.getValueAtPercentile(p) / SCALE;
  return value < min ? min : value > max ? max : value;
}

export function encodeHistogram(histogram: Histogram): string {
  return lib().encodeIntoCompressedBase64(histogram);
}

/** Throws (a plain Error from the library) when `encoded` is not a V2 compressed histogram. */
export function decodeHistogram(encoded: string): Histogram {
  return lib().decodeFromCompressedBase64(encoded, 32, false);
}

/** True once the library has been loaded (benchmarks and tests check that unused metrics do not load it). */
export function histogramLibraryLoaded(): boolean {
  return hdr !== undefined;
}
