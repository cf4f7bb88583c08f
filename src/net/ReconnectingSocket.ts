import { SystemClock, type Clock, type ScheduledTask } from "../scene/clock";
import { listener } from "../scene/listener";
import { SignalEmitter } from "../core/signals/SignalEmitter";
import { ErrorCode } from "../scene/ErrorCode";
import { backoffDelay, DEFAULT_BACKOFF } from "./Backoff";
import { CloseCode, closeArgumentsProblem } from "./closeCodes";
import { Fifo } from "./Fifo";
import {
  DEFAULT_INBOUND_BUFFER_SIZE,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_PACKETS,
  DEFAULT_OUTBOUND_BUFFER_SIZE,
  WebSocketPeer,
  WebSocketPeerState,
  WebSocketWriteMode,
  type WebSocketTlsOptions,
} from "./WebSocketPeer";
import { webSocketUrlProblem } from "./webSocketUrl";

export type DispatchMode = "immediate" | "frame";
export type OutgoingData = string | Uint8Array | ArrayBuffer;

/** A message waiting in the send queue, as {@link ReconnectingSocket.takeQueuedMessages} hands it over. */
export interface QueuedMessage {
  data: string | Buffer;
  isText: boolean;
}

/** Default {@link ReconnectingSocketOptions.sendQueueByteLimit}: 16 MiB. */
export const DEFAULT_SEND_QUEUE_BYTE_LIMIT = 16 * 1024 * 1024;

/** Everything configurable. Times are in seconds. All of it may also be changed later as a property. */
export interface ReconnectingSocketOptions {
  url: string;
  /** Reconnect after a drop or a failed attempt. Default true. */
  autoReconnect: boolean;
  /** Backoff, see {@link backoffDelay}: first try at once, then 1 s doubling up to 30 s by default. */
  reconnectDelay: number;
  reconnectDelayMax: number;
  /** Fraction of each delay randomised away (downward jitter, 0..1). Default 0. */
  reconnectJitter: number;
  /** Automatic attempts in a row without a stable connection before giving up; 0 = unlimited. */
  maxReconnectAttempts: number;
  /**
   * Seconds a connection must stay open before the attempt counter resets (default 5). A server that
   * accepts and drops at once therefore still meets a growing delay instead of a reconnect storm.
   */
  minUptime: number;
  /** Seconds an attempt may stay in CONNECTING before it is abandoned (default 10); 0 = no limit. */
  connectTimeout: number;
  /** Messages held while not open (default 1024); 0 = never queue. */
  sendQueueLimit: number;
  /**
   * Bytes held while not open (default 16 MiB); beyond it `send()` refuses. A message is always
   * accepted into an empty queue, so one larger than the limit is not refused forever.
   */
  sendQueueByteLimit: number;
  /** Seconds between pings while open; 0 = off (default). */
  heartbeatInterval: number;
  protocols: string | string[] | undefined;
  headers: Record<string, string> | undefined;
  tls: WebSocketTlsOptions | undefined;
  inboundBufferSize: number;
  maxQueuedPackets: number;
  /** Unread bytes held before reading pauses, see {@link WebSocketPeer.maxQueuedBytes}. */
  maxQueuedBytes: number;
  /** Bytes that may wait to be written; beyond it `send()` refuses, see {@link WebSocketPeer.outboundBufferSize}. */
  outboundBufferSize: number;
  /** Messages emitted per frame (between two `poll()` calls); 0 = all. Applies to both dispatch modes. */
  receiveLimit: number;
  clock: Clock;
  random: () => number;
  dispatch: DispatchMode;
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
  /** An attempt ended before opening: refused, failed handshake, TLS rejection, connect timeout, bad URL. */
  connectFailed: (reason: string) => void;
  /** `attempt` counts automatic attempts in the current streak, from 1. A delay of 0 starts at once. */
  reconnectScheduled: (attempt: number, delaySeconds: number) => void;
  /** `maxReconnectAttempts` automatic attempts failed in a row; nothing more will be tried. */
  reconnectGaveUp: (attempts: number) => void;
  /** A message that will never be sent; `send()` also returned a non-OK code if it was refused at once. */
  sendRefused: (data: OutgoingData, reason: string) => void;
};

/** How far the current attempt has been reported to listeners. */
enum AttemptPhase {
  None,
  Connecting,
  Open,
}

