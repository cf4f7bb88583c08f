import type { TrendData } from "../metrics/data";
import { decodeHistogram, newHistogram, percentile } from "../metrics/histogram";
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
  /** Every trend of the fleet: its samples so far and their percentiles, merged over the workers. */
  trends: Record<string, { count: number; p50: number | null; p95: number | null; p99: number | null }>;
}

/** Trends charted; any others are left out. */
export const MAX_FLEET_TRENDS = 20;

const round = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * Turns the fleet's running totals into rates (the status line's numbers, per second) and the
 * workers' trend histograms into exact merged percentiles.
 */
export class FleetSampler {
  private previous: { at: number; in: number; out: number; reconnects: number; errors: number } | null = null;

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
      trends: mergeTrends(trends),
    };
  }
}

/** The percentiles of each trend over every worker's samples (their histograms added, as a merge does). */
export function mergeTrends(parts: Iterable<Record<string, TrendData>>): FleetSample["trends"] {
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
  const out: FleetSample["trends"] = {};
  for (const [name, { count, min, max, hdrs }] of [...merged].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (hdrs.length === 0) {
      out[name] = { count, p50: null, p95: null, p99: null };
      continue;
    }
    const histogram = newHistogram(false);
    for (const hdr of hdrs) histogram.add(decodeHistogram(hdr));
    const at = (p: number): number => round(percentile(histogram, p, min, max));
    out[name] = { count, p50: at(50), p95: at(95), p99: at(99) };
  }
  return out;
}
