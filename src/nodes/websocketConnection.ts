import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { Node } from "../scene/Node";
import { ErrorCode } from "../scene/ErrorCode";
import {
  DEFAULT_INBOUND_BUFFER_SIZE,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_PACKETS,
  DEFAULT_OUTBOUND_BUFFER_SIZE,
  DEFAULT_SEND_QUEUE_BYTE_LIMIT,
  ReconnectingSocket,
  WebSocketPeerState,
  type DispatchMode,
  type OutgoingData,
  type QueuedMessage,
  type WebSocketTlsOptions,
} from "../net";
import { logConnecting, logGaveUp, logLeftTree, logReconnecting, logSendRefused } from "./websocketLogs";

/** Signals both WebSocket client nodes have, on top of their own. */
const webSocketConnectionSignals = Node.signals.extend({
  /** An attempt ended before opening: refused, failed handshake or TLS check, connect timeout, bad URL. */
  connectFailed: signal<[reason: string]>("reason"),
  /** A reconnect is scheduled: automatic attempt number `attempt` of this streak starts in `delaySeconds`. */
  reconnecting: signal<[attempt: number, delaySeconds: number]>("attempt", "delaySeconds"),
  /** `maxReconnectAttempts` automatic attempts failed in a row; nothing more will be tried by itself. */
  reconnectGaveUp: signal<[attempts: number]>("attempts"),
  /** A message that will never be sent (queue full, nothing will connect, closed with it queued). */
  sendRefused: signal<[data: OutgoingData, reason: string]>("data", "reason"),
});

export type WebSocketConnectionSignals = SignalsOf<typeof webSocketConnectionSignals>;

// Read once: a binding imported from another module costs a getter call per use under tsx.
const CLOSED = WebSocketPeerState.CLOSED;
const CONNECTING = WebSocketPeerState.CONNECTING;

/** What a node that just left the tree keeps until the end of the turn, in case it is re-entering. */
interface Carried {
  readonly messages: QueuedMessage[];
  /** A connection was wanted (connecting, open or waiting to retry) when the node left. */
  readonly reconnect: boolean;
}

const LEFT_TREE = "the node left the scene tree";
const FREED = "the node was freed";

/**
 * What the two WebSocket client nodes share: the reconnection settings, and the lifecycle of the one
 * {@link ReconnectingSocket} that does the work. Each node is a different face on that one engine.
 *
 * The socket exists only while the node is inside a tree (it needs the tree's clock); leaving the tree
 * disposes of it, which cancels every timer and closes with 1001 "Going Away". Settings are kept on the
 * node and forwarded to the live socket, so they may be changed at any time; `dispatch` takes effect at
 * the next connection made after the node (re-)enters the tree.
 *
 * Messages queued when the node leaves are not dropped. If it re-enters a tree in the same turn (as
 * `reparent()` does), a connection it wanted is opened again and the messages are sent on it first, in
 * order. Otherwise, at the end of that turn, each is refused with `sendRefused(data, "the node left the
 * scene tree")`; freeing the node refuses them at once ("the node was freed").
 *
 * Subclasses that override `_notification` must call `super._notification(what)`.
 */
export abstract class WebSocketConnectionNode<
  S extends WebSocketConnectionSignals = WebSocketConnectionSignals,
