import type { WebSocket } from "ws";
import { TestClock } from "../../src/core/clock";
import { WebSocketListener, type WebSocketListenerOptions } from "../../src/net/WebSocketListener";
import { MAX_MESSAGE_FRAGMENTS } from "../../src/net/WebSocketListener";
import { rawConnect, rawWebSocket, until, upgradeRequest } from "../helpers/netServers";

interface Events {
  listening: number[];
  failed: string[];
  connections: Array<{ socket: WebSocket; url: string }>;
}

describe("WebSocketListener", () => {
  let clock: TestClock;
  let events: Events;
  const listeners: WebSocketListener[] = [];

  function listener(options: Partial<WebSocketListenerOptions> = {}): WebSocketListener {
    const made = new WebSocketListener({
      port: 0,
      host: "127.0.0.1",
      tls: null,
      maxPayload: 1024,
      handshakeTimeout: 5,
      closeGrace: 0.05,
      admitsConnection: () => true,
      clock,
      onListening: (port) => events.listening.push(port),
      onListenFailed: (reason) => events.failed.push(reason),
      onConnection: (socket, url) => events.connections.push({ socket, url }),
      ...options,
    });
    listeners.push(made);
    return made;
  }

  async function started(
    options: Partial<WebSocketListenerOptions> = {},
  ): Promise<{ server: WebSocketListener; port: number }> {
    const server = listener(options);
    expect(server.start()).toBeUndefined();
    await until(() => events.listening.length > 0 || events.failed.length > 0, 2000, "listening");
    return { server, port: events.listening[0] };
  }

  beforeEach(() => {
    clock = new TestClock();
    events = { listening: [], failed: [], connections: [] };
  });
  afterEach(() => {
    for (const made of listeners.splice(0)) made.close();
  });

  test("listens on a free port and hands over each upgraded socket with its request URL", async () => {
    const { server, port } = await started();
    expect(port).toBeGreaterThan(0);
    const client = await rawWebSocket(port, "/game?room=1");
    await until(() => events.connections.length === 1, 2000, "the connection");
    expect(events.connections[0].url).toBe("/game?room=1");
    expect(server.socketCount).toBe(1);
    client.socket.destroy();
    await until(() => server.socketCount === 0, 2000, "the socket to close");
  });

  test("a plain HTTP request is answered 426 and its connection closed", async () => {
    const { port } = await started();
    const client = await rawConnect(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await client.closed;
    expect(client.text()).toMatch(/^HTTP\/1\.1 426 /);
    expect(client.text()).toContain("Upgrade: websocket");
    expect(client.text().endsWith("426 Upgrade Required: this is a WebSocket endpoint\n")).toBe(true);
    expect(events.connections).toEqual([]);
  });

  test("an upgrade pipelined after a plain request on the same connection is not served", async () => {
    const { port } = await started();
    const client = await rawConnect(
      port,
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + upgradeRequest("/sneak"),
    );
    await client.closed;
    expect(client.text()).toMatch(/^HTTP\/1\.1 426 /);
    expect(client.text()).not.toContain("101 Switching Protocols");
    expect(events.connections).toEqual([]);
  });

  test("a handshake the owner does not admit (maxPeers reached) is answered 503 and closed", async () => {
    let admit = false;
    const { port } = await started({ admitsConnection: () => admit });
    const refused = await rawConnect(port, upgradeRequest());
    await refused.closed;
    expect(refused.text()).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(refused.text()).toContain("Connection: close");
    expect(events.connections).toEqual([]);
    admit = true;
    await rawWebSocket(port).then((client) => client.socket.destroy());
    await until(() => events.connections.length === 1, 2000, "the admitted connection");
  });

  test("a message in more fragments than MAX_MESSAGE_FRAGMENTS closes the connection with 1008", async () => {
    const { port } = await started({ maxPayload: 1 << 20 });
    const client = await rawWebSocket(port);
    await until(() => events.connections.length === 1, 2000, "the connection");
    events.connections[0].socket.on("error", () => {}); // ws reports the protocol error here too
    // Masked one-byte frames, never FIN: a binary start, then continuations.
    const frame = (opcode: number) => Buffer.from([opcode, 0x81, 0, 0, 0, 0, 0x78]);
    const frames = [frame(0x02)];
    for (let i = 1; i <= MAX_MESSAGE_FRAGMENTS; i++) frames.push(frame(0x00));
    const before = client.text().length;
    client.socket.write(Buffer.concat(frames));
    await client.closed;
    // The server's close frame: opcode 8, then the code 1008 (0x03f0) in network order.
    expect(client.text().slice(before, before + 4)).toBe("\x88\x02\x03\xf0");
    expect(MAX_MESSAGE_FRAGMENTS).toBe(1024);
  });

  test("a connection that does not finish its handshake in handshakeTimeout (on the clock) is dropped", async () => {
    const { server, port } = await started({ handshakeTimeout: 2 });
    const silent = await rawConnect(port);
    await until(() => server.socketCount === 1, 2000, "the accept");
    clock.advance(1999);
    expect(silent.isClosed()).toBe(false);
    clock.advance(1);
    await silent.closed;
    expect(events.connections).toEqual([]);
  });

  test("a port in use is onListenFailed, asynchronously; unusable TLS material is returned by start", async () => {
    const { port } = await started();
    events.listening = [];
    const second = listener({ port });
    expect(second.start()).toBeUndefined();
    await until(() => events.failed.length === 1, 2000, "the failure");
    expect(events.failed[0]).toContain("EADDRINUSE");
    const tls = listener({ tls: { cert: "not a cert", key: "not a key" } });
    expect(tls.start()).toEqual(expect.any(String));
  });

  test("close destroys sockets still in their handshake and stops listening", async () => {
    const { server, port } = await started();
    const silent = await rawConnect(port);
    await until(() => server.socketCount === 1, 2000, "the accept");
    server.close();
    await silent.closed;
    expect(server.socketCount).toBe(0);
    const refused = rawConnect(port);
    await expect(refused).rejects.toThrow(/ECONNREFUSED/);
  });
});
