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
 *
 * The server owns every socket it accepts (see {@link WebSocketListener}): a plain HTTP request gets a
 * 426 answer and is closed, a handshake that does not finish within `handshakeTimeout` is dropped, and
 * `stop()` or leaving the tree lets go of every socket. A peer that does not read what it is sent is
 * cut off once `outboundBufferSize` bytes wait for it: `peerOutboundOverflow(id, bytes)`, then
 * `peerDisconnected(id, 1008, reason)`.
 */
import { signal, type SignalsOf } from "../core/signals/SignalSet";
import type { WebSocket } from "ws";
import { Node } from "../scene/Node";
import { INTERNAL_PROCESS } from "../scene/node/data";
import { ErrorCode } from "../core/ErrorCode";
import { SystemClock, type Clock, type ScheduledTask } from "../core/clock";
import {
  CloseCode,
  closeArgumentsProblem,
  DEFAULT_INBOUND_BUFFER_SIZE,
  DEFAULT_OUTBOUND_BUFFER_SIZE,
  WebSocketListener,
  WebSocketPeer,
  WebSocketPeerState,
  WebSocketWriteMode,
  type DispatchMode,
  type OutgoingData,
} from "../net";
import {
  logListenFailed,
  logListening,
  logPeerConnected,
  logPeerCutOff,
  logPeerDisconnected,
} from "./websocketLogs";

