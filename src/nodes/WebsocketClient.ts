import { signal, type SignalsOf } from "../core/signals/SignalSet";
import { describeObject, emit2 } from "../scene/GodotObject";
/**
 * `WebsocketClient`: the node of the Godot 4 "WebsocketClient" addon (seed 000), in camelCase, on the
 * shared reconnection engine ({@link ReconnectingSocket}).
 *
 * Seed name → ours: `connection_url` → `connectionUrl`, `auto_reconnect` → `autoReconnect`,
 * `connection_established` → `connectionEstablished`, `connection_closed` → `connectionClosed(code,
 * reason)`, `message_received(message)` → `messageReceived(message, isText)`,
 * `connection_state_changed(state)` → `connectionStateChanged(state)`, `open_connection()` →
 * `openConnection()`, `wait_connection_established()` → `waitConnectionEstablished(timeout?)`,
 * `send_text()` → `sendText()`, `close(status, message)` → `close(status, message)`,
 * `connection_state` / `is_open` / `is_closed` → `connectionState` / `isOpen` / `isClosed`.
 *
 * Where we deliberately differ from the original addon, and why:
 * - Connecting by itself: as the original's `_process` does, a node with `autoReconnect` on and a
 *   `connectionUrl` connects when it is ready (and again each time it re-enters the tree); otherwise it
 *   waits for `openConnection()`. `openConnection()` called outside the tree connects on entry.
 * - Backoff: the original's `_tries` counter doubles the delay without bound and resets on any open, so
 *   a server that accepts and drops at once is hammered. Ours: first try at once, then `reconnectDelay`
 *   doubling up to `reconnectDelayMax`, downward jitter, an optional `maxReconnectAttempts`, a counter
 *   reset only after `minUptime` seconds open, and a `connectTimeout` for attempts stuck in CONNECTING.
 * - `connectionClosed` carries `(code, reason)`; as in the original it fires on every transition to
 *   CLOSED, failed attempts included (those also get `connectFailed(reason, httpStatus)` just before).
 * - Reconnect policy (not in the original): a handshake the server refuses with a 4xx status (but 408,
 *   429) is not retried, `noReconnectCodes` lists close codes that end reconnecting, and
 *   `shouldReconnect(code, reason, httpStatus)` decides instead of the 4xx rule when set. The refused
 *   status is `lastHttpStatus`. `urlProvider` / `headersProvider` (sync or async) give each attempt its
 *   URL and headers (expiring tokens); `agent` opens the connection through an `http.Agent` (a proxy).
 * - `waitForMessage(match, { timeout })` (not in the original) waits for a reply, as load-test tools
 *   do: a predicate or a JSON subset, the message parsed when it is JSON text.
 * - `messageReceived` also says whether the frame was text (`isText`); the message is a Buffer.
 * - Dispatch: messages reach `messageReceived` as soon as they arrive (`dispatch: "immediate"`), not at
 *   the next `_process`, so latency matches raw `ws`; `dispatch: "frame"` polls once per frame exactly
 *   as the original does.
 * - Sending while not open: the original's `send_text` fails (and its message is lost). Ours queues it
 *   (up to `sendQueueLimit`) while a connection is under way or expected and sends it in order on open;
 *   what cannot be queued is refused with a non-OK `ErrorCode` and a `sendRefused` signal.
 * - `send()` for binary messages exists (the original only sends text).
 * - `waitConnectionEstablished(timeout?)` can time out, and rejects when the node is closed, leaves the
 *   tree or is freed, when reconnecting gives up, and when a failed attempt will not be retried: the
 *   original waits forever.
 * - `close()` also cancels a retry already waiting (the original could reconnect after an explicit
 *   close if a delayed attempt was in flight), and returns an `ErrorCode` (bad close codes are refused).
 * - Leaving the tree closes with 1001 "Going Away" and cancels every timer; the original leaves the
 *   socket open without polling it. Queued messages are never dropped: `reparent()` (leaving and
 *   re-entering in one turn) reconnects and sends them first; leaving for good refuses each one with
 *   `sendRefused` at the end of that turn, and `free()` at once.
 * - Extra signals: `connectFailed`, `reconnecting(attempt, delaySeconds)`, `reconnectGaveUp(attempts)`,
 *   `sendRefused(data, reason)`.
 */
