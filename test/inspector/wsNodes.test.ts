import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { WebSocketNode } from "../../src/nodes/WebSocketNode";
import { Node } from "../../src/scene/Node";
import { WsRates, wsAction, wsView } from "../../src/inspector/wsNodes";
import { Fixture } from "../helpers/websocketNodes";
import { unusedPort, until } from "../helpers/netServers";

const fixture = new Fixture();
afterEach(() => fixture.cleanup());

describe("the inspector's WebSocket panel", () => {
  it("drop link cuts the TCP connection without a close frame, and the client reconnects by itself", async () => {
    const server = await fixture.wsServer();
    const { tree, clock } = fixture.tree();
    const client = new WebsocketClient("Client");
    client.connectionUrl = server.url;
    client.reconnectDelay = 1;
    tree.root.addChild(client);
    client.openConnection();
    await until(() => client.isOpen, 5000, "first connection");
    const first = await server.nextConnection();

    expect(wsAction(client, "drop")).toEqual({ ok: true });
    await until(() => server.closes.length === 1, 5000, "the server saw the drop");
    expect(server.closes[0].code).toBe(1006); // abnormal: no close frame was sent
    expect(wsView(client, tree.clock.now())?.lastClose).toEqual({
      code: -1,
      reason: "link dropped from the inspector",
    });
    await until(() => client.reconnectPending, 5000, "a reconnect waits for its delay");
    clock.advance(1000);
    const second = await server.nextConnection(5000); // nobody called open: the node reconnected
    expect(second).not.toBe(first);
    await until(() => client.isOpen, 5000, "reconnected");
    expect(wsView(client, clock.now())).toMatchObject({ state: "OPEN", attempt: 2, url: server.url });
  });

  it("opens, sends text and closes through the node's own methods", async () => {
    const server = await fixture.wsServer();
    const { tree } = fixture.tree();
    const client = new WebsocketClient("Client");
    client.connectionUrl = server.url;
    tree.root.addChild(client);
    expect(wsAction(client, "open")).toEqual({ ok: true });
    await until(() => client.isOpen, 5000, "open");
    expect(wsAction(client, "send", "hello")).toEqual({ ok: true });
    await until(() => server.received.length === 1, 5000, "message");
    expect(server.received[0]).toEqual({ text: "hello", isBinary: false });
    expect(wsAction(client, "close")).toEqual({ ok: true });
    await until(() => server.closes.length === 1, 5000, "closed");
    expect(server.closes[0].code).toBe(1000);
    expect(wsAction(client, "drop")).toEqual({ ok: false, error: "no connection to drop" });
  });

  it("answers a refused send with the node's error code", () => {
    const { tree } = fixture.tree();
    const client = new WebsocketClient("Client");
    tree.root.addChild(client);
    expect(wsAction(client, "send", "x")).toEqual({ ok: false, error: "ERR_UNCONFIGURED" });
    expect(wsAction(new Node("Plain"), "open")).toEqual({ ok: false, error: "not a WebSocket node" });
  });

  it("shows WebSocketNode's URL and the seconds until a waiting retry", async () => {
    const port = await unusedPort();
    const { tree, clock } = fixture.tree();
    const node = new WebSocketNode("Legacy");
    node.host = `127.0.0.1:${port}`;
    node.useWss = false;
    node.autoReconnect = true;
    node.reconnectDelay = 3;
    tree.root.addChild(node);
    expect(wsAction(node, "open")).toEqual({ ok: true });
    await until(() => node.reconnectPending, 5000, "a retry waits");
    clock.advance(1000);
    expect(wsView(node, clock.now())).toMatchObject({
      url: `ws://127.0.0.1:${port}/`,
      state: "CLOSED",
      attempt: 1,
      nextRetryIn: 2,
      lastClose: { code: -1 },
    });
  });

  it("turns message counters into per-second rates, one sample a second", () => {
    const rates = new WsRates();
    let sent = 0;
    let received = 0;
    const socket = {
      get messagesSent() {
        return sent;
      },
      get messagesReceived() {
        return received;
      },
    };
    const node = Object.assign(new WebsocketClient("Fake"), {}) as WebsocketClient;
    Object.defineProperty(node, "socket", { get: () => socket });
    rates.sample([node], 1);
    sent = 10;
    received = 4;
    rates.sample([node], 1);
    sent = 30;
    received = 4;
    rates.sample([node], 2);
    expect(rates.history(node)).toEqual({ rateIn: [4, 0], rateOut: [10, 10] });
    rates.sample([], 1);
    expect(rates.history(node)).toEqual({ rateIn: [], rateOut: [] }); // gone nodes are forgotten
  });
});
