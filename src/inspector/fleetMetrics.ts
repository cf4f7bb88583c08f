import type { TrendData } from "../metrics/data";
import { decodeHistogram, newHistogram, percentile, type Histogram } from "../metrics/histogram";
import { liveCount, type LiveTotals } from "../metrics/live";

/** What the fleet's status line reads, which the fleet charts chart too. */
export interface FleetReading {
  /** Instances running now, of `target` (this process's). */
  running: number;
  target: number;
  /** Every worker's running totals, added up. */
  totals: LiveTotals;
  /** Errors the instances reported so far. */
  errors: number;
}

/** One point of the fleet charts, once a second. */
export interface FleetSample {
  /** Unix time, seconds. */
  at: number;
  running: number;
  target: number;
  /** WebSocket connections open now (sessions opened less sessions closed). */
  open: number;
  /** Per second since the previous sample. */
  msgsIn: number;
  msgsOut: number;
  reconnects: number;
  errors: number;
  /**
   * Every trend of the fleet, merged over the workers: its samples so far, and the percentiles of those
   * recorded in the last {@link TREND_WINDOW} samples (null when there were none), so a spike shows.
   */
  trends: Record<string, TrendPoint>;
}

export interface TrendPoint {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Samples (seconds) a trend's percentiles look back over. */
export const TREND_WINDOW = 10;

/** Trends charted; any others are left out. */
export const MAX_FLEET_TRENDS = 20;

const round = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * Turns the fleet's running totals into rates (the status line's numbers, per second) and the
 * workers' trend histograms into exact merged percentiles of the last few seconds.
 */
export class FleetSampler {
  private previous: { at: number; in: number; out: number; reconnects: number; errors: number } | null = null;
  /** Each trend's merged histograms of the last samples, oldest first. */
  private readonly past = new Map<string, Histogram[]>();

  sample(reading: FleetReading, trends: Iterable<Record<string, TrendData>>, nowMs: number): FleetSample {
    const { totals } = reading;
    const counts = {
      at: nowMs,
      in: liveCount(totals, "ws_msgs_received"),
      out: liveCount(totals, "ws_msgs_sent"),
      reconnects: liveCount(totals, "ws_reconnects"),
      errors: reading.errors,
    };
    const previous = this.previous;
    this.previous = counts;
    const seconds = previous ? Math.max(1e-3, (nowMs - previous.at) / 1000) : 0;
    const perSecond = (key: "in" | "out" | "reconnects" | "errors"): number =>
      previous ? round(Math.max(0, counts[key] - previous[key]) / seconds) : 0;
    return {
      at: nowMs / 1000,
      running: reading.running,
      target: reading.target,
      open: Math.max(0, liveCount(totals, "ws_sessions") - liveCount(totals, "ws_session_duration")),
      msgsIn: perSecond("in"),
      msgsOut: perSecond("out"),
      reconnects: perSecond("reconnects"),
      errors: perSecond("errors"),
      trends: this.windowed(mergeTrends(trends)),
    };
  }

  /** Each trend's percentiles over the samples recorded since its oldest kept histogram. */
  private windowed(merged: Map<string, MergedTrend>): Record<string, TrendPoint> {
    const out: Record<string, TrendPoint> = {};
    for (const [name, trend] of merged) {
      const past = this.past.get(name) ?? [];
      this.past.set(name, past);
      const { histogram, count, max } = trend;
      if (histogram === null) {
        out[name] = { count, p50: null, p95: null, p99: null };
        continue;
      }
      let window = histogram;
      if (past.length > 0) {
        window = newHistogram(false);
        window.add(histogram);
        try {
          window.subtract(past[0]);
        } catch {
          window = histogram; // a worker's histogram shrank (it restarted its sends): the whole, then
        }
      }
      past.push(histogram);
      if (past.length > TREND_WINDOW) past.shift();
      if (window.totalCount === 0) {
        out[name] = { count, p50: null, p95: null, p99: null };
        continue;
      }
      const at = (p: number): number => round(percentile(window, p, 0, max));
      out[name] = { count, p50: at(50), p95: at(95), p99: at(99) };
    }
    return out;
  }
}

interface MergedTrend {
  count: number;
  max: number;
  /** Every worker's samples added up; null before the first. */
  histogram: Histogram | null;
}

/** Each trend's samples over every worker (their histograms added, as a merge does), by name. */
export function mergeTrends(parts: Iterable<Record<string, TrendData>>): Map<string, MergedTrend> {
  const merged = new Map<string, { count: number; min: number; max: number; hdrs: string[] }>();
  for (const part of parts) {
    for (const [name, data] of Object.entries(part)) {
      let entry = merged.get(name);
      if (!entry) {
        if (merged.size >= MAX_FLEET_TRENDS) continue;
        entry = { count: 0, min: Infinity, max: -Infinity, hdrs: [] };
        merged.set(name, entry);
      }
      if (data.count === 0 || data.hdr === null) continue;
      entry.count += data.count;
      entry.min = Math.min(entry.min, data.min);
      entry.max = Math.max(entry.max, data.max);
      entry.hdrs.push(data.hdr);
    }
  }
  const out = new Map<string, MergedTrend>();
  for (const [name, { count, max, hdrs }] of [...merged].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let histogram: Histogram | null = null;
    if (hdrs.length > 0) {
      histogram = newHistogram(false);
      for (const hdr of hdrs) histogram.add(decodeHistogram(hdr));
    }
    out.set(name, { count, max, histogram });
  }
  return out;
}
