import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer as WsServer, type WebSocket } from "ws";
import type { Clock, ScheduledTask } from "../core/clock";
import { secureContextFor } from "./tlsMaterial";

export interface WebSocketListenerOptions {
  port: number;
  host: string;
  /** Serve wss:// with this certificate and key (PEM). */
  tls: { cert: string | Buffer; key: string | Buffer } | null;
  /** Largest accepted message in bytes (a larger one closes that connection with 1009). */
  maxPayload: number;
  /** Seconds from TCP accept to a finished WebSocket handshake before the socket is dropped; 0 = none. */
  handshakeTimeout: number;
  /** Seconds an upgraded socket gets to answer the close frame after `close()`, in real time. */
  closeGrace: number;
  /** False when no more connections may be upgraded now: the handshake is answered 503. */
  admitsConnection(): boolean;
  /**
   * Connections that may wait for their handshake at once (0 = no limit): one accepted beyond is
   * destroyed at once, unanswered. Without it, silent or slow connections were bounded only by how many
   * arrive within `handshakeTimeout`, ~10-25 KB each, whatever `maxPeers` said.
   */
  maxPendingHandshakes?(): number;
  /**
   * Subprotocols served (Godot's `supported_protocols`): the client's first offered one that is served is
   * selected; a client that offers none of them, or none at all, is refused (400), as Godot 4 refuses it.
   * Empty: the first protocol a client offers is selected (`ws`'s way).
   */
  protocols?: readonly string[];
  clock: Clock;
  onListening(port: number): void;
  onListenFailed(reason: string): void;
  onConnection(socket: WebSocket, requestUrl: string): void;
}

/** One accepted TCP connection, from accept until it has closed. */
interface Accepted {
  readonly socket: Socket;
  handshakeTimer: ScheduledTask | null;
  upgraded: boolean;
  /** Answered 426: a request pipelined after it on the same connection is not served. */
  refused: boolean;
}

const UPGRADE_REQUIRED_BODY = "426 Upgrade Required: this is a WebSocket endpoint\n";
const TOO_MANY_BODY = "503 Service Unavailable: this WebSocket endpoint has all the connections it takes\n";

/**
 * Fragments one message may come in. ws keeps each fragment as a Buffer until the last one, about
 * 100 bytes apiece beyond its payload: its default of 16,384 let a client hold 1.6 MB per connection
 * with 16 KB of one-byte fragments. Senders fragment by buffer size (Godot's default is 64 KiB
 * frames), so 1,024 fragments is more than any real message needs.
 */
export const MAX_MESSAGE_FRAGMENTS = 1024;

/**
 * The listening side of {@link WebSocketServer}: owns every socket it accepted, from the TCP accept
 * on. A plain HTTP request (no Upgrade) is answered 426 and the connection closed; a connection that
 * has not finished its WebSocket handshake within `handshakeTimeout` (slow headers, a stalled TLS
 * handshake, silence) is destroyed; `close()` destroys every socket that is not upgraded and gives the
 * upgraded ones `closeGrace` to answer their close frame, without keeping the process alive meanwhile.
 */
export class WebSocketListener {
  private server: http.Server | null = null;
  private readonly wss: WsServer;
  private readonly accepted = new Map<Socket, Accepted>();
  /** Entries of `accepted` not upgraded yet. */
  private pending = 0;

  constructor(private readonly options: WebSocketListenerOptions) {
    const served = options.protocols ?? [];
    this.wss = new WsServer({
      noServer: true,
      maxPayload: options.maxPayload,
      maxFragments: MAX_MESSAGE_FRAGMENTS,
      clientTracking: false,
      ...(served.length > 0 && { handleProtocols: (offered: Set<string>) => firstServed(served, offered) }),
    });
    this.wss.on("error", () => {}); // only the http server's errors matter, reported below
  }

  /**
   * Starts listening; `onListening` or `onListenFailed` follows asynchronously. TLS material that cannot
   * be used is a configuration error, returned here at once (nothing is started).
   */
  start(): string | undefined {
    const tls = this.options.tls;
    let server: http.Server;
    if (tls !== null) {
      const built = secureContextFor(tls, "server");
      if ("problem" in built) return built.problem;
      // Checked first: https.createServer would throw on the same material.
      server = https.createServer({ cert: tls.cert, key: tls.key });
    } else {
      server = http.createServer();
    }
    this.server = server;
    server.on("connection", this.onTcpConnection);
    server.on("request", this.onPlainRequest);
    server.on("upgrade", this.onUpgrade);
    server.on("error", (error: Error) => {
      if (this.server !== server) return;
      this.close();
      this.options.onListenFailed(error.message);
    });
    server.listen(this.options.port, this.options.host, () => {
      if (this.server !== server) return;
      this.options.onListening((server.address() as AddressInfo).port);
    });
    return undefined;
  }

