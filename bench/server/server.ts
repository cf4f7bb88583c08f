/**
 * The benchmark server, run in its own process (forked by ./control.ts) so that its CPU time never
 * counts against the client being measured. It listens on 127.0.0.1 only and is driven over IPC:
 *
 *   listen { port, mode }   port 0 picks a free one; mode "echo" sends every message back, "record"
 *                           keeps the text messages each connection sent, "quiet" does nothing
 *   flood { count, size }   writes `count` binary messages of `size` bytes to every open connection
 *   received                the text messages recorded so far, per connection in arrival order
 *   connections             how many connections are open
 *   counts                  what the server counted since it started listening: sessions (connections
 *                           accepted), messages and payload bytes received and sent (echoes, broadcasts)
 *   broadcast { text }      sends one text message to every open connection (counted as sent)
 *   stop                    closes everything and exits
 *
 * `listen` takes a `host` (default 127.0.0.1) and a `backlog` (default 65535; the kernel caps it at
 * net.core.somaxconn).
 *
 * Every reply echoes the request's `id`. "listening" carries `atNs`, the monotonic clock (shared by
 * all processes of the machine) when the port started accepting, for the reconnect benchmark.
 *
 * Flood payloads are self-checking: bytes 0..3 hold the message number (little-endian), byte i ≥ 4
 * holds (number + i) & 0xff. See ./payload.ts.
 */
import http from "node:http";
import type { Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { fillPayload } from "./payload";

export type ServerMode = "echo" | "record" | "quiet";

export type ServerRequest =
  | { id: number; type: "listen"; port: number; mode: ServerMode; host?: string; backlog?: number }
  | { id: number; type: "flood"; count: number; size: number }
  | { id: number; type: "received" }
  | { id: number; type: "connections" }
  | { id: number; type: "counts" }
  | { id: number; type: "broadcast"; text: string }
  | { id: number; type: "stop" };

/** What the server counted, in the units of the client metrics it is compared with (k6's names). */
export interface ServerCounts {
  /** Connections accepted (`ws_sessions`). */
  sessions: number;
  /** Messages received (the clients' `ws_msgs_sent`) and their payload bytes (`data_sent`). */
  msgsIn: number;
  bytesIn: number;
  /** Messages sent, echoes and broadcasts (the clients' `ws_msgs_received`), and their payload bytes. */
  msgsOut: number;
  bytesOut: number;
}

export type ServerReply =
  | { id: number; type: "listening"; port: number; atNs: string }
  | { id: number; type: "flooded"; connections: number }
  | { id: number; type: "received"; messages: string[][] }
  | { id: number; type: "connections"; count: number }
  | { id: number; type: "counts"; counts: ServerCounts }
  | { id: number; type: "broadcasted"; connections: number }
  | { id: number; type: "stopped" }
  | { id: number; type: "error"; message: string };

let wss: WebSocketServer | null = null;
let httpServer: http.Server | null = null;
let mode: ServerMode = "quiet";
const recorded = new Map<WebSocket, string[]>();
const counts: ServerCounts = { sessions: 0, msgsIn: 0, bytesIn: 0, msgsOut: 0, bytesOut: 0 };

/** Payload bytes of what ws hands to "message" (a Buffer unless binaryType says otherwise). */
function byteLength(data: Buffer | ArrayBuffer | Buffer[]): number {
  return Array.isArray(data) ? data.reduce((n, part) => n + part.length, 0) : data.byteLength;
}

function reply(message: ServerReply): void {
  process.send?.(message);
}

function onConnection(socket: WebSocket): void {
  const log: string[] = [];
  if (mode === "record") recorded.set(socket, log);
  counts.sessions++;
  socket.on("error", () => {});
  socket.on("message", (data, isBinary) => {
    const bytes = byteLength(data);
    counts.msgsIn++;
    counts.bytesIn += bytes;
    if (mode === "echo") {
      socket.send(data, { binary: isBinary });
      counts.msgsOut++;
      counts.bytesOut += bytes;
    } else if (mode === "record") log.push(isBinary ? "<binary>" : (data as Buffer).toString("utf8"));
  });
}

function listen(id: number, port: number, wanted: ServerMode, host = "127.0.0.1", backlog = 65535): void {
  mode = wanted;
  httpServer = http.createServer();
  // A raw server: no compression, the ws default for servers, so every client meets the same peer.
  wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false });
  wss.on("connection", onConnection);
  httpServer.on("error", (error) => reply({ id, type: "error", message: error.message }));
  // A deep backlog so that 10,000 clients connecting at once are not slowed by dropped SYNs.
  httpServer.listen({ host, port, backlog }, () => {
    const address = httpServer?.address();
    const actual = typeof address === "object" && address !== null ? address.port : 0;
    reply({ id, type: "listening", port: actual, atNs: process.hrtime.bigint().toString() });
  });
}