import { Node } from "../scene/Node";
import { ErrorCode } from "../core/ErrorCode";
import { SystemClock, type Clock, type ScheduledTask } from "../core/clock";
import { CodedError, SceneTreeError } from "../core/errors";
import { CloseCode, closeArgumentsProblem, WebSocketPeerState } from "../net";
import {
  ENSURE_SOCKET,
  FACE,
  SEND,
  SETTINGS,
  SOCKET,
  SOCKET_URL,
  WebSocketConnectionNode,
  type ConnectionFace,
} from "./websocketConnection";
import { MessageWaits, type MessageMatch, type MessageSubset } from "./messageWaits";
import { logClosed, logConnected, logConnectFailed } from "./websocketLogs";

const websocketClientSignals = WebSocketConnectionNode.signals.extend({
  /** The connection is open; `isOpen` is already true. */
  connectionEstablished: signal(),
  /** The state became CLOSED (a dropped connection, a close, or a failed attempt). */
  connectionClosed: signal<[code: number, reason: string]>("code", "reason"),
  /** One complete message. `message` is its bytes; `isText` when it came in a text frame (UTF-8). */
  messageReceived: signal<[message: Buffer, isText: boolean]>("message", "isText"),
  /** Every state change; `connectionState` already reads `state`. */
  connectionStateChanged: signal<[state: WebSocketPeerState]>("state"),
});

export type WebsocketClientSignals = SignalsOf<typeof websocketClientSignals>;

/**
 * Why a `waitConnectionEstablished()` or `waitForMessage()` promise was rejected. `ERR_CONNECT_FAILED`:
 * an attempt failed and nothing will retry it (a handshake refused with a 4xx, `shouldReconnect`
 * said no, `autoReconnect` is off); `ERR_MATCH_FAILED`: the `waitForMessage` predicate threw.
 */
export type ConnectionWaitErrorCode =
  | "ERR_TIMEOUT"
  | "ERR_CLOSED"
  | "ERR_GAVE_UP"
  | "ERR_LEFT_TREE"
  | "ERR_FREED"
  | "ERR_CONNECT_FAILED"
  | "ERR_MATCH_FAILED";

export class ConnectionWaitError extends CodedError {
  declare readonly code: ConnectionWaitErrorCode;

  constructor(code: ConnectionWaitErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "ConnectionWaitError";
  }
}

export type { MessageMatch, MessageSubset } from "./messageWaits";

export interface WaitForMessageOptions {
  /** Seconds to wait, on the tree's clock (default: no limit). */
  timeout?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: ConnectionWaitError) => void;
  timeout: ScheduledTask | null;
}

const OPEN = WebSocketPeerState.OPEN;
const CLOSED = WebSocketPeerState.CLOSED;
const NORMAL_CLOSURE = CloseCode.NORMAL;

/**
 * A WebSocket client node that keeps its connection alive (the seed `WebsocketClient` addon's node):
 * it connects to `connectionUrl` when ready with `autoReconnect` on (or on `openConnection()`),
 * reconnects with capped, jittered backoff, queues sends while not open, and emits
 * `connectionEstablished`, `messageReceived(message, isText)`, `connectionClosed(code, reason)`,
 * `connectFailed(reason, httpStatus)` and `connectionStateChanged(state)`. Settings and signals: the
 * README's "WebsocketClient" section.
 */
export class WebsocketClient<
  S extends WebsocketClientSignals = WebsocketClientSignals,
