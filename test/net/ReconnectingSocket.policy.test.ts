import * as http from "node:http";
import type * as net from "node:net";
import { TestClock } from "../../src/core/clock";
import { ErrorCode } from "../../src/core/ErrorCode";
import { ReconnectingSocket, type ReconnectingSocketOptions } from "../../src/net/ReconnectingSocket";
import { WebSocketPeerState } from "../../src/net/WebSocketPeer";
import { recordEvents } from "../helpers/netEvents";
import { startRefusingServer, type RefusingServer } from "../helpers/httpServers";
import { delay, startWsServer, until, type TestWsServer } from "../helpers/netServers";

const { CONNECTING, CLOSED } = WebSocketPeerState;

const closers: { close(): Promise<void> }[] = [];
const sockets: ReconnectingSocket[] = [];

async function wsServer(options: Parameters<typeof startWsServer>[0] = {}): Promise<TestWsServer> {
  const server = await startWsServer(options);
  closers.push(server);
  return server;
}

async function refusing(status: number): Promise<RefusingServer> {
  const server = await startRefusingServer(status);
  closers.push(server);
  return server;
}

function newSocket(options: Partial<ReconnectingSocketOptions>): ReconnectingSocket {
  const socket = new ReconnectingSocket(options);
  sockets.push(socket);
  return socket;
}

