/**
 * Stand-ins for Godot 3.2.3's wslay-based WebSocketServer and WebSocketClient, writing what the real
 * ones wrote, byte for byte (captured from Debian's `godot3-server` 3.2.3; see docs/pending/godot-ws.md).
 * Plain TCP on 127.0.0.1, so no Godot is needed. What they reproduce:
 * - the handshake: Godot's 101 answer (no Sec-WebSocket-Extensions: it never agrees to
 *   permessage-deflate) and its client's upgrade request;
 * - `disconnect_peer(id, 4001, "bye")`: a close frame whose reason carries its C string's NUL;
 * - a message past Godot's default 64 KiB inbound buffer (more than 65536 bytes): a close frame 1009
 *   with no reason, after which Godot keeps the TCP connection open and silent, whatever comes;
 * - a close frame from the other side: Godot answers with the same code and reason, then closes TCP.
 */
import { createHash } from "node:crypto";
import * as net from "node:net";

/** Godot 3.2.3 server's 101 answer, header for header. */
export function godot3ServerAnswer(key: string): string {
  const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
  return (
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
    `Sec-WebSocket-Accept: ${accept}\r\n\r\n`
  );
}

/** Godot 3.2.3 client's upgrade request, header for header (the key is the nonce it sent). */
export const GODOT3_CLIENT_REQUEST =
  "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
  "Sec-WebSocket-Key: mxuyMXsotN+j7e9g6AwncA==\r\nSec-WebSocket-Version: 13\r\n\r\n";

/** Godot 3.2.3 server's close for a message past its 64 KiB buffer: 1009, no reason. */
export const GODOT3_SERVER_CLOSE_1009 = Buffer.from([0x88, 0x02, 0x03, 0xf1]);
/** The same close from Godot 3.2.3's client (masked, with the mask it used on that connection). */
export const GODOT3_CLIENT_CLOSE_1009 = Buffer.from([0x88, 0x82, 0x9b, 0x1b, 0xb2, 0x31, 0x98, 0xea]);
/** Godot 3.2.3 server's `disconnect_peer(id, 4001, "bye")`: the reason ends with a NUL. */
export const GODOT3_SERVER_CLOSE_4001_BYE = Buffer.from([0x88, 0x06, 0x0f, 0xa1, 0x62, 0x79, 0x65, 0x00]);

/** Godot's inbound buffer by default (64 KiB): a message announcing more is answered with 1009. */
export const GODOT3_MAX_MESSAGE = 65536;

export interface Frame {
  opcode: number;
  payload: Buffer;
}

/** Splits complete frames off the front of `data` (unmasking them); returns them and the rest. */
export function readFrames(data: Buffer): { frames: Frame[]; rest: Buffer; announced: number | null } {
  const frames: Frame[] = [];
  let at = 0;
  for (;;) {
    if (data.length - at < 2) break;
    const masked = (data[at + 1]! & 0x80) !== 0;
    let length = data[at + 1]! & 0x7f;
    let head = 2;
    if (length === 126) {
      if (data.length - at < 4) break;
      length = data.readUInt16BE(at + 2);
      head = 4;
    } else if (length === 127) {
      if (data.length - at < 10) break;
      length = Number(data.readBigUInt64BE(at + 2));
      head = 10;
    }
    const maskAt = at + head;
    const bodyAt = maskAt + (masked ? 4 : 0);
    if (length > GODOT3_MAX_MESSAGE) return { frames, rest: data.subarray(at), announced: length };
    if (data.length < bodyAt + length) break;
    const payload = Buffer.from(data.subarray(bodyAt, bodyAt + length));
    if (masked) for (let i = 0; i < length; i++) payload[i]! ^= data[maskAt + (i % 4)]!;
    frames.push({ opcode: data[at]! & 0x0f, payload });
    at = bodyAt + length;
  }
  return { frames, rest: data.subarray(at), announced: null };
}

export interface Godot3Server {
  readonly port: number;
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: net.Socket[];
  /** Frames each connection's client sent (complete ones), in order. */
  readonly frames: Frame[][];
  /** Whether the client half-closed (sent FIN) connection `i`; Godot never answers that itself. */
  readonly clientEnded: boolean[];
  close(): void;
}

/**
 * A Godot 3.2.3 WebSocketServer stand-in (default buffers). `onOpen` runs after the handshake with
 * the connection's socket and index, e.g. to write `GODOT3_SERVER_CLOSE_4001_BYE`.
 */
export async function startGodot3Server(
  onOpen: (socket: net.Socket, index: number) => void = () => {},
): Promise<Godot3Server> {
  const connections: net.Socket[] = [];
  const frames: Frame[][] = [];
  const clientEnded: boolean[] = [];
  // allowHalfOpen: the client's FIN must not make Node end this side too; Godot does not.
  const tcp = net.createServer({ allowHalfOpen: true }, (socket) => {
    const index = connections.push(socket) - 1;
    frames.push([]);
    clientEnded.push(false);
    socket.on("error", () => {});
    socket.on("end", () => (clientEnded[index] = true));
    let pending: Buffer = Buffer.alloc(0);
    let handshaken = false;
    let closeSent = false;
    let silent = false;
    socket.on("data", (chunk: Buffer) => {
      if (silent) return;
      if (!handshaken) {
        handshaken = true;
        socket.write(godot3ServerAnswer(/sec-websocket-key: *(\S+)/i.exec(chunk.toString())![1]!));
        onOpen(socket, index);
        return;
      }
      const { frames: complete, rest, announced } = readFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const frame of complete) {
        frames[index]!.push(frame);
        if (frame.opcode !== 0x8) continue;
        // Godot answers a close it did not start with the same payload; either way it then closes TCP.
        if (!closeSent)
          socket.write(Buffer.concat([Buffer.from([0x88, frame.payload.length]), frame.payload]));
        socket.destroy();
        return;
      }
      if (announced !== null) {
        socket.write(GODOT3_SERVER_CLOSE_1009);
        silent = true; // and holds the connection open, reading nothing more of it
      }
    });
    const write = socket.write.bind(socket);
    socket.write = ((data: string | Uint8Array, ...rest: never[]) => {
      if (typeof data !== "string" && data[0] === 0x88) closeSent = true;
      return write(data, ...rest);
    }) as typeof socket.write;
  });
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  const port = (tcp.address() as net.AddressInfo).port;
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    connections,
    frames,
    clientEnded,
    close: () => {
      for (const socket of connections) socket.destroy();
      tcp.close();
    },
  };
}
