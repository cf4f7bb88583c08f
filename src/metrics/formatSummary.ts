import { builtinMetric } from "./builtin";
import type { MetricContains, MetricType, SeriesData } from "./data";
import type { ThresholdResult } from "./evaluate";
import { combineData, greatest, SUMMARY_PERCENTILES, valuesOf } from "./stats";
import type { Summary, SummaryMetric } from "./summary";
import { formatTagSet, tagsMatch, type TagSet } from "./tags";
import { parseMetricSelector, parseThresholdExpression } from "./thresholds";
import { formatDuration, formatNumber, formatPercent, formatPerSecond, formatValue } from "./units";

type Line = { label: string; depth: number; cells: string[]; kind: "trend" | "other" };

/**
 * The human end-of-test summary, laid out as k6's: thresholds first (✓ or ✗, with the value each one
 * compared), then every metric under its heading (CUSTOM, NETWORK, WEBSOCKET) with, per kind:
 * Counter `count  rate/s`; Trend `count avg min med p(90) p(95) p(99) max`; Rate `%  passes out of
 * samples`; Gauge `value min max`. Sub-metrics (`{ tag:value }`) appear under their metric when a
 * threshold names them. Plain text, no colours; ends with a newline.
 */
export function formatSummary(summary: Summary): string {
  const out: string[] = [];
  if (summary.thresholds.length > 0) {
    out.push("  █ THRESHOLDS", "");
    for (const line of thresholdLines(summary)) out.push(line);
    out.push("");
  }
  const merged = summary.sources > 1 ? `, ${summary.sources} summaries merged` : "";
  out.push(`  █ TOTAL RESULTS (${formatDuration(summary.durationMs)}${merged})`, "");
  const groups = new Map<string, Line[]>();
  const selectorsByName = subMetrics(summary);
  for (const [name, metric] of Object.entries(summary.metrics)) {
    const group = builtinMetric(name)?.group ?? "CUSTOM";
    const lines = groups.get(group) ?? [];
    groups.set(group, lines);
    lines.push({
      label: name,
      depth: 0,
      ...cellsOf(metric.type, metric.contains, metric.data, summary.durationMs),
    });
    for (const selector of selectorsByName.get(name) ?? []) {
      const matching = metric.series.filter((s) => tagsMatch(s.tags, selector)).map((s) => s.data);
      const data = matching.length > 0 ? combineData(metric.type, matching, "latest") : null;
      lines.push({
        label: formatTagSet(selector),
        depth: 1,
        ...(data
          ? cellsOf(metric.type, metric.contains, data, summary.durationMs)
          : { cells: ["no samples"], kind: "other" }),
      });
    }
  }
  if (groups.size === 0) out.push("    no metrics recorded", "");
  const all = [...groups.values()].flat();
  // A loop, not Math.max(...spread): a spread of every line overflows the stack past ~120,000 metrics.
  const labelWidth = greatest(all, (l) => l.label.length + 2 * l.depth) + 3;
  const widths = columnWidths(all);
  for (const group of [...groups.keys()].sort()) {
    out.push(`    ${group}`);
    for (const line of groups.get(group) as Line[]) {
      const indent = "  ".repeat(line.depth);
      const label = `${indent}${line.label}`.padEnd(labelWidth, ".");
      const cells = line.cells.map((c, i) =>
        i < line.cells.length - 1 ? c.padEnd(widths[line.kind][i] ?? 0) : c,
      );
      out.push(`    ${label}: ${cells.join(" ")}`);
    }
    out.push("");
  }
  if (summary.droppedTagSamples > 0)
    out.push(
      `    note: ${summary.droppedTagSamples} samples carried a tag set past the limit of tag sets per metric;`,
      "    they count in the totals but in no { tag:value } sub-metric.",
      "",
    );
  return out.join("\n");
}

