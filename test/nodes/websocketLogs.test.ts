import { Node } from "../../src/scene/Node";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { WebSocketNode } from "../../src/nodes/WebSocketNode";
import { WebSocketServer } from "../../src/nodes/WebSocketServer";
import { unusedPort, until } from "../helpers/netServers";
import { Fixture } from "../helpers/websocketNodes";
import { captureLogger, fieldsOf, type LogRecord } from "../helpers/logRecords";
import { startRefusingServer } from "../helpers/httpServers";

const DEBUG = 20;
const fx = new Fixture();
afterEach(() => fx.cleanup());

function loggedTree(level: Parameters<typeof captureLogger>[0] = "debug") {
  const { logger, records } = captureLogger(level);
  return { ...fx.tree({ logger }), records };
}

const messages = (records: LogRecord[]) => records.map((r) => r.msg);

describe("what the WebSocket nodes log (debug)", () => {
  test("a dead server: each attempt, why it failed, and each reconnect with its delay", async () => {
    const port = await unusedPort();
    const url = `ws://127.0.0.1:${port}/`;
    const { tree, clock, records } = loggedTree();
    const client = new WebsocketClient("Client");
    client.connectionUrl = url;
    client.reconnectDelay = 0.5;
    tree.root.addChild(client);
    client.openConnection();
    await until(() => messages(records).includes("reconnecting"), 2000, "first reconnect");
    clock.advance(500);
    await until(() => messages(records).filter((m) => m === "reconnecting").length === 2, 2000, "second");

    const at = "/root/Client";
    const failed = records.filter((r) => r.msg === "connect failed");
    expect(failed.map((r) => r.reason)).toEqual([
      expect.stringMatching(/ECONNREFUSED/),
      expect.stringMatching(/ECONNREFUSED/),
    ]);
    expect(fieldsOf(records).map(({ reason: _reason, ...rest }) => rest)).toEqual([
      { level: DEBUG, node: at, url, msg: "connecting" },
      { level: DEBUG, node: at, url, msg: "connect failed" },
      { level: DEBUG, node: at, attempt: 1, delaySeconds: 0.5, msg: "reconnecting" },
      { level: DEBUG, node: at, url, msg: "connecting" },
      { level: DEBUG, node: at, url, msg: "connect failed" },
      { level: DEBUG, node: at, attempt: 2, delaySeconds: 1, msg: "reconnecting" },
    ]);
  });

  test("a live server: connected, then the close code and reason; the server logs its side", async () => {
    const { tree, records } = loggedTree();
    const server = new WebSocketServer("Server");
    const client = new WebsocketClient("Client");
    tree.root.addChild(server);
    server.listen();
    await until(() => server.isListening(), 2000, "listening");
    const url = `ws://127.0.0.1:${server.port}/chat`;
    client.connectionUrl = url;
    tree.root.addChild(client);
    client.openConnection();
    await until(() => client.isOpen && server.getPeerIds().length === 1, 2000, "open");
    server.disconnectPeer(1, 4001, "kicked");
    await until(() => messages(records).includes("closed"), 2000, "closed");
    await until(() => messages(records).includes("peer disconnected"), 2000, "peer disconnected");

    const of = (node: string) => fieldsOf(records.filter((r) => r.node === node));
    expect(of("/root/Client")).toEqual([
      { level: DEBUG, node: "/root/Client", url, msg: "connecting" },
      { level: DEBUG, node: "/root/Client", url, msg: "connected" },
      { level: DEBUG, node: "/root/Client", code: 4001, reason: "kicked", msg: "closed" },
      // openConnection() turned autoReconnect on; the fake clock has not reached the retry yet
      { level: DEBUG, node: "/root/Client", attempt: 1, delaySeconds: 1, msg: "reconnecting" },
    ]);
    expect(of("/root/Server").slice(0, 3)).toEqual([
      { level: DEBUG, node: "/root/Server", port: server.port, msg: "listening" },
      { level: DEBUG, node: "/root/Server", peer: 1, url: "/chat", msg: "peer connected" },
      { level: DEBUG, node: "/root/Server", peer: 1, code: 4001, reason: "kicked", msg: "peer disconnected" },
    ]);
  });

  test("when the reconnect policy says no (a refused 401, a code in noReconnectCodes), the log says so", async () => {
    const refusing = await startRefusingServer(401);
    try {
      const { tree, records } = loggedTree();
      const denied = new WebsocketClient("Denied");
      denied.connectionUrl = refusing.url;
      tree.root.addChild(denied);
      denied.openConnection();
      await until(() => messages(records).includes("connect failed"), 2000, "refused");
      const server = new WebSocketServer("Server");
      tree.root.addChild(server);
      server.listen();
      await until(() => server.isListening(), 2000, "listening");
      const kicked = new WebsocketClient("Kicked");
      kicked.connectionUrl = `ws://127.0.0.1:${server.port}/`;
      kicked.noReconnectCodes = [4001];
      tree.root.addChild(kicked);
      kicked.openConnection();
      await until(() => kicked.isOpen, 2000, "open");
      server.disconnectPeer(server.getPeerIds()[0], 4001, "kicked");
      await until(() => messages(records).includes("closed"), 2000, "closed");

      const said = (node: string) =>
        fieldsOf(records.filter((r) => r.node === node && r.msg !== "connecting" && r.msg !== "connected"));
      const declined = "not reconnecting: the reconnect policy said no";
      expect(said("/root/Denied")).toEqual([
        expect.objectContaining({ msg: "connect failed", httpStatus: 401 }),
        { level: DEBUG, node: "/root/Denied", code: -1, httpStatus: 401, msg: declined },
      ]);
      expect(said("/root/Kicked")).toEqual([
        { level: DEBUG, node: "/root/Kicked", code: 4001, reason: "kicked", msg: "closed" },
        { level: DEBUG, node: "/root/Kicked", code: 4001, msg: declined },
      ]);
    } finally {
      await refusing.close();
    }
  });

  test("refused sends say why and how many bytes; leaving the tree says it closes", async () => {
    const { tree, records } = loggedTree();
    const server = new WebSocketServer("Server");
    tree.root.addChild(server);
    server.listen();
    await until(() => server.isListening(), 2000, "listening");
    const node = new WebSocketNode("Socket");
    node.useWss = false;
    node.host = `127.0.0.1:${server.port}`;
    node.sendQueueLimit = 0;
    const holder = new Node("Holder");
    holder.addChild(node);
    tree.root.addChild(holder);
    node.connectSocket();
    node.sendText("héllo"); // connecting, and nothing may be queued
    await until(() => node.isOpen, 2000, "open");
    tree.root.removeChild(holder);
    node.sendText("after"); // outside the tree: logged through the last logger it used inside
    holder.free();

    const own = fieldsOf(records.filter((r) => r.node === "/root/Holder/Socket"));
    expect(own.filter((r) => r.msg !== "connecting" && r.msg !== "connected")).toEqual([
      {
        level: DEBUG,
        node: "/root/Holder/Socket",
        reason: expect.stringContaining("queue"),
        bytes: 6,
        msg: "send refused",
      },
      {
        level: DEBUG,
        node: "/root/Holder/Socket",
        code: 1001,
        reason: "Going Away",
        msg: "closing: the node left the tree",
      },
      {
        level: DEBUG,
        node: "/root/Holder/Socket",
        reason: "not connected, and no connection attempt is under way",
        bytes: 5,
        msg: "send refused",
      },
    ]);
  });

  test("at info (the CLI's default) a whole connect, refuse, reconnect and close cycle logs nothing", async () => {
    const port = await unusedPort();
    const { tree, clock, records } = loggedTree("info");
    const client = new WebsocketClient("Client");
    client.connectionUrl = `ws://127.0.0.1:${port}/`;
    client.sendQueueLimit = 0;
    tree.root.addChild(client);
    const reconnects: number[] = [];
    client.connect("reconnecting", (attempt: number) => reconnects.push(attempt));
    client.openConnection();
    client.sendText("refused");
    await until(() => reconnects.length === 1, 2000, "reconnect");
    clock.advance(1000);
    await until(() => reconnects.length === 2, 2000, "second reconnect");
    client.close();
    expect(records).toEqual([]);
  });
});
