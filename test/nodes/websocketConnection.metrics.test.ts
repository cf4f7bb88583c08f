import type WebSocket from "ws";
import type { Counter } from "../../src/metrics/Counter";
import { Metrics } from "../../src/metrics/Metrics";
import { hasMetrics, useMetrics } from "../../src/metrics/treeMetrics";
import type { Trend } from "../../src/metrics/Trend";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { WebSocketNode } from "../../src/nodes/WebSocketNode";
import { unusedPort, until } from "../helpers/netServers";
import { Fixture, recordSignals } from "../helpers/websocketNodes";

const fx = new Fixture();
afterEach(() => fx.cleanup());

/** A server that counts what it sees and says, and sends `greeting` on every connection. */
async function countingServer(greeting: (string | Buffer)[]) {
  const counts = { connections: 0, received: 0, receivedBytes: 0, sent: 0, sentBytes: 0, pings: 0 };
  const server = await fx.wsServer({
    echo: false,
    onConnection: (ws: WebSocket) => {
      counts.connections++;
      ws.on("message", (data: Buffer) => {
        counts.received++;
        counts.receivedBytes += data.length;
      });
      ws.on("ping", () => counts.pings++);
      for (const message of greeting) {
        counts.sent++;
        counts.sentBytes += Buffer.byteLength(message);
        ws.send(message);
      }
    },
  });
  return { server, counts };
}

function value(metrics: Metrics, name: string): number {
  return (metrics.get(name) as Counter | Trend | undefined)?.count ?? 0;
}

