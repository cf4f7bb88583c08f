import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { WebSocketNode } from "../../src/nodes/WebSocketNode";
import "../../src";
import { parseScene } from "../../src";
import { startRefusingServer } from "../helpers/httpServers";
import { until } from "../helpers/netServers";
import { Fixture, recordSignals } from "../helpers/websocketNodes";

const fx = new Fixture();
afterEach(() => fx.cleanup());

async function refusing(status: number) {
  const server = await startRefusingServer(status);
  fx.onCleanup(() => server.close());
  return server;
}

describe("WebsocketClient: refused handshakes and the reconnect policy", () => {
  test("a 401: connectFailed(reason, 401), lastHttpStatus, no retry, and the connection wait fails at once", async () => {
    const server = await refusing(401);
    const { tree, clock } = fx.tree();
    const node = new WebsocketClient("Bot");
    node.connectionUrl = server.url;
    tree.root.addChild(node);
    const log = recordSignals(node, ["connectFailed", "connectionClosed", "reconnecting"]);
    node.openConnection();
    const wait = node.waitConnectionEstablished(30).catch((error: unknown) => error);
    await until(() => log.length === 2, 10_000, "the refusal");
    expect(log).toEqual([
      ["connectFailed", "Unexpected server response: 401", 401],
      ["connectionClosed", -1, "Unexpected server response: 401"],
    ]);
    expect(node.lastHttpStatus).toBe(401);
    expect(await wait).toMatchObject({ code: "ERR_CONNECT_FAILED" });
    expect([node.reconnectPending, clock.pendingCount]).toEqual([false, 0]);
  });

  test("WebSocketNode reports the status the same way", async () => {
    const server = await refusing(403);
    const { tree } = fx.tree();
    const node = new WebSocketNode("Socket");
    node.useWss = false;
    node.host = server.url.slice("ws://".length, -1);
    tree.root.addChild(node);
    const log = recordSignals(node, ["connectFailed", "closed"]);
    node.connectSocket();
    await until(() => log.length === 1, 10_000, "the refusal");
    expect(log).toEqual([["connectFailed", "Unexpected server response: 403", 403]]);
    expect(node.lastHttpStatus).toBe(403);
  });

  test("shouldReconnect may retry a 401 (a fresh token from headersProvider), and its errors are reported", async () => {
    const server = await refusing(401);
    const { tree, clock } = fx.tree();
    const node = new WebsocketClient("Bot");
    node.connectionUrl = server.url;
    let token = 0;
    node.headersProvider = async () => ({ authorization: `Bearer ${++token}` });
    node.shouldReconnect = (_code, _reason, status) => {
      if (token === 2) throw new Error("policy bug");
      return status === 401;
    };
    tree.root.addChild(node);
    node.openConnection();
    await until(() => node.reconnectPending, 10_000, "the retry of the 401");
    clock.advance(1000);
    await until(() => fx.errors.length === 1, 10_000, "the policy error");
    expect(server.upgrades.map((upgrade) => upgrade.headers.authorization)).toEqual(["Bearer 1", "Bearer 2"]);
    expect(fx.errors[0]).toMatchObject({ nodePath: "/root/Bot", callback: "shouldReconnect" });
    expect((fx.errors[0].cause as Error).message).toBe("policy bug");
    expect(node.reconnectPending).toBe(false); // a throwing policy counts as no
  });

  test("scene files: noReconnectCodes is a prop (close codes only), and the node reads it", () => {
    const text = (props: Record<string, unknown>) =>
      JSON.stringify({ format: 1, root: { name: "Bot", type: "WebsocketClient", props } });
    const node = parseScene(text({ noReconnectCodes: [4001, 4003] })).instantiate() as WebsocketClient;
    expect(node.noReconnectCodes).toEqual([4001, 4003]);
    expect(new WebsocketClient().noReconnectCodes).toEqual([]);
    expect(() => parseScene(text({ noReconnectCodes: [401] }))).toThrow(/noReconnectCodes/);
    expect(() => parseScene(text({ shouldReconnect: true }))).toThrow(/shouldReconnect/);
    node.free();
  });

  test("urlProvider on the node is asked before every attempt", async () => {
    const server = await refusing(503);
    const { tree, clock } = fx.tree();
    const node = new WebsocketClient("Bot");
    let attempt = 0;
    node.urlProvider = () => `${server.url}bot?try=${++attempt}`;
    tree.root.addChild(node);
    node.openConnection();
    await until(() => node.reconnectPending, 10_000, "the first attempt");
    clock.advance(1000);
    await until(() => server.upgrades.length === 2, 10_000, "the second attempt");
    expect(server.upgrades.map((upgrade) => upgrade.url)).toEqual(["/bot?try=1", "/bot?try=2"]);
    expect(node.connectionUrl).toBe(""); // the provider's URLs are per attempt, not a setting
  });
});
