import WebSocket from "ws";
import { ErrorCode } from "../../src/scene/ErrorCode";
import { WebSocketServer } from "../../src/nodes/WebSocketServer";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { makeSelfSignedCertificate, until } from "../helpers/netServers";
import { Fixture, names, recordSignals, stepUntil } from "../helpers/websocketNodes";

const SIGNALS = ["listening", "listenFailed", "peerConnected", "peerDisconnected", "messageReceived"];

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
});