function thresholdLines(summary: Summary): string[] {
  const byMetric = new Map<string, ThresholdResult[]>();
  for (const result of summary.thresholds) {
    const list = byMetric.get(result.metric) ?? [];
    byMetric.set(result.metric, list);
    list.push(result);
  }
  const lines: string[] = [];
  for (const [metric, results] of byMetric) {
    lines.push(`    ${metric}`);
    for (const result of results)
      lines.push(`    ${result.ok ? "✓" : "✗"} '${result.source}' ${shownValue(summary, result)}`);
    lines.push("");
  }
  return lines;
}

function shownValue(summary: Summary, result: ThresholdResult): string {
  const expression = parseThresholdExpression(result.source);
  const label = expression.method === "p" ? `p(${expression.percentile})` : expression.method;
  if (result.value === null) return "no samples";
  const { name } = parseMetricSelector(result.metric);
  const metric: Pick<SummaryMetric, "type" | "contains"> | undefined = Object.prototype.hasOwnProperty.call(
    summary.metrics,
    name,
  )
    ? summary.metrics[name]
    : builtinMetric(name);
  let shown: string;
  // Not recorded and not built in, its kind is unknown: a `rate` could be a Rate's share or a
  // Counter's per second, so the value goes without a unit.
  if (!metric) shown = formatNumber(result.value);
  else if (expression.method === "rate")
    shown =
      metric.type === "rate" ? formatPercent(result.value) : formatPerSecond(result.value, metric.contains);
  else shown = formatValue(result.value, metric.contains);
  return `${label}=${shown}${result.recorded ? "" : " (not recorded)"}`;
}

/**
 * The `{ tag:value }` selectors the thresholds name, by metric, each once: one pass over the thresholds
 * (one per metric would take metrics × thresholds steps, hours for 100,000 of each).
 */
function subMetrics(summary: Summary): Map<string, TagSet[]> {
  const seen = new Set<string>();
  const byName = new Map<string, TagSet[]>();
  for (const result of summary.thresholds) {
    const { name, tags } = parseMetricSelector(result.metric);
    if (!tags) continue;
    const key = JSON.stringify([name, tags]);
    if (seen.has(key)) continue;
    seen.add(key);
    const selectors = byName.get(name) ?? [];
    byName.set(name, selectors);
    selectors.push(tags);
  }
  return byName;
}

function cellsOf(
  type: MetricType,
  contains: MetricContains,
  data: SeriesData,
  durationMs: number,
): Pick<Line, "cells" | "kind"> {
  const v = valuesOf(type, data, durationMs);
  const value = (n: number) => formatValue(n, contains);
  switch (type) {
    case "counter":
      return { kind: "other", cells: [value(v.count), formatPerSecond(v.rate, contains)] };
    case "gauge":
      if (v.value === undefined) return { kind: "other", cells: ["no samples"] };
      return { kind: "other", cells: [value(v.value), `min=${value(v.min)}`, `max=${value(v.max)}`] };
    case "rate":
      if (v.rate === undefined) return { kind: "other", cells: ["no samples"] };
      return { kind: "other", cells: [formatPercent(v.rate), `${v.passes} out of ${v.passes + v.fails}`] };
    case "trend": {
      if (v.count === 0) return { kind: "other", cells: ["no samples"] };
      const cells = [`count=${v.count}`, `avg=${value(v.avg)}`, `min=${value(v.min)}`, `med=${value(v.med)}`];
      for (const p of SUMMARY_PERCENTILES) cells.push(`p(${p})=${value(v[`p(${p})`])}`);
      cells.push(`max=${value(v.max)}`);
      return { kind: "trend", cells };
    }
  }
}

function columnWidths(lines: readonly Line[]): Record<Line["kind"], number[]> {
  const widths: Record<Line["kind"], number[]> = { trend: [], other: [] };
  for (const line of lines)
    line.cells.forEach((cell, i) => {
      widths[line.kind][i] = Math.max(widths[line.kind][i] ?? 0, cell.length);
    });
  return widths;
}