  /** TCP connections accepted and not yet closed (upgraded or not). */
  get socketCount(): number {
    return this.accepted.size;
  }

  /**
   * Stops listening and lets go of every socket: those not upgraded are destroyed now; upgraded ones
   * (already sent a close frame by their owner) are destroyed after `closeGrace` seconds unless they
   * closed by then. None of them keeps the process alive any more.
   */
  close(): void {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.close();
    const lingering: Socket[] = [];
    for (const entry of this.accepted.values()) {
      entry.handshakeTimer?.cancel();
      entry.handshakeTimer = null;
      if (entry.upgraded) {
        entry.socket.unref();
        lingering.push(entry.socket);
      } else {
        entry.socket.destroy();
      }
    }
    this.accepted.clear();
    this.pending = 0;
    if (lingering.length === 0) return;
    // Real time on purpose: this only frees OS resources, after the node (and its clock) may be gone.
    setTimeout(() => {
      for (const socket of lingering) socket.destroy();
    }, this.options.closeGrace * 1000).unref();
  }

  private readonly onTcpConnection = (socket: Socket): void => {
    if (this.server === null) {
      socket.destroy();
      return;
    }
    const maxPending = this.options.maxPendingHandshakes?.() ?? 0;
    if (maxPending > 0 && this.pending >= maxPending) {
      socket.destroy();
      return;
    }
    const entry: Accepted = { socket, handshakeTimer: null, upgraded: false, refused: false };
    this.accepted.set(socket, entry);
    this.pending++;
    socket.once("close", () => {
      entry.handshakeTimer?.cancel();
      if (this.accepted.delete(socket) && !entry.upgraded) this.pending--;
    });
    const timeout = this.options.handshakeTimeout;
    if (timeout > 0) {
      entry.handshakeTimer = this.options.clock.schedule(() => {
        entry.handshakeTimer = null;
        if (!entry.upgraded) socket.destroy();
      }, timeout * 1000);
    }
  };

  private readonly onPlainRequest = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    request.resume(); // a body, if any, is not wanted
    const entry = this.accepted.get(rawSocketOf(request.socket));
    if (entry !== undefined) entry.refused = true;
    response.writeHead(426, {
      Connection: "close",
      Upgrade: "websocket",
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(UPGRADE_REQUIRED_BODY),
    });
    response.end(UPGRADE_REQUIRED_BODY, () => request.socket.destroySoon());
  };

  private readonly onUpgrade = (request: http.IncomingMessage, socket: Socket, head: Buffer): void => {
    const entry = this.accepted.get(rawSocketOf(socket));
    if (this.server === null || entry === undefined || entry.refused) {
      socket.destroy();
      return;
    }
    if (!this.options.admitsConnection()) {
      refuseHandshake(socket, "503 Service Unavailable", TOO_MANY_BODY);
      return;
    }
    const served = this.options.protocols ?? [];
    const offered = served.length > 0 ? offeredProtocols(request) : null;
    // Godot 4's _parse_client_request: with protocols served, a client must offer one of them.
    if (offered !== null && firstServed(served, offered) === false) {
      const what =
        offered.size > 0 ? "none of the subprotocols offered is served" : "a subprotocol is required";
      const body = `400 Bad Request: ${what} (${served.join(", ")})\n`;
      refuseHandshake(socket, "400 Bad Request", body);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (!entry.upgraded && this.accepted.get(entry.socket) === entry) this.pending--;
      entry.upgraded = true;
      entry.handshakeTimer?.cancel();
      entry.handshakeTimer = null;
      if (this.server === null) ws.terminate();
      else this.options.onConnection(ws, request.url ?? "");
    });
  };
}

/** Answers an upgrade request with `status` and a text body, then closes the connection. */
function refuseHandshake(socket: Socket, status: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/** The subprotocols a handshake offers (`Sec-WebSocket-Protocol`, comma-separated). */
function offeredProtocols(request: http.IncomingMessage): Set<string> {
  const header = request.headers["sec-websocket-protocol"];
  const offered = new Set<string>();
  if (typeof header === "string")
    for (const name of header.split(",")) if (name.trim()) offered.add(name.trim());
  return offered;
}

/** The first of `served` that `offered` holds, or false. */
/** The first protocol the client offers that is served: the client's order, as Godot 4 selects. */
function firstServed(served: readonly string[], offered: Set<string>): string | false {
  for (const name of offered) if (served.includes(name)) return name;
  return false;
}

/**
 * The TCP socket under `socket`: for wss:// the upgrade comes on the TLS socket, which Node builds on
 * the accepted TCP one (its `_parent`; Node has no public name for it).
 */
function rawSocketOf(socket: Socket): Socket {
  return (socket as Socket & { _parent?: Socket })._parent ?? socket;
}