/** One buffer of ready-made unmasked binary frames: the flood costs the server one write. */
function floodFrames(count: number, size: number): Buffer {
  const header = size < 126 ? 2 : 4;
  const frame = header + size;
  const frames = Buffer.allocUnsafe(count * frame);
  for (let seq = 0; seq < count; seq++) {
    const at = seq * frame;
    frames[at] = 0x82; // FIN + binary
    if (header === 2) frames[at + 1] = size;
    else {
      frames[at + 1] = 126;
      frames.writeUInt16BE(size, at + 2);
    }
    fillPayload(frames.subarray(at + header, at + frame), seq);
  }
  return frames;
}

let cachedFrames: { count: number; size: number; frames: Buffer } | null = null;

function flood(id: number, count: number, size: number): void {
  if (size >= 65536) throw new Error("flood: messages up to 65535 bytes");
  if (cachedFrames?.count !== count || cachedFrames.size !== size)
    cachedFrames = { count, size, frames: floodFrames(count, size) };
  const frames = cachedFrames.frames;
  const clients = [...(wss?.clients ?? [])];
  let pending = clients.length;
  if (pending === 0) reply({ id, type: "flooded", connections: 0 });
  for (const client of clients) {
    // Bypasses ws's per-message framing on purpose: the frames are valid, and the server stays cheap.
    const raw = (client as unknown as { _socket: Socket })._socket;
    raw.write(frames, () => {
      if (--pending === 0) reply({ id, type: "flooded", connections: clients.length });
    });
  }
}

function broadcast(id: number, text: string): void {
  const bytes = Buffer.byteLength(text);
  let sent = 0;
  for (const client of wss?.clients ?? []) {
    if (client.readyState !== client.OPEN) continue;
    client.send(text);
    sent++;
  }
  counts.msgsOut += sent;
  counts.bytesOut += sent * bytes;
  reply({ id, type: "broadcasted", connections: sent });
}

function stop(id: number): void {
  for (const client of wss?.clients ?? []) client.terminate();
  wss?.close();
  httpServer?.close();
  reply({ id, type: "stopped" });
  process.disconnect?.();
  setImmediate(() => process.exit(0));
}

process.on("message", (request: ServerRequest) => {
  try {
    switch (request.type) {
      case "listen":
        return listen(request.id, request.port, request.mode, request.host, request.backlog);
      case "flood":
        return flood(request.id, request.count, request.size);
      case "received":
        return reply({ id: request.id, type: "received", messages: [...recorded.values()] });
      case "connections":
        return reply({ id: request.id, type: "connections", count: wss?.clients.size ?? 0 });
      case "counts":
        return reply({ id: request.id, type: "counts", counts: { ...counts } });
      case "broadcast":
        return broadcast(request.id, request.text);
      case "stop":
        return stop(request.id);
    }
  } catch (error) {
    reply({ id: request.id, type: "error", message: (error as Error).message });
  }
});
// The parent went away without saying stop: do not linger.
process.on("disconnect", () => process.exit(0));
process.send?.({ id: 0, type: "ready" });
