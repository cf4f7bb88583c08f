import { Metrics } from "../../src/metrics/Metrics";
import {
  PACKED_UNTIL,
  decodeHistogram,
  newHistogram,
  percentile,
  recordValue,
} from "../../src/metrics/histogram";

const PERCENTILES = [0, 1, 50, 90, 95, 99, 99.9, 100];

/** The same samples recorded one by one into one flat histogram: what a Trend must answer like. */
function reference(values: readonly number[]) {
  const flat = newHistogram(false);
  for (const value of values) recordValue(flat, value);
  return flat;
}

const sample = (i: number): number => ((i * 7919) % 5003) / 7;

describe("Trend", () => {
  test("answers every read from all its samples, whether they are still waiting for the histogram or not", () => {
    for (const count of [1, 2, PACKED_UNTIL - 1, PACKED_UNTIL, PACKED_UNTIL + 1, PACKED_UNTIL * 2 + 7]) {
      const trend = new Metrics().trend("t");
      const values = Array.from({ length: count }, (_, i) => sample(i));
      for (const value of values) trend.add(value);
      const flat = reference(values);
      expect(trend.count).toBe(count);
      expect(trend.min).toBe(Math.min(...values));
      expect(trend.max).toBe(Math.max(...values));
      expect(trend.avg).toBeCloseTo(values.reduce((a, b) => a + b, 0) / count, 9);
      for (const p of PERCENTILES)
        expect(trend.percentile(p)).toBe(percentile(flat, p, trend.min, trend.max));
    }
  });

  test("samples added after a read are counted by the next one", () => {
    const trend = new Metrics().trend("t");
    const values: number[] = [];
    for (let i = 0; i < 3 * PACKED_UNTIL; i++) {
      trend.add(sample(i));
      values.push(sample(i));
      if (i % 997 === 0 || i === 3 * PACKED_UNTIL - 1) {
        const flat = reference(values);
        for (const p of [50, 99]) expect(trend.percentile(p)).toBe(percentile(flat, p, trend.min, trend.max));
        expect(trend.snapshot().data).toMatchObject({ count: values.length });
      }
    }
  });

  test("its snapshot's histogram decodes to every sample", () => {
    for (const count of [0, 5, PACKED_UNTIL + 3]) {
      const trend = new Metrics().trend("t");
      for (let i = 0; i < count; i++) trend.add(sample(i));
      const data = trend.snapshot().data as { count: number; hdr: string | null };
      expect(data.count).toBe(count);
      if (count === 0) {
        expect(data.hdr).toBeNull();
        continue;
      }
      const decoded = decodeHistogram(data.hdr!);
      expect(decoded.totalCount).toBe(count);
      const flat = reference(Array.from({ length: count }, (_, i) => sample(i)));
      for (const p of PERCENTILES) expect(decoded.getValueAtPercentile(p)).toBe(flat.getValueAtPercentile(p));
    }
  });

  test("tagged samples keep their own series beside the total", () => {
    const trend = new Metrics().trend("t");
    for (let i = 0; i < PACKED_UNTIL + 10; i++) trend.add(i, { kind: i % 2 === 0 ? "even" : "odd" });
    const snapshot = trend.snapshot();
    expect(snapshot.data).toMatchObject({ count: PACKED_UNTIL + 10 });
    expect(snapshot.series.map((s) => [s.tags, (s.data as { count: number }).count])).toEqual([
      [{ kind: "even" }, (PACKED_UNTIL + 10) / 2],
      [{ kind: "odd" }, (PACKED_UNTIL + 10) / 2],
    ]);
  });

  test("refuses a value that is not a finite number >= 0", () => {
    const trend = new Metrics().trend("t");
    for (const bad of [-1, NaN, Infinity, "3" as unknown as number])
      expect(() => trend.add(bad)).toThrow(expect.objectContaining({ code: "ERR_INVALID_METRIC_VALUE" }));
    expect(trend.count).toBe(0);
    expect(trend.percentile(50)).toBeNaN();
  });
});
