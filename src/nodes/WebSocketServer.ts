/**
 * `WebSocketServer`: a WebSocket server node (not in the seeds), so that scenes and tests can be
 * self-contained. Each accepted connection is a {@link WebSocketPeer} with a numeric id (from 1, never
 * reused while the node lives).
 *
 * Messages reach `messageReceived` as soon as they arrive (`dispatch: "immediate"`, the default) or
 * once per frame (`dispatch: "frame"`). `stop()` closes every peer with 1001 "Going Away" and reports
 * each one as disconnected at once; leaving the tree does the same silently. After listening on port
 * 0, `port` holds the port that was picked, so `stop()` then `listen()` comes back on the same port and
 * reconnecting clients find it again.
 */
import { signal, type SignalsOf } from "../core/signals/SignalSet";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { WebSocketServer as WsServer, type WebSocket } from "ws";
import { Node } from "../scene/Node";
import { ErrorCode } from "../scene/ErrorCode";
import {
  CloseCode,
  closeArgumentsProblem,
  DEFAULT_INBOUND_BUFFER_SIZE,
  WebSocketPeer,
  WebSocketPeerState,
  WebSocketWriteMode,
  type DispatchMode,
  type OutgoingData,
} from "../net";

const webSocketServerSignals = Node.signals.extend({
  /** Listening; `port` is the bound port. */
  listening: signal<[port: number]>("port"),
  /** `listen()` failed (port in use, bad address…); the node is not listening. */
  listenFailed: signal<[reason: string]>("reason"),
  peerConnected: signal<[id: number]>("id"),
  /** The peer's connection ended (`code` -1 when it dropped without a close frame). */
  peerDisconnected: signal<[id: number, code: number, reason: string]>("id", "code", "reason"),
  /** One complete message from peer `id` (`isText` when it came in a text frame). */
  messageReceived: signal<[id: number, message: Buffer, isText: boolean]>("id", "message", "isText"),
});

export type WebSocketServerSignals = SignalsOf<typeof webSocketServerSignals>;

/** Certificate and key (PEM) to serve wss://. */
export interface WebSocketServerTls {
  cert: string | Buffer;
  key: string | Buffer;
}

interface PeerEntry {
  readonly id: number;
  readonly peer: WebSocketPeer;
  readonly onActivity: () => void;
}

const OPEN = WebSocketPeerState.OPEN;
const CLOSED = WebSocketPeerState.CLOSED;
const TEXT = WebSocketWriteMode.TEXT;
const BINARY = WebSocketWriteMode.BINARY;
const GOING_AWAY = CloseCode.GOING_AWAY;

export class WebSocketServer<S extends WebSocketServerSignals = WebSocketServerSignals> extends Node<S> {
  static override readonly signals = webSocketServerSignals;

  /** Port to listen on; 0 picks a free one, and after listening this reads the port that was picked. */
  port = 0;
  /** Address to bind; the default accepts local connections only. */
  bindAddress = "127.0.0.1";
  /** Start listening when the node is ready. */
  autostart = false;
  /** Largest accepted message in bytes; a larger one closes that peer with 1009. */
  inboundBufferSize = DEFAULT_INBOUND_BUFFER_SIZE;
  /** Seconds between pings to each peer; a peer that misses a pong is dropped. 0 = off. */
  heartbeatInterval = 0;
  /** Serve wss:// with this certificate. */
  tls: WebSocketServerTls | null = null;
  /** "immediate" (default) or "frame", as on the client nodes. Read when listening starts. */
  dispatch: DispatchMode = "immediate";

  private _server: http.Server | null = null;
  private _wss: WsServer | null = null;
  private _listening = false;
  private _peers = new Map<number, PeerEntry>();
  private _nextId = 1;
  private _immediate = true;

  constructor(name = "") {
    super(name);
  }

  isListening(): boolean {
    return this._listening;
  }

  /** Ids of the connected peers, oldest first. */
  getPeerIds(): number[] {
    return [...this._peers.keys()];
  }

  /** The peer with this id (for details such as `getRequestedUrl()`), or null. */
  getPeer(id: number): WebSocketPeer | null {
    return this._peers.get(id)?.peer ?? null;
  }

