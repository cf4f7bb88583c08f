import type { Counter } from "./Counter";
import { WS_METRICS, type Metrics } from "./Metrics";
import type { Tags } from "./tags";
import type { Trend } from "./Trend";

/**
 * What a WebSocket node reports, and what each does to the built-in metrics:
 *
 * | event             | value           | metrics                                  |
 * |-------------------|-----------------|------------------------------------------|
 * | `connected`       | handshake ms    | `ws_connecting` (Trend), `ws_sessions` +1 |
 * | `closed`          | session ms      | `ws_session_duration` (Trend)            |
 * | `messageSent`     | payload bytes   | `ws_msgs_sent` +1, `data_sent` +bytes     |
 * | `messageReceived` | payload bytes   | `ws_msgs_received` +1, `data_received` +bytes |
 * | `ping`            | round trip ms   | `ws_ping` (Trend)                        |
 * | `reconnect`       | –               | `ws_reconnects` +1 (each retry, not the first attempt) |
 * | `sendRefused`     | –               | `ws_send_refused` +1                     |
 * | `connectFailed`   | –               | `ws_connect_failed` +1 (each failed attempt) |
 */
export type WsMetricEvent =
  | "connected"
  | "closed"
  | "messageSent"
  | "messageReceived"
  | "ping"
  | "reconnect"
  | "sendRefused"
  | "connectFailed";

type Resolved = Partial<Record<WsMetricEvent, [Counter | Trend, Counter?]>>;

// Read once: under tsx an imported binding costs a getter call per use, and this is per message.
const RESOLVED: typeof WS_METRICS = WS_METRICS;

/**
 * Records one WebSocket event into the built-in metrics (see `WsMetricEvent` for what each does).
 * `value` is the event's ms or bytes (ignored for counted-only events). `tags` go on every sample the
 * event makes; leave them out on hot paths (a tagged sample also updates its tag set's series).
 * A built-in metric appears in the registry with its first event, as in k6's summary (a threshold on
 * a counter that never appeared counts 0).
 */
export function recordWs(metrics: Metrics, event: WsMetricEvent, value = 0, tags?: Tags): void {
  // Per registry, the built-in metrics once looked up, so a message costs two additions, not two lookups.
  let byEvent = metrics[RESOLVED] as Resolved | null;
  if (byEvent === null) byEvent = metrics[RESOLVED] = {};
  const [first, second] = (byEvent[event] ??= resolve(metrics, event));
  switch (event) {
    case "connected":
      first.add(value, tags);
      second?.add(1, tags);
      return;
    case "messageSent":
    case "messageReceived":
      first.add(1, tags);
      second?.add(value, tags);
      return;
    case "closed":
    case "ping":
      first.add(value, tags);
      return;
    default:
      first.add(1, tags);
  }
}

function resolve(metrics: Metrics, event: WsMetricEvent): [Counter | Trend, Counter?] {
  switch (event) {
    case "connected":
      return [metrics.trend("ws_connecting"), metrics.counter("ws_sessions")];
    case "closed":
      return [metrics.trend("ws_session_duration")];
    case "messageSent":
      return [metrics.counter("ws_msgs_sent"), metrics.counter("data_sent")];
    case "messageReceived":
      return [metrics.counter("ws_msgs_received"), metrics.counter("data_received")];
    case "ping":
      return [metrics.trend("ws_ping")];
    case "reconnect":
      return [metrics.counter("ws_reconnects")];
    case "sendRefused":
      return [metrics.counter("ws_send_refused")];
    case "connectFailed":
      return [metrics.counter("ws_connect_failed")];
  }
}
