import type { GaugeData, TrendData } from "../../src/metrics/data";
import { emptyData } from "../../src/metrics/data";
import { encodeHistogram, newHistogram, recordValue } from "../../src/metrics/histogram";
import {
  aggregate,
  checkHistogram,
  combineData,
  METHODS_BY_TYPE,
  perSecond,
  valuesOf,
} from "../../src/metrics/stats";

/** A Trend's data for these samples, as a registry would keep it. */
function trend(samples: number[]): TrendData {
  let histogram = newHistogram();
  for (const sample of samples) histogram = recordValue(histogram, sample);
  return {
    count: samples.length,
    sum: samples.reduce((a, b) => a + b, 0),
    min: Math.min(...samples),
    max: Math.max(...samples),
    hdr: encodeHistogram(histogram),
  };
}

const gauge = (value: number, seq: number): GaugeData => ({ count: 1, value, min: value, max: value, seq });

describe("stats", () => {
  test("each kind has k6's aggregation methods", () => {
    expect(METHODS_BY_TYPE).toEqual({
      counter: ["count", "rate"],
      gauge: ["value"],
      rate: ["rate"],
      trend: ["avg", "min", "max", "med", "p"],
    });
  });

  test("counters count and rate per second of the run; an empty one counts 0", () => {
    expect(aggregate("counter", { count: 30 }, "count", 0, 10_000)).toBe(30);
    expect(aggregate("counter", { count: 30 }, "rate", 0, 10_000)).toBe(3);
    expect(aggregate("counter", emptyData("counter"), "count", 0, 1000)).toBe(0);
    expect(perSecond(5, 0)).toBe(0);
  });

  test("rates are passes over total; gauges give their value; no samples is null", () => {
    expect(aggregate("rate", { passes: 3, total: 4 }, "rate", 0, 1000)).toBe(0.75);
    expect(aggregate("rate", { passes: 0, total: 0 }, "rate", 0, 1000)).toBeNull();
    expect(aggregate("gauge", gauge(7, 1), "value", 0, 1000)).toBe(7);
    expect(aggregate("gauge", emptyData("gauge"), "value", 0, 1000)).toBeNull();
    expect(aggregate("trend", emptyData("trend"), "avg", 0, 1000)).toBeNull();
  });

  test("trends: avg, min, max, median and percentiles from the histogram, within the exact min and max", () => {
    const data = trend([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(aggregate("trend", data, "avg", 0, 1000)).toBe(5.5);
    expect(aggregate("trend", data, "min", 0, 1000)).toBe(1);
    expect(aggregate("trend", data, "max", 0, 1000)).toBe(10);
    expect(aggregate("trend", data, "med", 0, 1000)).toBeCloseTo(5, 1);
    expect(aggregate("trend", data, "p", 90, 1000)).toBeCloseTo(9, 1);
    expect(aggregate("trend", data, "p", 100, 1000)).toBe(10);
  });

  test("valuesOf lists what k6's JSON summary lists, in its order", () => {
    expect(Object.keys(valuesOf("trend", trend([1, 2]), 1000))).toEqual([
      "count",
      "rate",
      "avg",
      "min",
      "med",
      "p(90)",
      "p(95)",
      "p(99)",
      "max",
    ]);
    expect(valuesOf("rate", { passes: 1, total: 3 }, 1000)).toEqual({ rate: 1 / 3, passes: 1, fails: 2 });
    expect(valuesOf("gauge", gauge(4, 1), 1000)).toEqual({ value: 4, min: 4, max: 4 });
  });

  test("combineData adds counters, rates and trends exactly; gauges sum or keep the latest", () => {
    expect(combineData("counter", [{ count: 1 }, { count: 2 }], "sum")).toEqual({ count: 3 });
    expect(
      combineData(
        "rate",
        [
          { passes: 1, total: 2 },
          { passes: 2, total: 2 },
        ],
        "sum",
      ),
    ).toEqual({
      passes: 3,
      total: 4,
    });
    expect(combineData("gauge", [gauge(2, 5), gauge(3, 1)], "sum")).toMatchObject({ value: 5, count: 2 });
    expect(combineData("gauge", [gauge(2, 5), gauge(3, 1)], "latest")).toMatchObject({ value: 2, seq: 5 });
    const merged = combineData("trend", [trend([1, 2]), trend([3]), emptyData("trend")], "sum") as TrendData;
    expect(merged).toMatchObject({ count: 3, sum: 6, min: 1, max: 3 });
    expect(checkHistogram(merged)).toBeNull();
    expect(aggregate("trend", merged, "med", 0, 1000)).toBeCloseTo(2, 1);
  });

  test("checkHistogram says why a trend's data is unusable", () => {
    expect(checkHistogram(trend([1]))).toBeNull();
    expect(checkHistogram({ ...emptyData("trend"), count: 2 } as TrendData)).toBe(
      "2 samples but no histogram",
    );
    expect(checkHistogram({ ...trend([1, 2]), count: 5 })).toBe(
      "the histogram holds 2 samples, count says 5",
    );
    expect(checkHistogram({ ...trend([1]), hdr: "not base64 at all!" })).toMatch(
      /^not an encoded HdrHistogram/,
    );
  });
});

test("combineData takes 150,000 series of one metric (min and max by a loop, not a spread that overflows the stack)", () => {
  const many = 150_000;
  const gauges = Array.from({ length: many }, (_, i) => gauge(i === 7 ? -3 : i === 9 ? 1e6 : 1, i));
  expect(combineData("gauge", gauges, "sum")).toMatchObject({
    count: many,
    min: -3,
    max: 1e6,
    seq: many - 1,
  });
  const one = trend([2]);
  const trends = Array.from({ length: many }, (_, i) => (i === 7 ? trend([1, 9]) : one));
  expect(combineData("trend", trends, "sum")).toMatchObject({ count: many + 1, min: 1, max: 9 });
});
