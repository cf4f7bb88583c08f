import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type * as Prom from "prom-client";
import { builtinMetric } from "../metrics/builtin";
import type { LiveMetric } from "../metrics/live";
import { InputError } from "./args";
import type { StatusReading } from "./status";

/** The address `--metrics-port` binds to unless `--metrics-host` says otherwise: this machine only. */
export const DEFAULT_METRICS_HOST = "127.0.0.1";

/**
 * What one client can hold of the metrics endpoint, which shares the run's file descriptors with its
 * bots: 1,000 connections trickling headers (a slowloris) used to keep 1,000 descriptors for Node's
 * default 60 s and starve the bots of sockets. A scraper needs one connection.
 */
export const METRICS_SERVER_LIMITS = {
  /** Connections at once; one past it is closed as soon as it is accepted. */
  maxConnections: 16,
  /** A request's headers must have arrived by then (else 408 and closed). */
  headersTimeoutMs: 5000,
  /** The whole request must have arrived by then (else 408 and closed). */
  requestTimeoutMs: 10_000,
  /** An idle keep-alive connection is closed after this (Node adds a second of grace). */
  keepAliveTimeoutMs: 5000,
} as const;

export type MetricsServerLimits = { -readonly [K in keyof typeof METRICS_SERVER_LIMITS]: number };

export interface MetricsServer {
  /** `http://host:port/metrics`, with the port actually bound (for port 0). */
  readonly url: string;
  close(): Promise<void>;
}

let prom: typeof Prom | undefined;

/** Loaded when `--metrics-port` is given, not at import: a run that serves nothing doesn't pay for it. */
function lib(): typeof Prom {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (prom ??= require("prom-client") as typeof Prom);
}

/**
 * Serves the run's live figures in the Prometheus text format at `/metrics` (prom-client), read at each
 * scrape: the run's own (`scenetree_run_instances_running`, `_instances_target`, `_connections_open`,
 * `_errors_total`) and every metric's untagged totals, named `scenetree_<name>`: a Counter as
 * `scenetree_<name>_total`, a Gauge as itself, a Rate as `scenetree_<name>_rate` (0 to 1), a Trend as
 * `scenetree_<name>_count` and `scenetree_<name>_sum` (in its unit, ms for a time Trend), so
 * `rate(_sum[1m]) / rate(_count[1m])` is its mean over a minute. Percentiles are in the summary at the
 * end, where histograms merge exactly; a scrape carries only counts. A port that can't be bound is an
 * InputError. A metric whose exposed name is already taken (a Gauge `a_total` beside a Counter `a`, a
 * metric named like one of the run's own) is left out, and `warn` says so once per metric.
 * Connections are limited as {@link METRICS_SERVER_LIMITS} says (`limits` changes them, for tests).
 */
export async function serveMetrics(options: {
  port: number;
  host: string;
  read: () => StatusReading;
  warn?: (message: string) => void;
  limits?: Partial<MetricsServerLimits>;
}): Promise<MetricsServer> {
  const client = lib();
  const limits = { ...METRICS_SERVER_LIMITS, ...options.limits };
  const warned = new Set<string>();
  const dropped = (metric: string, name: string, owner: string) => {
    if (warned.has(metric)) return;
    warned.add(metric);
    options.warn?.(
      `--metrics-port: ${metric} is not exposed: ${name} is already ${owner} (give it another name).`,
    );
  };
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts this often (default 30 s, which would let a slow client stay that long).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, limits.headersTimeoutMs / 5)),
    },
    (request, response) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      if (url.pathname !== "/metrics") {
        response
          .writeHead(404, { "Content-Type": "text/plain" })
          .end("Not found: the metrics are at /metrics\n");
        return;
      }
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, { Allow: "GET, HEAD" }).end();
        return;
      }
      const registry = exposition(client, options.read(), dropped);
      registry.metrics().then(
        (text) => response.writeHead(200, { "Content-Type": registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500).end(`${String(error)}\n`),
      );
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new InputError(
          `--metrics-port ${options.port}: can't serve metrics on ${options.host} (${error.code ?? error.message}).`,
        ),
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  server.maxConnections = limits.maxConnections;
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a scraper's keep-alive connection must not hold the run open
      }),
  };
}

/** A registry made for one scrape: the figures as they are now, nothing kept between scrapes. */
function exposition(
  client: typeof Prom,
  reading: StatusReading,
  dropped: (metric: string, name: string, owner: string) => void,
): Prom.Registry {
  const registry = new client.Registry();
  const registers = [registry];
  const { totals } = reading;
  const count = (name: string) => {
    const m = totals[name];
    return m && (m.type === "counter" || m.type === "trend") ? m.count : 0;
  };
  /** Each exposed name, and whose it is (for the warning when another metric would take it). */
  const taken = new Map<string, string>();
  const RUN_OWN = "the run's own";
  const gauge = (name: string, help: string, value: number, owner = RUN_OWN) => {
    taken.set(name, owner);
    new client.Gauge({ name, help, registers }).set(value);
  };
  const counter = (name: string, help: string, value: number, owner = RUN_OWN) => {
    taken.set(name, owner);
    new client.Counter({ name, help, registers }).inc(value);
  };
  gauge("scenetree_run_instances_running", "Instances running now.", reading.running);
  gauge("scenetree_run_instances_target", "Instances this run (this shard) has in all.", reading.target);
  gauge(
    "scenetree_run_connections_open",
    "WebSocket sessions open now (ws_sessions less the sessions closed).",
    Math.max(0, count("ws_sessions") - count("ws_session_duration")),
  );
  counter(
    "scenetree_run_errors_total",
    "Errors the instances reported (code that threw, crashes).",
    reading.errors,
  );
  for (const [name, metric] of Object.entries(totals)) {
    const which = `${metric.type} ${name}`;
    const names = series(metric).map(([suffix]) => `scenetree_${name}${suffix}`);
    // A name already exposed keeps its metric (the run's own first); this one is left out, whole.
    const clash = names.find((full) => taken.has(full));
    if (clash !== undefined) {
      dropped(which, clash, taken.get(clash)!);
      continue;
    }
    const help = describe(name, metric);
    for (const [suffix, kind, value] of series(metric)) {
      const full = `scenetree_${name}${suffix}`;
      if (kind === "counter") counter(full, help, value, which);
      else gauge(full, help, value, which);
    }
  }
  return registry;
}

function series(metric: LiveMetric): Array<[suffix: string, kind: "counter" | "gauge", value: number]> {
  switch (metric.type) {
    case "counter":
      return [["_total", "counter", metric.count]];
    case "gauge":
      return [["", "gauge", metric.value]];
    case "rate":
      return [["_rate", "gauge", metric.total > 0 ? metric.passes / metric.total : NaN]];
    case "trend":
      return [
        ["_count", "counter", metric.count],
        ["_sum", "counter", metric.sum],
      ];
  }
}

function describe(name: string, metric: LiveMetric): string {
  const builtin = builtinMetric(name);
  if (builtin) return builtin.description;
  const unit = metric.contains === "time" ? " (ms)" : metric.contains === "data" ? " (bytes)" : "";
  const kind = { counter: "Counter", gauge: "Gauge", rate: "Rate", trend: "Trend" }[metric.type];
  return `${kind} ${name}${unit}.`;
}
