import type { MetricContains, MetricType } from "./data";

export interface BuiltinMetric {
  type: MetricType;
  contains: MetricContains;
  /** The heading the human summary lists it under. */
  group: "WEBSOCKET" | "NETWORK";
  description: string;
}

/**
 * The built-in metrics: k6's WebSocket metrics with k6's names, kinds and units, then scenetree's own.
 * `recordWs` feeds them; asking the registry for one of these names with another kind is an error.
 */
export const BUILTIN_METRICS = {
  ws_connecting: {
    type: "trend",
    contains: "time",
    group: "WEBSOCKET",
    description: "WebSocket handshake time (ms)",
  },
  ws_sessions: {
    type: "counter",
    contains: "default",
    group: "WEBSOCKET",
    description: "WebSocket sessions opened",
  },
  ws_session_duration: {
    type: "trend",
    contains: "time",
    group: "WEBSOCKET",
    description: "Time from open to close of a WebSocket session (ms)",
  },
  ws_msgs_sent: {
    type: "counter",
    contains: "default",
    group: "WEBSOCKET",
    description: "WebSocket messages sent",
  },
  ws_msgs_received: {
    type: "counter",
    contains: "default",
    group: "WEBSOCKET",
    description: "WebSocket messages received",
  },
  ws_ping: {
    type: "trend",
    contains: "time",
    group: "WEBSOCKET",
    description: "Heartbeat round trip (ms)",
  },
  ws_reconnects: {
    type: "counter",
    contains: "default",
    group: "WEBSOCKET",
    description: "Reconnect attempts after a connection was lost or refused",
  },
  ws_send_refused: {
    type: "counter",
    contains: "default",
    group: "WEBSOCKET",
    description: "Messages refused by send() (offline buffer full or socket closing)",
  },
  ws_connect_failed: {
    type: "counter",
    contains: "default",
    group: "WEBSOCKET",
    description: "Connection attempts that failed (refused, handshake rejected, timed out)",
  },
  data_sent: {
    type: "counter",
    contains: "data",
    group: "NETWORK",
    description: "Payload bytes sent (bytes)",
  },
  data_received: {
    type: "counter",
    contains: "data",
    group: "NETWORK",
    description: "Payload bytes received (bytes)",
  },
} as const satisfies Record<string, BuiltinMetric>;

export type BuiltinMetricName = keyof typeof BUILTIN_METRICS;

export function builtinMetric(name: string): BuiltinMetric | undefined {
  return Object.prototype.hasOwnProperty.call(BUILTIN_METRICS, name)
    ? (BUILTIN_METRICS as Record<string, BuiltinMetric>)[name]
    : undefined;
}
