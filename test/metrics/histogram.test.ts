import { inflateSync } from "node:zlib";
import {
  decodeHistogram,
  encodeHistogram,
  MAX_HISTOGRAM_BYTES,
  histogramCodecLoaded,
  histogramLibraryLoaded,
  newHistogram,
  PACKED_UNTIL,
  percentile,
  recordValue,
  recordValues,
} from "../../src/metrics/histogram";
import { MetricsError } from "../../src/metrics/errors";
import { craftHistogram } from "../helpers/craftHistogram";

test("recording loads the JS histograms alone; the rest of the library loads with the first encode or decode", () => {
  // First in this file: each jest file has its own module registry.
  expect(histogramLibraryLoaded()).toBe(false);
  let histogram = newHistogram();
  for (let i = 1; i <= PACKED_UNTIL + 1; i++) histogram = recordValue(histogram, i);
  expect(histogram.totalCount).toBe(PACKED_UNTIL + 1);
  expect(histogramLibraryLoaded()).toBe(true);
  // Its index also loads the WebAssembly build and the log writer's number formats: not for recording.
  expect(histogramCodecLoaded()).toBe(false);
  const copy = decodeHistogram(encodeHistogram(histogram));
  expect(histogramCodecLoaded()).toBe(true);
  expect(copy.totalCount).toBe(PACKED_UNTIL + 1);
  expect(percentile(copy, 50, 1, PACKED_UNTIL + 1)).toBeCloseTo(
    percentile(histogram, 50, 1, PACKED_UNTIL + 1),
    9,
  );
});

test("a batch records what the same values one by one would, across the packed-to-flat move", () => {
  const values = Array.from({ length: PACKED_UNTIL + 10 }, (_, i) => (i * 7.3) % 500);
  let oneByOne = newHistogram();
  for (const value of values) oneByOne = recordValue(oneByOne, value);
  const batched = recordValues(recordValues(null, values.slice(0, 10)), values.slice(10));
  for (const p of [0, 50, 90, 99, 100]) {
    expect(percentile(batched, p, 0, 500)).toBe(percentile(oneByOne, p, 0, 500));
  }
  expect(batched.totalCount).toBe(values.length);
});

describe("decodeHistogram refuses what a summary's histogram can't be", () => {
  test("a decompression bomb: zeros that inflate past MAX_HISTOGRAM_BYTES are refused, the inflating stopped there", () => {
    // 2 MiB of zero counts (one byte each) deflate to ~2 kB; the trial's 410 kB inflated to 300 MB.
    const bomb = craftHistogram(Buffer.alloc(2 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(4 * 1024);
    expect(() => decodeHistogram(bomb)).toThrow(MetricsError);
    expect(() => decodeHistogram(bomb)).toThrow(
      `it inflates to more than ${MAX_HISTOGRAM_BYTES} bytes, more than any histogram of a summary needs`,
    );
    // The same settings and one count: decoded.
    expect(decodeHistogram(craftHistogram(Buffer.from([2]))).totalCount).toBe(1);
  });

  test("every count of the widest histogram scenetree can record fits well under the limit", () => {
    const { Int32Histogram } = jest.requireActual<typeof import("hdr-histogram-js")>("hdr-histogram-js");
    const widest = new Int32Histogram(1, Number.MAX_SAFE_INTEGER, 3);
    for (let i = 0; i < widest.countsArrayLength; i++) widest.setCountAtIndex(i, 2 ** 31 - 1);
    widest.establishInternalTackingValues();
    const encoded = encodeHistogram(widest);
    const inflated = inflateSync(Buffer.from(encoded, "base64").subarray(8));
    expect(inflated.length).toBeLessThan(MAX_HISTOGRAM_BYTES / 2);
    expect(decodeHistogram(encoded).totalCount).toBe(widest.totalCount);
  });

  test("other settings than scenetree records with (significant digits, lowest value) are refused", () => {
    expect(() =>
      decodeHistogram(craftHistogram(Buffer.from([2]), { digits: 1, lowest: 1000n, highest: 1n << 40n })),
    ).toThrow(
      "it was recorded with 1 significant digits and a lowest value of 1000, where scenetree records with 3 and 1; histograms of other settings do not merge exactly",
    );
    expect(() => decodeHistogram(craftHistogram(Buffer.from([2]), { digits: 2 }))).toThrow();
    expect(() => decodeHistogram(craftHistogram(Buffer.from([2]), { lowest: 2n }))).toThrow();
  });

  test("what is not a V2 compressed histogram is a plain error", () => {
    for (const text of [
      "not base64 at all!",
      "bm90IGEgaGlzdG9ncmFt",
      craftHistogram(Buffer.from([2])).slice(0, 40),
    ]) {
      expect(() => decodeHistogram(text)).toThrow(Error);
      expect(() => decodeHistogram(text)).not.toThrow(MetricsError);
    }
  });
});
