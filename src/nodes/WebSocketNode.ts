import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { describeObject, emit2, reportObjectError } from "../scene/GodotObject";
import { listener } from "../scene/listener";
/**
 * `WebSocketNode`: the Godot-3-style node of the Godot 4 "websocket" addon (seed 001), in camelCase, on
 * the same reconnection engine as `WebsocketClient` ({@link ReconnectingSocket}): one implementation,
 * two faces. Scene files call the type `WebSocketNode`.
 *
 * Seed name → ours: `WebSocket` (node) → `WebSocketNode`, `host` → `host`, `route` → `route`,
 * `use_WSS` → `useWss`, `receive_limit` → `receiveLimit`, `connection_timeout` → `connectionTimeout`,
 * `autoconnect_mode` → `autoconnectMode`, `AUTOCONNECT_MODE` → `AutoconnectMode` (same members),
 * `autoconnect_reference` → `autoconnectReference`, `connected(url)` → `connected(url)`,
 * `connect_failed` → `connectFailed(reason)`, `received(data)` → `received(data, isText)`, `closing` →
 * `closing`, `closed(code, reason)` → `closed(code, reason)`, `connect_socket()` →
 * `connectSocket(host?, route?)`, `send()` → `send(bytes)`, `send_text()` → `sendText(text)`,
 * `close()` → `close(code, reason)`.
 *
 * Where we deliberately differ from the original addon, and why:
 * - The class is `WebSocketNode`, not `WebSocket`: that name is the browser/`ws` socket class, and a
 *   node must not shadow it in user code.
 * - `received` fires once per message (message boundaries kept); the original concatenated up to
 *   `receiveLimit` packets into one byte array, which loses where one message ends. `receiveLimit` now
 *   caps how many messages are dispatched per frame (0 = all); the rest wait, in order, for the next
 *   frame, with immediate dispatch too. `received` also says whether the frame was text.
 * - `connectFailed(reason)` carries a reason and fires for refused connections, failed handshakes, TLS
 *   rejections, bad URLs and `connectionTimeout`, not only timeouts. Every attempt ends with exactly
 *   one of `connectFailed` or `closed`.
 * - `closing` fires once per connection (the original could repeat it on every frame while closing).
 * - `connectSocket(host?, route?)` honours both arguments (they also update `host` / `route`); connecting
 *   to a different URL while connected closes the old connection first.
 * - `sendText()` sends a UTF-8 text frame (the original sent text as binary); send results are
 *   `ErrorCode`s, and failures are visible through `sendRefused` rather than dropped.
 * - Autoconnect: a target that is already ready connects now (the original awaited a `ready` that had
 *   already fired, so it never connected). A missing target (no parent, no owner, no reference) is
 *   reported through the tree's error reporting with this node's path, and nothing connects; the
 *   original connected at once, silently. `ROOT_READY` waits for the root of the running scene (the
 *   node just below `tree.root`): Godot's own root is ready before any scene is added, so waiting for
 *   it meant "now". Autoconnect runs again when the node re-enters the tree (leaving it closed the
 *   socket).
 * - Shared reconnection (`autoReconnect`, off by default as in the original, with the client's backoff,
 *   queue and heartbeat settings) — the original had none.
 * - Leaving the tree closes with 1001 "Going Away" and cancels every timer. A connection wanted when
 *   the node left comes back when it re-enters in the same turn (`reparent()`), and queued messages are
 *   sent on it first; leaving for good refuses each one with `sendRefused` at the end of that turn.
 * - Dispatch is immediate by default (`dispatch: "frame"` polls once per frame as the original).
 */
import { Node } from "../scene/Node";
import { ErrorCode } from "../core/ErrorCode";
import { ConnectFlags } from "../scene/GodotObject";
import { SceneTreeError } from "../core/errors";
import { CloseCode, WebSocketPeerState } from "../net";
import {
  ENSURE_SOCKET,
  FACE,
  RECEIVE_LIMIT,
  SEND,
  SOCKET,
  SOCKET_URL,
  WebSocketConnectionNode,
  type ConnectionFace,
} from "./websocketConnection";
import { logClosed, logConnected, logConnectFailed } from "./websocketLogs";

/** When the node connects by itself (the seed's `AUTOCONNECT_MODE`, same members and order). */
export enum AutoconnectMode {
  /** Never by itself: call `connectSocket()`. */
  NONE = 0,
  /** When this node is ready. */
  SELF_READY = 1,
  /** When the parent is ready. */
  PARENT_READY = 2,
  /** When the owner (the scene root this node was saved with) is ready. */
  OWNER_READY = 3,
  /** When the root of the running scene is ready. */
  ROOT_READY = 4,
  /** When `autoconnectReference` is ready. */
  CUSTOM = 5,
}

