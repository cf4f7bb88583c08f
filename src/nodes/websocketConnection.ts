import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { reportObjectError } from "../scene/GodotObject";
import { Node } from "../scene/Node";
import { INTERNAL_PROCESS } from "../scene/node/data";
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
import {
  logConnecting,
  logGaveUp,
  logLeftTree,
  logNotReconnecting,
  logReconnecting,
  logSendRefused,
} from "./websocketLogs";

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
// The machinery the two client nodes share, keyed by symbols so a user's subclass can use any name.
/** @internal */
export const SOCKET: unique symbol = Symbol("scenetree.socket");
/** @internal */
export const SOCKET_URL: unique symbol = Symbol("scenetree.socketUrl");
/** @internal */
export const ENSURE_SOCKET: unique symbol = Symbol("scenetree.ensureSocket");
/** @internal */
export const DISPOSE_SOCKET: unique symbol = Symbol("scenetree.disposeSocket");
/** @internal */
export const SEND: unique symbol = Symbol("scenetree.send");
/** @internal */
export const RECEIVE_LIMIT: unique symbol = Symbol("scenetree.receiveLimit");

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

  /** @internal */ protected [SOCKET]: ReconnectingSocket | null = null;
  /** @internal The settings, read live by the socket; only what differs from the defaults is stored. */
  readonly [SETTINGS]: ConnectionSettings = createConnectionSettings(undefined, true);
  #carried: Carried | null = null;
  /** The tree's metrics registry, once it has one (nobody reading metrics: null, and nothing recorded). */
  #metrics: Metrics | null = null;
  /** `registryGeneration` when the tree was last found without a registry. */
  #metricsSeen = -1;

  protected constructor(name: string) {
    super(name);
  }

  /** @internal The URL the next attempt connects to. */
  protected abstract [SOCKET_URL](): string;
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
  protected get [RECEIVE_LIMIT](): number {
    return this[SETTINGS].receiveLimit;
  }
  /** @internal */
  protected set [RECEIVE_LIMIT](count: number) {
    this[SETTINGS].receiveLimit = count;
    this.#updatePolling();
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
    this.#updatePolling();
  }

  // ---------------------------------------------------------------- state

  /** The state as last reported; CLOSED while waiting for a retry and outside the tree. */
  get connectionState(): WebSocketPeerState {
    const socket = this[SOCKET];
    return socket === null ? CLOSED : socket.state;
  }

  /**
   * The HTTP status the server refused the last attempt's handshake with (401, 403, 404, 503…); 0 when
   * it was not refused that way, opened, or outside the tree. By default a 4xx (but 408, 429) is not
   * retried: see `shouldReconnect`.
   */
  get lastHttpStatus(): number {
    return this[SOCKET]?.lastHttpStatus ?? 0;
  }

  /** A retry is waiting for its backoff delay. */
  get reconnectPending(): boolean {
    return this[SOCKET]?.reconnectPending ?? false;
  }

  /** Messages waiting for the next open (also those kept while the node is being reparented). */
  get queuedSendCount(): number {
    return this[SOCKET]?.queuedSendCount ?? this.#carried?.messages.length ?? 0;
  }

  /** The underlying socket while inside the tree (read-only details; drive it through the node). */
  get socket(): ReconnectingSocket | null {
    return this[SOCKET];
  }

  // ---------------------------------------------------------------- shared machinery

  /** @internal Creates the socket if inside a tree; null outside one. */
  protected [ENSURE_SOCKET](): ReconnectingSocket | null {
    if (this[SOCKET] !== null) return this[SOCKET];
    if (!this.isInsideTree() || !this.isInstanceValid()) return null;
    const tree = this.getTree();
    const settings = this[SETTINGS];
    settings.url = this[SOCKET_URL]();
    const socket = new ReconnectingSocket({ clock: tree.clock }, settings);
    socket.observe(WebSocketConnectionNode.#socketObserver, this as WebSocketConnectionNode);
    this[SOCKET] = socket;
    this.#updatePolling();
    return socket;
  }

  /** @internal Cancels every timer and closes with 1001; emits nothing. */
  protected [DISPOSE_SOCKET](): void {
    const socket = this[SOCKET];
    if (socket === null) return;
    this[SOCKET] = null;
    socket.dispose();
    this.#updatePolling();
  }

  /**
   * @internal Sends through the socket. Outside the tree nothing can carry the message: it is refused
   * visibly (ERR_UNCONFIGURED and `sendRefused`), like any other message that will never be sent.
   */
  protected [SEND](data: OutgoingData, isText: boolean): ErrorCode {
    const socket = this[SOCKET];
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
  override [INTERNAL_PROCESS](_delta: number): void {
    this[SOCKET]?.poll();
  }

  #updatePolling(): void {
    const settings = this[SETTINGS];
    const poll = this[SOCKET] !== null && (settings.dispatch === "frame" || settings.receiveLimit > 0);
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
  static readonly #socketObserver: ReconnectingSocketObserver<WebSocketConnectionNode> = {
    stateChanged: (node, state) => {
      const socket = node[SOCKET];
      if (state === CONNECTING && socket !== null) {
        logConnecting(node, socket.url);
        const metrics = socket.reconnectAttempt > 0 ? WebSocketConnectionNode.#metricsOf(node) : null;
        if (metrics !== null) recordWs(metrics, "reconnect");
      }
      node[FACE].stateChanged(node, state);
    },
    open: (node, url) => {
      const metrics = WebSocketConnectionNode.#metricsOf(node);
      const socket = node[SOCKET];
      if (metrics !== null && socket !== null)
        recordWs(metrics, "connected", socket.openedAt - socket.attemptStartedAt);
      node[FACE].open(node, url);
    },
    closing: (node) => node[FACE].closing(node),
    close: (node, code, reason, wasOpen) => {
      const metrics = WebSocketConnectionNode.#metricsOf(node);
      const socket = node[SOCKET];
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
    reconnectDeclined: (node, code, httpStatus) => logNotReconnecting(node, code, httpStatus),
  };

  override _notification(what: number): void {
    switch (what) {
      case Node.NOTIFICATION_EXIT_TREE:
        this.#leaveTree();
        break;
      case Node.NOTIFICATION_POST_ENTER_TREE:
        this.#resumeAfterReparent();
        break;
      case Node.NOTIFICATION_PREDELETE: {
        const messages = this[SOCKET]?.takeQueuedMessages() ?? [];
        this[DISPOSE_SOCKET]();
        this.#refuseCarried(FREED, messages);
        break;
      }
    }
  }

  /** Disposes of the socket, keeping its queue (and whether it was wanted) until the end of the turn. */
  #leaveTree(): void {
    const socket = this[SOCKET];
    // Leaving ends the session here, and the socket's close will not be reported: its length is
    // recorded now, in the tree it ran in (a fleet's `--duration`, a tree that quits).
    if (socket !== null && socket.sessionOpen) {
      const metrics = WebSocketConnectionNode.#metricsOf(this);
      if (metrics !== null) recordWs(metrics, "closed", socket.clock.now() - socket.openedAt);
    }
    this.#metrics = null; // the next tree has its own registry
    this.#metricsSeen = -1;
    if (socket === null) return;
    if (socket.state !== CLOSED) logLeftTree(this);
    const carried: Carried = { messages: socket.takeQueuedMessages(), reconnect: socket.connectionWanted };
    this[DISPOSE_SOCKET]();
    if (carried.messages.length === 0 && !carried.reconnect) return;
    this.#carried = carried;
    queueMicrotask(() => {
      if (this.#carried === carried) this.#refuseCarried(LEFT_TREE);
    });
  }

  /** Back in a tree in the same turn: reconnect if the connection was wanted, then resend the queue. */
  #resumeAfterReparent(): void {
    const carried = this.#carried;
    if (carried === null) return;
    this.#carried = null;
    const socket = this[ENSURE_SOCKET]();
    if (socket === null) {
      this.#carried = carried;
      return;
    }
    if (carried.reconnect) socket.open();
    for (const message of carried.messages) socket.send(message.data, message.isText);
  }

  /** Refuses every carried message (and `more`), oldest first. */
  #refuseCarried(reason: string, more: QueuedMessage[] = []): void {
    const carried = this.#carried?.messages ?? [];
    this.#carried = null;
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
