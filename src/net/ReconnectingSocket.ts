import { SystemClock, type Clock, type ScheduledTask } from "../core/clock";
import { SIGNALS } from "../core/signals/SignalTable";
import { SignalEmitter } from "../core/signals/SignalEmitter";
import { ErrorCode } from "../core/ErrorCode";
import { backoffDelay } from "./Backoff";
import { CloseCode, closeArgumentsProblem } from "./closeCodes";
import { Fifo } from "../core/Fifo";
import {
  WebSocketPeer,
  WebSocketPeerState,
  WebSocketWriteMode,
  type WebSocketPeerDriver,
} from "./WebSocketPeer";
import {
  CONNECTION_SETTING_NAMES,
  createConnectionSettings,
  defineSettingAccessors,
  type ConnectionSettings,
  type DispatchMode,
} from "./settings";
import { reconnectAllowed } from "./reconnectPolicy";
import { webSocketUrlProblem } from "./webSocketUrl";
import { DOUBLE_FIELD as DOUBLE } from "../core/doubleField";

export { DEFAULT_SEND_QUEUE_BYTE_LIMIT, type DispatchMode } from "./settings";
export type OutgoingData = string | Uint8Array | ArrayBuffer;

/** A message waiting in the send queue, as {@link ReconnectingSocket.takeQueuedMessages} hands it over. */
export interface QueuedMessage {
  data: string | Buffer;
  isText: boolean;
}

/**
 * Everything configurable: every setting of the table in ./settings (times in seconds), plus the clock.
 * All of it may also be changed later as a property, except `clock` and `dispatch`.
 */
export interface ReconnectingSocketOptions extends ConnectionSettings {
  clock: Clock;
}

export type ReconnectingSocketEvents = {
  /** The state changed; `socket.state` already reads the new value. */
  stateChanged: (state: WebSocketPeerState) => void;
  open: (url: string) => void;
  /** Once per connection that started closing after being open (before `close`). */
  closing: () => void;
  /** Every attempt ends with one `close`; `wasOpen` tells a dropped connection from a failed attempt. */
  close: (code: number, reason: string, wasOpen: boolean) => void;
  message: (data: Buffer, isText: boolean) => void;
  /**
   * An attempt ended before opening: refused, failed handshake, TLS rejection, connect timeout, bad URL,
   * a failing `urlProvider` / `headersProvider`. `httpStatus` is the status a server refused the
   * handshake with (401, 403, 404, 503…), 0 otherwise.
   */
  connectFailed: (reason: string, httpStatus: number) => void;
  /** `attempt` counts automatic attempts in the current streak, from 1. A delay of 0 starts at once. */
  reconnectScheduled: (attempt: number, delaySeconds: number) => void;
  /** `maxReconnectAttempts` automatic attempts failed in a row; nothing more will be tried. */
  reconnectGaveUp: (attempts: number) => void;
  /** A message that will never be sent; `send()` also returned a non-OK code if it was refused at once. */
  sendRefused: (data: OutgoingData, reason: string) => void;
};

/**
 * What the one owner of a socket (a scene node) is told, by direct calls with `owner` first, before
 * the listeners of the event of the same name: one shared observer object serves every socket of a
 * kind of owner, so wiring a socket allocates nothing. `sent` has no event: it is each message handed
 * to the connection (sent at once, or from the queue on open).
 */
export type ReconnectingSocketObserver<O> = {
  [E in keyof ReconnectingSocketEvents]: (owner: O, ...args: Parameters<ReconnectingSocketEvents[E]>) => void;
} & {
  sent(owner: O, data: OutgoingData): void;
  /** A heartbeat's round trip, in clock milliseconds. */
  pong(owner: O, roundTripMs: number): void;
  /** A user callback among the settings (`shouldReconnect`, a provider) threw or rejected. */
  callbackFailed(owner: O, callback: string, error: unknown): void;
  /**
   * After `close`: the reconnect policy declined to retry a connection that was wanted (a handshake
   * refused with a 4xx, a close code in `noReconnectCodes`, `shouldReconnect` said no); nothing more
   * will be tried. `httpStatus` is the refused handshake's status, 0 after a drop.
   */
  reconnectDeclined(owner: O, code: number, httpStatus: number): void;
};

/** An attempt waiting for its `urlProvider` / `headersProvider`: CONNECTING, with no peer yet. */
interface Preparation {
  /** Why the attempt ended before it had a peer; handled by the next pass of the state machine. */
  failure: string | null;
  /** The attempt cannot be made at all (a malformed URL or header from a provider): no retry. */
  final: boolean;
}

// Read once: under tsx an imported binding costs a getter call per use.
const DOUBLE_FIELD = DOUBLE;

/** The reason of an attempt closed before it connected (ws's words for the same case). */
const BEFORE_ESTABLISHED = "WebSocket was closed before the connection was established";

/** How far the current attempt has been reported to listeners. */
/** The bits of `ReconnectingSocket.flags`. */
const enum Flag {
  CLOSING_EMITTED = 1,
  /** The user wants a connection: set by open(), cleared by close(), give-up and drops without retry. */
  WANTED = 2,
  /** open() was called while the previous connection was still closing: connect once it has closed. */
  REOPEN_REQUESTED = 4,
  RETRY_DUE = 8,
  CONNECT_TIMEOUT_DUE = 16,
  STEPPING = 32,
  STEP_AGAIN = 64,
}