const webSocketServerSignals = Node.signals.extend({
  /** Listening; `port` is the bound port. */
  listening: signal<[port: number]>("port"),
  /** `listen()` failed (port in use, bad address, unusable TLS certificate or key…); not listening. */
  listenFailed: signal<[reason: string]>("reason"),
  peerConnected: signal<[id: number]>("id"),
  /** The peer's connection ended (`code` -1 when it dropped without a close frame). */
  peerDisconnected: signal<[id: number, code: number, reason: string]>("id", "code", "reason"),
  /** One complete message from peer `id` (`isText` when it came in a text frame). */
  messageReceived: signal<[id: number, message: Buffer, isText: boolean]>("id", "message", "isText"),
  /**
   * Peer `id` did not read: `bufferedBytes` already waited for it and a send would have gone beyond
   * `outboundBufferSize`. It is cut off at once; `peerDisconnected(id, 1008, reason)` follows.
   */
  peerOutboundOverflow: signal<[id: number, bufferedBytes: number]>("id", "bufferedBytes"),
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
  /** After `disconnectPeer`: drops the peer if it has not answered the close frame by `CLOSE_GRACE`. */
  closeTimer: ScheduledTask | null;
}

const OPEN = WebSocketPeerState.OPEN;
const CLOSED = WebSocketPeerState.CLOSED;
const TEXT = WebSocketWriteMode.TEXT;
const BINARY = WebSocketWriteMode.BINARY;
const GOING_AWAY = CloseCode.GOING_AWAY;
const OUT_OF_MEMORY = ErrorCode.ERR_OUT_OF_MEMORY;
/** Default `maxPeers`. */
export const DEFAULT_MAX_PEERS = 10_000;
/** Seconds a peer gets to answer the close frame of `stop()` or `disconnectPeer` before its socket is destroyed. */
const CLOSE_GRACE = 1;

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
  /**
   * Bytes that may wait to be written to one peer. A send that would go beyond cuts that peer off
   * (`peerOutboundOverflow`, then `peerDisconnected` with 1008) and returns `ERR_OUT_OF_MEMORY`; one
   * message is always accepted when nothing waits. Default 16 MiB; 0 = no limit.
   */
  outboundBufferSize = DEFAULT_OUTBOUND_BUFFER_SIZE;
  /**
   * Seconds from the TCP accept to a finished WebSocket handshake (TLS included); a connection still
   * not upgraded by then is dropped. Default 10; 0 = no limit. On the tree's clock; read when
   * listening starts.
   */
  handshakeTimeout = 10;
  /**
   * Peers connected at once. A handshake past it is answered `503 Service Unavailable` and closed; no
   * peer is made. As many connections again may wait for their handshake (one more is destroyed as soon
   * as it is accepted). Each peer may hold up to `inboundBufferSize` of an unfinished message and
   * `outboundBufferSize` of unsent ones, so this bounds the server's memory. Default 10,000; 0 = no limit.
   */
  maxPeers = DEFAULT_MAX_PEERS;
  /**
   * Subprotocols served (Godot's `supported_protocols`): as Godot 4 does, the first one the client offers
   * that is served is selected (`getPeer(id).getSelectedProtocol()`); a client that offers none of them,
   * or none at all, is refused with 400. Empty (default): the first protocol a client offers is selected.
   * Read when listening starts.
   */
  protocols: string[] = [];
  /** Serve wss:// with this certificate. */
  tls: WebSocketServerTls | null = null;
  /** "immediate" (default) or "frame", as on the client nodes. Read when listening starts. */
  dispatch: DispatchMode = "immediate";

  #listener: WebSocketListener | null = null;
  #listening = false;
  #peers = new Map<number, PeerEntry>();
  #nextId = 1;
  #immediate = true;
  #clock: Clock = new SystemClock();

  constructor(name = "") {
    super(name);
  }

  isListening(): boolean {
    return this.#listening;
  }

  /** Ids of the connected peers, oldest first. */
  getPeerIds(): number[] {
    return [...this.#peers.keys()];
  }

  /** The peer with this id (for details such as `getRequestedUrl()`), or null. */
  getPeer(id: number): WebSocketPeer | null {
    return this.#peers.get(id)?.peer ?? null;
  }

  /**
   * Starts listening (asynchronously: `listening(port)` or `listenFailed(reason)` follows). The node
   * must be inside the tree. `ERR_ALREADY_EXISTS` when already listening or starting. A TLS certificate
   * or key that cannot be used is a configuration error: `listenFailed(reason)` at once and
   * `ERR_INVALID_PARAMETER`.
   */
  listen(): ErrorCode {
    if (this.#listener !== null) return ErrorCode.ERR_ALREADY_EXISTS;
    if (!this.isInsideTree()) return ErrorCode.ERR_UNCONFIGURED;
    this.#clock = this.getTree().clock;
    const listener: WebSocketListener = new WebSocketListener({
      port: this.port,
      host: this.bindAddress,
      tls: this.tls,
      maxPayload: this.inboundBufferSize,
      handshakeTimeout: this.handshakeTimeout,
      closeGrace: CLOSE_GRACE,
      admitsConnection: () => this.maxPeers === 0 || this.#peers.size < this.maxPeers,
      // As many may be waiting for their handshake as may be peers: what `maxPeers` bounds, it bounds.
      maxPendingHandshakes: () => this.maxPeers,
      protocols: [...this.protocols],
      clock: this.#clock,
      onListening: (port) => {
        if (this.#listener !== listener) return;
        this.#listening = true;
        this.port = port;
        logListening(this, port);
        (this as WebSocketServer).emit("listening", port);
      },
      onListenFailed: (reason) => {
        if (this.#listener !== listener) return;
        this.#shutDown(false);
        logListenFailed(this, reason);
        (this as WebSocketServer).emit("listenFailed", reason);
      },
      onConnection: (socket, requestUrl) => {
        if (this.#listener === listener) this.#accept(socket, requestUrl);
        else socket.terminate();
      },
    });
    const problem = listener.start();
    if (problem !== undefined) {
      logListenFailed(this, problem);
      (this as WebSocketServer).emit("listenFailed", problem);
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    this.#listener = listener;
    this.#immediate = this.dispatch === "immediate";
    this.setProcessInternal(!this.#immediate);
    return ErrorCode.OK;
  }

  /** Stops listening; every peer is closed with 1001 "Going Away" and `peerDisconnected` at once. */
  stop(): void {
    this.#shutDown(true);
  }

  /**
   * Sends a binary message (a string as its UTF-8 bytes) to peer `id`. `ERR_OUT_OF_MEMORY` when the
   * peer is not reading and is cut off (see `outboundBufferSize`).
   */
  send(id: number, data: OutgoingData): ErrorCode {
    const entry = this.#peers.get(id);
    return entry === undefined ? ErrorCode.ERR_DOES_NOT_EXIST : this.#sendTo(entry, data, BINARY);
  }

  /** Sends a text frame to peer `id`. Same results as `send`. */
  sendText(id: number, text: string): ErrorCode {
    const entry = this.#peers.get(id);
    return entry === undefined ? ErrorCode.ERR_DOES_NOT_EXIST : this.#sendTo(entry, text, TEXT);
  }

  /**
   * Sends to every open peer; text frames when `isText` (default: when `data` is a string). A peer
   * that is not reading is cut off as `send` does; the others still get the message.
   */
  broadcast(data: OutgoingData, isText: boolean = typeof data === "string"): ErrorCode {
    const mode = isText ? TEXT : BINARY;
    let overflowed: PeerEntry[] | null = null;
    for (const entry of this.#peers.values()) {
      if (entry.peer.send(data, mode) === OUT_OF_MEMORY) (overflowed ??= []).push(entry);
    }
    if (overflowed !== null) for (const entry of overflowed) this.#cutOff(entry);
    return ErrorCode.OK;
  }

  /** Starts closing peer `id`'s connection; `peerDisconnected` follows when it has closed. */
  disconnectPeer(id: number, code: number = CloseCode.NORMAL, reason = ""): ErrorCode {
    const entry = this.#peers.get(id);
    if (entry === undefined) return ErrorCode.ERR_DOES_NOT_EXIST;
    if (closeArgumentsProblem(code, reason) !== undefined) return ErrorCode.ERR_INVALID_PARAMETER;
    const result = entry.peer.close(code, reason);
    // ws waits 30 s for the answer to a close frame; meanwhile a peer that never answers (hostile, or
    // gone without a FIN) keeps its maxPeers slot and its buffers. It gets the grace `stop()` gives.
    if (result === ErrorCode.OK && entry.closeTimer === null && entry.peer.getReadyState() !== CLOSED) {
      entry.closeTimer = this.#clock.schedule(() => {
        entry.closeTimer = null;
        // abort() signals activity: the peer is reported as any other closed one (now, or next frame).
        if (this.#peers.get(entry.id) === entry)
          entry.peer.abort(`close frame not answered within ${CLOSE_GRACE} s`);
      }, CLOSE_GRACE * 1000);
    }
    return result;
  }

  override _notification(what: number): void {
    if (what === Node.NOTIFICATION_READY && this.autostart) this.listen();
    else if (what === Node.NOTIFICATION_EXIT_TREE || what === Node.NOTIFICATION_PREDELETE)
      this.#shutDown(false);
  }

  /** @internal */
  override [INTERNAL_PROCESS](_delta: number): void {
    for (const entry of [...this.#peers.values()]) this.#pump(entry);
  }

  #sendTo(entry: PeerEntry, data: OutgoingData, mode: WebSocketWriteMode): ErrorCode {
    const result = entry.peer.send(data, mode);
    if (result === OUT_OF_MEMORY) this.#cutOff(entry);
    return result;
  }

  /** Drops a peer that is not reading, without a closing handshake: it would never read the close frame. */
  #cutOff(entry: PeerEntry): void {
    if (this.#peers.get(entry.id) !== entry) return;
    const peer = entry.peer;
    const buffered = peer.getCurrentOutboundBufferedAmount();
    const reason = `outbound buffer limit: ${buffered} bytes unread by the peer (outboundBufferSize ${this.outboundBufferSize})`;
    this.#forget(entry);
    peer.abort(reason);
    logPeerCutOff(this, entry.id, buffered);
    (this as WebSocketServer).emit("peerOutboundOverflow", entry.id, buffered);
    if (!this.isInstanceValid()) return;
    logPeerDisconnected(this, entry.id, CloseCode.POLICY_VIOLATION, reason);
    (this as WebSocketServer).emit("peerDisconnected", entry.id, CloseCode.POLICY_VIOLATION, reason);
  }

  #accept(socket: WebSocket, requestUrl: string): void {
    const peer = new WebSocketPeer({
      clock: this.#clock,
      heartbeatInterval: this.heartbeatInterval,
      outboundBufferSize: this.outboundBufferSize,
      // The listener's limit, as ws applies it: what a 1009 close's reason names.
      inboundBufferSize: this.inboundBufferSize,
    });
    if (peer.acceptSocket(socket, requestUrl) !== ErrorCode.OK) {
      socket.terminate();
      return;
    }
    const id = this.#nextId++;
    // One closure per connection (not per message): it carries the id to the signal.
    const entry: PeerEntry = { id, peer, onActivity: () => this.#pump(entry), closeTimer: null };
    this.#peers.set(id, entry);
    if (this.#immediate) {
      peer.on("activity", entry.onActivity);
      peer.packetSink = (data, isText) => {
        (this as WebSocketServer).emit("messageReceived", id, data, isText);
        return true;
      };
    }
    peer.poll();
    logPeerConnected(this, id, requestUrl);
    (this as WebSocketServer).emit("peerConnected", id);
  }

  /** Emits what peer `entry` has received, then its disconnection once it is closed. */
  #pump(entry: PeerEntry): void {
    const peer = entry.peer;
    if (this.#peers.get(entry.id) !== entry) return;
    peer.poll();
    while (peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      (this as WebSocketServer).emit("messageReceived", entry.id, data, peer.wasStringPacket());
      if (this.#peers.get(entry.id) !== entry) return;
    }
    if (peer.getReadyState() === CLOSED) {
      this.#forget(entry);
      logPeerDisconnected(this, entry.id, peer.getCloseCode(), peer.getCloseReason());
      (this as WebSocketServer).emit(
        "peerDisconnected",
        entry.id,
        peer.getCloseCode(),
        peer.getCloseReason(),
      );
    }
  }

  #forget(entry: PeerEntry): void {
    this.#peers.delete(entry.id);
    entry.closeTimer?.cancel();
    entry.closeTimer = null;
    entry.peer.off("activity", entry.onActivity);
    entry.peer.packetSink = null;
  }

  #shutDown(report: boolean): void {
    const listener = this.#listener;
    this.#listener = null;
    this.#listening = false;
    this.setProcessInternal(false);
    const entries = [...this.#peers.values()];
    for (const entry of entries) {
      this.#forget(entry);
      // Nobody polls these peers again: their closing handshakes must not hold the process (ws would
      // wait 30 s, on a timer of its own, for a peer that never answers; the listener cuts it at the grace).
      if (entry.peer.getReadyState() === OPEN) entry.peer.closeInBackground(GOING_AWAY, "Going Away");
      else entry.peer.abort("server stopped");
    }
    // Sockets not upgraded go now; peers that do not answer the close frame go after CLOSE_GRACE.
    listener?.close();
    if (report) {
      for (const entry of entries) {
        if (!this.isInstanceValid()) return;
        logPeerDisconnected(this, entry.id, GOING_AWAY, "Going Away");
        (this as WebSocketServer).emit("peerDisconnected", entry.id, GOING_AWAY, "Going Away");
      }
    }
  }
}
