/**
 * WebSocketPeer against peers that behave as Godot 3.2.3's wslay-based WebSocketServer and
 * WebSocketClient did, byte for byte (test/helpers/godot3Peers.ts). No Godot is needed.
 *
 * What Godot 3.2 does that matters here: past its inbound buffer (64 KiB by default) its wslay context
 * answers a message with a close frame 1009 and no reason, then never closes the TCP connection (and
 * never reports the peer gone) — not after our answering close frame either. Godot 4's own
 * WebSocketPeer is CLOSED as soon as both close frames have been exchanged; so must ours be, rather
 * than wait for `ws`'s 30 s close timer.
 */
import * as net from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { ErrorCode } from "../../src/core/ErrorCode";
import { WebSocketPeer } from "../../src/net/WebSocketPeer";
import {
  GODOT3_CLIENT_CLOSE_1009,
  GODOT3_CLIENT_REQUEST,
  GODOT3_SERVER_CLOSE_4001_BYE,
  startGodot3Server,
} from "../helpers/godot3Peers";
import { pollUntil, until } from "../helpers/netServers";

const { OPEN, CLOSED } = WebSocketPeer.State;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function peerOn(url: string): Promise<WebSocketPeer> {
  const peer = new WebSocketPeer();
  cleanups.push(() => peer.abort("test over"));
  expect(peer.connectToUrl(url)).toBe(ErrorCode.OK);
  await pollUntil(peer, () => peer.getReadyState() === OPEN, "OPEN");
  return peer;
}

describe("WebSocketPeer against Godot 3.2.3's wslay peers", () => {
  test("a Godot 3 server's 1009 close on a connection it then holds open: CLOSED with 1009 once both close frames are exchanged", async () => {
    const godot = await startGodot3Server();
    cleanups.push(() => godot.close());
    const peer = await peerOn(godot.url);
    expect(peer.putPacket(Buffer.alloc(65537, 7))).toBe(ErrorCode.OK);

    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED while Godot holds the connection");
    expect([peer.getCloseCode(), peer.getCloseReason()]).toEqual([1009, ""]);
    // Our answering close frame (1009) and our FIN went out; Godot never closed its side.
    await until(() => godot.clientEnded[0] === true, 2000, "our FIN");
    expect(godot.connections[0]!.destroyed).toBe(false);
  });

  test('Godot 3\'s disconnect_peer(4001, "bye"): CLOSED with 4001 "bye" (its NUL dropped), our answer echoes it', async () => {
    const godot = await startGodot3Server((socket) => socket.write(GODOT3_SERVER_CLOSE_4001_BYE));
    cleanups.push(() => godot.close());
    const peer = new WebSocketPeer();
    cleanups.push(() => peer.abort("test over"));
    peer.connectToUrl(godot.url);
    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
    expect([peer.getCloseCode(), peer.getCloseReason(), peer.hasConnected()]).toEqual([4001, "bye", true]);
    // CLOSED once our answer is written; it reaches the other side a moment later.
    await until(() => (godot.frames[0]?.length ?? 0) > 0, 2000, "our answering close frame");
    expect(godot.frames[0]!.map((f) => [f.opcode, f.payload.readUInt16BE(0)])).toEqual([[0x8, 4001]]);
  });

  test("a Godot 3 client's 1009 close on a connection it then holds open: the accepted peer is CLOSED with 1009", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", resolve));
    const accepted = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
    // allowHalfOpen: the server's FIN must not make Node end this side too, as Godot does not.
    const godot = net.connect({
      port: (wss.address() as net.AddressInfo).port,
      host: "127.0.0.1",
      allowHalfOpen: true,
    });
    const peer = new WebSocketPeer();
    cleanups.push(() => {
      peer.abort("test over");
      godot.destroy();
      wss.close();
    });
    godot.on("error", () => {});
    const chunks: Buffer[] = [];
    const received = (): string => Buffer.concat(chunks).toString("latin1");
    godot.on("data", (chunk: Buffer) => chunks.push(chunk));
    godot.write(GODOT3_CLIENT_REQUEST);
    expect(peer.acceptSocket(await accepted)).toBe(ErrorCode.OK);
    await until(() => received().includes("\r\n\r\n"), 2000, "the 101 answer");
    expect(peer.putPacket(Buffer.alloc(65537, 7))).toBe(ErrorCode.OK);
    await until(() => received().length > 65537, 2000, "the message");
    godot.write(GODOT3_CLIENT_CLOSE_1009); // and, as Godot, never closes its side

    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED while Godot holds the connection");
    expect([peer.getCloseCode(), peer.getCloseReason()]).toEqual([1009, ""]);
    // Our answering close frame reaches it a moment after we are CLOSED (once it is written).
    await until(() => received().endsWith("\x88\x02\x03\xf1"), 2000, "our answering close frame");
  });
});
