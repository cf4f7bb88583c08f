/**
 * WebsocketClient against a stand-in for Godot 3.2.3's wslay WebSocketServer that write what
 * the real ones wrote, byte for byte (test/helpers/godot3Peers.ts; verified against `godot3-server`
 * 3.2.3, docs/pending/godot-ws.md). No Godot is needed.
 */
import "../../src";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { GODOT3_SERVER_CLOSE_4001_BYE, startGodot3Server } from "../helpers/godot3Peers";
import { until } from "../helpers/netServers";
import { Fixture, recordSignals } from "../helpers/websocketNodes";

const fx = new Fixture();
afterEach(() => fx.cleanup());

async function godot3Server(onOpen?: Parameters<typeof startGodot3Server>[0]) {
  const server = await startGodot3Server(onOpen);
  fx.onCleanup(() => server.close());
  return server;
}

describe("WebsocketClient against a Godot 3.2.3 server", () => {
  test('a message past Godot\'s 64 KiB buffer: connectionClosed(1009, "") while Godot holds the connection, then it reconnects', async () => {
    const godot = await godot3Server();
    const { tree, clock } = fx.tree();
    const client = Object.assign(new WebsocketClient("Bot"), { connectionUrl: godot.url });
    tree.root.addChild(client);
    const log = recordSignals(client, ["connectionEstablished", "connectionClosed", "reconnecting"]);
    client.openConnection();
    await until(() => log.length === 1, 2000, "the connection");
    client.send(Buffer.alloc(65537, 7));
    await until(() => log.length === 3, 2000, "the close, while Godot holds the TCP connection");
    expect(log).toEqual([
      ["connectionEstablished"],
      ["connectionClosed", 1009, ""],
      ["reconnecting", 1, 1], // a short session: reconnectDelay before the first retry
    ]);
    expect(godot.connections[0]!.destroyed).toBe(false);
    clock.advance(1000);
    await until(() => log.length === 4, 2000, "the reconnection");
    expect(log[3]).toEqual(["connectionEstablished"]);
    expect(godot.connections).toHaveLength(2);
  });

  test('disconnect_peer(4001, "bye") with noReconnectCodes [4001]: connectionClosed(4001, "bye"), no retry', async () => {
    const godot = await godot3Server((socket) => socket.write(GODOT3_SERVER_CLOSE_4001_BYE));
    const { tree, clock } = fx.tree();
    const client = Object.assign(new WebsocketClient("Bot"), {
      connectionUrl: godot.url,
      noReconnectCodes: [4001],
    });
    tree.root.addChild(client);
    const log = recordSignals(client, ["connectionEstablished", "connectionClosed", "reconnecting"]);
    client.openConnection();
    await until(() => log.length === 2, 2000, "the close");
    expect(log).toEqual([["connectionEstablished"], ["connectionClosed", 4001, "bye"]]);
    expect([client.reconnectPending, clock.pendingCount]).toEqual([false, 0]);
  });
});
