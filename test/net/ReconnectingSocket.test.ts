import WebSocket from "ws";
import { TestClock } from "../../src/core/clock";
import { ErrorCode } from "../../src/core/ErrorCode";
import { ReconnectingSocket, type ReconnectingSocketOptions } from "../../src/net/ReconnectingSocket";
import { WebSocketPeerState } from "../../src/net/WebSocketPeer";
import { recordEvents } from "../helpers/netEvents";
import {
  delay,
  makeSelfSignedCertificate,
  startSilentTcpServer,
  startWsServer,
  unusedPort,
  until,
  wsReadyState,
  type SilentTcpServer,
  type TestWsServer,
} from "../helpers/netServers";

const { CONNECTING, OPEN, CLOSING, CLOSED } = WebSocketPeerState;

const servers: { close(): Promise<void> }[] = [];
const sockets: ReconnectingSocket[] = [];

async function wsServer(options: Parameters<typeof startWsServer>[0] = {}): Promise<TestWsServer> {
  const server = await startWsServer(options);
  servers.push(server);
  return server;
}

async function silentServer(): Promise<SilentTcpServer> {
  const server = await startSilentTcpServer();
  servers.push(server);
  return server;
}

function newSocket(options: Partial<ReconnectingSocketOptions>): ReconnectingSocket {
  const socket = new ReconnectingSocket(options);
  sockets.push(socket);
  return socket;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.dispose();
  for (const server of servers.splice(0)) await server.close();
});

