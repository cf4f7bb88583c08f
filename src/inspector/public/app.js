import { html, render, useEffect, useMemo, useRef, useState } from "/vendor/htm-preact.js";
import { Connection, tokenFromLocation } from "./connection.js";
import { TreeModel } from "./treeModel.js";
import { Chart, Sparkline, formatNumber } from "./charts.js";
import { FleetCharts, FleetHistory, InstancePicker } from "./fleet.js";

const ROW_HEIGHT = 22;
const FRAME_HISTORY = 600;
const METRIC_HISTORY = 300;

// ------------------------------------------------------------------------------------------ state

const tree = new TreeModel();
const state = {
  status: "connecting",
  statusReason: "",
  instances: [],
  instance: 0,
  /** A fleet's size ({ count, here }), null for a lone tree. */
  fleet: null,
  /** Whether a tree is shown (a fleet's page may have none picked, or the picked one quit). */
  attached: true,
  instanceState: "running",
  fleetHistory: new FleetHistory(),
  frame: { frame: 0, fps: 0, suspended: false, paused: false },
  frameTimes: { x: [], y: [] },
  frameCounter: 0,
  selected: 0,
  details: null,
  /** The name of the selected node that left the tree ("" for one whose name was not known yet). */
  left: null,
  metrics: new Map(),
  errors: [],
};
const listeners = new Set();
function changed() {
  for (const listener of listeners) listener();
}
function useStore() {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((t) => t + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return state;
}

function onMessage(message) {
  switch (message.t) {
    case "hello": {
      // A fleet's page that reconnects goes back to the instance it showed.
      const back = message.fleet && state.fleet && state.attached && state.instance !== null;
      state.instances = message.instances;
      state.fleet = message.fleet ?? null;
      state.attached = !state.fleet;
      if (back) connection.send({ t: "instance", index: state.instance });
      else state.instance = message.instance;
      break;
    }
    case "instance":
      // A fleet's page switched trees (or its tree quit): ids of the old tree mean nothing now.
      state.instanceState = message.state;
      state.attached = message.attached;
      if (message.attached) {
        state.instance = message.index;
        tree.loadSnapshot([], []);
        tree.expanded.clear(); // the new tree's snapshot opens its root and scene
        state.selected = 0;
        state.details = null;
        state.frameTimes = { x: [], y: [] };
        state.metrics = new Map();
      }
      break;
    case "fleet":
      state.fleetHistory.add(message.sample);
      break;
    case "snapshot":
      tree.loadSnapshot(message.types, message.nodes);
      applyFrame(message.frame);
      if (state.selected && !tree.nodes.has(state.selected)) select(0);
      else if (state.selected) connection.send({ t: "select", id: state.selected });
      break;
    case "update":
      if (message.tree) tree.applyDiff(message.tree);
      if (message.frame) applyFrame(message.frame);
      if (message.metrics) applyMetrics(message.metrics);
      break;
    case "node":
      if (message.details.id !== state.selected) break;
      if (message.details.gone) {
        // Freed or removed: as in Godot's remote inspector, the selection goes with the node.
        state.left = state.details?.name ?? tree.nodes.get(state.selected)?.name ?? "";
        state.selected = 0;
        state.details = null;
        connection.send({ t: "select", id: null });
      } else state.details = message.details;
      break;
    case "error":
      state.errors = [...state.errors.slice(-4), message.error];
      break;
  }
  changed();
}

function applyFrame(frame) {
  state.frame = frame;
  const times = state.frameTimes;
  for (const ms of frame.times ?? []) {
    times.x.push(state.frameCounter++);
    times.y.push(ms);
  }
  if (times.x.length > FRAME_HISTORY) {
    times.x.splice(0, times.x.length - FRAME_HISTORY);
    times.y.splice(0, times.y.length - FRAME_HISTORY);
  }
}

/** What each kind of metric charts: its series names and how to read them from a sample. */
const METRIC_SERIES = {
  counter: { names: ["per second"], read: (s) => [s.perSecond] },
  gauge: { names: ["value"], read: (s) => [s.value] },
  rate: { names: ["%"], read: (s) => [s.rate === null ? null : s.rate * 100] },
  trend: { names: ["med", "p(95)", "p(99)"], read: (s) => [s.med, s.p95, s.p99] },
};

function applyMetrics(samples) {
  const now = Date.now() / 1000;
  for (const [name, sample] of Object.entries(samples)) {
    let history = state.metrics.get(name);
    if (!history) {
      history = { sample, data: [[], ...METRIC_SERIES[sample.type].names.map(() => [])] };
      state.metrics.set(name, history);
    }
    history.sample = sample;
    const values = METRIC_SERIES[sample.type].read(sample);
    history.data[0].push(now);
    values.forEach((v, i) => history.data[i + 1].push(v));
    if (history.data[0].length > METRIC_HISTORY) for (const column of history.data) column.shift();
    history.data = history.data.map((column) => column.slice()); // a new array tells the chart to redraw
  }
}

function select(id) {
  state.selected = id;
  state.left = null;
  state.details = null;
  connection.send({ t: "select", id: id || null });
  changed();
}

const token = tokenFromLocation();
const connection = token
  ? new Connection(token, {
      message: onMessage,
      status(status, reason = "") {
        state.status = status;
        state.statusReason = reason;
        changed();
      },
    })
  : null;
if (!connection) state.status = "no-token";

// ------------------------------------------------------------------------------------------ top bar

function TopBar({ s }) {
  const { frame } = s;
  // Without a live tree (disconnected, or a fleet's instance that quit) the controls would do nothing.
  const live = s.attached && s.status === "connected";
  const statusText = {
    connecting: "connecting…",
    connected: "live",
    disconnected: `disconnected${s.statusReason ? `: ${s.statusReason}` : ""} (retrying)`,
    refused: `refused: ${s.statusReason || "wrong token"}`,
    "no-token": "no token",
  }[s.status];
  return html`<header class="bar">
    <strong>scenetree inspector</strong>
    <span class="status ${s.status}" data-testid="status">${statusText}</span>
    ${
      s.fleet
        ? html`<span data-testid="instance"
            >${
              s.instance === null
                ? "no instance picked"
                : `instance ${s.instance} of ${s.fleet.count}${s.attached ? "" : ` (${s.instanceState})`}`
            }</span
          >`
        : html`<label
            >instance
            <select
              data-testid="instance"
              value=${s.instance}
              onChange=${(e) => connection?.send({ t: "instance", index: Number(e.currentTarget.value) })}
            >
              ${s.instances.map((i) => html`<option value=${i.index}>${i.index}: ${i.label}</option>`)}
            </select></label
          >`
    }
    <span>frame <b data-testid="frame-count">${frame.frame}</b></span>
    <span>FPS <b data-testid="fps">${live ? frame.fps : "–"}</b></span>
    <button
      data-testid="suspend"
      disabled=${!live}
      onClick=${() => connection?.send({ t: "suspend", on: !frame.suspended })}
      title="Hold the frame loop (SceneTree.setSuspend): nothing processes until resumed"
    >
      ${frame.suspended ? "Resume" : "Pause"}
    </button>
    <button
      data-testid="next-frame"
      disabled=${!frame.suspended || !live}
      onClick=${() => connection?.request({ t: "nextFrame" })}
      title="Run exactly one frame"
    >
      Next frame
    </button>
    <label title="SceneTree.paused: the game's own pause (PAUSABLE nodes stop, frames go on)">
      <input
        type="checkbox"
        data-testid="game-paused"
        disabled=${!live}
        checked=${frame.paused}
        onChange=${(e) => connection?.send({ t: "setPaused", on: e.currentTarget.checked })}
      />
      tree.paused
    </label>
  </header>`;
}

// ------------------------------------------------------------------------------------------ tree

function TreePanel({ s }) {
  const [field, setField] = useState("name");
  const [text, setText] = useState("");
  const [groupIds, setGroupIds] = useState(null);
  const [groups, setGroups] = useState([]);
  const query = text.trim().toLowerCase();

  useEffect(() => {
    if (field !== "group" || query === "") {
      setGroupIds(null);
      return undefined;
    }
    // Group membership has no signal: ask again each second while the filter is on.
    let live = true;
    const ask = async () => {
      const result = await connection?.request({ t: "group", group: text.trim() });
      if (live && result?.ok) setGroupIds(new Set(result.ids));
    };
    ask();
    const timer = setInterval(ask, 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [field, query]);

  useEffect(() => {
    if (field === "group" && s.status === "connected")
      connection?.request({ t: "group" }).then((r) => r.ok && setGroups(r.groups));
  }, [field, s.status]);

  const match = useMemo(() => {
    if (query === "") return null;
    if (field === "name") return (node) => node.name.toLowerCase().includes(query);
    if (field === "type") return (node) => tree.typeOf(node).toLowerCase().includes(query);
    const ids = groupIds ?? new Set();
    return (node) => ids.has(node.id);
  }, [field, query, groupIds]);
  const rows = useMemo(() => tree.rows(match), [tree.version, match]);

  return html`<section class="tree-panel">
    <div class="filter">
      <select data-testid="filter-field" value=${field} onChange=${(e) => setField(e.currentTarget.value)}>
        <option value="name">name</option>
        <option value="type">type</option>
        <option value="group">group</option>
      </select>
      <input
        data-testid="filter"
        type="search"
        placeholder="filter"
        list=${field === "group" ? "group-names" : undefined}
        value=${text}
        onInput=${(e) => setText(e.currentTarget.value)}
      />
      <datalist id="group-names">${groups.map((g) => html`<option value=${g} />`)}</datalist>
      <span class="count" data-testid="node-count">${tree.nodes.size} nodes</span>
    </div>
    <${VirtualTree} rows=${rows} selected=${s.selected} />
  </section>`;
}

function VirtualTree({ rows, selected }) {
  const box = useRef(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useEffect(() => {
    const observer = new ResizeObserver(() => setHeight(box.current.clientHeight));
    observer.observe(box.current);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 10);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + 10);
  const visible = rows.slice(first, last);
  return html`<div
    class="tree"
    ref=${box}
    data-testid="tree"
    onScroll=${(e) => setScrollTop(e.currentTarget.scrollTop)}
  >
    <div class="tree-space" style=${{ height: `${rows.length * ROW_HEIGHT}px` }}>
      ${visible.map(
        ({ node, depth, open, hasChildren }, i) =>
          html`<div
            key=${node.id}
            class="row ${node.id === selected ? "selected" : ""}"
            style=${{ top: `${(first + i) * ROW_HEIGHT}px`, paddingLeft: `${depth * 14 + 4}px` }}
            data-id=${node.id}
            data-name=${node.name}
            onClick=${() => select(node.id)}
          >
            <span
              class="twisty"
              onClick=${(e) => {
                e.stopPropagation();
                if (hasChildren) {
                  tree.toggle(node.id);
                  changed();
                }
              }}
              >${hasChildren ? (open ? "▾" : "▸") : ""}</span
            >
            <span class="name">${node.name}</span>
            <span class="type">${tree.typeOf(node)}</span>
          </div>`,
      )}
    </div>
  </div>`;
}

// ------------------------------------------------------------------------------------------ details

function DetailsPanel({ s }) {
  const d = s.details;
  if (!s.selected) {
    const left =
      s.left === null ? "" : s.left ? `"${s.left}" left the tree. ` : "The selected node left the tree. ";
    return html`<section class="details empty">${`${left}Select a node.`}</section>`;
  }
  if (!d) return html`<section class="details empty">Loading…</section>`;
  const processing = d.processing;
  return html`<section class="details" data-testid="details">
    <h2 data-testid="details-name">${d.name}</h2>
    <table class="facts">
      <tr>
        <th>path</th>
        <td data-testid="details-path">${d.path}</td>
      </tr>
      <tr>
        <th>class</th>
        <td>${d.cls}${d.type && d.type !== d.cls ? html` <em>(type ${d.type})</em>` : ""}</td>
      </tr>
      <tr>
        <th>owner</th>
        <td>${d.owner ?? "–"}</td>
      </tr>
      <tr>
        <th>groups</th>
        <td>${d.groups.length ? d.groups.join(", ") : "–"}</td>
      </tr>
      <tr>
        <th>process</th>
        <td>
          ${`mode ${d.processMode}, priority ${d.processPriority}, physics priority ${d.processPhysicsPriority}`}
        </td>
      </tr>
      <tr>
        <th>processing</th>
        <td data-testid="processing">
          ${[
            processing.process ? "_process on" : "_process off",
            processing.physics ? "_physicsProcess on" : "_physicsProcess off",
            processing.canProcess ? "may process now" : "may not process now",
          ].join(" · ")}
        </td>
      </tr>
    </table>
    ${d.ws && html`<${WsPanel} d=${d} />`}
    <h3>Props</h3>
    ${
      d.props.length === 0
        ? html`<p class="muted">This class is not registered: it has no props schema.</p>`
        : html`<table class="props">
            ${d.props.map((p) => html`<${PropRow} key=${`${d.id}:${p.name}`} id=${d.id} prop=${p} />`)}
          </table>`
    }
    <h3>Signals</h3>
    <ul class="signals">
      ${d.signals.map(
        (sig) =>
          html`<li>
            <code>${sig.name}</code>
            ${
              sig.connections.length === 0
                ? html`<span class="muted"> –</span>`
                : html`<ul>
                    ${sig.connections.map((c) => html`<li>${c}</li>`)}
                  </ul>`
            }
          </li>`,
      )}
    </ul>
  </section>`;
}

function displayValue(prop) {
  if (prop.kind === "enum") {
    const option = (prop.options ?? []).find(([, value]) => value === prop.value);
    if (option) return option[0];
  }
  return prop.value === null ? "" : String(prop.value);
}

function PropRow({ id, prop }) {
  const [draft, setDraft] = useState(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function commit(value) {
    setBusy(true);
    const result = await connection.request({ t: "setProp", id, name: prop.name, value });
    setBusy(false);
    if (result.ok) {
      setError("");
      setDraft(null);
    } else setError(result.error);
  }

  function parseDraft(text) {
    if (prop.kind !== "number" && prop.kind !== "int") return text;
    const trimmed = text.trim();
    // Whatever is typed goes to the schema, which says what is wrong with it.
    return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  }

  let input;
  if (!prop.editable) input = html`<span class="readonly">${displayValue(prop)}</span>`;
  else if (prop.kind === "boolean")
    input = html`<input
      type="checkbox"
      checked=${prop.value === true}
      disabled=${busy}
      onChange=${(e) => commit(e.currentTarget.checked)}
    />`;
  else if (prop.kind === "enum")
    input = html`<select
      disabled=${busy}
      onChange=${(e) => commit(prop.options[Number(e.currentTarget.value)][1])}
    >
      ${(prop.options ?? []).map(
        ([name, value], i) => html`<option value=${i} selected=${value === prop.value}>${name}</option>`,
      )}
    </select>`;
  else
    input = html`<input
      type="text"
      inputmode=${prop.kind === "string" ? "text" : "decimal"}
      value=${draft ?? displayValue(prop)}
      onFocus=${() => setDraft(draft ?? displayValue(prop))}
      onInput=${(e) => setDraft(e.currentTarget.value)}
      onKeyDown=${(e) => {
        if (e.key === "Enter") commit(parseDraft(e.currentTarget.value));
        if (e.key === "Escape") {
          setDraft(null);
          setError("");
          e.currentTarget.blur();
        }
      }}
      onBlur=${(e) => {
        if (draft !== null && draft !== displayValue(prop)) commit(parseDraft(e.currentTarget.value));
        else setDraft(null);
      }}
    />`;
  return html`<tr data-prop=${prop.name}>
    <th>${prop.name}</th>
    <td>${input} ${error && html`<div class="error" data-testid="prop-error">${error}</div>`}</td>
  </tr>`;
}

function WsPanel({ d }) {
  const ws = d.ws;
  const [text, setText] = useState("");
  const [result, setResult] = useState("");
  async function act(action, extra = {}) {
    const answer = await connection.request({ t: "ws", id: d.id, action, ...extra });
    setResult(answer.ok ? `${action}: ok` : `${action}: ${answer.error}`);
  }
  const last = ws.rateIn.length ? ws.rateIn[ws.rateIn.length - 1] : 0;
  const lastOut = ws.rateOut.length ? ws.rateOut[ws.rateOut.length - 1] : 0;
  return html`<div class="ws" data-testid="ws-panel">
    <h3>WebSocket</h3>
    <table class="facts">
      <tr>
        <th>state</th>
        <td data-testid="ws-state">${ws.state}</td>
      </tr>
      <tr>
        <th>URL</th>
        <td>${ws.url || "–"}</td>
      </tr>
      <tr>
        <th>attempt</th>
        <td>
          <span data-testid="ws-attempt">${ws.attempt}</span>
          ${ws.nextRetryIn !== null ? `, next retry in ${ws.nextRetryIn.toFixed(1)} s` : ""}
          ${ws.autoReconnect ? "" : " (autoReconnect off)"}
        </td>
      </tr>
      <tr>
        <th>queue</th>
        <td data-testid="ws-queue">${ws.queue}</td>
      </tr>
      <tr>
        <th>in</th>
        <td>
          <${Sparkline} values=${ws.rateIn} testid="spark-in" />
          <span data-testid="ws-rate-in">${`${formatNumber(last)} msg/s, ${ws.received} total`}</span>
        </td>
      </tr>
      <tr>
        <th>out</th>
        <td>
          <${Sparkline} values=${ws.rateOut} testid="spark-out" />
          <span data-testid="ws-rate-out">${`${formatNumber(lastOut)} msg/s, ${ws.sent} total`}</span>
        </td>
      </tr>
      <tr>
        <th>last close</th>
        <td data-testid="ws-last-close">
          ${ws.lastClose ? `${ws.lastClose.code} ${ws.lastClose.reason}` : "–"}
        </td>
      </tr>
    </table>
    <div class="buttons">
      <button data-testid="ws-open" onClick=${() => act("open")}>Open</button>
      <button data-testid="ws-close" onClick=${() => act("close")}>Close</button>
      <button
        data-testid="ws-drop"
        onClick=${() => act("drop")}
        title="Destroy the TCP socket without a close frame"
      >
        Drop link
      </button>
      <input
        data-testid="ws-text"
        placeholder="text to send"
        value=${text}
        onInput=${(e) => setText(e.currentTarget.value)}
        onKeyDown=${(e) => e.key === "Enter" && act("send", { text })}
      />
      <button data-testid="ws-send" onClick=${() => act("send", { text })}>Send</button>
      <span class="muted" data-testid="ws-result">${result}</span>
    </div>
  </div>`;
}

// ------------------------------------------------------------------------------------------ charts

function ChartsPanel({ s }) {
  const frames = s.frameTimes;
  const frameData = useMemo(() => [frames.x.slice(), frames.y.slice()], [frames.x.length, s.frameCounter]);
  return html`<section class="charts">
    ${s.fleet && html`<${FleetCharts} history=${s.fleetHistory} />`}
    <${Chart} title="frame time (ms)" series=${["ms"]} data=${frameData} time=${false} testid="frame-chart" />
    ${/* a fleet worker's trees share one registry: the fleet charts show it, merged */ ""}
    ${[...(s.fleet ? [] : s.metrics.entries())].map(
      ([name, history]) =>
        html`<${Chart}
          key=${name}
          title=${`${name} (${history.sample.type})`}
          series=${METRIC_SERIES[history.sample.type].names}
          data=${history.data}
          testid=${`metric-${name}`}
        />`,
    )}
  </section>`;
}

// ------------------------------------------------------------------------------------------ app

function App() {
  const s = useStore();
  if (s.status === "no-token")
    return html`<main class="message">
      <h1>scenetree inspector</h1>
      <p>
        This page needs its access token. Open the URL that <code>scenetree run --inspect</code> printed: it
        ends with <code>#token=…</code>.
      </p>
    </main>`;
  if (s.status === "refused")
    return html`<main class="message">
      <h1>scenetree inspector</h1>
      <p data-testid="refused">
        The inspector refused this page: ${s.statusReason || "wrong token"}. Open the URL it printed.
      </p>
    </main>`;
  return html`<div class="layout ${s.fleet ? "fleet" : ""}">
    <${TopBar} s=${s} />
    ${
      s.fleet &&
      connection &&
      html`<${InstancePicker}
        connection=${connection}
        current=${s.attached ? s.instance : null}
        connected=${s.status === "connected"}
        pick=${(index) => connection.send({ t: "instance", index })}
      />`
    }
    <${TreePanel} s=${s} />
    <${DetailsPanel} s=${s} />
    <${ChartsPanel} s=${s} />
    ${s.errors.length > 0 && html`<footer class="errors">${s.errors.at(-1)}</footer>`}
  </div>`;
}

// The page's "Loading…" placeholder goes first: rendered beside it, it stayed under every message.
const root = document.getElementById("app");
root.replaceChildren();
render(html`<${App} />`, root);
