import { Node } from "../../src/scene/Node";
import { ErrorCode } from "../../src/core/ErrorCode";
import { AutoconnectMode, WebSocketNode } from "../../src/nodes/WebSocketNode";
import { parseScene } from "../../src";
import "../../src";
import { delay, startSilentTcpServer, unusedPort, until, type TestWsServer } from "../helpers/netServers";
import { Fixture, names, recordSignals, stepUntil } from "../helpers/websocketNodes";

const SIGNALS = [
  "connected",
  "connectFailed",
  "received",
  "closing",
  "closed",
  "reconnecting",
  "sendRefused",
];

const fx = new Fixture();
afterEach(() => fx.cleanup());

function socketNode(server: { port: number } | null, props: Partial<WebSocketNode> = {}): WebSocketNode {
  const node = new WebSocketNode("Socket");
  node.useWss = false;
  if (server) node.host = `127.0.0.1:${server.port}`;
  Object.assign(node, props);
  return node;
}

describe("WebSocketNode", () => {
  test("connect, text and binary, close: connected → received… → closing → closed, once each", async () => {
    const server = await fx.wsServer();
    const { tree } = fx.tree();
    const node = socketNode(server);
    tree.root.addChild(node);
    const log = recordSignals(node, SIGNALS);
    expect(node.connectSocket()).toBe(ErrorCode.OK);
    await until(() => node.isOpen);
    expect(node.sendText("héllo")).toBe(ErrorCode.OK);
    expect(node.send(Uint8Array.from([1, 2, 3]))).toBe(ErrorCode.OK);
    await until(() => names(log).filter((n) => n === "received").length === 2);
    expect(server.received).toEqual([
      { text: "héllo", isBinary: false },
      { text: "\u0001\u0002\u0003", isBinary: true },
    ]);
    expect(node.close(4000, "done")).toBe(ErrorCode.OK);
    await until(() => node.isClosed);
    await delay(10);
    expect(log).toEqual([
      ["connected", server.url],
      ["received", "héllo", true],
      ["received", "\u0001\u0002\u0003", false],
      ["closing"],
      ["closed", 4000, "done"],
    ]);

    // It can connect again after a close.
    expect(node.connectSocket()).toBe(ErrorCode.OK);
    await until(() => node.isOpen);
    expect(names(log).filter((n) => n === "connected")).toHaveLength(2);
  });

  test("received keeps message boundaries: one emission per message", async () => {
    const server = await fx.wsServer({
      echo: false,
      onConnection: (ws) => ["a", "bb", "ccc"].forEach((m) => ws.send(Buffer.from(m))),
    });
    const { tree } = fx.tree();
    const node = socketNode(server, { autoconnectMode: AutoconnectMode.SELF_READY });
    const log = recordSignals(node, ["received"]);
    tree.root.addChild(node);
    await until(() => log.length === 3);
    expect(log).toEqual([
      ["received", "a", false],
      ["received", "bb", false],
      ["received", "ccc", false],
    ]);
  });

  test("connectSocket(host, route) honours both and updates the properties", async () => {
    const server = await fx.wsServer();
    const { tree } = fx.tree();
    const node = socketNode(null);
    tree.root.addChild(node);
    const log = recordSignals(node, ["connected"]);
    node.connectSocket(`127.0.0.1:${server.port}`, "chat/room1?x=1");
    await until(() => log.length === 1);
    expect(log[0]).toEqual(["connected", `ws://127.0.0.1:${server.port}/chat/room1?x=1`]);
    expect(node.host).toBe(`127.0.0.1:${server.port}`);
    expect(node.route).toBe("chat/room1?x=1");
    // Another route: connecting elsewhere closes the first connection.
    node.connectSocket(undefined, "/other");
    await until(() => log.length === 2);
    expect(log[1]).toEqual(["connected", `ws://127.0.0.1:${server.port}/other`]);
    await until(() => server.closes.length === 1);
    expect(server.closes[0]).toEqual({ code: 1000, reason: "reconnecting to another URL" });
  });

  test("connectFailed for a refused connection, with the reason; no closed", async () => {
    const port = await unusedPort();
    const { tree } = fx.tree();
    const node = socketNode({ port });
    tree.root.addChild(node);
    const log = recordSignals(node, SIGNALS);
    node.connectSocket();
    await until(() => log.length > 0);
    await delay(10);
    expect(log).toEqual([["connectFailed", expect.stringMatching(/ECONNREFUSED/), 0]]);
    expect(node.isClosed).toBe(true);
    expect(node.reconnectPending).toBe(false); // autoReconnect is off by default, as in the original
  });

  test("a server that accepts TCP but never answers the upgrade: connectFailed within connectionTimeout", async () => {
    const silent = await startSilentTcpServer();
    fx.onCleanup(() => silent.close());
    const { tree, clock } = fx.tree();
    const node = socketNode(silent, { connectionTimeout: 4 });
    tree.root.addChild(node);
    const log = recordSignals(node, SIGNALS);
    node.connectSocket();
    await until(() => silent.accepted.length === 1);
    clock.advance(3999);
    expect(log).toEqual([]);
    clock.advance(1);
    expect(log).toEqual([["connectFailed", "connect timeout: no answer within 4 s", 0]]);
    expect(node.isClosed).toBe(true);
  });

  test("connectionTimeout 0 means no limit", async () => {
    const silent = await startSilentTcpServer();
    fx.onCleanup(() => silent.close());
    const { tree, clock } = fx.tree();
    const node = socketNode(silent, { connectionTimeout: 0 });
    tree.root.addChild(node);
    node.connectSocket();
    await until(() => silent.accepted.length === 1);
    clock.advance(3_600_000);
    expect(node.isClosed).toBe(false);
  });

  test("an invalid host is a connectFailed with ERR_INVALID_PARAMETER, not a throw", () => {
    const { tree } = fx.tree();
    const node = socketNode(null, { host: "bad host:x" });
    tree.root.addChild(node);
    const log = recordSignals(node, SIGNALS);
    expect(node.connectSocket()).toBe(ErrorCode.ERR_INVALID_PARAMETER);
    expect(names(log)).toEqual(["connectFailed"]);
  });

  test("outside the tree: connectSocket is ERR_UNCONFIGURED with connectFailed; send is refused visibly", () => {
    const node = socketNode({ port: 1 });
    const log = recordSignals(node, SIGNALS);
    expect(node.connectSocket()).toBe(ErrorCode.ERR_UNCONFIGURED);
    expect(node.sendText("x")).toBe(ErrorCode.ERR_UNCONFIGURED);
    expect(names(log)).toEqual(["connectFailed", "sendRefused"]);
    expect(log[0][1]).toMatch(/not inside the scene tree/);
    node.free();
  });

  test("autoReconnect (off by default) shares the client's machinery: the server restarts, it comes back", async () => {
    const first = await fx.wsServer();
    const { tree, clock } = fx.tree();
    const node = socketNode(first, { autoReconnect: true });
    tree.root.addChild(node);
    const log = recordSignals(node, SIGNALS);
    node.connectSocket();
    await until(() => node.isOpen);
    await first.close();
    await until(() => node.reconnectPending);
    expect(names(log)).toEqual(["connected", "closing", "closed", "reconnecting"]);
    node.sendText("queued");
    const second = await fx.wsServer({ port: first.port });
    clock.advance(1000);
    await until(() => second.received.length === 1);
    expect(second.received[0]).toEqual({ text: "queued", isBinary: false });
    await until(() => names(log).filter((n) => n === "connected").length === 2);
  });

  test("receiveLimit spreads messages over frames, with immediate dispatch too", async () => {
    const server = await fx.wsServer({
      echo: false,
      onConnection: (ws) => ["a", "b", "c", "d", "e"].forEach((m) => ws.send(m)),
    });
    const { tree } = fx.tree();
    const node = socketNode(server, { receiveLimit: 2 });
    tree.root.addChild(node);
    const log = recordSignals(node, ["received"]);
    node.connectSocket();
    await until(() => log.length === 2);
    await until(() => node.socket?.currentPeer?.getQueuedBytes() === 3, 10_000, "the rest to arrive");
    expect(log.map((e) => e[1])).toEqual(["a", "b"]);
    tree.step(1 / 60);
    expect(log.map((e) => e[1])).toEqual(["a", "b", "c", "d"]);
    tree.step(1 / 60);
    expect(log.map((e) => e[1])).toEqual(["a", "b", "c", "d", "e"]);
  });

  test("receiveLimit with frame dispatch: at most that many per frame", async () => {
    const server = await fx.wsServer({
      echo: false,
      onConnection: (ws) => ["a", "b", "c"].forEach((m) => ws.send(m)),
    });
    const { tree } = fx.tree();
    const node = socketNode(server, { receiveLimit: 1, dispatch: "frame" });
    tree.root.addChild(node);
    const log = recordSignals(node, ["connected", "received"]);
    node.connectSocket();
    await stepUntil(tree, () => log.length === 2);
    await until(() => node.socket?.currentPeer?.getQueuedBytes() === 2, 10_000, "b and c to arrive");
    const perFrame: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = log.length;
      tree.step(1 / 60);
      perFrame.push(log.length - before);
    }
    expect(perFrame).toEqual([1, 1, 0]);
    expect(log.map((e) => e[1])).toEqual([server.url, "a", "b", "c"]);
  });

  describe("autoconnect", () => {
    let server: TestWsServer;
    beforeEach(async () => {
      server = await fx.wsServer();
    });

    /** A scene `Main` with a child `Holder` (whose readiness the tests vary) that holds the socket. */
    function scene(mode: AutoconnectMode) {
      const main = new Node("Main");
      const holder = new Node("Holder");
      const node = socketNode(server, { autoconnectMode: mode });
      main.addChild(holder);
      holder.addChild(node);
      holder.owner = main;
      node.owner = main;
      return { main, holder, node };
    }

    /** Records the socket's `connected` and the nodes' ready signals in one log. */
    function track(main: Node, holder: Node, node: WebSocketNode) {
      const log: string[] = [];
      main.connect("ready", () => log.push("Main:ready"));
      holder.connect("ready", () => log.push("Holder:ready"));
      node.connect("ready", () => log.push("Socket:ready"));
      const original = node.connectSocket.bind(node);
      node.connectSocket = (host?: string, route?: string) => {
        log.push("connectSocket");
        return original(host, route);
      };
      return log;
    }

    test("NONE never connects and emits nothing", async () => {
      const { tree } = fx.tree();
      const { main, node } = scene(AutoconnectMode.NONE);
      const log = recordSignals(node, SIGNALS);
      tree.root.addChild(main);
      tree.step(1 / 60);
      await delay(20);
      expect(log).toEqual([]);
      expect(server.sockets).toHaveLength(0);
      expect(fx.errors).toEqual([]);
    });

    test.each([
      [
        "SELF_READY",
        AutoconnectMode.SELF_READY,
        ["connectSocket", "Socket:ready", "Holder:ready", "Main:ready"],
      ],
      [
        "PARENT_READY",
        AutoconnectMode.PARENT_READY,
        ["Socket:ready", "Holder:ready", "connectSocket", "Main:ready"],
      ],
      [
        "OWNER_READY",
        AutoconnectMode.OWNER_READY,
        ["Socket:ready", "Holder:ready", "Main:ready", "connectSocket"],
      ],
      [
        "ROOT_READY",
        AutoconnectMode.ROOT_READY,
        ["Socket:ready", "Holder:ready", "Main:ready", "connectSocket"],
      ],
    ])("mode %s connects when its node is ready", async (_name, mode, order) => {
      const { tree } = fx.tree();
      const { main, holder, node } = scene(mode);
      const log = track(main, holder, node);
      tree.root.addChild(main);
      expect(log).toEqual(order);
      await until(() => node.isOpen);
      expect(server.sockets).toHaveLength(1);
    });

    test("CUSTOM waits for autoconnectReference", async () => {
      const { tree } = fx.tree();
      const { main, holder, node } = scene(AutoconnectMode.CUSTOM);
      const late = new Node("Late");
      node.autoconnectReference = late;
      const log = track(main, holder, node);
      late.connect("ready", () => log.push("Late:ready"));
      tree.root.addChild(main);
      expect(log).toEqual(["Socket:ready", "Holder:ready", "Main:ready"]);
      tree.root.addChild(late);
      expect(log.slice(3)).toEqual(["Late:ready", "connectSocket"]);
      await until(() => node.isOpen);
    });

    test.each([
      ["PARENT_READY", AutoconnectMode.PARENT_READY],
      ["ROOT_READY", AutoconnectMode.ROOT_READY],
      ["CUSTOM", AutoconnectMode.CUSTOM],
    ] as const)("mode %s with its node already ready connects at once", async (_name, mode) => {
      const { tree } = fx.tree();
      const main = new Node("Main");
      tree.root.addChild(main);
      const node = socketNode(server, { autoconnectMode: mode, autoconnectReference: main });
      main.addChild(node);
      expect(node.connectionState).toBe(0); // CONNECTING already: connectSocket ran in ready
      await until(() => node.isOpen);
      expect(fx.errors).toEqual([]);
    });

    test("OWNER_READY with an owner that is already ready connects at once (on re-entry)", async () => {
      const { tree } = fx.tree();
      const holder = new Node("Holder");
      const node = socketNode(server, { autoconnectMode: AutoconnectMode.OWNER_READY });
      holder.addChild(node);
      node.owner = holder;
      tree.root.addChild(holder);
      await until(() => node.isOpen);
      tree.root.removeChild(holder);
      tree.root.addChild(holder); // the owner is ready from before: connect now, no waiting
      expect(node.connectionState).toBe(0);
      await until(() => node.isOpen);
      expect(fx.errors).toEqual([]);
    });

    test.each([
      ["OWNER_READY", AutoconnectMode.OWNER_READY, /OWNER_READY, but the node has no owner/],
      ["CUSTOM", AutoconnectMode.CUSTOM, /CUSTOM, but autoconnectReference is not set/],
    ] as const)(
      "mode %s with a missing node is reported with the node path and never connects",
      async (_name, mode, message) => {
        const { tree } = fx.tree();
        const node = socketNode(server, { autoconnectMode: mode });
        const log = recordSignals(node, SIGNALS);
        tree.root.addChild(node);
        await delay(20);
        expect(fx.errors).toHaveLength(1);
        expect(fx.errors[0].nodePath).toBe("/root/Socket");
        expect(fx.errors[0].message).toMatch(message);
        expect(log).toEqual([]);
        expect(server.sockets).toHaveLength(0);
      },
    );

    test("CUSTOM with a freed reference is reported, not connected", async () => {
      const { tree } = fx.tree();
      const gone = new Node("Gone");
      const node = socketNode(server, {
        autoconnectMode: AutoconnectMode.CUSTOM,
        autoconnectReference: gone,
      });
      gone.free();
      tree.root.addChild(node);
      expect(fx.errors).toHaveLength(1);
      expect(fx.errors[0].message).toMatch(/autoconnectReference was freed/);
      expect(node.isClosed).toBe(true);
    });

    test("leaving the tree before the target is ready stops waiting; re-entering autoconnects again", async () => {
      const { tree } = fx.tree();
      const late = new Node("Late");
      const node = socketNode(server, {
        autoconnectMode: AutoconnectMode.CUSTOM,
        autoconnectReference: late,
      });
      tree.root.addChild(node);
      tree.root.removeChild(node);
      tree.root.addChild(late);
      await delay(20);
      expect(server.sockets).toHaveLength(0);
      tree.root.addChild(node); // late is ready now: connects at once
      await until(() => node.isOpen);
      tree.root.removeChild(node);
      await until(() => server.closes.length === 1);
      expect(server.closes[0]).toEqual({ code: 1001, reason: "Going Away" });
      node.free();
    });
  });

  test("scene file: a WebSocketNode with autoconnectReference as a NodePath", async () => {
    const server = await fx.wsServer();
    const packed = parseScene(
      JSON.stringify({
        format: 1,
        root: {
          name: "Main",
          type: "Node",
          children: [
            {
              name: "Socket",
              type: "WebSocketNode",
              props: {
                host: `127.0.0.1:${server.port}`,
                route: "/scene",
                useWss: false,
                receiveLimit: 4,
                connectionTimeout: 5,
                autoconnectMode: "CUSTOM",
                autoconnectReference: "../Gate",
                reconnectJitter: 0.2,
              },
            },
            { name: "Gate", type: "Timer" },
          ],
        },
      }),
    );
    const { tree } = fx.tree();
    const main = packed.instantiate();
    const node = main.getNode("Socket") as WebSocketNode;
    expect(node).toBeInstanceOf(WebSocketNode);
    expect(node.autoconnectReference).toBe(main.getNode("Gate"));
    expect(node.autoconnectMode).toBe(AutoconnectMode.CUSTOM);
    expect(node.receiveLimit).toBe(4);
    tree.root.addChild(main);
    await until(() => node.isOpen);
    expect(node.url).toBe(`ws://127.0.0.1:${server.port}/scene`);
  });

  test("scene file: out-of-range props are rejected by the schema", () => {
    const text = (props: object) =>
      JSON.stringify({ format: 1, root: { name: "S", type: "WebSocketNode", props } });
    expect(() => parseScene(text({ receiveLimit: 129 }))).toThrow(/receiveLimit/);
    expect(() => parseScene(text({ connectionTimeout: 301 }))).toThrow(/connectionTimeout/);
    expect(() => parseScene(text({ autoconnectMode: "SOMETIMES" }))).toThrow(/autoconnectMode/);
    expect(() => parseScene(text({ reconnectJitter: 2 }))).toThrow(/reconnectJitter/);
  });

  describe("leaving the tree with messages queued", () => {
    test("reparent(): the connection it wanted is opened again and the queue is sent on it, in order", async () => {
      const port = await unusedPort();
      const { tree } = fx.tree();
      const from = new Node("From");
      const to = new Node("To");
      tree.root.addChild(from);
      tree.root.addChild(to);
      // autoconnectMode NONE: only the reparent itself can bring the connection back.
      const node = socketNode({ port }, { autoReconnect: true, reconnectDelay: 60 });
      from.addChild(node);
      const log = recordSignals(node, SIGNALS);
      node.connectSocket();
      await until(() => names(log).includes("reconnecting"), 5000, "the retry to be scheduled");
      node.sendText("first");
      node.send(Uint8Array.from([50]));
      const server = await fx.wsServer({ port });
      node.reparent(to);
      node.sendText("third");
      await until(() => server.received.length === 3, 5000, "every message");
      expect(server.received).toEqual([
        { text: "first", isBinary: false },
        { text: "2", isBinary: true },
        { text: "third", isBinary: false },
      ]);
      expect(names(log)).not.toContain("sendRefused");
      expect(node.isOpen).toBe(true);
    });

    test("removed for good: each queued message is refused with the reason, once the turn ends", async () => {
      const silent = await startSilentTcpServer();
      fx.onCleanup(() => silent.close());
      const { tree } = fx.tree();
      const node = socketNode(silent);
      tree.root.addChild(node);
      const log = recordSignals(node, SIGNALS);
      node.connectSocket();
      node.sendText("lost?");
      tree.root.removeChild(node);
      await Promise.resolve();
      expect(log).toEqual([["sendRefused", "lost?", "the node left the scene tree"]]);
      node.free();
      expect(log).toHaveLength(1);
    });
  });
});
