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

/** The histogram classes a Trend records into: the library's JS histograms, without the rest. */
interface Recording {
  PackedHistogram: typeof Hdr.PackedHistogram;
  Int32Histogram: typeof Hdr.Int32Histogram;
}

let recording: Recording | undefined;
let codec: typeof Hdr | undefined;

/**
 * Loaded on the first Trend sample, not at import: the engine imports this layer for `tree.metrics`,
 * and a tree that records no Trend should not pay for loading the library. Only the two classes a Trend
 * records into: the package's index also loads its WebAssembly build, log reader and writer, and an
 * `Intl.NumberFormat` — ~30 ms that every fleet worker paid when its first bot connected.
 */
function lib(): Recording {
  if (recording) return recording;
  /* eslint-disable @typescript-eslint/no-require-imports -- deep imports: the package has no "exports" map */
  const packed = require("hdr-histogram-js/dist/PackedHistogram") as { default: typeof Hdr.PackedHistogram };
  const int32 = require("hdr-histogram-js/dist/Int32Histogram") as { default: typeof Hdr.Int32Histogram };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return (recording = { PackedHistogram: packed.default, Int32Histogram: int32.default });
}

/** The whole library, for encoding and decoding summaries (once, at the end of a run or a merge). */
function codecLib(): typeof Hdr {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (codec ??= require("hdr-histogram-js") as typeof Hdr);
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
  // What the library's build() does for these options (lowest 1, highest 2, auto-resizing), without
  // loading the builder and with it the WebAssembly module.
  const { PackedHistogram, Int32Histogram } = lib();
  const histogram = packed
    ? new PackedHistogram(1, 2, SIGNIFICANT_DIGITS)
    : new Int32Histogram(1, 2, SIGNIFICANT_DIGITS);
  histogram.autoResize = true;
  return histogram;
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
  return codecLib().encodeIntoCompressedBase64(histogram);
}

/** Throws (a plain Error from the library) when `encoded` is not a V2 compressed histogram. */
export function decodeHistogram(encoded: string): Histogram {
  return codecLib().decodeFromCompressedBase64(encoded, 32, false);
}

/** True once the library has been loaded (benchmarks and tests check that unused metrics do not load it). */
export function histogramLibraryLoaded(): boolean {
  return recording !== undefined || codec !== undefined;
}

/** True once the whole library (with its WebAssembly build) has been loaded: by encoding or decoding only. */
export function histogramCodecLoaded(): boolean {
  return codec !== undefined;
}