> extends Node<S> {
  static override readonly signals = webSocketConnectionSignals;

  /** @internal */ protected _socket: ReconnectingSocket | null = null;
  private _autoReconnect: boolean;
  private _reconnectDelay = 1;
  private _reconnectDelayMax = 30;
  private _reconnectJitter = 0;
  private _maxReconnectAttempts = 0;
  private _minUptime = 5;
  private _connectTimeout = 10;
  private _sendQueueLimit = 1024;
  private _sendQueueByteLimit = DEFAULT_SEND_QUEUE_BYTE_LIMIT;
  private _heartbeatInterval = 0;
  private _inboundBufferSize = DEFAULT_INBOUND_BUFFER_SIZE;
  private _maxQueuedPackets = DEFAULT_MAX_QUEUED_PACKETS;
  private _maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
  private _outboundBufferSize = DEFAULT_OUTBOUND_BUFFER_SIZE;
  private _receiveLimit = 0;
  private _protocols: string | string[] | undefined = undefined;
  private _headers: Record<string, string> | undefined = undefined;
  private _tls: WebSocketTlsOptions | undefined = undefined;
  private _dispatch: DispatchMode = "immediate";
  private _carried: Carried | null = null;
  /** Uniform source in [0, 1) for the jitter; tests inject a fixed one. */
  random: () => number = Math.random;

  protected constructor(name: string, autoReconnect: boolean) {
    super(name);
    this._autoReconnect = autoReconnect;
  }

  /** The URL the next attempt connects to. */
  protected abstract _url(): string;
  /** Connects the subclass's listeners to a freshly created socket. */
  protected abstract _wire(socket: ReconnectingSocket): void;

  // ---------------------------------------------------------------- shared settings

  /** Reconnect after a drop or a failed attempt, with backoff. */
  get autoReconnect(): boolean {
    return this._autoReconnect;
  }
  set autoReconnect(value: boolean) {
    this._autoReconnect = value;
    if (this._socket) this._socket.autoReconnect = value;
  }

  /** Seconds before the second try; each further try doubles it (the first try is immediate). */
  get reconnectDelay(): number {
    return this._reconnectDelay;
  }
  set reconnectDelay(seconds: number) {
    this._reconnectDelay = seconds;
    if (this._socket) this._socket.reconnectDelay = seconds;
  }

  /** No delay ever exceeds this many seconds, jitter included. */
  get reconnectDelayMax(): number {
    return this._reconnectDelayMax;
  }
  set reconnectDelayMax(seconds: number) {
    this._reconnectDelayMax = seconds;
    if (this._socket) this._socket.reconnectDelayMax = seconds;
  }

  /** Fraction (0..1) of each delay randomised away; delays lie in [d·(1-jitter), d]. */
  get reconnectJitter(): number {
    return this._reconnectJitter;
  }
  set reconnectJitter(fraction: number) {
    this._reconnectJitter = fraction;
    if (this._socket) this._socket.reconnectJitter = fraction;
  }

  /** Automatic attempts in a row without a stable connection before giving up; 0 = unlimited. */
  get maxReconnectAttempts(): number {
    return this._maxReconnectAttempts;
  }
  set maxReconnectAttempts(count: number) {
    this._maxReconnectAttempts = count;
    if (this._socket) this._socket.maxReconnectAttempts = count;
  }

  /** Seconds a connection must stay open before the attempt counter (and so the delay) resets. */
  get minUptime(): number {
    return this._minUptime;
  }
  set minUptime(seconds: number) {
    this._minUptime = seconds;
    if (this._socket) this._socket.minUptime = seconds;
  }

  /** Seconds an attempt may stay in CONNECTING before it is abandoned (and retried); 0 = no limit. */
  get connectTimeout(): number {
    return this._connectTimeout;
  }
  set connectTimeout(seconds: number) {
    this._connectTimeout = seconds;
    if (this._socket) this._socket.connectTimeout = seconds;
  }

  /** Messages held while not open, sent in order on the next open; 0 = never queue. */
  get sendQueueLimit(): number {
    return this._sendQueueLimit;
  }
  set sendQueueLimit(count: number) {
    this._sendQueueLimit = count;
    if (this._socket) this._socket.sendQueueLimit = count;
  }

  /**
   * Bytes held while not open; a message that would go beyond is refused (`ERR_BUSY`, `sendRefused`).
   * One message is always accepted into an empty queue. Default 16 MiB.
   */
  get sendQueueByteLimit(): number {
    return this._sendQueueByteLimit;
  }
  set sendQueueByteLimit(bytes: number) {
    this._sendQueueByteLimit = bytes;
    if (this._socket) this._socket.sendQueueByteLimit = bytes;
  }

  /** Seconds between pings while open; a peer that misses a pong is dropped (and reconnected). 0 = off. */
  get heartbeatInterval(): number {
    return this._heartbeatInterval;
  }
  set heartbeatInterval(seconds: number) {
    this._heartbeatInterval = seconds;
    if (this._socket) this._socket.heartbeatInterval = seconds;
  }

  /** Largest accepted message in bytes; a larger one closes the connection with 1009. */
  get inboundBufferSize(): number {
    return this._inboundBufferSize;
  }
  set inboundBufferSize(bytes: number) {
    this._inboundBufferSize = bytes;
    if (this._socket) this._socket.inboundBufferSize = bytes;
  }

  /** Unread messages held before reading from the socket pauses (TCP backpressure). */
  get maxQueuedPackets(): number {
    return this._maxQueuedPackets;
  }
  set maxQueuedPackets(count: number) {
    this._maxQueuedPackets = count;
    if (this._socket) this._socket.maxQueuedPackets = count;
  }

  /**
   * Unread bytes held before reading from the socket pauses (TCP backpressure), as `maxQueuedPackets`
   * does for the count. Default 16 MiB.
   */
  get maxQueuedBytes(): number {
    return this._maxQueuedBytes;
  }
  set maxQueuedBytes(bytes: number) {
    this._maxQueuedBytes = bytes;
    if (this._socket) this._socket.maxQueuedBytes = bytes;
  }

  /**
   * Bytes that may wait to be written to a server that does not read; a send that would go beyond is
   * refused (`ERR_OUT_OF_MEMORY`, `sendRefused`). One message is always accepted when nothing waits.
   * Default 16 MiB; 0 = no limit.
   */
  get outboundBufferSize(): number {
    return this._outboundBufferSize;
  }
  set outboundBufferSize(bytes: number) {
    this._outboundBufferSize = bytes;
    if (this._socket) this._socket.outboundBufferSize = bytes;
  }

  /** @internal Messages dispatched per frame; 0 = all. Public as `receiveLimit` on WebSocketNode. */
  protected get _receiveLimitValue(): number {
    return this._receiveLimit;
  }
  protected set _receiveLimitValue(count: number) {
    this._receiveLimit = count;
    if (this._socket) this._socket.receiveLimit = count;
    this._updatePolling();
  }

  /** Subprotocols offered in the handshake. */
  get protocols(): string | string[] | undefined {
    return this._protocols;
  }
  set protocols(value: string | string[] | undefined) {
    this._protocols = value;
    if (this._socket) this._socket.protocols = value;
  }

  /** Extra HTTP headers sent with the upgrade request. */
  get headers(): Record<string, string> | undefined {
    return this._headers;
  }
  set headers(value: Record<string, string> | undefined) {
    this._headers = value;
    if (this._socket) this._socket.headers = value;
  }

  /** TLS settings for wss:// (certificate verification is on unless `rejectUnauthorized` is false). */
  get tls(): WebSocketTlsOptions | undefined {
    return this._tls;
  }
  set tls(value: WebSocketTlsOptions | undefined) {
    this._tls = value;
    if (this._socket) this._socket.tls = value;
  }

  /**
   * "immediate" (default): messages and state changes reach the signals as soon as they happen.
   * "frame": they are collected and emitted in the node's processing, once per frame, as Godot's
   * `_process` polling does. Takes effect for the socket created at the next tree entry.
   */
  get dispatch(): DispatchMode {
    return this._dispatch;
  }
  set dispatch(mode: DispatchMode) {
    this._dispatch = mode;
    this._updatePolling();
  }

  // ---------------------------------------------------------------- state

  /** The state as last reported; CLOSED while waiting for a retry and outside the tree. */
  get connectionState(): WebSocketPeerState {
    const socket = this._socket;
    return socket === null ? CLOSED : socket.state;
  }

  /** A retry is waiting for its backoff delay. */
  get reconnectPending(): boolean {
    return this._socket?.reconnectPending ?? false;
  }

  /** Messages waiting for the next open (also those kept while the node is being reparented). */
  get queuedSendCount(): number {
    return this._socket?.queuedSendCount ?? this._carried?.messages.length ?? 0;
  }

  /** The underlying socket while inside the tree (read-only details; drive it through the node). */
  get socket(): ReconnectingSocket | null {
    return this._socket;
  }

  // ---------------------------------------------------------------- shared machinery

  /** @internal Creates the socket if inside a tree; null outside one. */
  protected _ensureSocket(): ReconnectingSocket | null {
    if (this._socket !== null) return this._socket;
    const tree = this._tree;
    if (tree === null || !this.isInstanceValid()) return null;
    const socket = new ReconnectingSocket({
      url: this._url(),
      autoReconnect: this._autoReconnect,
      reconnectDelay: this._reconnectDelay,
      reconnectDelayMax: this._reconnectDelayMax,
      reconnectJitter: this._reconnectJitter,
      maxReconnectAttempts: this._maxReconnectAttempts,
      minUptime: this._minUptime,
      connectTimeout: this._connectTimeout,
      sendQueueLimit: this._sendQueueLimit,
      sendQueueByteLimit: this._sendQueueByteLimit,
      heartbeatInterval: this._heartbeatInterval,
      protocols: this._protocols,
      headers: this._headers,
      tls: this._tls,
      inboundBufferSize: this._inboundBufferSize,
      maxQueuedPackets: this._maxQueuedPackets,
      maxQueuedBytes: this._maxQueuedBytes,
      outboundBufferSize: this._outboundBufferSize,
      receiveLimit: this._receiveLimit,
      clock: tree.clock,
      random: () => this.random(),
      dispatch: this._dispatch,
    });
    socket.on("sendRefused", (data, reason) => {
      logSendRefused(this, data, reason);
      (this as WebSocketConnectionNode).emit("sendRefused", data, reason);
    });
    socket.on("reconnectScheduled", (attempt, delay) => {
      logReconnecting(this, attempt, delay);
      (this as WebSocketConnectionNode).emit("reconnecting", attempt, delay);
    });
    socket.on("reconnectGaveUp", (attempts) => {
      logGaveUp(this, attempts);
      (this as WebSocketConnectionNode).emit("reconnectGaveUp", attempts);
    });
    socket.on("stateChanged", (state) => {
      if (state === CONNECTING) logConnecting(this, socket.url);
    });
    this._wire(socket);
    this._socket = socket;
    this._updatePolling();
    return socket;
  }

  /** @internal Cancels every timer and closes with 1001; emits nothing. */
  protected _disposeSocket(): void {
    const socket = this._socket;
    if (socket === null) return;
    this._socket = null;
    socket.dispose();
    this._updatePolling();
  }

  /**
   * @internal Sends through the socket. Outside the tree nothing can carry the message: it is refused
   * visibly (ERR_UNCONFIGURED and `sendRefused`), like any other message that will never be sent.
   */
  protected _send(data: OutgoingData, isText: boolean): ErrorCode {
    const socket = this._socket;
    if (socket !== null) return socket.send(data, isText);
    logSendRefused(this, data, "not connected, and no connection attempt is under way");
    (this as WebSocketConnectionNode).emit(
      "sendRefused",
      data,
      "not connected, and no connection attempt is under way",
    );
    return ErrorCode.ERR_UNCONFIGURED;
  }

  /** Frame work: frame dispatch polls here; immediate dispatch with a receive limit renews its budget. */
  override _internalProcess(_delta: number): void {
    this._socket?.poll();
  }

  private _updatePolling(): void {
    const poll = this._socket !== null && (this._dispatch === "frame" || this._receiveLimit > 0);
    this.setProcessInternal(poll);
  }

  override _notification(what: number): void {
    switch (what) {
      case Node.NOTIFICATION_EXIT_TREE:
        this._leaveTree();
        break;
      case Node.NOTIFICATION_POST_ENTER_TREE:
        this._resumeAfterReparent();
        break;
      case Node.NOTIFICATION_PREDELETE: {
        const messages = this._socket?.takeQueuedMessages() ?? [];
        this._disposeSocket();
        this._refuseCarried(FREED, messages);
        break;
      }
    }
  }

  /** Disposes of the socket, keeping its queue (and whether it was wanted) until the end of the turn. */
  private _leaveTree(): void {
    const socket = this._socket;
    if (socket === null) return;
    if (socket.state !== CLOSED) logLeftTree(this);
    const carried: Carried = { messages: socket.takeQueuedMessages(), reconnect: socket.connectionWanted };
    this._disposeSocket();
    if (carried.messages.length === 0 && !carried.reconnect) return;
    this._carried = carried;
    queueMicrotask(() => {
      if (this._carried === carried) this._refuseCarried(LEFT_TREE);
    });
  }

  /** Back in a tree in the same turn: reconnect if the connection was wanted, then resend the queue. */
  private _resumeAfterReparent(): void {
    const carried = this._carried;
    if (carried === null) return;
    this._carried = null;
    const socket = this._ensureSocket();
    if (socket === null) {
      this._carried = carried;
      return;
    }
    if (carried.reconnect) socket.open();
    for (const message of carried.messages) socket.send(message.data, message.isText);
  }

  /** Refuses every carried message (and `more`), oldest first. */
  private _refuseCarried(reason: string, more: QueuedMessage[] = []): void {
    const carried = this._carried?.messages ?? [];
    this._carried = null;
    for (const message of carried) {
      logSendRefused(this, message.data, reason);
      (this as WebSocketConnectionNode).emit("sendRefused", message.data, reason);
    }
    for (const message of more) {
      logSendRefused(this, message.data, reason);
      (this as WebSocketConnectionNode).emit("sendRefused", message.data, reason);
    }
  }
}