const webSocketNodeSignals = WebSocketConnectionNode.signals.extend({
  /** The connection to `url` is open. */
  connected: signal<[url: string]>("url"),
  /** One complete message (`isText` when it came in a text frame). */
  received: signal<[data: Buffer, isText: boolean]>("data", "isText"),
  /** The open connection started closing (once per connection). */
  closing: signal(),
  /** A connection ended (`code` -1 when it dropped without a close frame). */
  closed: signal<[code: number, reason: string]>("code", "reason"),
});

export type WebSocketNodeSignals = SignalsOf<typeof webSocketNodeSignals>;

const OPEN = WebSocketPeerState.OPEN;
const CLOSED = WebSocketPeerState.CLOSED;

/**
 * The Godot-3-style WebSocket node (the seed `websocket` addon's `WebSocket` node): connects to
 * `host` + `route` (`useWss`), by itself per `autoconnectMode`, and emits `connected(url)`,
 * `connectFailed(reason)`, `received(data, isText)`, `closing` and `closed(code, reason)`; it
 * reconnects as `WebsocketClient` does. Settings and signals: the README's "WebSocketNode" section.
 */
export class WebSocketNode<
  S extends WebSocketNodeSignals = WebSocketNodeSignals,
> extends WebSocketConnectionNode<S> {
  static override readonly signals = webSocketNodeSignals;

  /** Hostname (optionally with `:port`) to connect to. */
  host = "127.0.0.1";
  /** URL route; a server may serve different WebSocket endpoints on different routes. */
  route = "/";
  /** Use wss:// (TLS) instead of ws:// (false for a plain local server). */
  useWss = true;
  autoconnectMode = AutoconnectMode.NONE;
  /** The node whose readiness `AutoconnectMode.CUSTOM` waits for (a NodePath in scene files). */
  autoconnectReference: Node | null = null;

  #attemptFailed = false;
  #waitingFor: Node | null = null;

  constructor(name = "") {
    super(name);
  }

  /** Messages dispatched per frame, 0..128; 0 = all. The rest wait for the next frame. */
  get receiveLimit(): number {
    return this[RECEIVE_LIMIT];
  }
  set receiveLimit(count: number) {
    this[RECEIVE_LIMIT] = count;
  }

  /** Seconds to wait in CONNECTING before the attempt fails (0..300, 0 = no limit). */
  get connectionTimeout(): number {
    return this.connectTimeout;
  }
  set connectionTimeout(seconds: number) {
    this.connectTimeout = seconds;
  }

  /** The URL made of `useWss`, `host` and `route`. */
  get url(): string {
    const route = this.route.startsWith("/") ? this.route : `/${this.route}`;
    return `${this.useWss ? "wss" : "ws"}://${this.host}${route}`;
  }

  get isOpen(): boolean {
    return this.connectionState === OPEN;
  }

  get isClosed(): boolean {
    return this.connectionState === CLOSED;
  }

  /**
   * Connects to `host` and `route` (each argument, when given, also sets the property). Already
   * connected to that URL: nothing to do. The node must be inside the tree: otherwise
   * `ERR_UNCONFIGURED` and `connectFailed`. A malformed URL gives `ERR_INVALID_PARAMETER` and
   * `connectFailed`.
   */
  connectSocket(host?: string, route?: string): ErrorCode {
    if (host !== undefined) this.host = host;
    if (route !== undefined) this.route = route;
    const url = this.url;
    const socket = this[ENSURE_SOCKET]();
    if (socket === null) {
      (this as WebSocketNode).emit(
        "connectFailed",
        `${describeObject(this)} is not inside the scene tree; add it first.`,
        0,
      );
      return ErrorCode.ERR_UNCONFIGURED;
    }
    if (socket.url !== url) {
      const wasActive = socket.state !== CLOSED || socket.reconnectPending;
      socket.url = url;
      if (wasActive) socket.close(CloseCode.NORMAL, "reconnecting to another URL");
    }
    return socket.open();
  }

  /** Sends a binary message. OK when sent or queued; otherwise a non-OK code and `sendRefused`. */
  send(bytes: Uint8Array | ArrayBuffer): ErrorCode {
    return this[SEND](bytes, false);
  }

  /** Sends `text` as a UTF-8 text frame. */
  sendText(text: string): ErrorCode {
    return this[SEND](text, true);
  }

  /**
   * Starts closing (`closing`, then `closed`) and cancels any retry; `connectSocket()` connects again.
   * An unsendable code or a reason over 123 bytes gives `ERR_INVALID_PARAMETER`.
   */
  close(code: number = CloseCode.NORMAL, reason = ""): ErrorCode {
    return this[SOCKET]?.close(code, reason) ?? ErrorCode.OK;
  }

  /** @internal */
  protected [SOCKET_URL](): string {
    return this.url;
  }

  /** @internal */
  protected get [FACE](): ConnectionFace<WebSocketConnectionNode> {
    return WebSocketNode.#face as ConnectionFace<WebSocketConnectionNode>;
  }

  // The socket's events as this node's signals, one object for every WebSocketNode.
  static readonly #face: ConnectionFace<WebSocketNode> = {
    stateChanged: () => {},
    open: (node, url) => {
      logConnected(node, url);
      node.emit("connected", url);
    },
    closing: (node) => node.emit("closing"),
    close: (node, code, reason) => {
      const failed = node.#attemptFailed;
      node.#attemptFailed = false;
      if (failed) return;
      logClosed(node, code, reason);
      node.emit("closed", code, reason);
    },
    // The per-message path: one guarded emit, no rest array, nothing allocated here.
    message: (node, data, isText) => emit2(node, "received", data, isText),
    connectFailed: (node, reason, httpStatus) => {
      node.#attemptFailed = true;
      logConnectFailed(node, node.url, reason, httpStatus);
      node.emit("connectFailed", reason, httpStatus);
    },
    reconnectGaveUp: () => {},
  };

  // ---------------------------------------------------------------- autoconnect

  override _notification(what: number): void {
    super._notification(what);
    switch (what) {
      case Node.NOTIFICATION_READY:
        this.#autoconnect();
        break;
      case Node.NOTIFICATION_POST_ENTER_TREE:
        if (this.isNodeReady()) this.#autoconnect(); // re-entering the tree (ready runs only once)
        break;
      case Node.NOTIFICATION_EXIT_TREE:
      case Node.NOTIFICATION_PREDELETE:
        this.#stopWaiting();
        break;
    }
  }

  #autoconnect(): void {
    const mode = this.autoconnectMode;
    if (mode === AutoconnectMode.NONE) return;
    if (mode === AutoconnectMode.SELF_READY) {
      this.connectSocket();
      return;
    }
    const target = this.#autoconnectTarget(mode);
    if (target === null) return;
    if (target.isNodeReady()) this.connectSocket();
    else {
      this.#stopWaiting();
      this.#waitingFor = target;
      target.connect("ready", this.#onTargetReady, ConnectFlags.ONE_SHOT);
    }
  }

  readonly #onTargetReady = listener((): void => {
    this.#waitingFor = null;
    if (this.isInsideTree()) this.connectSocket();
  });

  #stopWaiting(): void {
    const target = this.#waitingFor;
    this.#waitingFor = null;
    if (target !== null && target.isInstanceValid() && target.isConnected("ready", this.#onTargetReady))
      target.disconnect("ready", this.#onTargetReady);
  }

  /** The node to wait for, or null after reporting why there is none. */
  #autoconnectTarget(mode: AutoconnectMode): Node | null {
    let target: Node | null;
    let missing: string;
    switch (mode) {
      case AutoconnectMode.PARENT_READY:
        target = this.getParent();
        missing = "autoconnectMode PARENT_READY, but the node has no parent";
        break;
      case AutoconnectMode.OWNER_READY:
        target = this.owner;
        missing =
          "autoconnectMode OWNER_READY, but the node has no owner (set owner, or load it from a scene)";
        break;
      case AutoconnectMode.ROOT_READY:
        target = this.#sceneRoot();
        missing = "autoconnectMode ROOT_READY, but the node is not inside a scene";
        break;
      case AutoconnectMode.CUSTOM:
        target = this.autoconnectReference;
        missing =
          target === null
            ? "autoconnectMode CUSTOM, but autoconnectReference is not set"
            : "autoconnectMode CUSTOM, but autoconnectReference was freed";
        if (target !== null && !target.isInstanceValid()) target = null;
        break;
      default:
        target = null;
        missing = `unknown autoconnectMode ${String(mode)}`;
    }
    if (target === null) {
      reportObjectError(
        this,
        "autoconnect",
        new SceneTreeError("ERR_NODE_NOT_FOUND", `${missing}; not connecting by itself.`),
      );
    }
    return target;
  }

  /** The ancestor just below the tree's root (this node itself when it is a scene root). */
  #sceneRoot(): Node | null {
    if (!this.isInsideTree()) return null;
    const tree = this.getTree();
    let node: Node = this;
    while (node.getParent() !== null && node.getParent() !== tree.root) node = node.getParent() as Node;
    return node.getParent() === tree.root ? node : null;
  }
}
