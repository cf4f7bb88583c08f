import { html, useEffect, useRef } from "/vendor/htm-preact.js";
import uPlot from "/vendor/uplot.js";

const COLORS = ["#2f6f9f", "#c0504d", "#9bbb59", "#8064a2", "#f79646"];

/**
 * A uPlot line chart. `data` is uPlot's `[xs, ...ys]`; `series` names the y series. `time` says
 * whether x is a Unix time in seconds (otherwise a plain number, such as a frame index).
 */
export function Chart({ title, series, data, height = 140, time = true, unit = "", testid }) {
  const box = useRef(null);
  const plot = useRef(null);

  useEffect(() => {
    const width = Math.max(200, box.current.clientWidth || 300);
    plot.current = new uPlot(
      {
        title,
        width,
        height,
        scales: { x: { time } },
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        axes: [{}, { size: 50, values: (_u, ticks) => ticks.map((v) => `${formatNumber(v)}${unit}`) }],
        series: [{}, ...series.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5 }))],
      },
      data,
      box.current,
    );
    const observer = new ResizeObserver(() => {
      const w = box.current?.clientWidth;
      if (w && plot.current) plot.current.setSize({ width: w, height });
    });
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      plot.current.destroy();
      plot.current = null;
    };
  }, [title, series.join("|")]);

  useEffect(() => {
    if (plot.current) plot.current.setData(data);
  }, [data]);

  return html`<div class="chart" ref=${box} data-testid=${testid}></div>`;
}

/** A small line of the last values, for the msgs/s columns. */
export function Sparkline({ values, testid, width = 120, height = 24 }) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map(
    (v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * (height - 2) - 1).toFixed(1)}`,
  );
  return html`<svg
    class="spark"
    width=${width}
    height=${height}
    viewBox="0 0 ${width} ${height}"
    data-testid=${testid}
  >
    <polyline points=${points.join(" ")} />
  </svg>`;
}

export function formatNumber(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 100 || Number.isInteger(value)) return String(Math.round(value));
  return value.toFixed(abs >= 10 ? 1 : 2);
}
