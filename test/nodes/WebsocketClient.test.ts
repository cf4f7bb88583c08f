import { ErrorCode } from "../../src/core/ErrorCode";
import { Node } from "../../src/scene/Node";
import { UserCallbackError } from "../../src/core/errors";
import { SystemClock } from "../../src/core/clock";
import { WebSocketPeerState } from "../../src/net";
import { ConnectionWaitError, WebsocketClient } from "../../src/nodes/WebsocketClient";
import {
  delay,
  makeSelfSignedCertificate,
  startSilentTcpServer,
  startWsServer,
  unusedPort,
  until,
  wsReadyState,
} from "../helpers/netServers";
import { Fixture, FRAME, names, recordSignals, stepUntil } from "../helpers/websocketNodes";

const { CONNECTING, OPEN, CLOSING, CLOSED } = WebSocketPeerState;
const SIGNALS = [
  "connectionStateChanged",
  "connectionEstablished",
  "messageReceived",
  "connectionClosed",
  "connectFailed",
  "reconnecting",
  "reconnectGaveUp",
  "sendRefused",
];

const fx = new Fixture();
afterEach(() => fx.cleanup());

function client(url: string, props: Partial<WebsocketClient> = {}): WebsocketClient {
  const node = new WebsocketClient("Client");
  node.connectionUrl = url;
  Object.assign(node, props);
  return node;
}

/** Records every signal and checks that `connectionState` already reads the new state. */
function record(node: WebsocketClient) {
  return recordSignals(node, SIGNALS, [], (signal, args) => {
    if (signal === "connectionStateChanged" && node.connectionState !== args[0])
      throw new Error(
        `connectionState reads ${node.connectionState} inside connectionStateChanged(${args[0]})`,
      );
  });
}

