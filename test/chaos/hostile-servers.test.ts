import * as http from "node:http";
import type * as net from "node:net";
import { WebSocketPeerState } from "../../src/net";
import { Node } from "../../src/scene/Node";
import type { SceneTree } from "../../src/scene/SceneTree";
import type { TestClock } from "../../src/core/clock";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { activeResources, leftBehind, watchProcessErrors } from "../helpers/chaos";
import { delay, startSilentTcpServer, unusedPort, until } from "../helpers/netServers";
import { Fixture, FRAME, recordSignals, stepUntil, type SignalLog } from "../helpers/websocketNodes";

/**
 * Servers that misbehave in every way a client meets in the wild. Each case ends in the documented
 * signal and state, with nothing thrown, and the tree keeps running frames.
 */

const { CONNECTING, OPEN, CLOSED } = WebSocketPeerState;
const SIGNALS = [
  "connectionStateChanged",
  "connectionEstablished",
  "connectionClosed",
  "connectFailed",
  "reconnecting",
];

const fx = new Fixture();
let baseline: Map<string, number>;
let watch: ReturnType<typeof watchProcessErrors>;

beforeEach(() => {
  baseline = activeResources();
  watch = watchProcessErrors();
});

afterEach(async () => {
  await fx.cleanup();
  watch.stop();
  expect(watch.errors).toEqual([]);
  expect(await leftBehind(baseline)).toEqual({});
});

/** Counts the frames it processes: proof that the tree keeps running. */
class Ticker extends Node {
  frames = 0;
  override _process(): void {
    this.frames++;
  }
}

function setUp(url: string, props: Partial<WebsocketClient> = {}) {
  const { tree, clock } = fx.tree();
  const ticker = new Ticker("Ticker");
  tree.root.addChild(ticker);
  const node = new WebsocketClient("Client");
  Object.assign(node, { connectionUrl: url, reconnectDelay: 1, reconnectDelayMax: 4, ...props });
  tree.root.addChild(node);
  const log = recordSignals(node, SIGNALS);
  return { tree, clock, ticker, node, log };
}

function first(log: SignalLog, signal: string): unknown[] | undefined {
  return log.find((entry) => entry[0] === signal);
}

/** The tree still runs frames, and no user callback threw. */
function expectTreeAlive(tree: SceneTree, ticker: Ticker): void {
  const before = ticker.frames;
  for (let i = 0; i < 3; i++) tree.step(FRAME);
  expect(ticker.frames).toBe(before + 3);
  expect(fx.errors).toEqual([]);
}

/** Advances fake time in small steps, letting real I/O (pongs, reconnects) happen in between. */
async function advance(clock: TestClock, tree: SceneTree, ms: number, stepMs = 50): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(Math.min(stepMs, ms - t));
    tree.step(FRAME);
    await delay(3);
  }
}