> extends WebSocketConnectionNode<S> {
  static override readonly signals = websocketClientSignals;

  #waiters: Waiter[] | null = null;
  #messageWaits: MessageWaits | null = null;

  constructor(name = "") {
    super(name);
  }

  /** The full `ws://` or `wss://` URL to connect to (required unless a `urlProvider` is set). */
  get connectionUrl(): string {
    return this[SETTINGS].url;
  }
  set connectionUrl(url: string) {
    this[SETTINGS].url = url;
  }

  // Redeclared so that setting it to true while closed starts connecting, as the original's
  // `_process` would at the next frame.
  override get autoReconnect(): boolean {
    return super.autoReconnect;
  }
  override set autoReconnect(value: boolean) {
    super.autoReconnect = value;
    if (!this.isInsideTree() || !this.isNodeReady()) return;
    if (value) {
      if (this.#hasUrl() && this.connectionState === CLOSED && !this.reconnectPending)
        this[ENSURE_SOCKET]()?.open();
    } else if (this.reconnectPending) {
      this[SOCKET]?.close(); // a retry already waiting would reconnect: the original stays closed
    }
  }

  get isOpen(): boolean {
    return this.connectionState === OPEN;
  }

  get isClosed(): boolean {
    return this.connectionState === CLOSED;
  }

  /**
   * Turns `autoReconnect` on and starts connecting (the first try is immediate). Outside the tree it
   * connects when the node enters one. Returns OK, or `ERR_INVALID_PARAMETER` for a bad URL (with
   * `connectFailed`).
   */
  openConnection(): ErrorCode {
    super.autoReconnect = true;
    const socket = this[ENSURE_SOCKET]();
    return socket === null ? ErrorCode.OK : socket.open();
  }

  /**
   * Resolves once the connection is open (at once if it is). `timeout` in seconds (default: none).
   * Rejects with a {@link ConnectionWaitError} on timeout, on `close()`, when reconnecting gives up, and
   * when the node leaves the tree or is freed.
   */
  waitConnectionEstablished(timeout?: number): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    if (!this.isInstanceValid())
      return Promise.reject(new ConnectionWaitError("ERR_FREED", `${describeObject(this)} was freed.`));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timeout: null };
      if (timeout !== undefined && timeout >= 0) {
        waiter.timeout = this.#clock().schedule(() => {
          const index = this.#waiters?.indexOf(waiter) ?? -1;
          if (index !== -1) this.#waiters?.splice(index, 1);
          reject(
            new ConnectionWaitError(
              "ERR_TIMEOUT",
              `${describeObject(this)}: no connection${this.connectionUrl ? ` to ${this.connectionUrl}` : ""} within ${timeout} s.`,
            ),
          );
        }, timeout * 1000);
      }
      (this.#waiters ??= []).push(waiter);
    });
  }

  /**
   * Resolves with the next message that `match` accepts: a predicate `(message, raw, isText)`, or a JSON
   * subset (`{ type: "joined" }`) the parsed message must contain. The message comes parsed when it is
   * JSON text, as the string for other text, as the Buffer when binary; it still reaches
   * `messageReceived`. `timeout` in seconds (default: none). Rejects with a {@link ConnectionWaitError}:
   * `ERR_TIMEOUT`; `ERR_CLOSED` when an open connection closes, when an attempt fails for good, on
   * `close()`, or at once when nothing is connected or connecting; `ERR_LEFT_TREE`; `ERR_FREED`;
   * `ERR_MATCH_FAILED` when the predicate throws. Settles exactly once. Call it before the request
   * whose answer it waits for is answered: messages that arrived earlier are not looked at.
   */
  waitForMessage<T>(
    match: (message: unknown, raw: Buffer, isText: boolean) => message is T,
    options?: WaitForMessageOptions,
  ): Promise<T>;
  // NoInfer: T comes from the type argument (or the awaited type), never from the subset, so
  // `waitForMessage({ type: "joined" })` resolves with unknown rather than `{ type: string }`.
  waitForMessage<T = unknown>(
    match: NoInfer<
      unknown extends T
        ? MessageMatch
        : MessageSubset<T> | ((message: unknown, raw: Buffer, isText: boolean) => boolean)
    >,
    options?: WaitForMessageOptions,
  ): Promise<T>;
  waitForMessage<T = unknown>(match: MessageMatch, options: WaitForMessageOptions = {}): Promise<T> {
    if (typeof match !== "function" && (typeof match !== "object" || match === null))
      throw new SceneTreeError(
        "ERR_INVALID_ARGUMENT",
        `waitForMessage(match): match must be a function or a JSON subset object, got ${match === null ? "null" : typeof match}.`,
      );
    if (!this.isInstanceValid())
      return Promise.reject(new ConnectionWaitError("ERR_FREED", `${describeObject(this)} was freed.`));
    if (this.isInsideTree() && !(this[SOCKET]?.connectionWanted ?? false))
      return Promise.reject(
        new ConnectionWaitError(
          "ERR_CLOSED",
          `${describeObject(this)}: nothing is connected or connecting; call openConnection() first.`,
        ),
      );
    const waits = (this.#messageWaits ??= new MessageWaits());
    return new Promise<T>((resolve, reject) => {
      const wait = {
        match,
        resolve: resolve as (message: unknown) => void,
        reject,
        timeout: null as ScheduledTask | null,
      };
      const timeout = options.timeout;
      if (timeout !== undefined && timeout >= 0)
        wait.timeout = this.#clock().schedule(() => {
          if (waits.remove(wait))
            reject(
              new ConnectionWaitError(
                "ERR_TIMEOUT",
                `${describeObject(this)}: no matching message within ${timeout} s.`,
              ),
            );
        }, timeout * 1000);
      waits.add(wait);
    });
  }

  /** Sends a text frame. OK when sent or queued; otherwise a non-OK code and `sendRefused`. */
  sendText(message: string): ErrorCode {
    return this[SEND](message, true);
  }

  /** Sends a binary frame (a string is sent as its UTF-8 bytes). Same results as `sendText`. */
  send(data: Uint8Array | ArrayBuffer | string): ErrorCode {
    return this[SEND](data, false);
  }

  /**
   * Closes the connection, turns `autoReconnect` off and cancels any retry already waiting. Queued
   * messages are refused (`sendRefused`); pending `waitConnectionEstablished()` calls reject.
   */
  close(status: number = NORMAL_CLOSURE, message = "Normal Closure"): ErrorCode {
    if (closeArgumentsProblem(status, message) !== undefined) return ErrorCode.ERR_INVALID_PARAMETER;
    super.autoReconnect = false;
    const result = this[SOCKET]?.close(status, message) ?? ErrorCode.OK;
    this.#rejectWaiters("ERR_CLOSED", "the connection was closed with close()");
    this.#rejectMessageWaits("ERR_CLOSED", "the connection was closed with close()");
    return result;
  }

  /** @internal */
  protected [SOCKET_URL](): string {
    return this.connectionUrl;
  }

  /** @internal */
  protected get [FACE](): ConnectionFace<WebSocketConnectionNode> {
    return WebsocketClient.#face as ConnectionFace<WebSocketConnectionNode>;
  }

  // The socket's events as this node's signals, one object for every client node.
  static readonly #face: ConnectionFace<WebsocketClient> = {
    stateChanged: (node, state) => node.emit("connectionStateChanged", state),
    open: (node, url) => {
      logConnected(node, url);
      node.emit("connectionEstablished");
      node.#resolveWaiters();
    },
    closing: () => {},
    close: (node, code, reason, wasOpen) => {
      // After open the server's state is gone. An attempt that failed was settled by connectFailed
      // (or by close(), which ended it): its waits are gone already.
      if (wasOpen) {
        node.#rejectMessageWaits(
          "ERR_CLOSED",
          `the connection closed (${code}${reason ? ` ${reason}` : ""})`,
        );
        logClosed(node, code, reason);
      }
      node.emit("connectionClosed", code, reason);
    },
    // The per-message path: one guarded emit, no rest array, nothing allocated here.
    message: (node, data, isText) => {
      const waits = node.#messageWaits;
      if (waits !== null && waits.size > 0) waits.offer(data, isText, (error) => node.#matchFailed(error));
      emit2(node, "messageReceived", data, isText);
    },
    connectFailed: (node, reason, httpStatus) => {
      logConnectFailed(node, node.connectionUrl, reason, httpStatus);
      // Nothing will retry (a refused handshake not retried, an attempt that could not be made at all
      // — a malformed URL, unusable TLS material —, or reconnecting gave up): the waits end now, not at
      // their timeouts. Giving up rejects the connection waits with its own code, just after this.
      const socket = node[SOCKET];
      if (!(socket?.connectionWanted ?? false)) {
        const why = `the attempt failed and will not be retried: ${reason}`;
        if (!(socket?.gaveUp ?? false)) node.#rejectWaiters("ERR_CONNECT_FAILED", why);
        node.#rejectMessageWaits("ERR_CLOSED", why);
      }
      node.emit("connectFailed", reason, httpStatus);
    },
    reconnectGaveUp: (node, attempts) =>
      node.#rejectWaiters("ERR_GAVE_UP", `gave up reconnecting after ${attempts} attempts`),
  };

  override _notification(what: number): void {
    super._notification(what);
    switch (what) {
      case Node.NOTIFICATION_READY:
        this.#autoOpen();
        break;
      case Node.NOTIFICATION_POST_ENTER_TREE:
        if (this.isNodeReady()) this.#autoOpen(); // re-entering the tree (ready runs only once)
        break;
      case Node.NOTIFICATION_EXIT_TREE:
        this.#rejectWaiters("ERR_LEFT_TREE", "the node left the scene tree");
        this.#rejectMessageWaits("ERR_LEFT_TREE", "the node left the scene tree");
        break;
      case Node.NOTIFICATION_PREDELETE:
        this.#rejectWaiters("ERR_FREED", "the node was freed");
        this.#rejectMessageWaits("ERR_FREED", "the node was freed");
        break;
    }
  }

  #autoOpen(): void {
    if (this.autoReconnect && this.#hasUrl()) this[ENSURE_SOCKET]()?.open();
  }

  /** Something to connect to: a `connectionUrl`, or a `urlProvider` that gives one per attempt. */
  #hasUrl(): boolean {
    return this.connectionUrl !== "" || this.urlProvider !== undefined;
  }

  /** The tree's clock for timeouts (real time outside a tree). */
  #clock(): Clock {
    return this.isInsideTree() ? this.getTree().clock : new SystemClock();
  }

  #rejectMessageWaits(code: ConnectionWaitErrorCode, why: string): void {
    const waits = this.#messageWaits;
    if (waits === null || waits.size === 0) return;
    waits.rejectAll(new ConnectionWaitError(code, `${describeObject(this)}: ${why}.`));
  }

  #matchFailed(error: unknown): Error {
    const why = error instanceof Error ? error.message : String(error);
    return new ConnectionWaitError(
      "ERR_MATCH_FAILED",
      `${describeObject(this)}: the waitForMessage predicate threw: ${why}`,
      { cause: error },
    );
  }

  #resolveWaiters(): void {
    const waiters = this.#waiters;
    if (waiters === null || waiters.length === 0) return;
    this.#waiters = null;
    for (const waiter of waiters) {
      waiter.timeout?.cancel();
      waiter.resolve();
    }
  }

  #rejectWaiters(code: ConnectionWaitErrorCode, why: string): void {
    const waiters = this.#waiters;
    if (waiters === null || waiters.length === 0) return;
    this.#waiters = null;
    const error = new ConnectionWaitError(code, `${describeObject(this)}: ${why}.`);
    for (const waiter of waiters) {
      waiter.timeout?.cancel();
      waiter.reject(error);
    }
  }
}
