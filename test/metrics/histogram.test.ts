import {
  decodeHistogram,
  encodeHistogram,
  histogramCodecLoaded,
  histogramLibraryLoaded,
  newHistogram,
  PACKED_UNTIL,
  percentile,
  recordValue,
  recordValues,
} from "../../src/metrics/histogram";

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