/** An HTTP server whose every request (the upgrade included) gets this raw answer; raw sockets tracked. */
async function rawHttpServer(onUpgrade: (socket: net.Socket) => void): Promise<{ url: string }> {
  const server = http.createServer((_req, res) => res.end("hello"));
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("upgrade", (_req, socket) => onUpgrade(socket as net.Socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fx.onCleanup(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/` };
}

describe("hostile servers", () => {
  test("black-hole host (TCP accepted, no upgrade reply): connectFailed on connectTimeout, CLOSED, retry scheduled", async () => {
    const silent = await startSilentTcpServer();
    fx.onCleanup(() => silent.close());
    const { tree, clock, ticker, node, log } = setUp(silent.url, { connectTimeout: 2 });
    node.openConnection();
    await until(() => silent.accepted.length === 1);
    clock.advance(1999);
    expect(node.connectionState).toBe(CONNECTING);
    clock.advance(1);
    expect(first(log, "connectFailed")).toEqual([
      "connectFailed",
      expect.stringMatching(/connect timeout/),
      0,
    ]);
    expect(first(log, "connectionClosed")).toEqual([
      "connectionClosed",
      -1,
      expect.stringMatching(/timeout/),
    ]);
    expect(node.connectionState).toBe(CLOSED);
    expect(node.reconnectPending).toBe(true);
    expectTreeAlive(tree, ticker);
  });

  test("refused port: connectFailed naming ECONNREFUSED, code -1, retry scheduled", async () => {
    const { tree, ticker, node, log } = setUp(`ws://127.0.0.1:${await unusedPort()}/`);
    node.openConnection();
    await stepUntil(tree, () => first(log, "connectionClosed") !== undefined);
    expect(first(log, "connectFailed")).toEqual(["connectFailed", expect.stringMatching(/ECONNREFUSED/), 0]);
    expect(first(log, "connectionClosed")).toEqual([
      "connectionClosed",
      -1,
      expect.stringMatching(/ECONNREFUSED/),
    ]);
    expect(first(log, "reconnecting")).toEqual(["reconnecting", 1, 1]);
    expect(node.connectionState).toBe(CLOSED);
    expectTreeAlive(tree, ticker);
  });

  test("an HTTP server answering 200 instead of 101: connectFailed with the status", async () => {
    const server = await rawHttpServer((socket) =>
      socket.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"),
    );
    const { tree, ticker, node, log } = setUp(server.url);
    node.openConnection();
    await stepUntil(tree, () => first(log, "connectionClosed") !== undefined);
    expect(first(log, "connectFailed")).toEqual([
      "connectFailed",
      expect.stringMatching(/Unexpected server response: 200/),
      200,
    ]);
    expect(first(log, "connectionClosed")).toEqual(["connectionClosed", -1, expect.any(String)]);
    expect(node.reconnectPending).toBe(true);
    expectTreeAlive(tree, ticker);
  });

  test("an upgrade answered with garbage bytes: connectFailed, CLOSED", async () => {
    const server = await rawHttpServer((socket) => socket.end(Buffer.from([0, 1, 2, 0xff, 13, 10, 13, 10])));
    const { tree, ticker, node, log } = setUp(server.url);
    node.openConnection();
    await stepUntil(tree, () => first(log, "connectionClosed") !== undefined);
    expect(first(log, "connectFailed")).toBeDefined();
    expect(node.connectionState).toBe(CLOSED);
    expectTreeAlive(tree, ticker);
  });

  /** A ws server that writes `bytes` raw on the TCP socket right after the upgrade. */
  async function rawFrameServer(bytes: number[]) {
    return fx.wsServer({
      echo: false,
      onConnection: (ws) => (ws as unknown as { _socket: net.Socket })._socket.write(Buffer.from(bytes)),
    });
  }

  test.each([
    ["a reserved opcode (0x3)", 1002, /opcode/i, [0x83, 0x00]],
    ["a masked server frame", 1002, /MASK/, [0x81, 0x81, 1, 2, 3, 4, 0x41]],
    ["RSV2 set with no extension", 1002, /RSV/, [0xa1, 0x00]],
    ["a fragmented control frame", 1002, /FIN/, [0x09, 0x00]],
    ["invalid UTF-8 in a text frame", 1007, /UTF-8/, [0x81, 0x02, 0xff, 0xfe]],
  ])(
    "a malformed frame (%s) closes with %i and the reason, then reconnects",
    async (_what, code, reason, bytes) => {
      const server = await rawFrameServer(bytes);
      const { tree, ticker, node, log } = setUp(server.url);
      node.openConnection();
      await stepUntil(tree, () => first(log, "connectionClosed") !== undefined);
      expect(first(log, "connectionEstablished")).toBeDefined();
      expect(first(log, "connectFailed")).toBeUndefined(); // it was open: a drop, not a failed attempt
      expect(first(log, "connectionClosed")).toEqual([
        "connectionClosed",
        code,
        expect.stringMatching(reason),
      ]);
      expect(node.reconnectPending || node.connectionState !== CLOSED).toBe(true);
      expectTreeAlive(tree, ticker);
    },
  );

  test("an oversized message closes with 1009 and is never delivered", async () => {
    const server = await fx.wsServer({ echo: false, onConnection: (ws) => ws.send(Buffer.alloc(64 * 1024)) });
    const { tree, ticker, node, log } = setUp(server.url, { inboundBufferSize: 1024 });
    const messages: unknown[] = [];
    node.connect("messageReceived", (m) => messages.push(m));
    node.openConnection();
    await stepUntil(tree, () => first(log, "connectionClosed") !== undefined);
    expect(first(log, "connectionClosed")).toEqual([
      "connectionClosed",
      1009,
      expect.stringMatching(/inboundBufferSize/),
    ]);
    expect(messages).toEqual([]);
    await until(() => server.closes.length === 1);
    expect(server.closes[0].code).toBe(1009); // the server was told why
    expectTreeAlive(tree, ticker);
  });

  const CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 4000];

  test(`a server closing with each standard code (${CODES.join(", ")}): connectionClosed(code, reason), then a reconnect`, async () => {
    // The client says which code it wants in its URL path; the server closes with it once.
    const closedOnce = new Set<string>();
    const server = await fx.wsServer({ echo: false });
    server.wss.on("connection", (ws, request) => {
      const code = Number((request.url ?? "/").slice(1));
      if (closedOnce.has(String(code))) return;
      closedOnce.add(String(code));
      ws.close(code, `closing with ${code}`);
    });
    const { tree, clock, ticker } = setUp(`ws://127.0.0.1:${server.port}/`);
    const clients = CODES.map((code) => {
      const node = new WebsocketClient(`C${code}`);
      Object.assign(node, { connectionUrl: `ws://127.0.0.1:${server.port}/${code}`, reconnectDelay: 0.01 });
      tree.root.addChild(node);
      return { code, node, log: recordSignals(node, SIGNALS) };
    });
    for (const { node } of clients) node.openConnection();
    await stepUntil(
      tree,
      () => clients.every(({ log }) => first(log, "connectionClosed") !== undefined),
      5000,
    );
    for (const { code, log } of clients) {
      expect(first(log, "connectionClosed")).toEqual(["connectionClosed", code, `closing with ${code}`]);
      expect(first(log, "connectFailed")).toBeUndefined();
      // It was open for less than minUptime: the retry waits reconnectDelay (no reconnect storm).
      expect(first(log, "reconnecting")).toEqual(["reconnecting", 1, 0.01]);
    }
    await stepUntil(
      tree,
      () => {
        clock.advance(10); // the retry waits reconnectDelay on the tree's (fake) clock
        return clients.every(({ node }) => node.connectionState === OPEN);
      },
      5000,
      "reconnects",
    );
    expectTreeAlive(tree, ticker);
  });

  test("half-open link: a peer that stops answering without closing is caught by the heartbeat within 2 intervals, then reconnected", async () => {
    const server = await fx.wsServer({ echo: true });
    const { tree, clock, ticker, node, log } = setUp(server.url, {
      heartbeatInterval: 1,
      reconnectDelay: 0.5,
    });
    node.openConnection();
    const firstPeer = await server.nextConnection();
    // ws answers a ping with a pong at once; a message sent right after it arrives after the pong, so
    // the client seeing it proves the pong is in, however slowly real time runs next to the fake clock.
    let pings = 0;
    firstPeer.on("ping", () => firstPeer.send(`after pong ${++pings}`));
    let afterPongs = 0;
    node.connect("messageReceived", () => afterPongs++);
    await stepUntil(tree, () => node.isOpen);
    // Healthy link: several heartbeats pass without a drop, each pong awaited in real time.
    for (let beat = 1; beat <= 3; beat++) {
      await advance(clock, tree, 1000);
      await stepUntil(tree, () => afterPongs === beat, 10_000, `the pong of heartbeat ${beat}`);
    }
    expect(node.isOpen).toBe(true);

    // Stop reading on the server side: pings go unanswered, but no FIN, no RST, no close frame.
    (firstPeer as unknown as { _socket: net.Socket })._socket.pause();
    const pausedAt = clock.now();
    let closedAt = -1;
    node.connect("connectionClosed", () => (closedAt = clock.now()));
    await advance(clock, tree, 2500, 25);
    expect(closedAt).toBeGreaterThan(pausedAt);
    expect(closedAt - pausedAt).toBeLessThanOrEqual(2 * 1000); // heartbeatInterval x 2
    expect(log.filter((e) => e[0] === "connectionClosed")).toEqual([
      ["connectionClosed", -1, expect.stringMatching(/heartbeat/)],
    ]);
    const second = server.nextConnection(10_000);
    await advance(clock, tree, 1000);
    await second;
    await stepUntil(tree, () => node.isOpen, 10_000, "the reconnect");
    expectTreeAlive(tree, ticker);
  });
});
