import type { IncomingMessage } from "node:http";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { WebSocketNode } from "../../src/nodes/WebSocketNode";
import "../../src"; // the package entry registers the built-in node types
import { parseScene } from "../../src/loader";
import { until } from "../helpers/netServers";
import { Fixture, recordSignals } from "../helpers/websocketNodes";

const fx = new Fixture();
afterEach(() => fx.cleanup());

/** A server on 127.0.0.1 that records the address each connection came from. */
async function recordingServer() {
  const server = await fx.wsServer();
  const from: string[] = [];
  server.wss.on("connection", (_socket, request: IncomingMessage) =>
    from.push(request.socket.remoteAddress!),
  );
  return { server, from };
}

describe("WebsocketClient.localAddress", () => {
  test("the connection is opened from that address (any of 127.0.0.0/8 reaches a server on 127.0.0.1)", async () => {
    const { server, from } = await recordingServer();
    const { tree } = fx.tree();
    const spread = new WebsocketClient("Spread");
    spread.connectionUrl = server.url;
    spread.localAddress = "127.0.0.2";
    const plain = new WebsocketClient("Plain");
    plain.connectionUrl = server.url;
    tree.root.addChild(spread);
    tree.root.addChild(plain);
    spread.openConnection();
    await until(() => spread.isOpen, 10_000, "the spread client open");
    plain.openConnection();
    await until(() => plain.isOpen, 10_000, "the plain client open");
    expect(from).toEqual(["127.0.0.2", "127.0.0.1"]);
    expect(plain.localAddress).toBe(""); // the default: the system chooses
  });

  test("an address this machine does not have fails the attempt with connectFailed, nothing thrown", async () => {
    const { server, from } = await recordingServer();
    const { tree } = fx.tree();
    const node = new WebsocketClient("Bot");
    node.connectionUrl = server.url;
    node.localAddress = "192.0.2.1"; // TEST-NET-1: never a local address
    tree.root.addChild(node);
    const log = recordSignals(node, ["connectFailed", "connectionClosed"]);
    node.openConnection();
    await until(() => log.length === 2, 10_000, "the failed attempt");
    expect(log[0]).toEqual(["connectFailed", expect.stringMatching(/EADDRNOTAVAIL/), 0]);
    expect(from).toEqual([]);
    expect(fx.errors).toEqual([]);
  });

  test("scene files: a string prop of both client nodes, with the instance placeholders", () => {
    const scene = (type: string) =>
      parseScene(
        JSON.stringify({
          format: 1,
          root: { name: "Bot", type, props: { localAddress: "127.0.0.{index}" } },
        }),
      );
    const client = scene("WebsocketClient").instantiate({ placeholders: { index: 7 } }) as WebsocketClient;
    expect(client.localAddress).toBe("127.0.0.7");
    const node = scene("WebSocketNode").instantiate() as WebSocketNode;
    expect(node.localAddress).toBe("127.0.0.{index}"); // no instance: the text as written
    expect(() =>
      parseScene(
        JSON.stringify({
          format: 1,
          root: { name: "B", type: "WebsocketClient", props: { localAddress: 2 } },
        }),
      ),
    ).toThrow(/localAddress/);
    client.free();
    node.free();
  });
});