  /**
   * Starts listening (asynchronously: `listening(port)` or `listenFailed(reason)` follows). The node
   * must be inside the tree. `ERR_ALREADY_EXISTS` when already listening or starting.
   */
  listen(): ErrorCode {
    if (this._server !== null) return ErrorCode.ERR_ALREADY_EXISTS;
    if (!this.isInsideTree()) return ErrorCode.ERR_UNCONFIGURED;
    const tls = this.tls;
    const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }) : http.createServer();
    const wss = new WsServer({ server, maxPayload: this.inboundBufferSize });
    this._server = server;
    this._wss = wss;
    this._immediate = this.dispatch === "immediate";
    this.setProcessInternal(!this._immediate);
    wss.on("connection", (socket: WebSocket, request: http.IncomingMessage) => {
      if (this._wss === wss) this._accept(socket, request.url ?? "");
      else socket.terminate();
    });
    wss.on("error", () => {}); // the http server's errors are reported below
    server.on("error", (error: Error) => {
      if (this._server !== server) return;
      this._shutDown(false);
      (this as WebSocketServer).emit("listenFailed", error.message);
    });
    server.listen(this.port, this.bindAddress, () => {
      if (this._server !== server) return;
      this._listening = true;
      this.port = (server.address() as AddressInfo).port;
      (this as WebSocketServer).emit("listening", this.port);
    });
    return ErrorCode.OK;
  }

  /** Stops listening; every peer is closed with 1001 "Going Away" and `peerDisconnected` at once. */
  stop(): void {
    this._shutDown(true);
  }

  /** Sends a binary message (a string as its UTF-8 bytes) to peer `id`. */
  send(id: number, data: OutgoingData): ErrorCode {
    const entry = this._peers.get(id);
    return entry === undefined ? ErrorCode.ERR_DOES_NOT_EXIST : entry.peer.send(data, BINARY);
  }

  /** Sends a text frame to peer `id`. */
  sendText(id: number, text: string): ErrorCode {
    const entry = this._peers.get(id);
    return entry === undefined ? ErrorCode.ERR_DOES_NOT_EXIST : entry.peer.send(text, TEXT);
  }

  /** Sends to every open peer; text frames when `isText` (default: when `data` is a string). */
  broadcast(data: OutgoingData, isText: boolean = typeof data === "string"): ErrorCode {
    const mode = isText ? TEXT : BINARY;
    for (const entry of this._peers.values()) entry.peer.send(data, mode);
    return ErrorCode.OK;
  }

  /** Starts closing peer `id`'s connection; `peerDisconnected` follows when it has closed. */
  disconnectPeer(id: number, code: number = CloseCode.NORMAL, reason = ""): ErrorCode {
    const entry = this._peers.get(id);
    if (entry === undefined) return ErrorCode.ERR_DOES_NOT_EXIST;
    if (closeArgumentsProblem(code, reason) !== undefined) return ErrorCode.ERR_INVALID_PARAMETER;
    return entry.peer.close(code, reason);
  }

  override _notification(what: number): void {
    if (what === Node.NOTIFICATION_READY && this.autostart) this.listen();
    else if (what === Node.NOTIFICATION_EXIT_TREE || what === Node.NOTIFICATION_PREDELETE)
      this._shutDown(false);
  }

  override _internalProcess(_delta: number): void {
    for (const entry of [...this._peers.values()]) this._pump(entry);
  }

  private _accept(socket: WebSocket, requestUrl: string): void {
    const peer = new WebSocketPeer({ clock: this._tree?.clock, heartbeatInterval: this.heartbeatInterval });
    if (peer.acceptSocket(socket, requestUrl) !== ErrorCode.OK) {
      socket.terminate();
      return;
    }
    const id = this._nextId++;
    // One closure per connection (not per message): it carries the id to the signal.
    const entry: PeerEntry = { id, peer, onActivity: () => this._pump(entry) };
    this._peers.set(id, entry);
    if (this._immediate) {
      peer.on("activity", entry.onActivity);
      peer.packetSink = (data, isText) => {
        (this as WebSocketServer).emit("messageReceived", id, data, isText);
        return true;
      };
    }
    peer.poll();
    (this as WebSocketServer).emit("peerConnected", id);
  }

  /** Emits what peer `entry` has received, then its disconnection once it is closed. */
  private _pump(entry: PeerEntry): void {
    const peer = entry.peer;
    if (this._peers.get(entry.id) !== entry) return;
    peer.poll();
    while (peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      (this as WebSocketServer).emit("messageReceived", entry.id, data, peer.wasStringPacket());
      if (this._peers.get(entry.id) !== entry) return;
    }
    if (peer.getReadyState() === CLOSED) {
      this._forget(entry);
      (this as WebSocketServer).emit(
        "peerDisconnected",
        entry.id,
        peer.getCloseCode(),
        peer.getCloseReason(),
      );
    }
  }

  private _forget(entry: PeerEntry): void {
    this._peers.delete(entry.id);
    entry.peer.off("activity", entry.onActivity);
    entry.peer.packetSink = null;
  }

  private _shutDown(report: boolean): void {
    const server = this._server;
    const wss = this._wss;
    this._server = null;
    this._wss = null;
    this._listening = false;
    this.setProcessInternal(false);
    const entries = [...this._peers.values()];
    for (const entry of entries) {
      this._forget(entry);
      if (entry.peer.getReadyState() === OPEN) entry.peer.close(GOING_AWAY, "Going Away");
      else entry.peer.abort("server stopped");
    }
    if (wss !== null) wss.close();
    if (server !== null) {
      server.close();
      // Peers that do not answer the close frame must not keep the port (or the process) alive.
      const sockets = [...(wss?.clients ?? [])];
      setTimeout(() => {
        for (const socket of sockets) socket.terminate();
      }, 1000).unref();
    }
    if (report) {
      for (const entry of entries) {
        if (!this.isInstanceValid()) return;
        (this as WebSocketServer).emit("peerDisconnected", entry.id, GOING_AWAY, "Going Away");
      }
    }
  }
}
