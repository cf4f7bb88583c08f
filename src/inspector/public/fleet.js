/**
 * A fleet's parts of the page: the instance picker (a filtered, paged list the main thread answers, so
 * 100,000 instances cost the page 50 rows) and the fleet charts (the status line's figures over time,
 * and each trend's merged percentiles).
 */
import { html, useEffect, useState } from "/vendor/htm-preact.js";
import { Chart } from "./charts.js";

const FLEET_HISTORY = 300;
const PAGE = 50;

/** The fleet's samples as uPlot columns: one time column, then one column per series. */
export class FleetHistory {
  constructor() {
    this.rates = [[], [], [], [], [], [], []]; // at, in, out, open, running, reconnects, errors
    this.trends = new Map(); // name → [at, p50, p95, p99]
    this.points = 0;
  }

  add(sample) {
    const row = [
      sample.at,
      sample.msgsIn,
      sample.msgsOut,
      sample.open,
      sample.running,
      sample.reconnects,
      sample.errors,
    ];
    this.rates = push(this.rates, row);
    for (const [name, t] of Object.entries(sample.trends)) {
      const columns = this.trends.get(name) ?? [[], [], [], []];
      this.trends.set(name, push(columns, [sample.at, t.p50, t.p95, t.p99]));
    }
    this.points++;
  }
}

/** A new set of columns (a new array tells the chart to redraw), the oldest point dropped when full. */
function push(columns, row) {
  return columns.map((column, i) => {
    const next = column.length >= FLEET_HISTORY ? column.slice(1) : column.slice();
    next.push(row[i]);
    return next;
  });
}

export function FleetCharts({ history }) {
  const r = history.rates;
  return html`<div class="fleet-charts" data-testid="fleet-panel" data-points=${history.points}>
    <h3>Fleet</h3>
    <${Chart} title="messages / s" series=${["in", "out"]} data=${[r[0], r[1], r[2]]} testid="fleet-msgs" />
    <${Chart}
      title="connections open, instances running"
      series=${["open", "running"]}
      data=${[r[0], r[3], r[4]]}
      testid="fleet-connections"
    />
    <${Chart}
      title="reconnects and errors / s"
      series=${["reconnects", "errors"]}
      data=${[r[0], r[5], r[6]]}
      testid="fleet-events"
    />
    ${[...history.trends.entries()].map(
      ([name, columns]) =>
        html`<${Chart}
          key=${name}
          title=${`${name}, all instances, last 10 s`}
          series=${["p(50)", "p(95)", "p(99)"]}
          data=${columns}
          testid=${`fleet-trend-${name}`}
        />`,
    )}
  </div>`;
}

function countsText(c) {
  return `${c.running} running, ${c.finished} finished, ${c.failed} failed, ${c.pending} pending`;
}

/** The instance list: state filter, index search, pages of 50; asks the main thread once a second. */
export function InstancePicker({ connection, current, connected, pick }) {
  const [state, setState] = useState("");
  const [query, setQuery] = useState("");
  const [offset, setOffset] = useState(0);
  const [answer, setAnswer] = useState(null);

  useEffect(() => {
    if (!connected) return undefined;
    let live = true;
    const ask = async () => {
      const message = { t: "instances", offset, limit: PAGE };
      if (state) message.state = state;
      if (/^\d+$/.test(query)) message.query = query;
      const result = await connection.request(message);
      if (live && result.ok) setAnswer(result);
    };
    ask();
    const timer = setInterval(ask, 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [connected, state, query, offset]);

  const counts = answer?.counts;
  const last = answer ? Math.min(answer.matched, offset + answer.items.length) : 0;
  return html`<section class="picker" data-testid="picker">
    <div class="picker-head">
      <strong>Instances</strong>
      ${counts && html`<span class="muted" data-testid="instance-counts">${countsText(counts)}</span>`}
    </div>
    <div class="filter">
      <select
        data-testid="instance-state"
        value=${state}
        onChange=${(e) => {
          setState(e.currentTarget.value);
          setOffset(0);
        }}
      >
        <option value="">all</option>
        <option value="running">running</option>
        <option value="finished">finished</option>
        <option value="failed">failed</option>
        <option value="pending">pending</option>
      </select>
      <input
        data-testid="instance-query"
        type="search"
        inputmode="numeric"
        placeholder="index"
        value=${query}
        onInput=${(e) => {
          setQuery(e.currentTarget.value.replace(/\D/g, ""));
          setOffset(0);
        }}
      />
    </div>
    <ul class="instances">
      ${(answer?.items ?? []).map(
        ([index, s]) =>
          html`<li
            key=${index}
            class="instance ${index === current ? "selected" : ""} ${s}"
            data-testid="instance-row"
            data-index=${index}
            data-state=${s}
            onClick=${() => pick(index)}
          >
            <span class="index">#${index}</span> <span class="state">${s}</span>
          </li>`,
      )}
    </ul>
    <div class="pager">
      <button
        data-testid="instance-prev"
        disabled=${offset === 0}
        onClick=${() => setOffset(Math.max(0, offset - PAGE))}
      >
        ‹
      </button>
      <span data-testid="instance-range"
        >${answer ? `${answer.matched === 0 ? 0 : offset + 1}–${last} of ${answer.matched}` : "…"}</span
      >
      <button
        data-testid="instance-next"
        disabled=${!answer || last >= answer.matched}
        onClick=${() => setOffset(offset + PAGE)}
      >
        ›
      </button>
    </div>
  </section>`;
}
