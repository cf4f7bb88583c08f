import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { reportObjectError } from "../scene/GodotObject";
import { Node } from "../scene/Node";
import { ErrorCode } from "../core/ErrorCode";
import type { Metrics } from "../metrics/Metrics";
import { hasMetrics, metricsOf, registryGeneration } from "../metrics/treeMetrics";
import { recordWs } from "../metrics/ws";
import {
  ReconnectingSocket,
  WebSocketPeerState,
  type DispatchMode,
  type OutgoingData,
  type QueuedMessage,
  type ReconnectingSocketObserver,
} from "../net";
import {
  CONNECTION_SETTING_NAMES,
  createConnectionSettings,
  defineSettingAccessors,
  type ConnectionSettings,
} from "../net/settings";
import { logConnecting, logGaveUp, logLeftTree, logReconnecting, logSendRefused } from "./websocketLogs";

/** Signals both WebSocket client nodes have, on top of their own. */
const webSocketConnectionSignals = Node.signals.extend({
  /**
   * An attempt ended before opening: refused, failed handshake or TLS check, connect timeout, bad URL, a
   * failing provider. `httpStatus`: the status a server refused the handshake with (401, 403…), else 0.
   */
  connectFailed: signal<[reason: string, httpStatus: number]>("reason", "httpStatus"),
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
const REGISTRIES = registryGeneration;

/** What a node that just left the tree keeps until the end of the turn, in case it is re-entering. */
interface Carried {
  readonly messages: QueuedMessage[];
  /** A connection was wanted (connecting, open or waiting to retry) when the node left. */
  readonly reconnect: boolean;
}

const LEFT_TREE = "the node left the scene tree";
const FREED = "the node was freed";

/** @internal Where a node keeps its connection settings (a symbol: never a user's member name). */
export const SETTINGS: unique symbol = Symbol("scenetree.connectionSettings");
/** @internal Where a node kind keeps its {@link ConnectionFace}. */
export const FACE: unique symbol = Symbol("scenetree.connectionFace");

/**
 * @internal How one kind of node turns its socket's events into its own signals: one shared object per
 * class, called with the node (the metrics and the signals both kinds share are handled before).
 */
export type ConnectionFace<N> = Pick<
  ReconnectingSocketObserver<N>,
  "stateChanged" | "open" | "closing" | "close" | "message" | "connectFailed" | "reconnectGaveUp"
>;

/** Settings with accessors of their own below (side effects, or another name per node kind). */
const HAND_WRITTEN = ["url", "autoReconnect", "receiveLimit", "dispatch"] as const;
type HandWritten = (typeof HAND_WRITTEN)[number];

/**
 * What the two WebSocket client nodes share: the reconnection settings, and the lifecycle of the one
 * {@link ReconnectingSocket} that does the work. Each node is a different face on that one engine.
 *
 * The socket exists only while the node is inside a tree (it needs the tree's clock); leaving the tree
 * disposes of it, which cancels every timer and closes with 1001 "Going Away". The settings live in one
 * object on the node, which the socket reads live, so they may be changed at any time; `dispatch` takes
 * effect at the next connection made after the node (re-)enters the tree.
 *
 * Messages queued when the node leaves are not dropped. If it re-enters a tree in the same turn (as
 * `reparent()` does), a connection it wanted is opened again and the messages are sent on it first, in
 * order. Otherwise, at the end of that turn, each is refused with `sendRefused(data, "the node left the
 * scene tree")`; freeing the node refuses them at once ("the node was freed").
 *
 * Subclasses that override `_notification` must call `super._notification(what)`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface after the class
export abstract class WebSocketConnectionNode<
  S extends WebSocketConnectionSignals = WebSocketConnectionSignals,
> extends Node<S> {
  static override readonly signals = webSocketConnectionSignals;

  /** @internal */ protected _socket: ReconnectingSocket | null = null;
  /** @internal The settings, read live by the socket; only what differs from the defaults is stored. */
  readonly [SETTINGS]: ConnectionSettings = createConnectionSettings({}, true);
  private _carried: Carried | null = null;
  /** The tree's metrics registry, once it has one (nobody reading metrics: null, and nothing recorded). */
  #metrics: Metrics | null = null;
  /** `registryGeneration` when the tree was last found without a registry. */
  #metricsSeen = -1;

  protected constructor(name: string) {
    super(name);
  }

  /** @internal The URL the next attempt connects to. */
  protected abstract _url(): string;
  /** @internal */
  protected abstract get [FACE](): ConnectionFace<WebSocketConnectionNode>;

  // ---------------------------------------------------------------- shared settings
  // Every setting of the table in src/net/settings.ts is a property (defined after the class); these
  // few are written out: they have side effects, or a subclass redefines them as accessors.

  /** Reconnect after a drop or a failed attempt, with backoff. */
  get autoReconnect(): boolean {
    return this[SETTINGS].autoReconnect;
  }
  set autoReconnect(value: boolean) {
    this[SETTINGS].autoReconnect = value;
  }

  /** @internal Messages dispatched per frame; 0 = all. Public as `receiveLimit` on WebSocketNode. */
  protected get _receiveLimitValue(): number {
    return this[SETTINGS].receiveLimit;
  }
  protected set _receiveLimitValue(count: number) {
    this[SETTINGS].receiveLimit = count;
    this._updatePolling();
  }

  /**
   * "immediate" (default): messages and state changes reach the signals as soon as they happen.
   * "frame": they are collected and emitted in the node's processing, once per frame, as Godot's
   * `_process` polling does. Takes effect for the socket created at the next tree entry.
   */
  get dispatch(): DispatchMode {
    return this[SETTINGS].dispatch;
  }
  set dispatch(mode: DispatchMode) {
    this[SETTINGS].dispatch = mode;
    this._updatePolling();
  }

  // ---------------------------------------------------------------- state

  /** The state as last reported; CLOSED while waiting for a retry and outside the tree. */
  get connectionState(): WebSocketPeerState {
    const socket = this._socket;
    return socket === null ? CLOSED : socket.state;
  }

  /**
   * The HTTP status the server refused the last attempt's handshake with (401, 403, 404, 503…); 0 when
   * it was not refused that way, opened, or outside the tree. By default a 4xx (but 408, 429) is not
   * retried: see `shouldReconnect`.
   */
  get lastHttpStatus(): number {
    return this._socket?.lastHttpStatus ?? 0;
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
    if (!this.isInsideTree() || !this.isInstanceValid()) return null;
    const tree = this.getTree();
    const settings = this[SETTINGS];
    settings.url = this._url();
    const socket = new ReconnectingSocket({ clock: tree.clock }, settings);
    socket.observe(WebSocketConnectionNode.socketObserver, this as WebSocketConnectionNode);
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
  /** @internal */
  override _internalProcess(_delta: number): void {
    this._socket?.poll();
  }

  private _updatePolling(): void {
    const settings = this[SETTINGS];
    const poll = this._socket !== null && (settings.dispatch === "frame" || settings.receiveLimit > 0);
    this.setProcessInternal(poll);
  }

  /**
   * The tree's metrics registry if it has one. While it has none the answer costs one comparison, and
   * no registry is made: metrics nobody reads cost nothing.
   */
  static #metricsOf(node: WebSocketConnectionNode): Metrics | null {
    const metrics = node.#metrics;
    if (metrics !== null || node.#metricsSeen === REGISTRIES.value) return metrics;
    node.#metricsSeen = REGISTRIES.value;
    if (!node.isInsideTree()) return null;
    const tree = node.getTree();
    return (node.#metrics = hasMetrics(tree) ? metricsOf(tree) : null);
  }

  // What the socket reports, by direct calls with the node: no listener records or closures per node.
  // Each also feeds the built-in ws_* metrics when the tree has a registry.
  private static readonly socketObserver: ReconnectingSocketObserver<WebSocketConnectionNode> = {
    stateChanged: (node, state) => {
      const socket = node._socket;
      if (state === CONNECTING && socket !== null) {
        logConnecting(node, socket.url);
        const metrics = socket.reconnectAttempt > 0 ? WebSocketConnectionNode.#metricsOf(node) : null;
        if (metrics !== null) recordWs(metrics, "reconnect");
      }
      node[FACE].stateChanged(node, state);
    },
    open: (node, url) => {
      const metrics = WebSocketConnectionNode.#metricsOf(node);
      const socket = node._socket;
      if (metrics !== null && socket !== null)
        recordWs(metrics, "connected", socket.openedAt - socket.attemptStartedAt);
      node[FACE].open(node, url);
    },
    closing: (node) => node[FACE].closing(node),
    close: (node, code, reason, wasOpen) => {
      const metrics = WebSocketConnectionNode.#metricsOf(node);
      const socket = node._socket;
      if (wasOpen && metrics !== null && socket !== null)
        recordWs(metrics, "closed", socket.clock.now() - socket.openedAt);
      node[FACE].close(node, code, reason, wasOpen);
    },
    message: (node, data, isText) => {
      // The per-message path: with no registry, two loads and a comparison (the lookup inlined).
      if (node.#metrics !== null || node.#metricsSeen !== REGISTRIES.value) {
        const metrics = WebSocketConnectionNode.#metricsOf(node);
        if (metrics !== null) recordWs(metrics, "messageReceived", data.length);
      }
      node[FACE].message(node, data, isText);
    },
    connectFailed: (node, reason, httpStatus) => {
      const metrics = WebSocketConnectionNode.#metricsOf(node);
      if (metrics !== null) recordWs(metrics, "connectFailed");
      node[FACE].connectFailed(node, reason, httpStatus);
    },
    reconnectScheduled: (node, attempt, delay) => {
      logReconnecting(node, attempt, delay);
      node.emit("reconnecting", attempt, delay);
    },
    reconnectGaveUp: (node, attempts) => {
      logGaveUp(node, attempts);
      node.emit("reconnectGaveUp", attempts);
      node[FACE].reconnectGaveUp(node, attempts);
    },
    sendRefused: (node, data, reason) => {
      logSendRefused(node, data, reason);
      const metrics = WebSocketConnectionNode.#metricsOf(node);
      if (metrics !== null) recordWs(metrics, "sendRefused");
      node.emit("sendRefused", data, reason);
    },
    sent: (node, data) => {
      const metrics = WebSocketConnectionNode.#metricsOf(node);
      if (metrics !== null)
        recordWs(
          metrics,
          "messageSent",
          typeof data === "string" ? Buffer.byteLength(data) : data.byteLength,
        );
    },
    pong: (node, roundTripMs) => {
      const metrics = WebSocketConnectionNode.#metricsOf(node);
      if (metrics !== null) recordWs(metrics, "ping", roundTripMs);
    },
    callbackFailed: (node, callback, error) => reportObjectError(node, callback, error),
  };

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
    this.#metrics = null; // the next tree has its own registry
    this.#metricsSeen = -1;
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

defineSettingAccessors(
  WebSocketConnectionNode.prototype,
  CONNECTION_SETTING_NAMES.filter((name) => !(HAND_WRITTEN as readonly string[]).includes(name)),
  (node) => node[SETTINGS],
);
// The accessors defined just above, as the type sees them (the class's type parameter, unused here, is
// repeated because merged declarations must agree).
/* eslint-disable @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars */
export interface WebSocketConnectionNode<
  S extends WebSocketConnectionSignals = WebSocketConnectionSignals,
> extends Omit<ConnectionSettings, HandWritten> {}
/* eslint-enable @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars */
