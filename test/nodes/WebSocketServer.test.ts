import WebSocket from "ws";
import { ErrorCode } from "../../src/core/ErrorCode";
import { WebSocketServer } from "../../src/nodes/WebSocketServer";
import { QUEUED_WRITE_BYTES } from "../../src/net/WebSocketPeer";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { activeResources, leftBehind } from "../helpers/chaos";
import {
  delay,
  makeSelfSignedCertificate,
  rawConnect,
  rawWebSocket,
  until,
  upgradeRequest,
  type RawClient,
} from "../helpers/netServers";
import { Fixture, names, recordSignals, stepUntil } from "../helpers/websocketNodes";

const SIGNALS = [
  "listening",
  "listenFailed",
  "peerConnected",
  "peerDisconnected",
  "messageReceived",
  "peerOutboundOverflow",
];

const fx = new Fixture();
afterEach(() => fx.cleanup());

/** A raw `ws` client that records what it receives and how it was closed. */
async function rawClient(url: string) {
  const socket = new WebSocket(url);
  const received: Array<{ text: string; isBinary: boolean }> = [];
  const closed: { code?: number; reason?: string } = {};
  socket.on("message", (data, isBinary) => received.push({ text: data.toString(), isBinary }));
  socket.on("close", (code, reason) => Object.assign(closed, { code, reason: reason.toString() }));
  socket.on("error", () => {});
  fx.onCleanup(() => socket.terminate());
  await new Promise((resolve) => socket.once("open", resolve));
  return { socket, received, closed };
}

async function listening(server: WebSocketServer): Promise<string> {
  await until(() => server.isListening(), 2000, "listening");
  return `ws://127.0.0.1:${server.port}/`;
}

describe("WebSocketServer", () => {
  test("listens on a free port, then: peerConnected, messageReceived, send/sendText/broadcast, disconnectPeer", async () => {
    const { tree } = fx.tree();
    const server = new WebSocketServer("Server");
    const log = recordSignals(server, SIGNALS);
    tree.root.addChild(server);
    expect(server.listen()).toBe(ErrorCode.OK);
    expect(server.listen()).toBe(ErrorCode.ERR_ALREADY_EXISTS);
    const url = await listening(server);
    expect(server.port).toBeGreaterThan(0);
    expect(log[0]).toEqual(["listening", server.port]);

    const a = await rawClient(url);
    const b = await rawClient(url + "room");
    await until(() => server.getPeerIds().length === 2);
    expect(server.getPeerIds()).toEqual([1, 2]);
    expect(server.getPeer(2)?.getRequestedUrl()).toBe("/room");

    a.socket.send("from a");
    b.socket.send(Buffer.from("from b"));
    await until(() => names(log).filter((n) => n === "messageReceived").length === 2);
    expect(server.sendText(1, "text")).toBe(ErrorCode.OK);
    expect(server.send(2, Buffer.from("bin"))).toBe(ErrorCode.OK);
    expect(server.broadcast("all")).toBe(ErrorCode.OK);
    expect(server.send(99, "x")).toBe(ErrorCode.ERR_DOES_NOT_EXIST);
    await until(() => a.received.length === 2 && b.received.length === 2);
    expect(a.received).toEqual([
      { text: "text", isBinary: false },
      { text: "all", isBinary: false },
    ]);
    expect(b.received).toEqual([
      { text: "bin", isBinary: true },
      { text: "all", isBinary: false },
    ]);

    expect(server.disconnectPeer(1, 4002, "kicked")).toBe(ErrorCode.OK);
    expect(server.disconnectPeer(1, 999)).toBe(ErrorCode.ERR_INVALID_PARAMETER);
    await until(() => a.closed.code !== undefined);
    expect(a.closed).toEqual({ code: 4002, reason: "kicked" });
    await until(() => server.getPeerIds().length === 1);
    b.socket.close(4003, "bye");
    await until(() => server.getPeerIds().length === 0);

    expect(log).toEqual([
      ["listening", server.port],
      ["peerConnected", 1],
      ["peerConnected", 2],
      ["messageReceived", 1, "from a", true],
      ["messageReceived", 2, "from b", false],
      ["peerDisconnected", 1, 4002, "kicked"],
      ["peerDisconnected", 2, 4003, "bye"],
    ]);
  });

  test("stop(): peers get 1001 and are reported at once; listen() again comes back on the same port", async () => {
    const { tree } = fx.tree();
    const server = new WebSocketServer("Server");
    server.autostart = true;
    tree.root.addChild(server);
    const url = await listening(server);
    const port = server.port;
    const client = await rawClient(url);
    await until(() => server.getPeerIds().length === 1);
    const log = recordSignals(server, SIGNALS);
    server.stop();
    expect(server.isListening()).toBe(false);
    expect(log).toEqual([["peerDisconnected", 1, 1001, "Going Away"]]);
    await until(() => client.closed.code !== undefined);
    expect(client.closed).toEqual({ code: 1001, reason: "Going Away" });

    expect(server.listen()).toBe(ErrorCode.OK);
    await listening(server);
    expect(server.port).toBe(port);
    await rawClient(url);
    await until(() => server.getPeerIds().length === 1);
    expect(server.getPeerIds()).toEqual([2]); // ids are never reused
  });

  test("leaving the tree stops it: peers get 1001", async () => {
    const { tree } = fx.tree();
    const server = new WebSocketServer("Server");
    server.autostart = true;
    tree.root.addChild(server);
    const client = await rawClient(await listening(server));
    await until(() => server.getPeerIds().length === 1);
    tree.root.removeChild(server);
    await until(() => client.closed.code !== undefined);
    expect(client.closed).toEqual({ code: 1001, reason: "Going Away" });
    expect(server.isListening()).toBe(false);
    server.free();
  });

  test("a port in use: listenFailed with the reason", async () => {
    const { tree } = fx.tree();
    const first = new WebSocketServer("First");
    first.autostart = true;
    tree.root.addChild(first);
    await listening(first);
    const second = new WebSocketServer("Second");
    second.port = first.port;
    const log = recordSignals(second, SIGNALS);
    tree.root.addChild(second);
    expect(second.listen()).toBe(ErrorCode.OK);
    await until(() => log.length === 1);
    expect(log[0]).toEqual(["listenFailed", expect.stringMatching(/EADDRINUSE/)]);
    expect(second.isListening()).toBe(false);
  });

  test("an oversized message closes that peer with 1009", async () => {
    const { tree } = fx.tree();
    const server = new WebSocketServer("Server");
    server.inboundBufferSize = 8;
    server.autostart = true;
    tree.root.addChild(server);
    const client = await rawClient(await listening(server));
    client.socket.send("far too long for the limit");
    await until(() => client.closed.code !== undefined);
    expect(client.closed.code).toBe(1009);
  });

  test("dispatch 'frame': messages wait for a frame", async () => {
    const { tree } = fx.tree();
    const server = new WebSocketServer("Server");
    server.dispatch = "frame";
    server.autostart = true;
    tree.root.addChild(server);
    const log = recordSignals(server, ["messageReceived"]);
    const client = await rawClient(await listening(server));
    client.socket.send("m");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(log).toEqual([]);
    await stepUntil(tree, () => log.length === 1);
    expect(log[0]).toEqual(["messageReceived", 1, "m", true]);
  });

  test("serves wss:// with a certificate, for WebsocketClient nodes given the CA", async () => {
    const certificate = makeSelfSignedCertificate();
    const { tree } = fx.tree();
    const server = new WebSocketServer("Server");
    server.tls = certificate;
    server.autostart = true;
    server.connect("messageReceived", (id: number, message: Buffer) => server.send(id, message));
    tree.root.addChild(server);
    await listening(server);
    const client = new WebsocketClient("Client");
    client.connectionUrl = `wss://127.0.0.1:${server.port}/`;
    client.tls = { ca: certificate.cert };
    tree.root.addChild(client);
    const got: string[] = [];
    client.connect("messageReceived", (message: Buffer) => got.push(message.toString()));
    client.openConnection();
    await client.waitConnectionEstablished(2);
    client.sendText("secure");
    await until(() => got.length === 1);
    expect(got).toEqual(["secure"]);
  });

  describe("owns every socket it accepted", () => {
    /** Raw clients a test opened; destroyed after it. */
    const raws: RawClient[] = [];
    afterEach(() => {
      for (const raw of raws.splice(0)) raw.socket.destroy();
    });

    async function raw(port: number, request = ""): Promise<RawClient> {
      const client = await rawConnect(port, request);
      raws.push(client);
      return client;
    }

    async function rawUpgraded(port: number): Promise<RawClient> {
      const client = await rawWebSocket(port);
      raws.push(client);
      return client;
    }

    async function startedServer(props: Partial<WebSocketServer> = {}) {
      const { tree, clock } = fx.tree();
      const server = new WebSocketServer("Server");
      Object.assign(server, { autostart: true, ...props });
      const log = recordSignals(server, SIGNALS);
      tree.root.addChild(server);
      await listening(server);
      return { tree, clock, server, log };
    }

    test("a plain HTTP request (no Upgrade) gets 426 Upgrade Required and is closed", async () => {
      const { server, log } = await startedServer();
      for (const connection of ["close", "keep-alive"]) {
        const client = await raw(
          server.port,
          `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: ${connection}\r\n\r\n`,
        );
        await client.closed; // the server closes it, even when keep-alive was asked for
        expect(client.text()).toMatch(/^HTTP\/1\.1 426 Upgrade Required\r\n/);
        expect(client.text()).toMatch(/\r\nUpgrade: websocket\r\n/i);
        expect(client.text()).toMatch(/\r\nConnection: close\r\n/i);
      }
      const post = await raw(
        server.port,
        "POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello",
      );
      await post.closed;
      expect(post.text()).toMatch(/^HTTP\/1\.1 426 /);
      expect(names(log)).toEqual(["listening"]); // no peer was ever made of them
    });

    test("a handshake that does not finish within handshakeTimeout is dropped (on the tree's clock)", async () => {
      const { clock, server, log } = await startedServer({ handshakeTimeout: 5 });
      const silent = await raw(server.port);
      const partial = await raw(server.port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgr");
      const upgraded = await rawUpgraded(server.port);
      await until(() => server.getPeerIds().length === 1);
      // One handshake timer per connection still handshaking; the upgraded one's was cancelled.
      await until(() => clock.pendingCount === 2, 5000, "both connections accepted");
      clock.advance(4999);
      await delay(30);
      expect([silent.isClosed(), partial.isClosed()]).toEqual([false, false]);
      clock.advance(1);
      await Promise.all([silent.closed, partial.closed]);
      expect(silent.text()).toBe("");
      clock.advance(60_000);
      await delay(30);
      expect(upgraded.isClosed()).toBe(false);
      expect(server.getPeerIds()).toEqual([1]);
      expect(names(log)).toEqual(["listening", "peerConnected"]);
      expect(clock.pendingCount).toBe(0);
    });

    test("wss://: a TLS handshake that never starts is dropped after handshakeTimeout too", async () => {
      const { clock, server } = await startedServer({
        handshakeTimeout: 2,
        tls: makeSelfSignedCertificate(),
      });
      const silent = await raw(server.port);
      await until(() => clock.pendingCount === 1, 5000, "the connection accepted");
      clock.advance(2000);
      await until(() => silent.isClosed(), 10_000, "the silent TLS connection to be dropped");
    });

    test("handshakeTimeout 0 means no limit", async () => {
      const { clock, server } = await startedServer({ handshakeTimeout: 0 });
      const silent = await raw(server.port);
      await delay(30);
      expect(clock.pendingCount).toBe(0);
      clock.advance(3_600_000);
      await delay(30);
      expect(silent.isClosed()).toBe(false);
    });

    for (const how of ["stop()", "leaving the tree", "free()"] as const) {
      test(`${how} closes every socket, upgraded or not, and leaves nothing running`, async () => {
        const baseline = activeResources();
        const { tree, server } = await startedServer();
        const silent = await raw(server.port);
        const partial = await raw(server.port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        // An upgraded peer that never answers the close frame (it reads, but speaks no WebSocket).
        const deaf = await rawUpgraded(server.port);
        const polite = new WebSocket(`ws://127.0.0.1:${server.port}/`);
        polite.on("error", () => {});
        const politeClosed = new Promise<number>((resolve) => polite.on("close", (code) => resolve(code)));
        await until(() => server.getPeerIds().length === 2);

        if (how === "stop()") server.stop();
        else if (how === "leaving the tree") tree.root.removeChild(server);
        else server.free();
        expect(server.isInstanceValid() ? server.isListening() : false).toBe(false);

        // Generous bounds: the deaf peer's socket goes after a one-second grace, the others at once.
        const clients = [silent, partial, deaf];
        await until(() => clients.every((c) => c.isClosed()), 10_000, "every socket closed").catch(() => {});
        expect(clients.map((c) => c.isClosed())).toEqual([true, true, true]);
        // The upgraded one was offered a closing handshake first: 1001 "Going Away".
        expect(deaf.text()).toContain(Buffer.from([0x88, 12, 0x03, 0xe9]).toString("latin1") + "Going Away");
        expect(await politeClosed).toBe(1001);
        for (const client of raws) client.socket.destroy();
        if (server.isInstanceValid()) server.free();
        expect(await leftBehind(baseline, 5000)).toEqual({});
      });
    }

    test("a peer that never answers the 1001 does not keep the process alive during the grace", async () => {
      const { server } = await startedServer();
      const deaf = await rawUpgraded(server.port);
      await until(() => server.getPeerIds().length === 1);
      const baseline = activeResources();
      server.stop();
      await until(() => deaf.text().includes("Going Away"), 2000, "the close frame");
      // The grace (one second, real time) has begun: nothing of the server's keeps the loop running.
      expect(await leftBehind(baseline, 0)).toEqual({});
    });

    test("a peer that never reads is cut off at outboundBufferSize: peerOutboundOverflow, then 1008", async () => {
      const limit = 256 * 1024;
      const { server, log } = await startedServer({ outboundBufferSize: limit });
      const deaf = await rawUpgraded(server.port);
      deaf.socket.pause(); // never reads: the kernel's buffers fill, then the server's own
      const reader = await rawClient(`ws://127.0.0.1:${server.port}/`);
      await until(() => server.getPeerIds().length === 2);
      const [deafId, readerId] = server.getPeerIds();

      const chunk = Buffer.alloc(64 * 1024, 1);
      let result = ErrorCode.OK;
      let sent = 0;
      // One chunk per turn of the event loop, so the reading peer keeps up while the deaf one fills.
      while (result === ErrorCode.OK && sent < 4000) {
        result = server.send(deafId, chunk);
        if (result === ErrorCode.OK) sent++;
        expect(server.send(readerId, "tick")).toBe(ErrorCode.OK);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(result).toBe(ErrorCode.ERR_OUT_OF_MEMORY);
      const overflow = log.find((entry) => entry[0] === "peerOutboundOverflow")!;
      expect(overflow).toEqual(["peerOutboundOverflow", deafId, expect.any(Number)]);
      expect(overflow[2]).toBeGreaterThan(0);
      expect(overflow[2]).toBeLessThanOrEqual(limit);
      expect(log.slice(log.indexOf(overflow))).toEqual([
        overflow,
        [
          "peerDisconnected",
          deafId,
          1008,
          expect.stringMatching(/outbound buffer limit.*outboundBufferSize 262144/),
        ],
      ]);
      expect(server.getPeerIds()).toEqual([readerId]);
      expect(server.send(deafId, chunk)).toBe(ErrorCode.ERR_DOES_NOT_EXIST);
      // Its socket is gone: reading now finds the end of the stream.
      deaf.socket.resume();
      await until(() => deaf.isClosed(), 10_000, "the cut-off socket to close");
      await until(() => reader.received.length === sent + 1, 10_000, "every tick");
      expect(reader.closed.code).toBeUndefined();
    });

    test("maxPeers: a handshake past it is answered 503 and makes no peer; a freed place takes the next", async () => {
      const { server, log } = await startedServer({ maxPeers: 1 });
      const first = await rawClient(`ws://127.0.0.1:${server.port}/`);
      await until(() => server.getPeerIds().length === 1);
      const status = await new Promise<number>((resolve) => {
        const second = new WebSocket(`ws://127.0.0.1:${server.port}/`);
        second.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        second.on("error", () => {});
      });
      expect(status).toBe(503);
      expect(server.getPeerIds()).toEqual([1]);
      first.socket.close();
      await until(() => server.getPeerIds().length === 0);
      await rawClient(`ws://127.0.0.1:${server.port}/`);
      await until(() => server.getPeerIds().length === 1);
      expect(names(log)).toEqual(["listening", "peerConnected", "peerDisconnected", "peerConnected"]);
    });

    test("maxPeers bounds the connections waiting for their handshake too: one past it is destroyed unanswered", async () => {
      // Without it, silent connections were bounded only by how many arrive within handshakeTimeout.
      const { server } = await startedServer({ maxPeers: 2 });
      await rawUpgraded(server.port); // a peer: not waiting any more, it does not count here
      const silent = [await raw(server.port), await raw(server.port)];
      const past = await raw(server.port);
      await until(() => past.isClosed(), 5000, "the connection past the limit closed");
      expect(past.text()).toBe("");
      expect(silent.map((c) => c.isClosed())).toEqual([false, false]); // the clock has not moved
      // One of them upgrades: its place is free, so the next connection is taken (and answered 503, as
      // a handshake past maxPeers peers is).
      silent[1].socket.write(upgradeRequest());
      await until(() => server.getPeerIds().length === 2);
      const next = await raw(server.port, upgradeRequest());
      await next.closed;
      expect(next.text()).toMatch(/^HTTP\/1\.1 503 /);
      expect(silent[0].isClosed()).toBe(false);
    });

    test("protocols: the client's first one that is served is selected (Godot 4); offering none of them, or none, is refused 400", async () => {
      const { server } = await startedServer({ protocols: ["json", "chat"] });
      const url = `ws://127.0.0.1:${server.port}/`;
      const open = async (offered: string[]) => {
        const socket = new WebSocket(url, offered);
        fx.onCleanup(() => socket.terminate());
        return new Promise<string | number>((resolve) => {
          socket.on("open", () => resolve(socket.protocol));
          socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
          socket.on("error", () => {});
        });
      };
      expect(await open(["chat", "json"])).toBe("chat"); // the client's order, as wsl_peer.cpp selects
      expect(await open(["xml", "json"])).toBe("json");
      expect(await open(["xml"])).toBe(400);
      expect(await open([])).toBe(400); // Godot 4: "No protocol requested, but we need one"
      await until(() => server.getPeerIds().length === 2);
      expect(server.getPeerIds().map((id) => server.getPeer(id)!.getSelectedProtocol())).toEqual([
        "chat",
        "json",
      ]);
    });

    test("a message over inboundBufferSize closes the peer with 1009, the reason naming the limit set", async () => {
      const { server, log } = await startedServer({ inboundBufferSize: 1000 });
      const client = await rawClient(`ws://127.0.0.1:${server.port}/`);
      await until(() => server.getPeerIds().length === 1);
      client.socket.send(Buffer.alloc(1001));
      await until(() => names(log).includes("peerDisconnected"));
      expect(log.at(-1)).toEqual([
        "peerDisconnected",
        1,
        1009,
        "message larger than inboundBufferSize (1000 bytes)",
      ]);
    });

    test("outboundBufferSize counts what each waiting write costs, so tiny messages reach it too", async () => {
      const limit = 64 * 1024;
      const { server, log } = await startedServer({ outboundBufferSize: limit });
      const deaf = await rawUpgraded(server.port);
      deaf.socket.pause();
      await until(() => server.getPeerIds().length === 1);
      const [id] = server.getPeerIds();
      // Held in Node from the first write on (no kernel buffer in between): every send is a waiting write.
      const peer = server.getPeer(id) as unknown as { socket: { _socket: { cork(): void } } };
      peer.socket._socket.cork();
      let accepted = 0;
      while (server.send(id, Buffer.from("hi")) === ErrorCode.OK && accepted < 100_000) accepted++;
      // Each 2-byte message is 4 bytes in two writes of QUEUED_WRITE_BYTES each: ~196 bytes, not 4.
      const perMessage = 4 + 2 * QUEUED_WRITE_BYTES;
      expect(accepted).toBeGreaterThanOrEqual(Math.floor(limit / perMessage) - 2);
      expect(accepted).toBeLessThanOrEqual(Math.ceil(limit / perMessage) + 2);
      expect(names(log)).toEqual(["listening", "peerConnected", "peerOutboundOverflow", "peerDisconnected"]);
    });

    test("broadcast cuts off only the peer that does not read", async () => {
      const { server, log } = await startedServer({ outboundBufferSize: 128 * 1024 });
      const deaf = await rawUpgraded(server.port);
      deaf.socket.pause();
      const reader = await rawClient(`ws://127.0.0.1:${server.port}/`);
      await until(() => server.getPeerIds().length === 2);
      const chunk = Buffer.alloc(32 * 1024, 2);
      let rounds = 0;
      while (server.getPeerIds().length === 2 && rounds < 8000) {
        expect(server.broadcast(chunk)).toBe(ErrorCode.OK);
        rounds++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(server.getPeerIds()).toEqual([2]);
      expect(names(log).filter((n) => n === "peerOutboundOverflow")).toHaveLength(1);
      expect(log.find((entry) => entry[0] === "peerDisconnected")).toEqual([
        "peerDisconnected",
        1,
        1008,
        expect.any(String),
      ]);
      await until(() => reader.received.length === rounds, 10_000, "every broadcast");
    });
  });

  describe("configuration errors are signals", () => {
    const good = makeSelfSignedCertificate();
    const other = makeSelfSignedCertificate();
    const cases: Array<[string, { cert: string; key: string }, RegExp]> = [
      ["an unreadable certificate", { cert: "not a certificate", key: good.key }, /TLS configuration/],
      ["an unreadable key", { cert: good.cert, key: "not a key" }, /TLS configuration/],
      ["a key that does not match", { cert: good.cert, key: other.key }, /key values mismatch/],
      ["an empty key", { cert: good.cert, key: "" }, /needs both tls\.cert and tls\.key/],
      // From code, `key: process.env.KEY ?? null`: this threw a TypeError out of listen().
      [
        "a null key",
        { cert: good.cert, key: null as unknown as string },
        /needs both tls\.cert and tls\.key/,
      ],
      ["a null certificate", { cert: null as unknown as string, key: good.key }, /needs both/],
    ];
    for (const [what, tls, reason] of cases) {
      test(`${what}: listenFailed(reason) and ERR_INVALID_PARAMETER, nothing thrown, not listening`, async () => {
        const { tree } = fx.tree();
        const server = new WebSocketServer("Server");
        server.tls = tls;
        const log = recordSignals(server, SIGNALS);
        tree.root.addChild(server);
        expect(server.listen()).toBe(ErrorCode.ERR_INVALID_PARAMETER);
        expect(log).toEqual([["listenFailed", expect.stringMatching(reason)]]);
        expect(server.isListening()).toBe(false);
        await delay(20);
        expect(log).toHaveLength(1);
        // Fixed, it listens.
        server.tls = good;
        expect(server.listen()).toBe(ErrorCode.OK);
        await listening(server);
      });
    }

    test("autostart with a bad certificate reports listenFailed from _ready; the tree keeps running", async () => {
      const { tree } = fx.tree();
      const server = new WebSocketServer("Server");
      Object.assign(server, { autostart: true, tls: { cert: "x", key: "y" } });
      const log = recordSignals(server, SIGNALS);
      tree.root.addChild(server);
      expect(log).toEqual([["listenFailed", expect.stringMatching(/TLS configuration/)]]);
      tree.step(1 / 60);
      expect(fx.errors).toEqual([]);
    });
  });
});
