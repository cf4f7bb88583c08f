import {
  formatBytes,
  formatDuration,
  formatNumber,
  formatPercent,
  formatPerSecond,
} from "../../src/metrics/units";

test("durations as k6 prints them", () => {
  expect(
    [0, 0.005, 0.0742, 2.3, 148.214, 999.999, 1200, 59_999, 63_500, 3_723_000].map(formatDuration),
  ).toEqual(["0s", "5µs", "74.2µs", "2.3ms", "148.21ms", "1000ms", "1.2s", "60s", "1m3.5s", "1h2m3s"]);
});

test("bytes in SI units as k6 prints them", () => {
  expect([0, 718, 999, 1000, 4900, 32_000, 519_000, 999_600, 7_100_000, 3e12].map(formatBytes)).toEqual([
    "0 B",
    "718 B",
    "999 B",
    "1.0 kB",
    "4.9 kB",
    "32 kB",
    "519 kB",
    "1.0 MB",
    "7.1 MB",
    "3.0 TB",
  ]);
});

test("plain numbers, rates, percentages", () => {
  expect([152.3555564, 120, 6.56109, 0.1].map(formatNumber)).toEqual(["152.355556", "120", "6.56109", "0.1"]);
  expect(formatPerSecond(6.56109, "default")).toBe("6.56109/s");
  expect(formatPerSecond(76_000, "data")).toBe("76 kB/s");
  expect([0, 0.0005, 0.6667, 1].map(formatPercent)).toEqual(["0.00%", "0.05%", "66.67%", "100.00%"]);
});