enum AttemptPhase {
  None,
  Connecting,
  Open,
}

/**
 * A WebSocket client connection that keeps itself alive: one fresh {@link WebSocketPeer} per attempt,
 * exponential backoff with jitter and a cap, a connect timeout, a bounded send queue that survives
 * reconnects, and heartbeats. Both WebSocket scene nodes wrap this class.
 *
 * Dispatch: with "immediate" every event is emitted as soon as the network or a timer produces it.
 * With "frame" nothing happens between `poll()` calls except what the caller does itself: timers only
 * mark work as due, and `poll()` performs it and emits the events, as Godot's `_process` polling does.
 *
 * Order guarantees: events of one connection come as stateChanged(CONNECTING) → stateChanged(OPEN) →
 * open → message… → [stateChanged(CLOSING)] → closing → stateChanged(CLOSED) → [connectFailed] →
 * close → reconnectScheduled | reconnectGaveUp. Messages that arrived before a close are emitted
 * before it. Internal state is settled before each emit, so a listener may call any method (even
 * `dispose()`) and a throwing listener leaves the socket consistent.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface after the class
export class ReconnectingSocket
  extends SignalEmitter<ReconnectingSocketEvents>
  implements ReconnectingSocketOptions
{
  readonly clock: Clock;
  /**
   * The settings this socket reads, live: its own, or those of the owner that handed them over (a node),
   * so a change made there applies to the next decision here. Each setting is also a property.
   */
  readonly settings: ConnectionSettings;
  /** Read once, when the socket is made. */
  readonly dispatch: DispatchMode;
  /** When the current (or last) attempt started, in clock milliseconds (0 before the first). */
  attemptStartedAt = DOUBLE_FIELD; // set to 0 in the constructor: a double field from the start (see DOUBLE_FIELD)
  /** When the current (or last) connection opened, in clock milliseconds (0 before the first). */
  openedAt = DOUBLE_FIELD;
  /**
   * The HTTP status the server refused the last attempt's handshake with (401, 403, 404, 503…); 0 when
   * the last attempt was not refused that way, or opened.
   */
  lastHttpStatus = 0;
  /** Reconnecting gave up (`maxReconnectAttempts` failed in a row) since the last `open()`. */
  gaveUp = false;

  private observer: ReconnectingSocketObserver<unknown> | null = null;
  private owner: unknown = null;
  private peer: WebSocketPeer | null = null;
  private preparing: Preparation | null = null;
  private phase = AttemptPhase.None;
  private publishedState = WebSocketPeerState.CLOSED;

  /** The yes/no state, as the `Flag` bits: seven booleans would be 48 B more per socket. */
  private flags = 0;
  private attemptsInStreak = 0;
  private reconnectsInStreak = 0;

  private retryTask: ScheduledTask | null = null;
  private retryAt = 0;
  private connectTimeoutTask: ScheduledTask | null = null;

  /** Made when the first message has to wait. */
  private sendQueue: Fifo<QueuedMessage> | null = null;
  private sendQueueBytes = 0;
  private messageBudget: number;
  private disposed = false;
  private sent = 0;
  private received = 0;
  private closeCode: number | null = null;
  private closeReason = "";

  /**
   * `options` are written into `settings` when it is given (the owner's live settings, read from then
   * on), else into a settings object of the socket's own. `clock` defaults to real time.
   */
  constructor(options: Partial<ReconnectingSocketOptions> = {}, settings?: ConnectionSettings) {
    super();
    this.attemptStartedAt = 0;
    this.openedAt = 0;
    const clock = options.clock;
    if (settings === undefined) {
      const { clock: _clock, ...rest } = options;
      settings = createConnectionSettings(rest);
    } else {
      // A node's socket is made with `{ clock }` alone: no rest object, no entries array per socket.
      for (const name in options) {
        if (name === "clock" || !Object.hasOwn(options, name)) continue;
        const value = (options as Record<string, unknown>)[name];
        if (value !== undefined) (settings as Record<string, unknown>)[name] = value;
      }
    }
    this.settings = settings;
    this.dispatch = settings.dispatch;
    this.clock = clock ?? new SystemClock();
    this.messageBudget = budgetFor(settings.receiveLimit);
  }

  /**
   * Makes `observer` hear of everything with `owner` (see {@link ReconnectingSocketObserver}); null
   * removes it.
   */
  observe<O>(observer: ReconnectingSocketObserver<O> | null, owner: O | null = null): void {
    this.observer = observer as ReconnectingSocketObserver<unknown> | null;
    this.owner = observer === null ? null : owner;
  }

  /** The last state reported through `stateChanged`. CLOSED while waiting for a retry. */
  get state(): WebSocketPeerState {
    return this.publishedState;
  }

  get isOpen(): boolean {
    return this.publishedState === WebSocketPeerState.OPEN;
  }

  get isClosed(): boolean {
    return this.publishedState === WebSocketPeerState.CLOSED;
  }

  /**
   * The current attempt opened and has not ended yet (its close not yet reported; CLOSING counts): a
   * session that `dispose()` would end without a `close` report.
   */
  get sessionOpen(): boolean {
    return this.phase === AttemptPhase.Open;
  }

  /** A retry is waiting for its backoff delay (or is due at the next poll in frame mode). */
  get reconnectPending(): boolean {
    return this.retryTask !== null || this.is(Flag.RETRY_DUE);
  }

  /** Messages waiting for the next open. */
  get queuedSendCount(): number {
    return this.sendQueue === null ? 0 : this.sendQueue.length;
  }

  /** Bytes of the messages waiting for the next open (strings as UTF-8). */
  get queuedSendBytes(): number {
    return this.sendQueueBytes;
  }

  /**
   * The user wants a connection: `open()` was called and neither `close()`, a drop without
   * `autoReconnect`, nor giving up has ended it since (connecting, open, or waiting for a retry).
   */
  get connectionWanted(): boolean {
    return this.is(Flag.WANTED);
  }

  /**
   * Which automatic retry of its streak the current (or last) attempt is: 1 for the first retry after a
   * drop or a failure; 0 for an attempt `open()` started.
   */
  get reconnectAttempt(): number {
    return this.reconnectsInStreak;
  }

  /** Connection attempts in the current streak (since the last `open()` or stable connection). */
  get attemptCount(): number {
    return this.attemptsInStreak;
  }

  /** When the waiting retry starts, on `clock`'s timeline (ms); null when no retry waits for its delay. */
  get nextRetryAt(): number | null {
    return this.retryTask !== null ? this.retryAt : null;
  }

  /** Messages handed to the network (queued ones count when they go out), over the socket's life. */
  get messagesSent(): number {
    return this.sent;
  }

  /** Messages emitted as `message`, over the socket's life. */
  get messagesReceived(): number {
    return this.received;
  }

  /** Close code of the last attempt that ended (-1: dropped without a close frame); null before any. */
  get lastCloseCode(): number | null {
    return this.closeCode;
  }

  get lastCloseReason(): string {
    return this.closeReason;
  }

  /** The peer of the current attempt, for read-only details (selected protocol, buffered amount). */
  get currentPeer(): WebSocketPeer | null {
    return this.peer;
  }

  /**
   * Starts connecting now (the first try is immediate) and resets the attempt counter. Already
   * connecting or open: nothing to do. Waiting for a retry: connects now instead. Still closing:
   * connects as soon as the old connection has closed. A bad URL gives `ERR_INVALID_PARAMETER` and
   * a `connectFailed` (with a `urlProvider`, its URL is checked at each attempt instead); a disposed
   * socket gives `ERR_UNAVAILABLE`.
   */
  open(): ErrorCode {
    if (this.disposed) return ErrorCode.ERR_UNAVAILABLE;
    const problem = this.settings.urlProvider ? undefined : webSocketUrlProblem(this.settings.url);
    if (problem !== undefined) {
      this.tell("connectFailed", problem, 0);
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    this.mark(Flag.WANTED, true);
    this.gaveUp = false;
    const peer = this.peer;
    const preparing = this.preparing;
    if (peer !== null || preparing !== null) {
      const ending =
        peer === null
          ? preparing?.failure != null
          : peer.getReadyState() === WebSocketPeerState.CLOSING ||
            peer.getReadyState() === WebSocketPeerState.CLOSED;
      if (ending) {
        this.mark(Flag.REOPEN_REQUESTED, true);
        this.resetStreak();
      }
      return ErrorCode.OK;
    }
    this.cancelRetry();
    this.resetStreak();
    return this.startAttempt();
  }

  /**
   * Closes the connection and stops reconnecting until the next `open()`; a retry already waiting is
   * cancelled. Messages still queued are refused (`sendRefused`). The `autoReconnect` property itself
   * is left as configured. An unsendable code or over-long reason gives `ERR_INVALID_PARAMETER`.
   */
  close(code: number = CloseCode.NORMAL, reason = ""): ErrorCode {
    if (this.disposed) return ErrorCode.OK;
    if (closeArgumentsProblem(code, reason) !== undefined) return ErrorCode.ERR_INVALID_PARAMETER;
    this.mark(Flag.WANTED, false);
    this.mark(Flag.REOPEN_REQUESTED, false);
    this.cancelRetry();
    const refused = this.drainQueue();
    this.peer?.close(code, reason);
    if (this.preparing !== null) this.preparing.failure ??= BEFORE_ESTABLISHED;
    this.wake();
    this.refuseAll(refused, "the connection was closed before the message could be sent");
    return ErrorCode.OK;
  }

  /**
   * Sends now when open; otherwise queues it (up to `sendQueueLimit`) for the next open, when a
   * connection is under way or a reconnect is expected. Queued messages are sent in order, before the
   * `open` event of the connection that carries them, and before anything sent after them.
   * Returns OK when sent or queued; otherwise `ERR_UNCONFIGURED` (nothing will connect), `ERR_BUSY`
   * (queue full: `sendQueueLimit` messages or `sendQueueByteLimit` bytes), `ERR_OUT_OF_MEMORY` (open,
   * but `outboundBufferSize` bytes already wait to be written: the other side is not reading) or
   * `ERR_UNAVAILABLE` (disposed), and emits `sendRefused` (except when disposed).
   */
  send(data: OutgoingData, isText: boolean = typeof data === "string"): ErrorCode {
    if (this.disposed) return ErrorCode.ERR_UNAVAILABLE;
    const peer = this.peer;
    const queue = this.sendQueue;
    if (peer !== null && this.phase === AttemptPhase.Open && (queue === null || queue.length === 0)) {
      const result = peer.send(data, isText ? WebSocketWriteMode.TEXT : WebSocketWriteMode.BINARY);
      if (result === ErrorCode.OK) {
        this.sent++;
        const observer = this.observer;
        if (observer !== null) observer.sent(this.owner, data);
        return result;
      }
      if (result === ErrorCode.ERR_OUT_OF_MEMORY)
        return this.refuse(data, this.outboundFullReason(peer), ErrorCode.ERR_OUT_OF_MEMORY);
      // The connection is going away under us: fall through and treat it like any closed state.
    }
    if (!this.connectionExpected())
      return this.refuse(
        data,
        "not connected, and no connection attempt is under way",
        ErrorCode.ERR_UNCONFIGURED,
      );
    const { sendQueueLimit, sendQueueByteLimit } = this.settings;
    const queued = this.queuedSendCount;
    if (queued >= sendQueueLimit)
      return this.refuse(data, `send queue full (${sendQueueLimit} messages)`, ErrorCode.ERR_BUSY);
    const size = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
    if (queued > 0 && this.sendQueueBytes + size > sendQueueByteLimit)
      return this.refuse(data, `send queue full (${sendQueueByteLimit} bytes)`, ErrorCode.ERR_BUSY);
    (this.sendQueue ??= new Fifo<QueuedMessage>()).push({ data: retainedCopy(data), isText });
    this.sendQueueBytes += size;
    return ErrorCode.OK;
  }

  /**
   * Removes every queued message and hands it over, oldest first, without refusing it: for an owner
   * that moves them to another socket (a node being reparented) or refuses them itself.
   */
  takeQueuedMessages(): QueuedMessage[] {
    return this.drainQueue();
  }

  /**
   * Starts a new frame: performs due work (frame mode) and emits what is waiting, with at most
   * `maxMessages` messages (0 = all); the rest wait, in order, for the next poll. In immediate mode
   * only needed with a `receiveLimit`, whose per-frame budget it renews.
   */
  poll(maxMessages: number = this.settings.receiveLimit): void {
    if (this.disposed) return;
    this.messageBudget = budgetFor(maxMessages);
    this.step();
  }

  /**
   * For leaving the tree: cancels every timer, closes with 1001 "Going Away", refuses every message
   * still queued (`sendRefused`, "the socket was disposed"; take them first with
   * {@link takeQueuedMessages} to keep them) and then emits nothing further (listeners removed). The
   * closing handshake finishes in the background. The socket cannot be opened again.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.mark(Flag.WANTED, false);
    this.mark(Flag.REOPEN_REQUESTED, false);
    this.cancelRetry();
    this.cancelAttemptTimers();
    this.preparing = null;
    const peer = this.peer;
    if (peer !== null) {
      this.detach(peer);
      peer.closeInBackground(CloseCode.GOING_AWAY, "Going Away");
    }
    const refused = this.drainQueue();
    for (const message of refused) this.tell("sendRefused", message.data, "the socket was disposed");
    this.removeAllListeners();
    this.observe(null);
  }

  // ---- wake-ups ----

  // What the peer of an attempt reports, by direct calls (see WebSocketPeerDriver): in immediate mode
  // its news and messages, in frame mode only heartbeat round trips (poll() collects the rest).
  private static readonly immediateDriver: WebSocketPeerDriver<ReconnectingSocket> = {
    packet: (socket, data, isText) => socket.deliverDirectly(data, isText),
    activity: (socket) => socket.onPeerActivity(),
    pong: (socket, roundTripMs) => socket.observer?.pong(socket.owner, roundTripMs),
  };
  private static readonly frameDriver: WebSocketPeerDriver<ReconnectingSocket> = {
    packet: () => false,
    activity: () => {},
    pong: (socket, roundTripMs) => socket.observer?.pong(socket.owner, roundTripMs),
  };

  private onPeerActivity(): void {
    try {
      this.step();
    } catch (error) {
      rethrowOutsideWs(error);
    }
  }

  /**
   * The per-message fast path of immediate dispatch: when nothing else is pending, a message goes
   * straight from ws to the observer and the `message` listeners, skipping the peer's queue and a full
   * pass of the state machine. Anything unusual (a pass running, the open not yet reported, the frame
   * budget spent) declines, and the message takes the ordinary queued path.
   */
  private deliverDirectly(data: Buffer, isText: boolean): boolean {
    if (this.is(Flag.STEPPING) || this.phase !== AttemptPhase.Open || this.messageBudget <= 0) return false;
    this.messageBudget--;
    this.received++;
    this.mark(Flag.STEPPING, true); // work a listener causes is deferred until it returns, as in step()
    try {
      const observer = this.observer;
      if (observer !== null) observer.message(this.owner, data, isText);
      if (this[SIGNALS] !== null) {
        // A single listener is called directly (its slot cached by SignalEmitter): emit()'s generic path
        // and its dictionary lookup are a measurable share of the per-message cost.
        const listener = this.hotListeners("message");
        if (typeof listener === "function") listener.call(this, data, isText);
        else if (listener !== undefined) this.emit("message", data, isText);
      }
    } catch (error) {
      rethrowOutsideWs(error);
    } finally {
      this.mark(Flag.STEPPING, false);
    }
    if (this.is(Flag.STEP_AGAIN)) this.step();
    return true;
  }

  private retryNow(): void {
    this.retryTask = null;
    this.mark(Flag.RETRY_DUE, true);
    this.wake();
  }

  private connectTimedOut(): void {
    this.connectTimeoutTask = null;
    this.mark(Flag.CONNECT_TIMEOUT_DUE, true);
    this.wake();
  }

  /** Immediate mode acts now; frame mode leaves the work marked for the next poll(). */
  private wake(): void {
    if (this.dispatch === "immediate") this.step();
  }

  // ---- the state machine ----

  private step(): void {
    if (this.is(Flag.STEPPING)) {
      this.mark(Flag.STEP_AGAIN, true); // a listener caused more work: the running loop picks it up
      return;
    }
    this.mark(Flag.STEPPING, true);
    try {
      do {
        this.mark(Flag.STEP_AGAIN, false);
        this.advance();
      } while (this.is(Flag.STEP_AGAIN) && !this.disposed);
    } finally {
      this.mark(Flag.STEPPING, false);
    }
  }

  /** One pass: start a due retry, then report what the current peer has done since the last pass. */
  private advance(): void {
    if (this.disposed) return;
    if (this.is(Flag.RETRY_DUE) && this.peer === null && this.preparing === null) this.startAttempt();
    if (this.preparing !== null) {
      this.advancePreparation(this.preparing);
      return;
    }
    const peer = this.peer;
    if (peer === null) return;
    peer.poll();

    if (this.is(Flag.CONNECT_TIMEOUT_DUE)) {
      this.mark(Flag.CONNECT_TIMEOUT_DUE, false);
      if (!peer.hasConnected() && peer.getReadyState() === WebSocketPeerState.CONNECTING)
        peer.abort(`connect timeout: no answer within ${this.settings.connectTimeout} s`);
    }

    if (this.phase === AttemptPhase.None) {
      this.phase = AttemptPhase.Connecting;
      this.setState(WebSocketPeerState.CONNECTING);
      if (this.isStale(peer)) return;
    }

    if (this.phase === AttemptPhase.Connecting && peer.hasConnected()) {
      this.phase = AttemptPhase.Open;
      const overflowed = this.attemptOpened(peer);
      if (overflowed !== null) {
        this.refuseAll(overflowed, this.outboundFullReason(peer));
        if (this.isStale(peer)) return;
      }
      this.setState(WebSocketPeerState.OPEN);
      if (this.isStale(peer)) return;
      this.tell("open", peer.getRequestedUrl());
      if (this.isStale(peer)) return;
    }

    while (this.messageBudget > 0 && peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      this.messageBudget--;
      this.received++;
      this.tell("message", data, peer.wasStringPacket());
      if (this.isStale(peer)) return;
    }
    // Over budget: the remaining messages, and any close that followed them, wait for the next frame.
    if (peer.getAvailablePacketCount() > 0) return;

    const peerState = peer.getReadyState();
    if (peerState === WebSocketPeerState.CLOSING && this.publishedState !== WebSocketPeerState.CLOSING) {
      this.setState(WebSocketPeerState.CLOSING);
      if (this.isStale(peer)) return;
    }
    if (
      peerState >= WebSocketPeerState.CLOSING &&
      this.phase === AttemptPhase.Open &&
      !this.is(Flag.CLOSING_EMITTED)
    ) {
      this.mark(Flag.CLOSING_EMITTED, true);
      this.tell("closing");
      if (this.isStale(peer)) return;
    }
    if (peerState === WebSocketPeerState.CLOSED) {
      this.detach(peer);
      this.attemptEnded(peer.getCloseCode(), peer.getCloseReason(), peer.getHttpStatus(), true);
    }
  }

  /** The pass of an attempt still waiting for its providers: CONNECTING, or ended without a peer. */
  private advancePreparation(preparation: Preparation): void {
    if (this.is(Flag.CONNECT_TIMEOUT_DUE)) {
      this.mark(Flag.CONNECT_TIMEOUT_DUE, false);
      preparation.failure ??= `connect timeout: no answer within ${this.settings.connectTimeout} s`;
    }
    if (this.phase === AttemptPhase.None) {
      this.phase = AttemptPhase.Connecting;
      this.setState(WebSocketPeerState.CONNECTING);
      if (this.disposed || this.preparing !== preparation) {
        this.mark(Flag.STEP_AGAIN, !this.disposed);
        return;
      }
    }
    const failure = preparation.failure;
    if (failure === null) return;
    this.preparing = null;
    this.attemptEnded(CloseCode.DROPPED, failure, 0, !preparation.final);
  }

  /** A listener replaced the peer, disposed, or otherwise moved on: restart the pass from scratch. */
  private isStale(peer: WebSocketPeer): boolean {
    if (this.disposed) return true;
    if (this.peer === peer) return false;
    this.mark(Flag.STEP_AGAIN, true);
    return true;
  }

  /**
   * Starts the next attempt: at once, or, while a `urlProvider` / `headersProvider` is still answering,
   * as an attempt in CONNECTING with no peer yet (see {@link Preparation}).
   */
  private startAttempt(): ErrorCode {
    this.mark(Flag.RETRY_DUE, false);
    const settings = this.settings;
    const { urlProvider, headersProvider } = settings;
    if (urlProvider === undefined && headersProvider === undefined)
      return this.connectNow(settings.url, settings.headers);
    let url: string | PromiseLike<string>;
    let headers: Record<string, string> | undefined | PromiseLike<Record<string, string> | undefined>;
    try {
      url = urlProvider === undefined ? settings.url : urlProvider();
    } catch (error) {
      return this.prepare(this.callbackFailed("urlProvider", error));
    }
    try {
      headers = headersProvider === undefined ? settings.headers : headersProvider();
    } catch (error) {
      return this.prepare(this.callbackFailed("headersProvider", error));
    }
    if (!isThenable(url) && !isThenable(headers)) {
      const problem = urlProvider === undefined ? undefined : providedUrlProblem(url);
      return problem === undefined ? this.connectNow(url, headers) : this.prepare(problem);
    }
    const preparation = this.prepare(null);
    Promise.all([
      Promise.resolve(url).catch((error: unknown) =>
        Promise.reject(this.callbackFailed("urlProvider", error)),
      ),
      Promise.resolve(headers).catch((error: unknown) =>
        Promise.reject(this.callbackFailed("headersProvider", error)),
      ),
    ]).then(
      ([readyUrl, readyHeaders]) => {
        if (this.preparing !== preparation || preparation.failure !== null) return;
        // A URL the provider got wrong this time fails this attempt only: the next one asks again.
        const problem = urlProvider === undefined ? undefined : providedUrlProblem(readyUrl);
        if (problem !== undefined) {
          preparation.failure = problem;
          this.wake();
          return;
        }
        const peer = this.createPeer(readyUrl, readyHeaders);
        if (typeof peer === "string") {
          preparation.failure = peer;
          preparation.final = true;
        } else {
          this.preparing = null;
          this.adoptPeer(peer);
        }
        this.wake();
      },
      (failure: string) => {
        if (this.preparing !== preparation) return;
        preparation.failure ??= failure;
        this.wake();
      },
    );
    return ErrorCode.OK;
  }

  /** An attempt with its URL and headers known: the peer connects now, or the attempt cannot be made. */
  private connectNow(url: string, headers: Record<string, string> | undefined): ErrorCode {
    const peer = this.createPeer(url, headers);
    if (typeof peer === "string") {
      // A malformed URL, subprotocol list or header, or unusable TLS material: retrying cannot fix it.
      this.mark(Flag.WANTED, false);
      const refused = this.drainQueue();
      this.tell("connectFailed", peer, 0);
      this.refuseAll(refused, "the connection cannot be attempted");
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    this.beginAttempt();
    this.adoptPeer(peer);
    this.wake();
    return ErrorCode.OK;
  }

  /** Starts an attempt that waits for its providers (or has failed already, with `failure`). */
  private prepare(failure: string): ErrorCode;
  private prepare(failure: null): Preparation;
  private prepare(failure: string | null): Preparation | ErrorCode {
    const preparation: Preparation = { failure, final: false };
    this.preparing = preparation;
    this.beginAttempt();
    this.wake();
    return failure === null ? preparation : ErrorCode.OK;
  }

  /** What every attempt starts with: counted, timed, and given its connect timeout. */
  private beginAttempt(): void {
    this.attemptsInStreak++;
    this.attemptStartedAt = this.clock.now();
    this.phase = AttemptPhase.None;
    this.mark(Flag.CLOSING_EMITTED, false);
    this.mark(Flag.CONNECT_TIMEOUT_DUE, false);
    const connectTimeout = this.settings.connectTimeout;
    if (connectTimeout > 0)
      this.connectTimeoutTask = this.clock.schedule(() => this.connectTimedOut(), connectTimeout * 1000);
  }

  /** A peer connecting to `url`, or why it cannot. */
  private createPeer(url: unknown, headers: Record<string, string> | undefined): WebSocketPeer | string {
    if (typeof url !== "string") return `urlProvider gave ${typeof url}, not a URL string`;
    const settings = this.settings;
    const peer = new WebSocketPeer({
      clock: this.clock,
      inboundBufferSize: settings.inboundBufferSize,
      maxQueuedPackets: settings.maxQueuedPackets,
      maxQueuedBytes: settings.maxQueuedBytes,
      outboundBufferSize: settings.outboundBufferSize,
      heartbeatInterval: settings.heartbeatInterval,
    });
    const result = peer.connectToUrl(url, {
      protocols: settings.protocols,
      headers,
      tls: settings.tls,
      agent: settings.agent,
      localAddress: settings.localAddress || undefined,
    });
    return result === ErrorCode.OK ? peer : peer.getCloseReason();
  }

  private adoptPeer(peer: WebSocketPeer): void {
    this.peer = peer;
    peer.setDriver(
      this.dispatch === "immediate" ? ReconnectingSocket.immediateDriver : ReconnectingSocket.frameDriver,
      this,
    );
  }

  /** Reports a user callback that threw or rejected; returns the attempt's failure reason. */
  private is(flag: Flag): boolean {
    return (this.flags & flag) !== 0;
  }

  private mark(flag: Flag, on: boolean): void {
    this.flags = on ? this.flags | flag : this.flags & ~flag;
  }

  private callbackFailed(callback: string, error: unknown): string {
    const observer = this.observer;
    if (observer !== null) observer.callbackFailed(this.owner, callback, error);
    return `${callback} failed: ${error instanceof Error ? error.message : String(error)}`;
  }

  /** Sends the queue on a connection that just opened; returns what did not fit the outbound buffer. */
  private attemptOpened(peer: WebSocketPeer): QueuedMessage[] | null {
    this.connectTimeoutTask?.cancel();
    this.connectTimeoutTask = null;
    this.openedAt = this.clock.now();
    this.lastHttpStatus = 0;
    if (!(this.settings.minUptime > 0)) this.resetStreak();
    // Queued messages go out before user code hears `open`, so they precede anything it sends.
    let overflowed: QueuedMessage[] | null = null;
    const observer = this.observer;
    const queue = this.sendQueue;
    while (queue !== null && queue.length > 0) {
      const message = queue.peek() as QueuedMessage;
      const mode = message.isText ? WebSocketWriteMode.TEXT : WebSocketWriteMode.BINARY;
      const result = peer.send(message.data, mode);
      if (result !== ErrorCode.OK && result !== ErrorCode.ERR_OUT_OF_MEMORY) break; // gone again: keep the rest
      this.shiftQueue();
      if (result === ErrorCode.ERR_OUT_OF_MEMORY) (overflowed ??= []).push(message);
      else {
        this.sent++;
        if (observer !== null) observer.sent(this.owner, message.data);
      }
    }
    return overflowed;
  }

  /**
   * The attempt ended (its peer is CLOSED and detached, or it never got one): decide what comes next,
   * then tell the listeners. `retryable` is false when the attempt could not be made at all.
   */
  private attemptEnded(code: number, reason: string, httpStatus: number, retryable: boolean): void {
    const wasOpen = this.phase === AttemptPhase.Open;
    const closedByUser = !this.is(Flag.WANTED);
    this.closeCode = code;
    this.closeReason = reason;
    this.phase = AttemptPhase.None;
    this.cancelAttemptTimers();
    if (!wasOpen) this.lastHttpStatus = httpStatus;
    // A connection that stayed open for minUptime was stable: the next retry starts a fresh streak.
    if (wasOpen && this.clock.now() - this.openedAt >= this.settings.minUptime * 1000) this.resetStreak();

    let retryDelay: number | undefined;
    let gaveUp = false;
    let declined = false;
    const settings = this.settings;
    if (this.is(Flag.REOPEN_REQUESTED)) {
      this.mark(Flag.REOPEN_REQUESTED, false);
      this.mark(Flag.RETRY_DUE, true); // the user's own open(): no reconnectScheduled
    } else if (
      this.is(Flag.WANTED) &&
      settings.autoReconnect &&
      retryable &&
      this.mayReconnect(code, reason, wasOpen ? 0 : httpStatus)
    ) {
      if (settings.maxReconnectAttempts > 0 && this.reconnectsInStreak >= settings.maxReconnectAttempts) {
        gaveUp = true;
        this.gaveUp = true;
        this.mark(Flag.WANTED, false);
      } else {
        this.reconnectsInStreak++;
        retryDelay = backoffDelay(this.attemptsInStreak, settings);
        if (retryDelay > 0) {
          this.retryAt = this.clock.now() + retryDelay * 1000;
          this.retryTask = this.clock.schedule(() => this.retryNow(), retryDelay * 1000);
        } else this.mark(Flag.RETRY_DUE, true);
      }
    } else {
      // Wanted, with retries on and possible: only the reconnect policy can have said no.
      declined = this.is(Flag.WANTED) && settings.autoReconnect && retryable;
      this.mark(Flag.WANTED, false);
    }
    const retryTask = this.retryTask;
    const refused = this.is(Flag.WANTED) ? [] : this.drainQueue();
    if (this.is(Flag.RETRY_DUE)) this.mark(Flag.STEP_AGAIN, true);

    this.setState(WebSocketPeerState.CLOSED);
    if (this.disposed) return;
    if (!wasOpen && !closedByUser) {
      this.tell("connectFailed", reason, httpStatus);
      if (this.disposed) return;
    }
    this.tell("close", code, reason, wasOpen);
    if (this.disposed) return;
    // Skipped if a listener already cancelled the retry (close()) or replaced it (open()).
    if (
      retryDelay !== undefined &&
      (retryDelay > 0 ? this.retryTask === retryTask : this.is(Flag.RETRY_DUE))
    ) {
      this.tell("reconnectScheduled", this.reconnectsInStreak, retryDelay);
      if (this.disposed) return;
    }
    if (gaveUp) {
      this.tell("reconnectGaveUp", this.reconnectsInStreak);
      if (this.disposed) return;
    }
    if (declined && this.observer !== null) {
      this.observer.reconnectDeclined(this.owner, code, wasOpen ? 0 : httpStatus);
      if (this.disposed) return;
    }
    this.refuseAll(refused, gaveUp ? "gave up reconnecting" : "the connection closed and will not reconnect");
  }

  /** The reconnect policy (see ./reconnectPolicy); a throwing `shouldReconnect` counts as "no". */
  private mayReconnect(code: number, reason: string, httpStatus: number): boolean {
    try {
      return reconnectAllowed(this.settings, code, reason, httpStatus);
    } catch (error) {
      if (this.observer !== null) this.callbackFailed("shouldReconnect", error);
      else rethrowOutsideWs(error);
      return false;
    }
  }

  private detach(peer: WebSocketPeer): void {
    peer.setDriver(null);
    this.peer = null;
  }

  private setState(state: WebSocketPeerState): void {
    this.publishedState = state;
    this.tell("stateChanged", state);
  }

  /** Tells the observer, then the listeners. */
  private tell<E extends keyof ReconnectingSocketEvents>(
    event: E,
    ...args: Parameters<ReconnectingSocketEvents[E]>
  ): void {
    const observer = this.observer;
    if (observer !== null)
      (observer[event] as (owner: unknown, ...rest: unknown[]) => void).call(observer, this.owner, ...args);
    if (this[SIGNALS] !== null) this.emit(event, ...args);
  }

  // ---- bookkeeping ----

  private connectionExpected(): boolean {
    if (!this.is(Flag.WANTED)) return false;
    if (this.reconnectPending || this.is(Flag.REOPEN_REQUESTED) || this.preparing !== null) return true;
    if (this.peer === null) return false;
    // Connecting: it may open. Open or closing: only a reconnect would carry the message.
    return this.phase !== AttemptPhase.Open || this.settings.autoReconnect;
  }

  private drainQueue(): QueuedMessage[] {
    const queue = this.sendQueue;
    this.sendQueueBytes = 0;
    this.sendQueue = null;
    return queue === null ? [] : queue.drain();
  }

  private shiftQueue(): void {
    const message = (this.sendQueue as Fifo<QueuedMessage>).shift() as QueuedMessage;
    this.sendQueueBytes -=
      typeof message.data === "string" ? Buffer.byteLength(message.data) : message.data.length;
  }

  private outboundFullReason(peer: WebSocketPeer): string {
    return (
      `outbound buffer full: ${peer.getCurrentOutboundBufferedAmount()} bytes not yet written ` +
      `(outboundBufferSize ${this.settings.outboundBufferSize}); the other side is not reading`
    );
  }

  private refuse(data: OutgoingData, reason: string, code: ErrorCode): ErrorCode {
    this.tell("sendRefused", data, reason);
    return code;
  }

  private refuseAll(messages: QueuedMessage[], reason: string): void {
    for (const message of messages) {
      if (this.disposed) return;
      this.tell("sendRefused", message.data, reason);
    }
  }

  private resetStreak(): void {
    this.attemptsInStreak = 0;
    this.reconnectsInStreak = 0;
  }

  private cancelRetry(): void {
    this.retryTask?.cancel();
    this.retryTask = null;
    this.mark(Flag.RETRY_DUE, false);
  }

  private cancelAttemptTimers(): void {
    this.connectTimeoutTask?.cancel();
    this.connectTimeoutTask = null;
    this.mark(Flag.CONNECT_TIMEOUT_DUE, false);
  }
}

// Every setting but `dispatch` (read once) is a read-write property forwarding to `settings`.
defineSettingAccessors(
  ReconnectingSocket.prototype,
  CONNECTION_SETTING_NAMES.filter((name) => name !== "dispatch"),
  (socket) => socket.settings,
);
// The accessors defined just above, as the type sees them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface ReconnectingSocket extends Omit<ConnectionSettings, "dispatch"> {}

/**
 * A listener threw while we ran inside ws's receive path, which must not see it (it would stall the
 * connection); re-throw it on a clean stack, as Node does for any throwing event listener.
 */
function rethrowOutsideWs(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return (
    typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function"
  );
}

function budgetFor(maxMessages: number): number {
  return maxMessages > 0 ? maxMessages : Infinity;
}

/** Queued bytes are copied: the caller may reuse its buffer as soon as send() returns. */
function retainedCopy(data: OutgoingData): string | Buffer {
  if (typeof data === "string") return data;
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
}

/**
 * Why a `urlProvider`'s answer cannot be connected to, naming it; undefined when it can. Unlike a bad
 * `url` setting, which no retry can fix, a provider may answer better next time: its bad URL fails
 * one attempt, as a provider that throws does.
 */
function providedUrlProblem(url: unknown): string | undefined {
  if (typeof url !== "string") return `urlProvider gave ${typeof url}, not a URL string`;
  const problem = webSocketUrlProblem(url);
  return problem === undefined ? undefined : `urlProvider gave ${JSON.stringify(url)}: ${problem}`;
}