describe("WebSocket client nodes feed the built-in ws_* metrics", () => {
  test("every count equals what the server counted: sessions, messages and bytes both ways, pings, reconnects", async () => {
    const { server, counts } = await countingServer(["welcome", Buffer.alloc(10, 7)]);
    const { tree, clock } = fx.tree();
    const metrics = tree.metrics;
    const node = new WebsocketClient("Bot");
    node.connectionUrl = server.url;
    node.heartbeatInterval = 1;
    tree.root.addChild(node);
    const received = recordSignals(node, ["messageReceived"]);
    node.openConnection();
    node.sendText("queued before open: é"); // multi-byte UTF-8: bytes, not characters
    node.send(Uint8Array.from([1, 2, 3]));
    await until(() => counts.received === 2 && received.length === 2, 10_000, "the first exchange");

    clock.advance(1000); // a heartbeat ping, answered by the server
    await until(() => value(metrics, "ws_ping") === 1, 10_000, "the pong");
    server.sockets[0].terminate();
    await until(() => node.reconnectPending, 10_000, "the drop");
    clock.advance(1000);
    await until(() => node.isOpen && received.length === 4, 10_000, "the reconnect");
    node.sendText("after the reconnect");
    await until(() => counts.received === 3, 10_000, "the last message");
    node.close();
    await until(() => node.isClosed, 10_000, "closed");

    expect({
      sessions: value(metrics, "ws_sessions"),
      connecting: value(metrics, "ws_connecting"),
      sessionDurations: value(metrics, "ws_session_duration"),
      sent: value(metrics, "ws_msgs_sent"),
      sentBytes: value(metrics, "data_sent"),
      received: value(metrics, "ws_msgs_received"),
      receivedBytes: value(metrics, "data_received"),
      pings: value(metrics, "ws_ping"),
      reconnects: value(metrics, "ws_reconnects"),
      connectFailed: value(metrics, "ws_connect_failed"),
      sendRefused: value(metrics, "ws_send_refused"),
    }).toEqual({
      sessions: counts.connections,
      connecting: counts.connections,
      sessionDurations: counts.connections,
      sent: counts.received,
      sentBytes: counts.receivedBytes,
      received: counts.sent,
      receivedBytes: counts.sentBytes,
      pings: counts.pings,
      reconnects: counts.connections - 1,
      connectFailed: 0,
      sendRefused: 0,
    });
    expect(counts).toMatchObject({ connections: 2, pings: 1, sent: 4, received: 3 });
    // The fake clock did not move during either handshake or while the ping was out.
    expect((metrics.get("ws_connecting") as Trend).max).toBe(0);
    expect((metrics.get("ws_session_duration") as Trend).max).toBe(1000); // the first one: one advance
  });

  /** A client open on a counting server, its tree with a registry. */
  async function openClient() {
    const { server, counts } = await countingServer([]);
    const { tree, clock } = fx.tree();
    const metrics = tree.metrics;
    const node = new WebsocketClient("Bot");
    node.connectionUrl = server.url;
    tree.root.addChild(node);
    node.openConnection();
    await until(() => node.isOpen, 10_000, "open");
    return { server, counts, tree, clock, metrics, node };
  }

  test("a session the client ends by leaving the tree (a tree that quits, a fleet's --duration) is measured too", async () => {
    const { server, counts, tree, clock, metrics } = await openClient();
    clock.advance(2500);
    tree.quit();
    tree.finalize(); // the client leaves the tree: its socket closes 1001 and reports nothing more
    await until(() => server.closes.length === 1, 10_000, "the server to see the close");
    expect(server.closes[0].code).toBe(1001);
    expect(counts.connections).toBe(1);
    const durations = metrics.get("ws_session_duration") as Trend;
    expect([durations.count, durations.max]).toEqual([1, 2500]);
  });

  test("a session that closed before the tree ended is measured once, not again when it leaves", async () => {
    const { tree, clock, metrics, node } = await openClient();
    clock.advance(1000);
    node.close();
    await until(() => node.isClosed, 10_000, "closed");
    tree.finalize();
    expect(value(metrics, "ws_session_duration")).toBe(1);
  });

  test("failed attempts, retries and refused sends: counted as the signals report them", async () => {
    const port = await unusedPort();
    const { tree, clock } = fx.tree();
    const metrics = tree.metrics;
    const node = new WebSocketNode("Socket");
    node.useWss = false;
    node.host = `127.0.0.1:${port}`;
    node.autoReconnect = true;
    node.maxReconnectAttempts = 1;
    tree.root.addChild(node);
    const log = recordSignals(node, ["connectFailed", "sendRefused", "reconnecting"]);
    node.connectSocket();
    node.sendText("a");
    node.sendText("b");
    await until(() => node.reconnectPending, 10_000, "the first failure");
    clock.advance(1000);
    await until(() => !node.reconnectPending && node.isClosed && log.length >= 5, 10_000, "giving up");
    node.sendText("c");
    const count = (name: string) => log.filter((entry) => entry[0] === name).length;
    expect([count("connectFailed"), count("sendRefused"), count("reconnecting")]).toEqual([2, 3, 1]);
    expect([
      value(metrics, "ws_connect_failed"),
      value(metrics, "ws_send_refused"),
      value(metrics, "ws_reconnects"),
      value(metrics, "ws_sessions"),
      value(metrics, "ws_msgs_sent"),
    ]).toEqual([2, 3, 1, 0, 0]);
  });

  test("no registry: nothing is recorded and none is made; one made later counts from then on", async () => {
    const { server, counts } = await countingServer(["one"]);
    const { tree } = fx.tree();
    const node = new WebsocketClient("Bot");
    node.connectionUrl = server.url;
    tree.root.addChild(node);
    node.openConnection();
    await until(() => node.isOpen && counts.sent === 1, 10_000, "open");
    node.sendText("unmetered");
    await until(() => counts.received === 1, 10_000, "the first message");
    expect(hasMetrics(tree)).toBe(false);

    const metrics = new Metrics();
    useMetrics(tree, metrics); // as a fleet worker does, after the bots are running
    node.sendText("metered");
    server.sockets[0].send("two");
    await until(() => counts.received === 2 && value(metrics, "ws_msgs_received") === 1, 10_000, "more");
    expect([value(metrics, "ws_msgs_sent"), value(metrics, "data_sent")]).toEqual([1, "metered".length]);
  });
});