describe("ReconnectingSocket", () => {
  test("open, echo and close: every event, in order, with the state already readable", async () => {
    const server = await wsServer();
    const clock = new TestClock();
    const socket = newSocket({ url: server.url, clock });
    const log = recordEvents(socket, clock);

    expect(socket.open()).toBe(ErrorCode.OK);
    expect(socket.state).toBe(CONNECTING); // the first try starts at once
    await until(() => socket.isOpen, 2000, "open");
    expect(socket.send("text")).toBe(ErrorCode.OK);
    expect(socket.send(Uint8Array.from([1, 2]))).toBe(ErrorCode.OK);
    await until(() => log.count("message") === 2, 2000, "echoes");
    expect(socket.close(4001, "bye")).toBe(ErrorCode.OK);
    await until(() => socket.isClosed, 2000, "closed");

    expect(log.events).toEqual([
      ["stateChanged", CONNECTING],
      ["stateChanged", OPEN],
      ["open", server.url],
      ["message", "text", true],
      ["message", "\x01\x02", false],
      ["stateChanged", CLOSING],
      ["closing"],
      ["stateChanged", CLOSED],
      ["close", 4001, "bye", true],
    ]);
    // CLOSED comes once both close frames are exchanged; the server sees the TCP end a moment later.
    await until(() => server.closes.length === 1, 2000, "the server to see the close");
    expect(server.closes).toEqual([{ code: 4001, reason: "bye" }]);
    expect(clock.pendingCount).toBe(0);
    expect(socket.reconnectPending).toBe(false);
  });

  test("server gone for good: first try at once, then capped, jittered delays measured on the clock", async () => {
    const port = await unusedPort();
    const clock = new TestClock();
    const randoms = [0.5, 0, 0.25, 0.75, 0.5, 0.125];
    let next = 0;
    const socket = newSocket({
      url: `ws://127.0.0.1:${port}/`,
      clock,
      reconnectDelay: 1,
      reconnectDelayMax: 4,
      reconnectJitter: 0.5,
      random: () => randoms[next++],
    });
    const log = recordEvents(socket, clock);
    socket.open();
    expect(log.events).toEqual([["stateChanged", CONNECTING]]);

    const expected = [0.75, 2, 3.5, 2.5, 3, 3.75]; // base 1, 2, 4(cap), 4, 4, 4 × (1 - 0.5 · random)
    for (let attempt = 1; attempt <= expected.length; attempt++) {
      await until(() => log.count("reconnectScheduled") === attempt, 2000, `retry ${attempt}`);
      expect(log.of("reconnectScheduled")[attempt - 1]).toEqual([
        "reconnectScheduled",
        attempt,
        expected[attempt - 1],
      ]);
      expect(socket.state).toBe(CLOSED);
      expect(socket.reconnectPending).toBe(true);
      const failedAt = clock.now();
      const connecting = log.count("stateChanged");
      clock.advance(expected[attempt - 1] * 1000 - 1);
      expect(log.count("stateChanged")).toBe(connecting); // not a millisecond early
      clock.advance(1);
      expect(log.events.at(-1)).toEqual(["stateChanged", CONNECTING]);
      expect(clock.now() - failedAt).toBe(expected[attempt - 1] * 1000);
    }
    // Each failed attempt: CLOSED, connectFailed (refused), close(-1, reason, false), reconnectScheduled.
    const firstFailure = log.events.slice(1, 5);
    expect(firstFailure[0]).toEqual(["stateChanged", CLOSED]);
    expect(firstFailure[1]).toEqual(["connectFailed", expect.stringMatching(/ECONNREFUSED/), 0]);
    expect(firstFailure[2]).toEqual(["close", -1, expect.stringMatching(/ECONNREFUSED/), false]);
    expect(firstFailure[3][0]).toBe("reconnectScheduled");
  });

  test("close() while a retry waits cancels it: no reconnect, no timer left; open() works again", async () => {
    const port = await unusedPort();
    const clock = new TestClock();
    const socket = newSocket({ url: `ws://127.0.0.1:${port}/`, clock });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => log.count("reconnectScheduled") === 1);
    expect(log.of("reconnectScheduled")[0]).toEqual(["reconnectScheduled", 1, 1]);

    expect(socket.close()).toBe(ErrorCode.OK);
    expect(socket.reconnectPending).toBe(false);
    expect(clock.pendingCount).toBe(0);
    const before = log.events.length;
    clock.advance(120_000);
    await delay(20);
    expect(log.events.length).toBe(before);

    expect(socket.open()).toBe(ErrorCode.OK);
    expect(log.events.at(-1)).toEqual(["stateChanged", CONNECTING]);
    await until(() => log.count("reconnectScheduled") === 2);
    expect(log.of("reconnectScheduled")[1]).toEqual(["reconnectScheduled", 1, 1]); // a fresh streak
  });

  test("server restart: reconnects by itself and delivers queued messages once, in order, before later sends", async () => {
    const first = await wsServer();
    const clock = new TestClock();
    const socket = newSocket({ url: first.url, clock });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => socket.isOpen);
    await first.close();
    await until(() => log.count("reconnectScheduled") === 1, 2000, "the drop");
    expect(log.of("close")[0]).toEqual(["close", -1, expect.any(String), true]);
    expect(log.of("closing")).toHaveLength(1);

    expect(socket.send("q1")).toBe(ErrorCode.OK);
    expect(socket.send(Buffer.from("q2"))).toBe(ErrorCode.OK);
    expect(socket.send("q3")).toBe(ErrorCode.OK);
    expect(socket.queuedSendCount).toBe(3);

    const second = await wsServer({ port: first.port });
    socket.on("open", () => socket.send("after-open"));
    clock.advance(1000); // the first retry after a short-lived connection waits reconnectDelay
    await until(() => second.received.length === 4, 2000, "4 messages on the new server");
    await delay(20);
    expect(second.received).toEqual([
      { text: "q1", isBinary: false },
      { text: "q2", isBinary: true },
      { text: "q3", isBinary: false },
      { text: "after-open", isBinary: false },
    ]);
    expect(first.received).toEqual([]);
    expect(socket.queuedSendCount).toBe(0);
    expect(log.count("open")).toBe(2);
  });

  test("a full send queue refuses visibly; close() refuses what was still queued", async () => {
    const tcp = await silentServer();
    const socket = newSocket({ url: tcp.url, clock: new TestClock(), sendQueueLimit: 2 });
    const log = recordEvents(socket);
    socket.open(); // stays CONNECTING: the server never answers the upgrade
    expect(socket.send("a")).toBe(ErrorCode.OK);
    expect(socket.send("b")).toBe(ErrorCode.OK);
    expect(socket.send("c")).toBe(ErrorCode.ERR_BUSY);
    expect(log.of("sendRefused")).toEqual([["sendRefused", "c", expect.stringMatching(/queue full/)]]);

    socket.close();
    expect(log.of("sendRefused").map((event) => event[1])).toEqual(["c", "a", "b"]);
    expect(socket.send("d")).toBe(ErrorCode.ERR_UNCONFIGURED);
    expect(log.of("sendRefused").at(-1)).toEqual([
      "sendRefused",
      "d",
      expect.stringMatching(/not connected/),
    ]);
  });

  test("sending on a socket that will never connect is refused, never dropped", async () => {
    const server = await wsServer({ onConnection: (ws) => setTimeout(() => ws.close(4000, "go"), 5) });
    const socket = newSocket({ url: server.url, clock: new TestClock(), autoReconnect: false });
    const log = recordEvents(socket);
    expect(socket.send("too early")).toBe(ErrorCode.ERR_UNCONFIGURED);
    socket.open();
    await until(() => log.count("close") === 1);
    expect(log.of("close")[0]).toEqual(["close", 4000, "go", true]);
    expect(log.count("reconnectScheduled")).toBe(0);
    expect(socket.send("too late")).toBe(ErrorCode.ERR_UNCONFIGURED);
    expect(log.of("sendRefused").map((event) => event[1])).toEqual(["too early", "too late"]);
  });

  test("connectTimeout abandons a socket stuck in CONNECTING (server accepts TCP, never upgrades)", async () => {
    const tcp = await silentServer();
    const clock = new TestClock();
    const socket = newSocket({ url: tcp.url, clock, connectTimeout: 2 });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => tcp.accepted.length === 1, 2000, "the TCP connection");
    await delay(10);
    clock.advance(1999);
    expect(socket.state).toBe(CONNECTING);
    expect(log.count("connectFailed")).toBe(0);

    clock.advance(1);
    expect(log.events.slice(1)).toEqual([
      ["stateChanged", CLOSED],
      ["connectFailed", "connect timeout: no answer within 2 s", 0],
      ["close", -1, "connect timeout: no answer within 2 s", false],
      ["reconnectScheduled", 1, 1],
    ]);
    await until(() => tcp.accepted[0].destroyed, 2000, "the abandoned socket to close");
    clock.advance(1000);
    await until(() => tcp.accepted.length === 2, 2000, "the retry");
    expect(socket.state).toBe(CONNECTING);
  });

  test("maxReconnectAttempts: gives up after that many retries, refuses what was queued, leaves no timer", async () => {
    const port = await unusedPort();
    const clock = new TestClock();
    const socket = newSocket({ url: `ws://127.0.0.1:${port}/`, clock, maxReconnectAttempts: 2 });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => log.count("reconnectScheduled") === 1);
    expect(socket.send("pending")).toBe(ErrorCode.OK);
    clock.advance(1000);
    await until(() => log.count("reconnectScheduled") === 2);
    clock.advance(2000);
    await until(() => log.count("reconnectGaveUp") === 1, 2000, "giving up");

    expect(log.of("reconnectScheduled")).toEqual([
      ["reconnectScheduled", 1, 1],
      ["reconnectScheduled", 2, 2],
    ]);
    expect(log.count("connectFailed")).toBe(3); // the first try and two retries
    expect(log.events.slice(-4).map((event) => event[0])).toEqual([
      "connectFailed",
      "close",
      "reconnectGaveUp",
      "sendRefused",
    ]);
    expect(log.of("reconnectGaveUp")[0]).toEqual(["reconnectGaveUp", 2]);
    expect(log.of("sendRefused")[0]).toEqual(["sendRefused", "pending", expect.stringMatching(/gave up/)]);
    expect(clock.pendingCount).toBe(0);
    expect(socket.reconnectPending).toBe(false);
    expect(socket.send("x")).toBe(ErrorCode.ERR_UNCONFIGURED);
  });

  test("minUptime: the attempt counter resets only after a connection stayed open that long", async () => {
    const server = await wsServer();
    const clock = new TestClock();
    const socket = newSocket({ url: server.url, clock, minUptime: 5 });
    const log = recordEvents(socket, clock);
    const dropAndAwaitRetry = async (retries: number): Promise<unknown[]> => {
      const serverSide = await server.nextConnection();
      await until(() => socket.isOpen, 2000, "open");
      serverSide.terminate();
      await until(() => log.count("reconnectScheduled") === retries, 2000, `retry ${retries}`);
      return log.of("reconnectScheduled")[retries - 1];
    };

    socket.open();
    expect(await dropAndAwaitRetry(1)).toEqual(["reconnectScheduled", 1, 1]); // dropped at once: back off
    clock.advance(1000);
    expect(await dropAndAwaitRetry(2)).toEqual(["reconnectScheduled", 2, 2]); // still unstable
    clock.advance(2000);
    const serverSide = await server.nextConnection();
    await until(() => socket.isOpen);
    clock.advance(5000); // stable now
    serverSide.terminate();
    await until(() => log.count("reconnectScheduled") === 3);
    expect(log.of("reconnectScheduled")[2]).toEqual(["reconnectScheduled", 1, 0]); // streak reset: at once
    const scheduledAt = log.events.lastIndexOf(log.of("reconnectScheduled")[2]);
    expect(log.events[scheduledAt + 1]).toEqual(["stateChanged", CONNECTING]);
    expect(log.times[scheduledAt + 1]).toBe(log.times[scheduledAt]); // no clock time passed
    await until(() => socket.isOpen, 2000, "the immediate reconnect");
  });

  test("dispose() closes with 1001 Going Away, cancels everything and emits nothing further", async () => {
    const server = await wsServer();
    const clock = new TestClock();
    const socket = newSocket({ url: server.url, clock, heartbeatInterval: 1 });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => socket.isOpen);
    const before = log.events.length;
    socket.dispose();
    await until(() => server.closes.length === 1, 2000, "the server to see the close");
    expect(server.closes[0]).toEqual({ code: 1001, reason: "Going Away" });
    await delay(20);
    expect(log.events.length).toBe(before);
    expect(clock.pendingCount).toBe(0);
    expect(socket.listenerCount("message")).toBe(0);
    expect(socket.open()).toBe(ErrorCode.ERR_UNAVAILABLE);
    expect(socket.send("x")).toBe(ErrorCode.ERR_UNAVAILABLE);
  });

  test("dispose() during a pending retry leaves no timer", async () => {
    const port = await unusedPort();
    const clock = new TestClock();
    const socket = newSocket({ url: `ws://127.0.0.1:${port}/`, clock });
    const log = recordEvents(socket);
    socket.open();
    await until(() => log.count("reconnectScheduled") === 1);
    socket.dispose();
    expect(clock.pendingCount).toBe(0);
  });

  test('dispatch "frame": nothing is emitted until poll(), which honours maxMessages and keeps order', async () => {
    const server = await wsServer({
      onConnection: (ws) => {
        for (let i = 1; i <= 5; i++) ws.send(`m${i}`);
        setTimeout(() => ws.close(4000, "done"), 30);
      },
    });
    const clock = new TestClock();
    const socket = newSocket({ url: server.url, clock, dispatch: "frame" });
    const log = recordEvents(socket, clock);
    socket.open();
    await server.nextConnection();
    // Wait until ws itself has seen the whole connection, close included (nothing is polled yet).
    const peer = socket.currentPeer;
    await until(() => wsReadyState(peer) === WebSocket.CLOSED, 10_000, "ws to see the close");
    expect(log.events).toEqual([]);
    expect(socket.state).toBe(CLOSED);

    socket.poll(2);
    expect(log.events).toEqual([
      ["stateChanged", CONNECTING],
      ["stateChanged", OPEN],
      ["open", server.url],
      ["message", "m1", true],
      ["message", "m2", true],
    ]);
    socket.poll(2);
    expect(log.events.slice(5)).toEqual([
      ["message", "m3", true],
      ["message", "m4", true],
    ]);
    socket.poll(1); // the last message first; the close it preceded follows in the same poll
    expect(log.events.slice(7)).toEqual([
      ["message", "m5", true],
      ["closing"],
      ["stateChanged", CLOSED],
      ["close", 4000, "done", true],
      ["reconnectScheduled", 1, 1],
    ]);
    clock.advance(1000);
    expect(log.events).toHaveLength(12); // the retry is due, but frame mode waits for poll()
    expect(socket.state).toBe(CLOSED);
    socket.poll();
    expect(log.events.at(-1)).toEqual(["stateChanged", CONNECTING]);
  });

  test("receiveLimit caps messages per frame with immediate dispatch too", async () => {
    const server = await wsServer({
      onConnection: (ws) => ["a", "b", "c", "d", "e"].forEach((m) => ws.send(m)),
    });
    const socket = newSocket({ url: server.url, clock: new TestClock(), receiveLimit: 2 });
    const log = recordEvents(socket);
    socket.open();
    await until(() => log.count("message") === 2);
    // The other three are in, waiting for the next frame's budget.
    await until(() => socket.currentPeer?.getQueuedBytes() === 3, 10_000, "the rest to arrive");
    expect(log.count("message")).toBe(2);
    socket.poll();
    expect(log.of("message").map((event) => event[1])).toEqual(["a", "b", "c", "d"]);
    socket.poll();
    expect(log.of("message").map((event) => event[1])).toEqual(["a", "b", "c", "d", "e"]);
  });

  test("a throwing listener does not corrupt the socket: the next poll carries on in order", async () => {
    const server = await wsServer({ onConnection: (ws) => ["a", "b", "c"].forEach((m) => ws.send(m)) });
    const socket = newSocket({ url: server.url, clock: new TestClock(), dispatch: "frame" });
    const seen: string[] = [];
    socket.on("message", (data) => {
      seen.push(data.toString());
      if (data.toString() === "a") throw new Error("listener bug");
    });
    socket.open();
    await server.nextConnection();
    await until(() => socket.currentPeer?.getQueuedBytes() === 3, 10_000, "all three messages");
    expect(() => socket.poll()).toThrow("listener bug");
    expect(socket.state).toBe(OPEN);
    socket.poll();
    expect(seen).toEqual(["a", "b", "c"]);
    expect(socket.send("still works")).toBe(ErrorCode.OK);
  });

  test("immediate dispatch: work a message listener causes runs after it returns, never nested", async () => {
    const server = await wsServer({
      echo: false,
      onConnection: (ws) => ["a", "b"].forEach((m) => ws.send(m)),
    });
    const socket = newSocket({ url: server.url, clock: new TestClock() });
    const log = recordEvents(socket);
    let insideListener = false;
    const nested: string[] = [];
    socket.on("stateChanged", (state) => {
      if (insideListener) nested.push(`stateChanged(${state})`);
    });
    socket.on("message", (data) => {
      insideListener = true;
      if (data.toString() === "a") socket.close(4002, "enough");
      insideListener = false;
    });
    socket.open();
    await until(() => log.count("close") === 1, 2000, "close");
    expect(nested).toEqual([]);
    const names = log.events.map((event) => event[0] + (event[0] === "stateChanged" ? event[1] : ""));
    expect(names.slice(0, 4)).toEqual(["stateChanged0", "stateChanged1", "open", "message"]);
    expect(names.indexOf("stateChanged2")).toBeGreaterThan(names.indexOf("message"));
    expect(log.of("close")[0]).toEqual(["close", 4002, "enough", true]);
  });

  test("open() while the previous connection is closing reconnects right after it closed", async () => {
    const server = await wsServer();
    const socket = newSocket({ url: server.url, clock: new TestClock() });
    const log = recordEvents(socket);
    socket.open();
    await until(() => socket.isOpen);
    socket.close();
    expect(socket.open()).toBe(ErrorCode.OK);
    await until(() => log.count("open") === 2, 2000, "the second open");
    expect(log.events.map((event) => event[0] + (event[0] === "stateChanged" ? event[1] : ""))).toEqual([
      "stateChanged0",
      "stateChanged1",
      "open",
      "stateChanged2",
      "closing",
      "stateChanged3",
      "close",
      "stateChanged0",
      "stateChanged1",
      "open",
    ]);
  });

  test("a silent peer caught by the heartbeat is dropped and reconnected", async () => {
    const server = await wsServer();
    const clock = new TestClock();
    const socket = newSocket({ url: server.url, clock, heartbeatInterval: 1 });
    const log = recordEvents(socket);
    socket.open();
    const serverSide = await server.nextConnection();
    await until(() => socket.isOpen);
    serverSide.pause(); // reads nothing, so answers no ping
    clock.advance(1000);
    clock.advance(1000);
    expect(log.of("close")).toEqual([["close", -1, expect.stringMatching(/heartbeat/), true]]);
    expect(log.of("reconnectScheduled")).toEqual([["reconnectScheduled", 1, 1]]);
    serverSide.terminate();
  });

  test("a bad URL fails at open() with a reason and schedules nothing", () => {
    const clock = new TestClock();
    const socket = newSocket({ url: "localhost:8080", clock });
    const log = recordEvents(socket);
    expect(socket.open()).toBe(ErrorCode.ERR_INVALID_PARAMETER);
    expect(log.events).toEqual([["connectFailed", expect.stringMatching(/scheme|invalid URL/), 0]]);
    expect(clock.pendingCount).toBe(0);
    expect(socket.close(999)).toBe(ErrorCode.ERR_INVALID_PARAMETER);
  });

  test("passes TLS options through: wss with the self-signed CA given", async () => {
    const certificate = makeSelfSignedCertificate();
    const server = await wsServer({ tls: certificate });
    const socket = newSocket({ url: server.url, clock: new TestClock(), tls: { ca: certificate.cert } });
    const log = recordEvents(socket);
    socket.open();
    await until(() => socket.isOpen, 2000, "wss open");
    socket.send("over tls");
    await until(() => log.count("message") === 1);
    expect(log.of("message")[0]).toEqual(["message", "over tls", true]);
  });

  describe("bounds and configuration errors", () => {
    test("sendQueueByteLimit bounds the queue in bytes (UTF-8); one message always fits an empty queue", async () => {
      const tcp = await silentServer();
      const socket = newSocket({ url: tcp.url, clock: new TestClock(), sendQueueByteLimit: 10 });
      const log = recordEvents(socket);
      socket.open();
      expect(socket.send("€€")).toBe(ErrorCode.OK); // 6 bytes of UTF-8, 2 UTF-16 units
      expect(socket.queuedSendBytes).toBe(6);
      expect(socket.send(Buffer.alloc(5))).toBe(ErrorCode.ERR_BUSY);
      expect(socket.send(Buffer.alloc(4))).toBe(ErrorCode.OK);
      expect(socket.queuedSendBytes).toBe(10);
      expect(log.of("sendRefused")).toEqual([
        ["sendRefused", "\0\0\0\0\0", expect.stringMatching(/send queue full \(10 bytes\)/)],
      ]);
      socket.close();
      expect(socket.queuedSendBytes).toBe(0);

      const big = newSocket({ url: tcp.url, clock: new TestClock(), sendQueueByteLimit: 10 });
      big.open();
      expect(big.send(Buffer.alloc(100))).toBe(ErrorCode.OK);
      expect(big.send(Buffer.alloc(1))).toBe(ErrorCode.ERR_BUSY);
    });

    test("a server that does not read: send() refuses with ERR_OUT_OF_MEMORY and sendRefused, the link stays up", async () => {
      const server = await wsServer({
        echo: false,
        onConnection: (ws) => (ws as unknown as { _socket: import("node:net").Socket })._socket.pause(),
      });
      const limit = 256 * 1024;
      const socket = newSocket({ url: server.url, clock: new TestClock(), outboundBufferSize: limit });
      const log = recordEvents(socket);
      socket.open();
      await until(() => socket.isOpen);
      const chunk = Buffer.alloc(64 * 1024);
      let result = ErrorCode.OK;
      for (let i = 0; i < 4000 && result === ErrorCode.OK; i++) result = socket.send(chunk);
      expect(result).toBe(ErrorCode.ERR_OUT_OF_MEMORY);
      expect(log.of("sendRefused")).toEqual([
        ["sendRefused", expect.any(String), expect.stringMatching(/outbound buffer full.*not reading/)],
      ]);
      expect(socket.currentPeer!.getCurrentOutboundBufferedAmount()).toBeLessThanOrEqual(limit);
      expect(socket.isOpen).toBe(true);
    });

    test("TLS material that cannot be used: one connectFailed, no retry, no timer", () => {
      const clock = new TestClock();
      const socket = newSocket({ url: "wss://127.0.0.1:1/", clock, tls: { ca: "not a certificate" } });
      const log = recordEvents(socket);
      expect(socket.open()).toBe(ErrorCode.ERR_INVALID_PARAMETER);
      expect(log.events).toEqual([["connectFailed", expect.stringMatching(/TLS configuration: tls\.ca/), 0]]);
      expect(socket.reconnectPending).toBe(false);
      expect(socket.connectionWanted).toBe(false);
      expect(clock.pendingCount).toBe(0);
    });

    test("TLS material made unusable between retries ends the retrying: connectFailed, queue refused", async () => {
      const port = await unusedPort();
      const clock = new TestClock();
      const socket = newSocket({ url: `wss://127.0.0.1:${port}/`, clock, reconnectDelay: 1 });
      const log = recordEvents(socket);
      socket.open(); // refused: a network failure, which is retried
      await until(() => log.count("reconnectScheduled") === 1);
      expect(socket.send("queued")).toBe(ErrorCode.OK);
      socket.tls = { cert: "garbage", key: "garbage" };
      const failedBefore = log.count("connectFailed");
      clock.advance(60_000);
      expect(log.count("connectFailed")).toBe(failedBefore + 1);
      expect(log.of("connectFailed").at(-1)).toEqual([
        "connectFailed",
        expect.stringMatching(/TLS configuration/),
        0,
      ]);
      expect(log.of("sendRefused")).toEqual([
        ["sendRefused", "queued", expect.stringMatching(/cannot be attempted/)],
      ]);
      expect(socket.reconnectPending).toBe(false);
      expect(clock.pendingCount).toBe(0);
      clock.advance(3_600_000);
      expect(log.count("connectFailed")).toBe(failedBefore + 1);
    });

    test("takeQueuedMessages hands the queue over unrefused; dispose() refuses whatever is still queued", async () => {
      const tcp = await silentServer();
      const socket = newSocket({ url: tcp.url, clock: new TestClock() });
      const log = recordEvents(socket);
      socket.open();
      socket.send("a");
      socket.send(Uint8Array.from([98]));
      expect(socket.takeQueuedMessages()).toEqual([
        { data: "a", isText: true },
        { data: Buffer.from("b"), isText: false },
      ]);
      expect(socket.queuedSendCount).toBe(0);
      expect(socket.queuedSendBytes).toBe(0);
      expect(log.count("sendRefused")).toBe(0);
      socket.send("c");
      socket.dispose();
      expect(log.of("sendRefused")).toEqual([["sendRefused", "c", "the socket was disposed"]]);
    });
  });

  test("wiring with the real clock: reconnects after a server restart", async () => {
    const first = await wsServer();
    const socket = newSocket({ url: first.url, reconnectDelay: 0.05 });
    const log = recordEvents(socket);
    socket.open();
    await until(() => socket.isOpen);
    await first.close();
    await wsServer({ port: first.port });
    await until(() => log.count("open") === 2, 3000, "the reconnect");
  });
});
