import type { MetricContains } from "./data";

/** `n` with at most `digits` decimals and no trailing zeros. */
function trim(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}

/** Milliseconds the way k6 prints durations: `0s`, `850µs`, `148.21ms`, `1.2s`, `1m3.5s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1) return `${trim(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${trim(ms, 2)}ms`;
  if (ms < 60_000) return `${trim(ms / 1000, 2)}s`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = trim((ms % 60_000) / 1000, 1);
  return `${hours > 0 ? `${hours}h` : ""}${minutes}m${seconds}s`;
}

const BYTE_UNITS = ["kB", "MB", "GB", "TB", "PB", "EB"];

/** Bytes in SI units the way k6 prints them: `718 B`, `4.9 kB`, `519 kB`, `7.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  let exponent = Math.min(BYTE_UNITS.length, Math.floor(Math.log10(bytes) / 3));
  let scaled = bytes / 1000 ** exponent;
  // 999.96 kB rounds to "1000 kB"; k6 shows it as 1.0 MB.
  if (scaled >= 999.5 && exponent < BYTE_UNITS.length) {
    exponent++;
    scaled = bytes / 1000 ** exponent;
  }
  return `${scaled < 10 ? scaled.toFixed(1) : scaled.toFixed(0)} ${BYTE_UNITS[exponent - 1]}`;
}

/** A plain number with up to six decimals, as k6 prints a custom metric: `152.355556`, `120`. */
export function formatNumber(n: number): string {
  return trim(n, 6);
}

export function formatValue(value: number, contains: MetricContains): string {
  switch (contains) {
    case "time":
      return formatDuration(value);
    case "data":
      return formatBytes(value);
    default:
      return formatNumber(value);
  }
}

/** A per-second rate: `6.56109/s`, `76 kB/s`. */
export function formatPerSecond(perSecond: number, contains: MetricContains): string {
  return contains === "data" ? `${formatBytes(perSecond)}/s` : `${formatNumber(perSecond)}/s`;
}

/** A ratio from 0 to 1 as a percentage with two decimals: `0.05%`. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`;
}