describe("WebsocketClient", () => {
  test("openConnection, echo, close: every signal in order, the state already readable", async () => {
    const server = await fx.wsServer();
    const { tree } = fx.tree();
    const node = client(server.url);
    tree.root.addChild(node);
    const log = record(node);
    expect(node.isClosed).toBe(true);

    expect(node.openConnection()).toBe(ErrorCode.OK);
    expect(node.autoReconnect).toBe(true);
    expect(node.connectionState).toBe(CONNECTING);
    await until(() => node.isOpen, 2000, "open");
    expect(node.sendText("hello")).toBe(ErrorCode.OK);
    expect(node.send(Uint8Array.from([104, 105]))).toBe(ErrorCode.OK);
    await until(() => log.filter((e) => e[0] === "messageReceived").length === 2, 2000, "echoes");
    expect(node.close()).toBe(ErrorCode.OK);
    expect(node.autoReconnect).toBe(false);
    await until(() => node.isClosed, 2000, "closed");

    expect(log).toEqual([
      ["connectionStateChanged", CONNECTING],
      ["connectionStateChanged", OPEN],
      ["connectionEstablished"],
      ["messageReceived", "hello", true],
      ["messageReceived", "hi", false],
      ["connectionStateChanged", CLOSING],
      ["connectionStateChanged", CLOSED],
      ["connectionClosed", 1000, "Normal Closure"],
    ]);
    // CLOSED comes once both close frames are exchanged; the server sees the TCP end a moment later.
    await until(() => server.closes.length === 1, 2000, "the server to see the close");
    expect(server.closes).toEqual([{ code: 1000, reason: "Normal Closure" }]);
    expect(fx.errors).toEqual([]);
  });

  test("connects on ready when autoReconnect is on and a URL is set; otherwise waits for openConnection()", async () => {
    const server = await fx.wsServer();
    const { tree } = fx.tree();
    const auto = client(server.url, { autoReconnect: true });
    const manual = client(server.url);
    manual.name = "Manual";
    tree.root.addChild(auto);
    tree.root.addChild(manual);
    expect(auto.connectionState).toBe(CONNECTING);
    expect(manual.connectionState).toBe(CLOSED);
    await until(() => auto.isOpen);
    await delay(20);
    expect(manual.isClosed).toBe(true);
    expect(server.sockets).toHaveLength(1);
  });

  test("openConnection() outside the tree connects when the node enters it", async () => {
    const server = await fx.wsServer();
    const { tree } = fx.tree();
    const node = client(server.url);
    expect(node.openConnection()).toBe(ErrorCode.OK);
    expect(node.isClosed).toBe(true);
    tree.root.addChild(node);
    await node.waitConnectionEstablished(2);
    expect(node.isOpen).toBe(true);
  });

  test("server restart: reconnects by itself; messages sent meanwhile are delivered in order", async () => {
    const first = await startWsServer();
    const { tree, clock } = fx.tree();
    const node = client(first.url); // minUptime 5 s never passes on the fake clock: the streak goes on
    tree.root.addChild(node);
    const log = record(node);
    node.openConnection();
    await until(() => node.isOpen);
    await first.close();
    await until(() => node.reconnectPending, 2000, "the drop");
    expect(log.find((e) => e[0] === "connectionClosed")).toEqual([
      "connectionClosed",
      -1,
      expect.any(String),
    ]);
    expect(log.find((e) => e[0] === "reconnecting")).toEqual(["reconnecting", 1, 1]);

    expect(node.sendText("q1")).toBe(ErrorCode.OK);
    expect(node.send(Buffer.from("q2"))).toBe(ErrorCode.OK);
    expect(node.sendText("q3")).toBe(ErrorCode.OK);
    expect(node.queuedSendCount).toBe(3);

    const second = await fx.wsServer({ port: first.port });
    clock.advance(1000);
    await until(() => second.received.length === 3, 2000, "queued messages");
    expect(second.received).toEqual([
      { text: "q1", isBinary: false },
      { text: "q2", isBinary: true },
      { text: "q3", isBinary: false },
    ]);
    expect(node.isOpen).toBe(true);
    expect(names(log).filter((n) => n === "connectionEstablished")).toHaveLength(2);
  });

  test("server gone for good: delays measured on the fake clock double, are capped, and jitter stays in bounds", async () => {
    const port = await unusedPort();
    const { tree, clock } = fx.tree();
    const node = client(`ws://127.0.0.1:${port}/`, {
      reconnectDelay: 1,
      reconnectDelayMax: 8,
      reconnectJitter: 0.5,
      random: () => 0.5,
    });
    tree.root.addChild(node);
    const log = record(node);
    node.openConnection();
    const expected = [1, 2, 4, 8, 8, 8].map((d) => d * 0.75); // downward jitter: d·(1 - 0.5·0.5)
    for (let attempt = 1; attempt <= expected.length; attempt++) {
      await until(
        () => log.filter((e) => e[0] === "reconnecting").length === attempt,
        2000,
        `failure ${attempt}`,
      );
      const [, n, delaySeconds] = log.filter((e) => e[0] === "reconnecting")[attempt - 1];
      expect(n).toBe(attempt);
      expect(delaySeconds).toBeCloseTo(expected[attempt - 1], 10);
      expect(delaySeconds as number).toBeLessThanOrEqual(8);
      const failedAt = clock.now();
      clock.advance(expected[attempt - 1] * 1000 - 1);
      expect(node.connectionState).toBe(CLOSED); // not a millisecond early
      clock.advance(1);
      expect(node.connectionState).toBe(CONNECTING);
      expect(clock.now() - failedAt).toBeCloseTo(expected[attempt - 1] * 1000, 6);
    }
    // Each failure: CLOSED, connectFailed (refused), connectionClosed(-1), reconnecting.
    const firstFailure = log.slice(1, 5);
    expect(names(firstFailure)).toEqual([
      "connectionStateChanged",
      "connectFailed",
      "connectionClosed",
      "reconnecting",
    ]);
    expect(firstFailure[1][1]).toMatch(/ECONNREFUSED/);
  });

  test("jitter spreads delays within [d·(1-j), d] for random draws across [0, 1)", async () => {
    const port = await unusedPort();
    const { tree, clock } = fx.tree();
    const draws = [0, 0.999, 0.3];
    let i = 0;
    const node = client(`ws://127.0.0.1:${port}/`, { reconnectJitter: 1, random: () => draws[i++ % 3] });
    tree.root.addChild(node);
    const delays: number[] = [];
    node.connect("reconnecting", (_attempt: number, d: number) => delays.push(d));
    node.openConnection();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await until(() => delays.length === attempt);
      clock.advance(delays[attempt - 1] * 1000);
    }
    const nominal = [1, 2, 4];
    delays.forEach((d, k) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(nominal[k]);
    });
    expect(delays[0]).toBe(1);
    expect(delays[1]).toBeCloseTo(2 * 0.001, 6);
  });

  test("maxReconnectAttempts: gives up, says so, rejects waits and refuses queued messages", async () => {
    const port = await unusedPort();
    const { tree, clock } = fx.tree();
    const node = client(`ws://127.0.0.1:${port}/`, { maxReconnectAttempts: 2 });
    tree.root.addChild(node);
    const log = record(node);
    node.openConnection();
    const wait = node.waitConnectionEstablished().catch((error: unknown) => error);
    node.sendText("never");
    await until(() => log.some((e) => e[0] === "reconnecting"));
    clock.advance(1000);
    await until(() => log.filter((e) => e[0] === "reconnecting").length === 2);
    clock.advance(2000);
    await until(() => log.some((e) => e[0] === "reconnectGaveUp"));
    expect(log.find((e) => e[0] === "reconnectGaveUp")).toEqual(["reconnectGaveUp", 2]);
    expect(log.find((e) => e[0] === "sendRefused")).toEqual(["sendRefused", "never", "gave up reconnecting"]);
    expect(await wait).toMatchObject({ code: "ERR_GAVE_UP" });
    expect(clock.pendingCount).toBe(0);
  });

  test("close() during a pending retry: no reconnect, no timer left, waits rejected", async () => {
    const port = await unusedPort();
    const { tree, clock } = fx.tree();
    const node = client(`ws://127.0.0.1:${port}/`);
    tree.root.addChild(node);
    const log = record(node);
    node.openConnection();
    await until(() => node.reconnectPending);
    const wait = node.waitConnectionEstablished().catch((error: unknown) => error);
    expect(node.close()).toBe(ErrorCode.OK);
    expect(await wait).toMatchObject({ code: "ERR_CLOSED" });
    expect(node.reconnectPending).toBe(false);
    expect(clock.pendingCount).toBe(0);
    const before = log.length;
    clock.advance(120_000);
    await delay(20);
    expect(log.length).toBe(before);
    expect(node.autoReconnect).toBe(false);
  });

  test("setting autoReconnect to false while a retry waits stays closed", async () => {
    const port = await unusedPort();
    const { tree, clock } = fx.tree();
    const node = client(`ws://127.0.0.1:${port}/`);
    tree.root.addChild(node);
    node.openConnection();
    await until(() => node.reconnectPending);
    node.autoReconnect = false;
    expect(node.reconnectPending).toBe(false);
    clock.advance(60_000);
    expect(node.isClosed).toBe(true);
  });

  test("a server that accepts TCP but never answers: connect timeout, then a retry", async () => {
    const silent = await startSilentTcpServer();
    fx.onCleanup(() => silent.close());
    const { tree, clock } = fx.tree();
    const node = client(silent.url, { connectTimeout: 3 });
    tree.root.addChild(node);
    const log = record(node);
    node.openConnection();
    await until(() => silent.accepted.length === 1);
    clock.advance(2999);
    expect(node.connectionState).toBe(CONNECTING);
    clock.advance(1);
    expect(log.find((e) => e[0] === "connectFailed")).toEqual([
      "connectFailed",
      expect.stringMatching(/timeout/),
      0,
    ]);
    expect(node.reconnectPending).toBe(true);
    clock.advance(1000);
    expect(node.connectionState).toBe(CONNECTING);
    await until(() => silent.accepted.length === 2);
  });

  test("send refusals are visible: nothing will connect (ERR_UNCONFIGURED), queue full (ERR_BUSY)", async () => {
    const silent = await startSilentTcpServer();
    fx.onCleanup(() => silent.close());
    const { tree } = fx.tree();
    const node = client(silent.url, { sendQueueLimit: 2 });
    const log = record(node);
    expect(node.sendText("outside")).toBe(ErrorCode.ERR_UNCONFIGURED);
    tree.root.addChild(node);
    expect(node.sendText("idle")).toBe(ErrorCode.ERR_UNCONFIGURED);
    node.openConnection();
    expect(node.sendText("a")).toBe(ErrorCode.OK);
    expect(node.sendText("b")).toBe(ErrorCode.OK);
    expect(node.sendText("c")).toBe(ErrorCode.ERR_BUSY);
    expect(log.filter((e) => e[0] === "sendRefused")).toEqual([
      ["sendRefused", "outside", expect.stringMatching(/not connected/)],
      ["sendRefused", "idle", expect.stringMatching(/not connected/)],
      ["sendRefused", "c", "send queue full (2 messages)"],
    ]);
    node.close();
    expect(log.filter((e) => e[0] === "sendRefused").map((e) => e[1])).toEqual([
      "outside",
      "idle",
      "c",
      "a",
      "b",
    ]);
    expect(node.close(999)).toBe(ErrorCode.ERR_INVALID_PARAMETER);
  });

  test("an oversized message closes with 1009", async () => {
    const server = await fx.wsServer({ onConnection: (ws) => ws.send(Buffer.alloc(100)) });
    const { tree } = fx.tree();
    const node = client(server.url, { inboundBufferSize: 16 });
    tree.root.addChild(node);
    const log = record(node);
    node.openConnection();
    await until(() => log.some((e) => e[0] === "connectionClosed"));
    expect(log.find((e) => e[0] === "connectionClosed")).toEqual([
      "connectionClosed",
      1009,
      expect.stringMatching(/inboundBufferSize/),
    ]);
    expect(names(log)).not.toContain("messageReceived");
  });

  test("wss with a self-signed certificate: refused by default, accepted with the CA given", async () => {
    const certificate = makeSelfSignedCertificate();
    const server = await fx.wsServer({ tls: certificate });
    const { tree } = fx.tree();
    const strict = client(server.url, { maxReconnectAttempts: 0 });
    tree.root.addChild(strict);
    const strictLog = record(strict);
    strict.openConnection();
    await until(() => strictLog.some((e) => e[0] === "connectFailed"));
    expect(strictLog.find((e) => e[0] === "connectFailed")?.[1]).toMatch(/self[- ]signed|certificate/i);
    strict.close();

    const trusting = client(server.url, { tls: { ca: certificate.cert } });
    trusting.name = "Trusting";
    tree.root.addChild(trusting);
    const log = record(trusting);
    trusting.openConnection();
    await trusting.waitConnectionEstablished(2);
    trusting.sendText("over tls");
    await until(() => log.some((e) => e[0] === "messageReceived"));
    expect(log.find((e) => e[0] === "messageReceived")).toEqual(["messageReceived", "over tls", true]);
  });

  describe("waitConnectionEstablished", () => {
    test("resolves when the connection opens, and at once when it is open", async () => {
      const server = await fx.wsServer();
      const { tree } = fx.tree();
      const node = client(server.url);
      tree.root.addChild(node);
      node.openConnection();
      const wait = node.waitConnectionEstablished();
      await wait;
      expect(node.isOpen).toBe(true);
      await expect(node.waitConnectionEstablished(0)).resolves.toBeUndefined();
    });

    test("rejects on timeout, measured on the tree's clock", async () => {
      const silent = await startSilentTcpServer();
      fx.onCleanup(() => silent.close());
      const { tree, clock } = fx.tree();
      const node = client(silent.url, { connectTimeout: 0 });
      tree.root.addChild(node);
      node.openConnection();
      let settled: unknown = "pending";
      const wait = node.waitConnectionEstablished(2).then(
        () => (settled = "resolved"),
        (error) => (settled = error),
      );
      clock.advance(1999);
      await delay(5);
      expect(settled).toBe("pending");
      clock.advance(1);
      await wait;
      expect(settled).toBeInstanceOf(ConnectionWaitError);
      expect((settled as ConnectionWaitError).code).toBe("ERR_TIMEOUT");
      expect((settled as Error).message).toMatch(/\/root\/Client.*within 2 s/);
    });

    test("rejects when the node leaves the tree and when it is freed", async () => {
      const silent = await startSilentTcpServer();
      fx.onCleanup(() => silent.close());
      const { tree } = fx.tree();
      const node = client(silent.url);
      tree.root.addChild(node);
      node.openConnection();
      const leaving = node.waitConnectionEstablished().catch((error: unknown) => error);
      tree.root.removeChild(node);
      expect(await leaving).toMatchObject({ code: "ERR_LEFT_TREE" });

      const freed = node.waitConnectionEstablished().catch((error: unknown) => error);
      node.free();
      expect(await freed).toMatchObject({ code: "ERR_FREED" });
      await expect(node.waitConnectionEstablished()).rejects.toMatchObject({ code: "ERR_FREED" });
    });
  });

  test("leaving the tree closes with 1001, cancels timers, emits nothing; re-entering reconnects", async () => {
    const server = await fx.wsServer();
    const { tree, clock } = fx.tree();
    const node = client(server.url, { heartbeatInterval: 5 });
    tree.root.addChild(node);
    node.openConnection();
    await until(() => node.isOpen);
    const log = record(node);
    tree.root.removeChild(node);
    expect(node.isClosed).toBe(true);
    expect(clock.pendingCount).toBe(0);
    await until(() => server.closes.length === 1);
    expect(server.closes[0]).toEqual({ code: 1001, reason: "Going Away" });
    expect(log).toEqual([]);

    tree.root.addChild(node); // autoReconnect is still on
    await until(() => node.isOpen);
    node.free();
  });

  test("dispatch 'frame': nothing is emitted between frames; each frame polls as Godot's _process does", async () => {
    const server = await fx.wsServer();
    const { tree } = fx.tree();
    const node = client(server.url, { dispatch: "frame" });
    tree.root.addChild(node);
    const log = record(node);
    node.openConnection();
    await server.nextConnection();
    const peer = node.socket?.currentPeer;
    await until(() => wsReadyState(peer) === 1, 10_000, "ws to see the open");
    expect(log).toEqual([]); // CONNECTING is reported by the first frame too
    tree.step(FRAME);
    expect(names(log)).toEqual(["connectionStateChanged", "connectionStateChanged", "connectionEstablished"]);
    node.sendText("ping");
    await until(() => server.received.length === 1);
    await delay(20);
    expect(names(log)).not.toContain("messageReceived");
    await stepUntil(tree, () => names(log).includes("messageReceived"));
    expect(log.at(-1)).toEqual(["messageReceived", "ping", true]);
  });

  test("a throwing listener is reported with the node path; the connection carries on", async () => {
    const server = await fx.wsServer();
    const { tree } = fx.tree();
    const node = client(server.url);
    tree.root.addChild(node);
    const seen: string[] = [];
    node.connect("messageReceived", (message: Buffer) => {
      seen.push(message.toString());
      if (seen.length === 1) throw new Error("listener bug");
    });
    node.openConnection();
    await node.waitConnectionEstablished(2);
    node.sendText("a");
    node.sendText("b");
    await until(() => seen.length === 2);
    expect(seen).toEqual(["a", "b"]);
    expect(fx.errors).toHaveLength(1);
    expect(fx.errors[0].nodePath).toBe("/root/Client");
    expect(fx.errors[0].message).toMatch(/messageReceived.*listener bug/);
    expect(node.isOpen).toBe(true);
  });

  test("1,000 clients in one tree against one server all open and exchange a message", async () => {
    const server = await fx.wsServer();
    const { tree } = fx.tree();
    const nodes: WebsocketClient[] = [];
    let echoes = 0;
    for (let i = 0; i < 1000; i++) {
      const node = new WebsocketClient(`C${i}`);
      node.connectionUrl = server.url;
      node.autoReconnect = true;
      node.connect("connectionEstablished", () => node.sendText(`m${i}`));
      node.connect("messageReceived", (message: Buffer) => {
        if (message.toString() === `m${i}`) echoes++;
      });
      nodes.push(node);
      tree.root.addChild(node);
    }
    await until(() => echoes === 1000, 15000, "1000 echoes");
    expect(nodes.every((n) => n.isOpen)).toBe(true);
    expect(server.received).toHaveLength(1000);
  }, 20000);

  describe("nothing queued is dropped in silence", () => {
    test("messages queued while reconnecting survive reparent(): sent first, in order, nothing refused", async () => {
      const port = await unusedPort();
      const { tree } = fx.tree();
      const from = new Node("From");
      const to = new Node("To");
      tree.root.addChild(from);
      tree.root.addChild(to);
      const node = client(`ws://127.0.0.1:${port}/`, { reconnectDelay: 60 });
      from.addChild(node);
      const log = record(node);
      node.openConnection();
      // Refused: the retry waits a minute on the (fake) clock, and sends are queued meanwhile.
      await until(() => names(log).includes("reconnecting"), 5000, "the retry to be scheduled");
      expect(node.sendText("one")).toBe(ErrorCode.OK);
      expect(node.send(Uint8Array.from([50]))).toBe(ErrorCode.OK);
      expect(node.sendText("three")).toBe(ErrorCode.OK);
      expect(node.queuedSendCount).toBe(3);
      const server = await fx.wsServer({ port });

      node.reparent(to);
      expect(node.getParent()).toBe(to);
      expect(node.queuedSendCount).toBe(3); // carried over, and a connection is under way again
      expect(node.connectionState).toBe(CONNECTING);
      expect(node.sendText("four")).toBe(ErrorCode.OK);
      await until(() => server.received.length === 4, 5000, "every message");
      expect(server.received).toEqual([
        { text: "one", isBinary: false },
        { text: "2", isBinary: true },
        { text: "three", isBinary: false },
        { text: "four", isBinary: false },
      ]);
      await delay(20);
      expect(names(log)).not.toContain("sendRefused");
      expect(fx.errors).toEqual([]);
    });

    test("an open connection is opened again after reparent() (1001, then a new connection)", async () => {
      const server = await fx.wsServer();
      const { tree } = fx.tree();
      const other = new Node("Other");
      tree.root.addChild(other);
      const node = client(server.url);
      tree.root.addChild(node);
      node.openConnection();
      await until(() => node.isOpen);
      node.reparent(other);
      await until(() => node.isOpen && server.sockets.length === 1, 5000, "the new connection");
      await until(() => server.closes.length === 1, 2000, "the server to see the old one close");
      expect(server.closes).toEqual([{ code: 1001, reason: "Going Away" }]);
      node.sendText("after");
      await until(() => server.received.length === 1);
    });

    test("leaving the tree for good refuses every queued message at the end of that turn, in order", async () => {
      const silent = await startSilentTcpServer();
      fx.onCleanup(() => silent.close());
      const { tree, clock } = fx.tree();
      const node = client(silent.url);
      tree.root.addChild(node);
      const log = record(node);
      node.openConnection(); // never opens: the server does not answer the upgrade
      node.sendText("a");
      node.send(Uint8Array.from([98]));
      tree.root.removeChild(node);
      expect(names(log)).toEqual(["connectionStateChanged"]); // it might still be re-entering
      expect(node.queuedSendCount).toBe(2);
      await Promise.resolve();
      expect(log.slice(1)).toEqual([
        ["sendRefused", "a", "the node left the scene tree"],
        ["sendRefused", "b", "the node left the scene tree"],
      ]);
      expect(node.queuedSendCount).toBe(0);
      expect(clock.pendingCount).toBe(0);

      // Added again later: autoReconnect is still on, so it connects, with nothing left to send.
      tree.root.addChild(node);
      expect(node.connectionState).toBe(CONNECTING);
      expect(node.queuedSendCount).toBe(0);
      node.free();
    });

    test("free() refuses the queue at once, also right after leaving the tree", async () => {
      const silent = await startSilentTcpServer();
      fx.onCleanup(() => silent.close());
      const { tree } = fx.tree();
      for (const leaveFirst of [false, true]) {
        const node = client(silent.url);
        tree.root.addChild(node);
        const log = record(node);
        node.openConnection();
        node.sendText("x");
        node.sendText("y");
        if (leaveFirst) tree.root.removeChild(node);
        node.free();
        expect({ leaveFirst, log: log.filter((e) => e[0] === "sendRefused") }).toEqual({
          leaveFirst,
          log: [
            ["sendRefused", "x", "the node was freed"],
            ["sendRefused", "y", "the node was freed"],
          ],
        });
        await Promise.resolve();
        expect(log.filter((e) => e[0] === "sendRefused")).toHaveLength(2);
      }
    });
  });

  describe("any duration means that duration", () => {
    const DAYS_30 = 30 * 24 * 3600;

    test("a 30-day connectTimeout and reconnectDelay wait 30 days on the clock, to the millisecond", async () => {
      const silent = await startSilentTcpServer();
      fx.onCleanup(() => silent.close());
      const { tree, clock } = fx.tree();
      const node = client(silent.url, {
        connectTimeout: DAYS_30,
        reconnectDelay: DAYS_30,
        reconnectDelayMax: DAYS_30,
      });
      tree.root.addChild(node);
      const log = record(node);
      node.openConnection();
      await until(() => silent.accepted.length === 1);
      clock.advance(DAYS_30 * 1000 - 1);
      expect(names(log)).toEqual(["connectionStateChanged"]);
      clock.advance(1);
      expect(log.find((e) => e[0] === "connectFailed")).toEqual([
        "connectFailed",
        expect.stringMatching(/connect timeout/),
        0,
      ]);
      expect(log.at(-1)).toEqual(["reconnecting", 1, DAYS_30]);
      const connecting = () =>
        log.filter((e) => e[0] === "connectionStateChanged" && e[1] === CONNECTING).length;
      clock.advance(DAYS_30 * 1000 - 1);
      expect(connecting()).toBe(1);
      clock.advance(1);
      expect(connecting()).toBe(2);
      node.free();
    });

    test("with the real clock: a 30-day connectTimeout does not fire at once, waitConnectionEstablished(Infinity) waits", async () => {
      const silent = await startSilentTcpServer();
      fx.onCleanup(() => silent.close());
      const { tree } = fx.tree({ clock: new SystemClock() });
      const node = client(silent.url, { connectTimeout: DAYS_30 });
      tree.root.addChild(node);
      const log = record(node);
      node.openConnection();
      let settled: unknown = "pending";
      const wait = node.waitConnectionEstablished(Infinity).then(
        () => (settled = "resolved"),
        (error: unknown) => (settled = error),
      );
      await delay(100); // setTimeout would have clamped both to 1 ms
      expect(settled).toBe("pending");
      expect(names(log)).toEqual(["connectionStateChanged"]);
      expect(node.connectionState).toBe(CONNECTING);
      node.close();
      await wait;
      expect(settled).toMatchObject({ code: "ERR_CLOSED" });
    });

    test("with the real clock: a 30-day reconnectDelay is no reconnect storm", async () => {
      const port = await unusedPort();
      const { tree } = fx.tree({ clock: new SystemClock() });
      const node = client(`ws://127.0.0.1:${port}/`, { reconnectDelay: DAYS_30, reconnectDelayMax: DAYS_30 });
      tree.root.addChild(node);
      const log = record(node);
      node.openConnection();
      await until(() => names(log).includes("reconnecting"), 5000, "the retry to be scheduled");
      await delay(100);
      expect(log.filter((e) => e[0] === "connectionStateChanged" && e[1] === CONNECTING)).toHaveLength(1);
      expect(log.filter((e) => e[0] === "reconnecting")).toEqual([["reconnecting", 1, DAYS_30]]);
      node.close();
    });
  });

  test("TLS material that cannot be used: connectFailed once, no retry, no timer", () => {
    const { tree, clock } = fx.tree();
    const node = client("wss://127.0.0.1:1/", { tls: { ca: "not a certificate" } });
    tree.root.addChild(node);
    const log = record(node);
    expect(node.openConnection()).toBe(ErrorCode.ERR_INVALID_PARAMETER);
    expect(log).toEqual([
      ["connectFailed", expect.stringMatching(/TLS configuration: tls\.ca holds no PEM certificate/), 0],
    ]);
    expect(node.reconnectPending).toBe(false);
    expect(clock.pendingCount).toBe(0);
    clock.advance(3_600_000);
    expect(log).toHaveLength(1);
  });
});

