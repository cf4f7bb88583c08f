/**
 * WebSocketServer against a stand-in for Godot 3.2.3's wslay WebSocketClient that writes what the real
 * one wrote, byte for byte (test/helpers/godot3Peers.ts; verified against `godot3-server` 3.2.3,
 * docs/pending/godot-ws.md). No Godot is needed.
 */
import * as net from "node:net";
import "../../src";
import { WebSocketServer } from "../../src/nodes/WebSocketServer";
import { GODOT3_CLIENT_CLOSE_1009, GODOT3_CLIENT_REQUEST } from "../helpers/godot3Peers";
import { until } from "../helpers/netServers";
import { Fixture, recordSignals } from "../helpers/websocketNodes";

const fx = new Fixture();
afterEach(() => fx.cleanup());

describe("WebSocketServer against a Godot 3.2.3 client", () => {
  test('a message past the client\'s 64 KiB buffer: peerDisconnected(id, 1009, "") while the client holds the connection', async () => {
    const { tree } = fx.tree();
    const server = new WebSocketServer("Server");
    const log = recordSignals(server, ["peerConnected", "peerDisconnected"]);
    tree.root.addChild(server);
    server.listen();
    await until(() => server.isListening(), 2000, "listening");
    // allowHalfOpen: the server's FIN must not make Node end this side too, as Godot does not.
    const godot = net.connect({ port: server.port, host: "127.0.0.1", allowHalfOpen: true });
    fx.onCleanup(() => void godot.destroy());
    godot.on("error", () => {});
    let received = 0;
    godot.on("data", (chunk: Buffer) => (received += chunk.length));
    godot.write(GODOT3_CLIENT_REQUEST);
    await until(() => log.length === 1, 2000, "peerConnected");
    const id = log[0]![1] as number;
    server.send(id, Buffer.alloc(65537, 7));
    await until(() => received > 65537, 2000, "the message");
    godot.write(GODOT3_CLIENT_CLOSE_1009); // and, as Godot, never closes its side
    await until(() => log.length === 2, 2000, "peerDisconnected");
    expect(log[1]).toEqual(["peerDisconnected", id, 1009, ""]);
    expect(godot.destroyed).toBe(false);
  });
});