/** Resolves (or rejects) when the test says so: a provider whose answer the test controls. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.dispose();
  for (const closer of closers.splice(0)) await closer.close();
});

describe("ReconnectingSocket: a handshake refused with an HTTP status", () => {
  test.each([401, 403, 404])(
    "%i: connectFailed and lastHttpStatus carry it, and nothing retries",
    async (status) => {
      const server = await refusing(status);
      const clock = new TestClock();
      const socket = newSocket({ url: server.url, clock });
      const log = recordEvents(socket, clock);
      socket.open();
      expect(socket.send("queued")).toBe(ErrorCode.OK);
      await until(() => log.count("close") === 1, 10_000, "the refused attempt");
      expect(log.events).toEqual([
        ["stateChanged", CONNECTING],
        ["stateChanged", CLOSED],
        ["connectFailed", `Unexpected server response: ${status}`, status],
        ["close", -1, `Unexpected server response: ${status}`, false],
        ["sendRefused", "queued", "the connection closed and will not reconnect"],
      ]);
      expect(socket.lastHttpStatus).toBe(status);
      expect([socket.connectionWanted, socket.reconnectPending, clock.pendingCount]).toEqual([
        false,
        false,
        0,
      ]);
      expect(server.upgrades.length).toBe(1);
    },
  );

  test.each([503, 429, 408])(
    "%i is retried with backoff, and the next attempt asks again",
    async (status) => {
      const server = await refusing(status);
      const clock = new TestClock();
      const socket = newSocket({ url: server.url, clock });
      const log = recordEvents(socket, clock);
      socket.open();
      await until(() => log.count("reconnectScheduled") === 1, 10_000, "the first retry");
      expect(log.of("connectFailed")).toEqual([
        ["connectFailed", `Unexpected server response: ${status}`, status],
      ]);
      expect(log.of("reconnectScheduled")).toEqual([["reconnectScheduled", 1, 1]]);
      expect(socket.lastHttpStatus).toBe(status);
      clock.advance(1000);
      await until(() => server.upgrades.length === 2, 10_000, "the retry");
    },
  );

  test("a 101 answer refused here (no subprotocol agreed) is 101, and nothing retries: the server would answer the same", async () => {
    const server = await wsServer({ handleProtocols: () => false }); // switches protocols without selecting one
    const clock = new TestClock();
    const socket = newSocket({ url: server.url, clock, protocols: ["v2"] });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => log.count("close") === 1, 10_000, "the refused answer");
    expect(log.of("connectFailed")).toEqual([["connectFailed", "Server sent no subprotocol", 101]]);
    expect(socket.lastHttpStatus).toBe(101);
    expect([socket.connectionWanted, socket.reconnectPending, clock.pendingCount]).toEqual([false, false, 0]);
  });

  test("lastHttpStatus goes back to 0 once an attempt opens", async () => {
    const refuser = await refusing(503);
    const server = await wsServer();
    const clock = new TestClock();
    const urls = [refuser.url, server.url];
    const socket = newSocket({ clock, urlProvider: () => urls.shift() ?? server.url });
    socket.open();
    await until(() => socket.reconnectPending, 10_000, "the refused attempt");
    expect(socket.lastHttpStatus).toBe(503);
    clock.advance(1000);
    await until(() => socket.isOpen, 10_000, "the second attempt to open");
    expect(socket.lastHttpStatus).toBe(0);
  });
});

describe("ReconnectingSocket: the reconnect policy", () => {
  test("shouldReconnect replaces the 4xx rule: asked with (code, reason, httpStatus), true retries", async () => {
    const server = await refusing(401);
    const clock = new TestClock();
    const asked: unknown[][] = [];
    const socket = newSocket({
      url: server.url,
      clock,
      shouldReconnect: (...args) => {
        asked.push(args);
        return asked.length < 2;
      },
    });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => log.count("reconnectScheduled") === 1, 10_000, "the retry of a 401");
    clock.advance(1000);
    await until(() => log.count("close") === 2, 10_000, "the second refusal");
    expect(asked).toEqual([
      [-1, "Unexpected server response: 401", 401],
      [-1, "Unexpected server response: 401", 401],
    ]);
    expect(log.count("reconnectScheduled")).toBe(1); // the second answer was false
    expect(socket.connectionWanted).toBe(false);
  });

  test("after a drop: shouldReconnect sees the close code, and no HTTP status", async () => {
    const server = await wsServer({ onConnection: (ws) => ws.close(4009, "kicked") });
    const clock = new TestClock();
    const asked: unknown[][] = [];
    const socket = newSocket({
      url: server.url,
      clock,
      shouldReconnect: (...args) => {
        asked.push(args);
        return false;
      },
    });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => log.count("close") === 1, 10_000, "the server's close");
    expect(log.of("close")).toEqual([["close", 4009, "kicked", true]]);
    expect(asked).toEqual([[4009, "kicked", 0]]);
    expect([log.count("reconnectScheduled"), socket.connectionWanted, clock.pendingCount]).toEqual([
      0,
      false,
      0,
    ]);
  });

  test("noReconnectCodes ends reconnecting on those codes only, whatever shouldReconnect says", async () => {
    let code = 4002;
    const server = await wsServer({ onConnection: (ws) => ws.close(code, "bye") });
    const clock = new TestClock();
    const socket = newSocket({
      url: server.url,
      clock,
      noReconnectCodes: [4001],
      shouldReconnect: () => true,
    });
    const log = recordEvents(socket, clock);
    socket.open();
    // Open for less than minUptime: the retry waits 1 s on the fake clock, so the count holds still.
    await until(() => log.count("reconnectScheduled") === 1, 10_000, "a retry after 4002");
    code = 4001;
    clock.advance(1000);
    await until(() => log.count("close") === 2, 10_000, "the 4001 close");
    expect(log.of("close").map((event) => event[1])).toEqual([4002, 4001]);
    expect([log.count("reconnectScheduled"), socket.connectionWanted]).toEqual([1, false]);
  });
});

describe("ReconnectingSocket: urlProvider and headersProvider", () => {
  test("sync providers are called before every attempt, and their answers are used", async () => {
    const server = await wsServer({ onConnection: (ws) => ws.close(4000, "again") });
    const seen: { url: string; token: string | string[] | undefined }[] = [];
    server.wss.on("connection", (_ws, req) =>
      seen.push({ url: req.url ?? "", token: req.headers["x-token"] }),
    );
    const clock = new TestClock();
    let attempt = 0;
    const socket = newSocket({
      clock,
      reconnectDelay: 0, // and the default minUptime: each short-lived connection continues the streak
      maxReconnectAttempts: 2,
      urlProvider: () => `${server.url}?attempt=${++attempt}`,
      headersProvider: () => ({ "x-token": `t${attempt}` }),
    });
    const log = recordEvents(socket, clock);
    expect(socket.open()).toBe(ErrorCode.OK);
    await until(() => log.count("reconnectGaveUp") === 1, 10_000, "three attempts");
    expect(seen).toEqual([
      { url: "/?attempt=1", token: "t1" },
      { url: "/?attempt=2", token: "t2" },
      { url: "/?attempt=3", token: "t3" },
    ]);
  });

  test("async providers: CONNECTING at once, the connection once both have answered", async () => {
    const server = await wsServer();
    const headers: (string | string[] | undefined)[] = [];
    server.wss.on("connection", (_ws, req) => headers.push(req.headers.authorization));
    const clock = new TestClock();
    const url = deferred<string>();
    const token = deferred<Record<string, string>>();
    const socket = newSocket({ clock, urlProvider: () => url.promise, headersProvider: () => token.promise });
    const log = recordEvents(socket, clock);
    expect(socket.send("early")).toBe(ErrorCode.ERR_UNCONFIGURED); // nothing under way yet
    socket.open();
    expect(socket.state).toBe(CONNECTING);
    expect(socket.send("queued")).toBe(ErrorCode.OK);
    expect(socket.currentPeer).toBeNull();
    url.resolve(server.url);
    await delay(20);
    expect(server.sockets.length).toBe(0); // still waiting for the headers
    token.resolve({ authorization: "Bearer fresh" });
    await until(() => socket.isOpen, 10_000, "open");
    await until(() => server.received.length === 1, 10_000, "the queued message");
    expect(headers).toEqual(["Bearer fresh"]);
    expect(server.received).toEqual([{ text: "queued", isBinary: false }]);
    expect(log.events.slice(0, 3)).toEqual([
      ["sendRefused", "early", "not connected, and no connection attempt is under way"],
      ["stateChanged", CONNECTING],
      ["stateChanged", WebSocketPeerState.OPEN],
    ]);
  });

  test("a provider that throws or rejects fails that attempt like a refused one, and is asked again", async () => {
    const server = await wsServer();
    const clock = new TestClock();
    let calls = 0;
    const socket = newSocket({
      url: server.url,
      clock,
      headersProvider: () => {
        calls++;
        if (calls === 1) throw new Error("token service down");
        if (calls === 2) return Promise.reject(new Error("still down"));
        return { authorization: "ok" };
      },
    });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => log.count("reconnectScheduled") === 1, 10_000, "the first failure");
    clock.advance(1000);
    await until(() => log.count("reconnectScheduled") === 2, 10_000, "the second failure");
    clock.advance(2000);
    await until(() => socket.isOpen, 10_000, "the third attempt");
    expect(log.of("connectFailed")).toEqual([
      ["connectFailed", "headersProvider failed: token service down", 0],
      ["connectFailed", "headersProvider failed: still down", 0],
    ]);
    expect(log.of("close")).toEqual([
      ["close", -1, "headersProvider failed: token service down", false],
      ["close", -1, "headersProvider failed: still down", false],
    ]);
    expect(calls).toBe(3);
  });

  test("a provider that never answers meets connectTimeout; its late answer is ignored", async () => {
    const server = await wsServer();
    const clock = new TestClock();
    const late = deferred<string>();
    const socket = newSocket({
      clock,
      connectTimeout: 2,
      reconnectDelay: 5,
      urlProvider: () => late.promise,
    });
    const log = recordEvents(socket, clock);
    socket.open();
    clock.advance(2000);
    expect(log.events).toEqual([
      ["stateChanged", CONNECTING],
      ["stateChanged", CLOSED],
      ["connectFailed", "connect timeout: no answer within 2 s", 0],
      ["close", -1, "connect timeout: no answer within 2 s", false],
      ["reconnectScheduled", 1, 5],
    ]);
    late.resolve(server.url);
    await delay(20);
    expect(server.sockets.length).toBe(0);
    expect(socket.currentPeer).toBeNull();
  });

  test("close() or dispose() while a provider is answering: no connection is made afterwards", async () => {
    const server = await wsServer();
    const clock = new TestClock();
    const first = deferred<string>();
    const second = deferred<string>();
    const answers = [first, second];
    const socket = newSocket({ clock, urlProvider: () => (answers.shift() as typeof first).promise });
    const log = recordEvents(socket, clock);
    socket.open();
    socket.close();
    expect(log.events).toEqual([
      ["stateChanged", CONNECTING],
      ["stateChanged", CLOSED],
      ["close", -1, "WebSocket was closed before the connection was established", false],
    ]);
    first.resolve(server.url);
    socket.open();
    socket.dispose();
    second.resolve(server.url);
    await delay(20);
    expect(server.sockets.length).toBe(0);
    expect(clock.pendingCount).toBe(0);
  });

  test("a provider's malformed URL fails that attempt, named, as a provider that throws does: it is retried", async () => {
    const clock = new TestClock();
    const socket = newSocket({ clock, urlProvider: async () => "http://not-a-websocket" });
    const log = recordEvents(socket, clock);
    socket.open();
    await until(() => log.count("close") === 1, 10_000, "the failed attempt");
    expect(log.of("connectFailed")).toEqual([
      [
        "connectFailed",
        'urlProvider gave "http://not-a-websocket": unsupported URL scheme "http:" (use ws:// or wss://)',
        0,
      ],
    ]);
    expect([socket.connectionWanted, socket.reconnectPending]).toEqual([true, true]);
  });

  test("a malformed url setting (no provider) cannot be retried: the attempt fails for good", () => {
    const clock = new TestClock();
    const socket = newSocket({ clock, url: "http://not-a-websocket" });
    const log = recordEvents(socket, clock);
    expect(socket.open()).toBe(ErrorCode.ERR_INVALID_PARAMETER);
    expect(log.of("connectFailed")).toEqual([["connectFailed", expect.stringMatching(/scheme/), 0]]);
    expect([socket.connectionWanted, socket.reconnectPending, clock.pendingCount]).toEqual([false, false, 0]);
  });

  test("agent: the connection is opened through the given http.Agent", async () => {
    const server = await wsServer();
    let connections = 0;
    class CountingAgent extends http.Agent {
      override createConnection(...args: Parameters<http.Agent["createConnection"]>): net.Socket {
        connections++;
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Agent.createConnection is untyped in @types/node
        return (http.Agent.prototype as any).createConnection.apply(this, args);
      }
    }
    const agent = new CountingAgent();
    const socket = newSocket({ url: server.url, clock: new TestClock(), agent });
    socket.open();
    await until(() => socket.isOpen, 10_000, "open through the agent");
    expect(connections).toBe(1);
    agent.destroy();
  });
});