const DEFAULTS: Omit<ReconnectingSocketOptions, "clock" | "random"> = {
  url: "",
  autoReconnect: true,
  reconnectDelay: DEFAULT_BACKOFF.reconnectDelay,
  reconnectDelayMax: DEFAULT_BACKOFF.reconnectDelayMax,
  reconnectJitter: DEFAULT_BACKOFF.reconnectJitter,
  maxReconnectAttempts: 0,
  minUptime: 5,
  connectTimeout: 10,
  sendQueueLimit: 1024,
  sendQueueByteLimit: DEFAULT_SEND_QUEUE_BYTE_LIMIT,
  heartbeatInterval: 0,
  protocols: undefined,
  headers: undefined,
  tls: undefined,
  inboundBufferSize: DEFAULT_INBOUND_BUFFER_SIZE,
  maxQueuedPackets: DEFAULT_MAX_QUEUED_PACKETS,
  maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES,
  outboundBufferSize: DEFAULT_OUTBOUND_BUFFER_SIZE,
  receiveLimit: 0,
  dispatch: "immediate",
};

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
export class ReconnectingSocket
  extends SignalEmitter<ReconnectingSocketEvents>
  implements ReconnectingSocketOptions
{
  url: string;
  autoReconnect: boolean;
  reconnectDelay: number;
  reconnectDelayMax: number;
  reconnectJitter: number;
  maxReconnectAttempts: number;
  minUptime: number;
  connectTimeout: number;
  sendQueueLimit: number;
  sendQueueByteLimit: number;
  heartbeatInterval: number;
  protocols: string | string[] | undefined;
  headers: Record<string, string> | undefined;
  tls: WebSocketTlsOptions | undefined;
  inboundBufferSize: number;
  maxQueuedPackets: number;
  maxQueuedBytes: number;
  outboundBufferSize: number;
  receiveLimit: number;
  readonly clock: Clock;
  random: () => number;
  readonly dispatch: DispatchMode;

  private peer: WebSocketPeer | null = null;
  private phase = AttemptPhase.None;
  private closingEmitted = false;
  private publishedState = WebSocketPeerState.CLOSED;

  /** The user wants a connection: set by open(), cleared by close(), give-up and drops without retry. */
  private wanted = false;
  /** open() was called while the previous connection was still closing: connect once it has closed. */
  private reopenRequested = false;
  private attemptsInStreak = 0;
  private reconnectsInStreak = 0;

  private retryTask: ScheduledTask | null = null;
  private retryAt = 0;
  private retryDue = false;
  private connectTimeoutTask: ScheduledTask | null = null;
  private connectTimeoutDue = false;
  private uptimeTask: ScheduledTask | null = null;

  private readonly sendQueue = new Fifo<QueuedMessage>();
  private sendQueueBytes = 0;
  private messageBudget: number;
  private stepping = false;
  private stepAgain = false;
  private disposed = false;
  private sent = 0;
  private received = 0;
  private closeCode: number | null = null;
  private closeReason = "";

  constructor(options: Partial<ReconnectingSocketOptions> = {}) {
    super();
    const settings = { ...DEFAULTS, ...definedOnly(options) };
    this.url = settings.url;
    this.autoReconnect = settings.autoReconnect;
    this.reconnectDelay = settings.reconnectDelay;
    this.reconnectDelayMax = settings.reconnectDelayMax;
    this.reconnectJitter = settings.reconnectJitter;
    this.maxReconnectAttempts = settings.maxReconnectAttempts;
    this.minUptime = settings.minUptime;
    this.connectTimeout = settings.connectTimeout;
    this.sendQueueLimit = settings.sendQueueLimit;
    this.sendQueueByteLimit = settings.sendQueueByteLimit;
    this.heartbeatInterval = settings.heartbeatInterval;
    this.protocols = settings.protocols;
    this.headers = settings.headers;
    this.tls = settings.tls;
    this.inboundBufferSize = settings.inboundBufferSize;
    this.maxQueuedPackets = settings.maxQueuedPackets;
    this.maxQueuedBytes = settings.maxQueuedBytes;
    this.outboundBufferSize = settings.outboundBufferSize;
    this.receiveLimit = settings.receiveLimit;
    this.dispatch = settings.dispatch;
    this.clock = options.clock ?? new SystemClock();
    this.random = options.random ?? Math.random;
    this.messageBudget = budgetFor(this.receiveLimit);
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

  /** A retry is waiting for its backoff delay (or is due at the next poll in frame mode). */
  get reconnectPending(): boolean {
    return this.retryTask !== null || this.retryDue;
  }

  /** Messages waiting for the next open. */
  get queuedSendCount(): number {
    return this.sendQueue.length;
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
    return this.wanted;
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
   * a `connectFailed`; a disposed socket gives `ERR_UNAVAILABLE`.
   */
  open(): ErrorCode {
    if (this.disposed) return ErrorCode.ERR_UNAVAILABLE;
    const problem = webSocketUrlProblem(this.url);
    if (problem !== undefined) {
      this.emit("connectFailed", problem);
      return ErrorCode.ERR_INVALID_PARAMETER;
    }
    this.wanted = true;
    const peer = this.peer;
    if (peer !== null) {
      const state = peer.getReadyState();
      if (state === WebSocketPeerState.CLOSING || state === WebSocketPeerState.CLOSED) {
        this.reopenRequested = true;
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
    this.wanted = false;
    this.reopenRequested = false;
    this.cancelRetry();
    const refused = this.drainQueue();
    this.peer?.close(code, reason);
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
    if (peer !== null && this.phase === AttemptPhase.Open && this.sendQueue.length === 0) {
      const result = peer.send(data, isText ? WebSocketWriteMode.TEXT : WebSocketWriteMode.BINARY);
      if (result === ErrorCode.OK) {
        this.sent++;
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
    if (this.sendQueue.length >= this.sendQueueLimit)
      return this.refuse(data, `send queue full (${this.sendQueueLimit} messages)`, ErrorCode.ERR_BUSY);
    const size = typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
    if (this.sendQueue.length > 0 && this.sendQueueBytes + size > this.sendQueueByteLimit)
      return this.refuse(data, `send queue full (${this.sendQueueByteLimit} bytes)`, ErrorCode.ERR_BUSY);
    this.sendQueue.push({ data: retainedCopy(data), isText });
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
  poll(maxMessages: number = this.receiveLimit): void {
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
    this.wanted = false;
    this.reopenRequested = false;
    this.cancelRetry();
    this.cancelAttemptTimers();
    const peer = this.peer;
    if (peer !== null) {
      this.detach(peer);
      peer.close(CloseCode.GOING_AWAY, "Going Away");
    }
    const refused = this.drainQueue();
    for (const message of refused) this.emit("sendRefused", message.data, "the socket was disposed");
    this.removeAllListeners();
  }

  // ---- wake-ups ----

  private readonly onPeerActivity = listener((): void => {
    try {
      this.step();
    } catch (error) {
      rethrowOutsideWs(error);
    }
  });

  /**
   * The per-message fast path of immediate dispatch (the peer's `packetSink`): when nothing else is
   * pending, a message goes straight from ws to the `message` listeners, skipping the peer's queue
   * and a full pass of the state machine. Anything unusual (a pass running, the open not yet
   * reported, the frame budget spent) declines, and the message takes the ordinary queued path.
   */
  private readonly deliverDirectly = listener((data: Buffer, isText: boolean): boolean => {
    if (this.stepping || this.phase !== AttemptPhase.Open || this.messageBudget <= 0) return false;
    this.messageBudget--;
    this.received++;
    this.stepping = true; // work a listener causes is deferred until it returns, as in step()
    try {
      // A single listener is called directly (its slot cached by SignalEmitter): emit()'s generic path and
      // its dictionary lookup are a measurable share of the per-message cost.
      const listener = this.hotListeners("message");
      if (typeof listener === "function") listener.call(this, data, isText);
      else if (listener !== undefined) this.emit("message", data, isText);
    } catch (error) {
      rethrowOutsideWs(error);
    } finally {
      this.stepping = false;
    }
    if (this.stepAgain) this.step();
    return true;
  });

  private readonly onRetryDue = listener((): void => {
    this.retryTask = null;
    this.retryDue = true;
    this.wake();
  });

  private readonly onConnectTimeout = listener((): void => {
    this.connectTimeoutTask = null;
    this.connectTimeoutDue = true;
    this.wake();
  });

  private readonly onStableUptime = listener((): void => {
    this.uptimeTask = null;
    this.resetStreak();
  });

  /** Immediate mode acts now; frame mode leaves the work marked for the next poll(). */
  private wake(): void {
    if (this.dispatch === "immediate") this.step();
  }

  // ---- the state machine ----

  private step(): void {
    if (this.stepping) {
      this.stepAgain = true; // a listener caused more work: the running loop picks it up
      return;
    }
    this.stepping = true;
    try {
      do {
        this.stepAgain = false;
        this.advance();
      } while (this.stepAgain && !this.disposed);
    } finally {
      this.stepping = false;
    }
  }

  /** One pass: start a due retry, then report what the current peer has done since the last pass. */
  private advance(): void {
    if (this.disposed) return;
    if (this.retryDue && this.peer === null) this.startAttempt();
    const peer = this.peer;
    if (peer === null) return;
    peer.poll();

    if (this.connectTimeoutDue) {
      this.connectTimeoutDue = false;
      if (!peer.hasConnected() && peer.getReadyState() === WebSocketPeerState.CONNECTING)
        peer.abort(`connect timeout: no answer within ${this.connectTimeout} s`);
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
      this.emit("open", peer.getRequestedUrl());
      if (this.isStale(peer)) return;
    }

    while (this.messageBudget > 0 && peer.getAvailablePacketCount() > 0) {
      const data = peer.getPacket();
      this.messageBudget--;
      this.received++;
      this.emit("message", data, peer.wasStringPacket());
      if (this.isStale(peer)) return;
    }
    // Over budget: the remaining messages, and any close that followed them, wait for the next frame.
    if (peer.getAvailablePacketCount() > 0) return;

    const peerState = peer.getReadyState();
    if (peerState === WebSocketPeerState.CLOSING && this.publishedState !== WebSocketPeerState.CLOSING) {
      this.setState(WebSocketPeerState.CLOSING);
      if (this.isStale(peer)) return;
    }
    if (peerState >= WebSocketPeerState.CLOSING && this.phase === AttemptPhase.Open && !this.closingEmitted) {
      this.closingEmitted = true;
      this.emit("closing");
      if (this.isStale(peer)) return;
    }
    if (peerState === WebSocketPeerState.CLOSED) this.attemptEnded(peer);
  }

  /** A listener replaced the peer, disposed, or otherwise moved on: restart the pass from scratch. */
  private isStale(peer: WebSocketPeer): boolean {
    if (this.disposed) return true;
    if (this.peer === peer) return false;
    this.stepAgain = true;
    return true;
  }

  private startAttempt(): ErrorCode {
    this.retryDue = false;
    const peer = new WebSocketPeer({
      clock: this.clock,
      inboundBufferSize: this.inboundBufferSize,
      maxQueuedPackets: this.maxQueuedPackets,
      maxQueuedBytes: this.maxQueuedBytes,
      outboundBufferSize: this.outboundBufferSize,
      heartbeatInterval: this.heartbeatInterval,
    });
    const result = peer.connectToUrl(this.url, {
      protocols: this.protocols,
      headers: this.headers,
      tls: this.tls,
    });
    if (result !== ErrorCode.OK) {
      // A malformed URL, subprotocol list or header, or unusable TLS material: retrying cannot fix it.
      this.wanted = false;
      const refused = this.drainQueue();
      this.emit("connectFailed", peer.getCloseReason());
      this.refuseAll(refused, "the connection cannot be attempted");
      return result;
    }
    this.attemptsInStreak++;
    this.peer = peer;
    this.phase = AttemptPhase.None;
    this.closingEmitted = false;
    this.connectTimeoutDue = false;
    if (this.dispatch === "immediate") {
      peer.on("activity", this.onPeerActivity);
      peer.packetSink = this.deliverDirectly;
    }
    if (this.connectTimeout > 0)
      this.connectTimeoutTask = this.clock.schedule(this.onConnectTimeout, this.connectTimeout * 1000);
    this.wake();
    return ErrorCode.OK;
  }

  /** Starts the open connection's timers and sends the queue; returns what did not fit the outbound buffer. */
  private attemptOpened(peer: WebSocketPeer): QueuedMessage[] | null {
    this.connectTimeoutTask?.cancel();
    this.connectTimeoutTask = null;
    if (this.minUptime > 0) this.uptimeTask = this.clock.schedule(this.onStableUptime, this.minUptime * 1000);
    else this.resetStreak();
    // Queued messages go out before user code hears `open`, so they precede anything it sends.
    let overflowed: QueuedMessage[] | null = null;
    while (this.sendQueue.length > 0) {
      const message = this.sendQueue.peek() as QueuedMessage;
      const mode = message.isText ? WebSocketWriteMode.TEXT : WebSocketWriteMode.BINARY;
      const result = peer.send(message.data, mode);
      if (result !== ErrorCode.OK && result !== ErrorCode.ERR_OUT_OF_MEMORY) break; // gone again: keep the rest
      this.shiftQueue();
      if (result === ErrorCode.ERR_OUT_OF_MEMORY) (overflowed ??= []).push(message);
      else this.sent++;
    }
    return overflowed;
  }

  /** The attempt's peer is CLOSED: decide what comes next, then tell the listeners. */
  private attemptEnded(peer: WebSocketPeer): void {
    const wasOpen = this.phase === AttemptPhase.Open;
    const closedByUser = !this.wanted;
    const code = peer.getCloseCode();
    const reason = peer.getCloseReason();
    this.closeCode = code;
    this.closeReason = reason;
    this.detach(peer);
    this.phase = AttemptPhase.None;
    this.cancelAttemptTimers();

    let retryDelay: number | undefined;
    let gaveUp = false;
    if (this.reopenRequested) {
      this.reopenRequested = false;
      this.retryDue = true; // the user's own open(): no reconnectScheduled
    } else if (this.wanted && this.autoReconnect) {
      if (this.maxReconnectAttempts > 0 && this.reconnectsInStreak >= this.maxReconnectAttempts) {
        gaveUp = true;
        this.wanted = false;
      } else {
        this.reconnectsInStreak++;
        retryDelay = backoffDelay(this.attemptsInStreak, this);
        if (retryDelay > 0) {
          this.retryAt = this.clock.now() + retryDelay * 1000;
          this.retryTask = this.clock.schedule(this.onRetryDue, retryDelay * 1000);
        } else this.retryDue = true;
      }
    } else {
      this.wanted = false;
    }
    const retryTask = this.retryTask;
    const refused = this.wanted ? [] : this.drainQueue();
    if (this.retryDue) this.stepAgain = true;

    this.setState(WebSocketPeerState.CLOSED);
    if (this.disposed) return;
    if (!wasOpen && !closedByUser) {
      this.emit("connectFailed", reason);
      if (this.disposed) return;
    }
    this.emit("close", code, reason, wasOpen);
    if (this.disposed) return;
    // Skipped if a listener already cancelled the retry (close()) or replaced it (open()).
    if (retryDelay !== undefined && (retryDelay > 0 ? this.retryTask === retryTask : this.retryDue)) {
      this.emit("reconnectScheduled", this.reconnectsInStreak, retryDelay);
      if (this.disposed) return;
    }
    if (gaveUp) {
      this.emit("reconnectGaveUp", this.reconnectsInStreak);
      if (this.disposed) return;
    }
    this.refuseAll(refused, gaveUp ? "gave up reconnecting" : "the connection closed and will not reconnect");
  }

  private detach(peer: WebSocketPeer): void {
    peer.off("activity", this.onPeerActivity);
    peer.packetSink = null;
    this.peer = null;
  }

  private setState(state: WebSocketPeerState): void {
    this.publishedState = state;
    this.emit("stateChanged", state);
  }

  // ---- bookkeeping ----

  private connectionExpected(): boolean {
    if (!this.wanted) return false;
    if (this.reconnectPending || this.reopenRequested) return true;
    if (this.peer === null) return false;
    // Connecting: it may open. Open or closing: only a reconnect would carry the message.
    return this.phase !== AttemptPhase.Open || this.autoReconnect;
  }

  private drainQueue(): QueuedMessage[] {
    this.sendQueueBytes = 0;
    return this.sendQueue.drain();
  }

  private shiftQueue(): void {
    const message = this.sendQueue.shift() as QueuedMessage;
    this.sendQueueBytes -=
      typeof message.data === "string" ? Buffer.byteLength(message.data) : message.data.length;
  }

  private outboundFullReason(peer: WebSocketPeer): string {
    return (
      `outbound buffer full: ${peer.getCurrentOutboundBufferedAmount()} bytes not yet written ` +
      `(outboundBufferSize ${this.outboundBufferSize}); the other side is not reading`
    );
  }

  private refuse(data: OutgoingData, reason: string, code: ErrorCode): ErrorCode {
    this.emit("sendRefused", data, reason);
    return code;
  }

  private refuseAll(messages: QueuedMessage[], reason: string): void {
    for (const message of messages) {
      if (this.disposed) return;
      this.emit("sendRefused", message.data, reason);
    }
  }

  private resetStreak(): void {
    this.attemptsInStreak = 0;
    this.reconnectsInStreak = 0;
  }

  private cancelRetry(): void {
    this.retryTask?.cancel();
    this.retryTask = null;
    this.retryDue = false;
  }

  private cancelAttemptTimers(): void {
    this.connectTimeoutTask?.cancel();
    this.connectTimeoutTask = null;
    this.connectTimeoutDue = false;
    this.uptimeTask?.cancel();
    this.uptimeTask = null;
  }
}

/**
 * A listener threw while we ran inside ws's receive path, which must not see it (it would stall the
 * connection); re-throw it on a clean stack, as Node does for any throwing event listener.
 */
function rethrowOutsideWs(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}

function budgetFor(maxMessages: number): number {
  return maxMessages > 0 ? maxMessages : Infinity;
}

/** Queued bytes are copied: the caller may reuse its buffer as soon as send() returns. */
function retainedCopy(data: OutgoingData): string | Buffer {
  if (typeof data === "string") return data;
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
}

/** Lets `{ url: undefined }` mean "default" rather than overwrite a default with undefined. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
