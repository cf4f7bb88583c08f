import type * as Hdr from "hdr-histogram-js";
import { inflateSync } from "node:zlib";
import { MetricsError } from "./errors";

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

/**
 * The most a summary's histogram may inflate to, 512 KiB. A histogram of scenetree's settings
 * (SIGNIFICANT_DIGITS, lowest value 1) has at most 45,056 counts, the library's length for a highest
 * value of 2^53 or more, and the V2 encoding takes at most 9 bytes a count after a 40-byte header:
 * 405,544 bytes. Past the limit the inflating stops, so a few hundred kB of zeros that would inflate to
 * hundreds of MB (a decompression bomb) cost no more than this.
 */
export const MAX_HISTOGRAM_BYTES = 512 * 1024;

/** The library's V2 cookies, the low nibble of their third byte (word size, TLZE) left out. */
const V2_COMPRESSED_COOKIE = 0x1c849304;
const V2_COOKIE = 0x1c849303;
const HEADER_BYTES = 40;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes a V2 compressed base64 histogram. Throws a MetricsError (ERR_SUMMARY_FORMAT) for one that a
 * summary may not hold: one that inflates past MAX_HISTOGRAM_BYTES, or of other settings than scenetree
 * records with (their buckets do not line up with ours, so a merge would not be exact). Throws a plain
 * Error (some from the library) for one that is not a histogram.
 */
export function decodeHistogram(encoded: string): Histogram {
  const text = encoded.trim();
  if (!BASE64.test(text)) throw new Error("not base64");
  const bytes = Buffer.from(text, "base64");
  if (bytes.length < 8 || (bytes.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE)
    throw new Error("Encoding not supported, only V2 is supported");
  const compressed = bytes.readInt32BE(4);
  if (compressed < 0 || 8 + compressed > bytes.length)
    throw new Error(`${compressed} compressed bytes said, ${bytes.length - 8} there`);
  let inflated: Buffer;
  try {
    inflated = inflateSync(bytes.subarray(8, 8 + compressed), { maxOutputLength: MAX_HISTOGRAM_BYTES });
  } catch (error) {
    // What zlib throws when the output would pass maxOutputLength (its data errors are plain Errors);
    // by name, not instanceof: it is Node's own RangeError, another realm's inside a vm context (jest).
    if ((error as Error).name === "RangeError")
      throw new MetricsError(
        "ERR_SUMMARY_FORMAT",
        `it inflates to more than ${MAX_HISTOGRAM_BYTES} bytes, more than any histogram of a summary needs`,
      );
    throw error;
  }
  if (inflated.length < HEADER_BYTES || (inflated.readInt32BE(0) & ~0xf0) !== V2_COOKIE)
    throw new Error("The buffer does not contain a Histogram (no valid V2 encoding cookie found)");
  const payload = inflated.readInt32BE(4);
  if (payload < 0 || HEADER_BYTES + payload > inflated.length)
    throw new Error(`a payload of ${payload} bytes said, ${inflated.length - HEADER_BYTES} there`);
  const digits = inflated.readInt32BE(12);
  const lowest = inflated.readBigInt64BE(16);
  if (digits !== SIGNIFICANT_DIGITS || lowest !== 1n)
    throw new MetricsError(
      "ERR_SUMMARY_FORMAT",
      `it was recorded with ${digits} significant digits and a lowest value of ${lowest}, where scenetree records with ${SIGNIFICANT_DIGITS} and 1; histograms of other settings do not merge exactly`,
    );
  const { JsHistogram } = codecLib() as unknown as {
    JsHistogram: { decode(data: Uint8Array, bitBucketSize: 32, minBarForHighestValue: number): Histogram };
  };
  return JsHistogram.decode(inflated, 32, 0);
}

/** True once the library has been loaded (benchmarks and tests check that unused metrics do not load it). */
export function histogramLibraryLoaded(): boolean {
  return recording !== undefined || codec !== undefined;
}

/** True once the whole library (with its WebAssembly build) has been loaded: by encoding or decoding only. */
export function histogramCodecLoaded(): boolean {
  return codec !== undefined;
}