describe("errors in users' code around a WebsocketClient", () => {
  test("async _ready awaiting a server that is down: the rejection is reported, the tree keeps running and quits cleanly", async () => {
    const port = await unusedPort();
    const { tree, clock } = fx.tree();
    const log: string[] = [];
    class Bot extends Node {
      readonly client = client(`ws://127.0.0.1:${port}/`, { autoReconnect: true });
      constructor() {
        super("Bot");
        this.addChild(this.client);
      }
      override async _ready() {
        await this.client.waitConnectionEstablished(5);
        log.push("connected");
      }
      override _exitTree() {
        log.push("exitTree");
      }
    }
    tree.root.addChild(new Bot());
    await delay(20); // the first attempt is refused meanwhile; retries wait on the test clock
    clock.advance(5000);
    await until(() => fx.errors.length === 1, 2000, "the rejection reported");
    expect(fx.errors[0]).toMatchObject({ nodePath: "/root/Bot", callback: "_ready" });
    expect((fx.errors[0].cause as ConnectionWaitError).code).toBe("ERR_TIMEOUT");
    tree.step(FRAME);
    tree.quit();
    tree.step(FRAME);
    expect(tree.isFinalized()).toBe(true);
    expect(log).toEqual(["exitTree"]);
    expect(fx.errors).toHaveLength(1);
  });

  test("a throwing messageReceived handler with fatalErrors: thrown out of the next step(), never uncaught", async () => {
    const server = await fx.wsServer();
    const { tree } = fx.tree({ fatalErrors: true });
    const node = client(server.url);
    const seen: string[] = [];
    node.connect("messageReceived", (message: Buffer) => {
      seen.push(message.toString());
      if (message.toString() === "boom") throw new Error("handler bug");
    });
    tree.root.addChild(node);
    node.openConnection();
    await until(() => node.isOpen, 2000, "open");
    node.sendText("boom");
    node.sendText("after");
    await until(() => seen.length === 2, 2000, "both messages");
    expect(seen).toEqual(["boom", "after"]); // the connection did not stall
    expect(() => tree.step(FRAME)).toThrow(UserCallbackError);
    expect(() => tree.step(FRAME)).not.toThrow();
    expect(node.isOpen).toBe(true);
  });
});
