import type { Agent, IncomingMessage } from "node:http";
import type { SecureContext } from "node:tls";
// Named imports: a default import of `ws` (an `export =` module) would need the user's esModuleInterop
// in our published .d.ts files.
import { WebSocket, type ClientOptions, type RawData } from "ws";
import { SignalEmitter } from "../core/signals/SignalEmitter";
import { SystemClock, type Clock, type ScheduledTask } from "../core/clock";
import { ErrorCode } from "../core/ErrorCode";
import {
  CloseCode,
  closeArgumentsProblem,
  closeCodeForProtocolError,
  REFUSED_SWITCHING_PROTOCOLS,
} from "./closeCodes";
import { Fifo } from "../core/Fifo";
import { secureContextFor } from "./tlsMaterial";
import { parseWebSocketUrl } from "./webSocketUrl";

/** Godot's `WebSocketPeer.State`, same values. */
export enum WebSocketPeerState {
  CONNECTING = 0,
  OPEN = 1,
  CLOSING = 2,
  CLOSED = 3,
}

/** Godot's `WebSocketPeer.WriteMode`, same values. */
export enum WebSocketWriteMode {
  TEXT = 0,
  BINARY = 1,
}

type PemLike = string | Buffer | Array<string | Buffer>;

/** TLS settings for wss://. Certificate verification is ON unless `rejectUnauthorized` is false. */
export interface WebSocketTlsOptions {
  /** Extra trusted certificate authorities (PEM), e.g. a self-signed server certificate. */
  ca?: PemLike;
  /** Client certificate (PEM) for servers that require one. */
  cert?: PemLike;
  key?: PemLike;
  /** Default true. Turning it off accepts any certificate, including a forged one. */
  rejectUnauthorized?: boolean;
}

export interface WebSocketConnectOptions {
  /** Subprotocols offered in `Sec-WebSocket-Protocol`; the server's choice is `getSelectedProtocol()`. */
  protocols?: string | string[];
  /** Extra HTTP headers sent with the upgrade request. */
  headers?: Record<string, string>;
  tls?: WebSocketTlsOptions;
  /** Real-time limit (ms) on the opening handshake, enforced by `ws`. Omitted = no limit here. */
  handshakeTimeout?: number;
  /** Offer permessage-deflate. Default true, as in `ws`. */
  perMessageDeflate?: boolean;
  /** The `http.Agent` the connection is opened through (an HTTP(S) proxy agent, say), handed to `ws`. */
  agent?: Agent;
  /** The local IP address to connect from (`net.connect`'s `localAddress`); omitted: the system's choice. */
  localAddress?: string;
}

export interface WebSocketPeerOptions {
  /** Time source for heartbeats. Default: real time. */
  clock?: Clock;
  inboundBufferSize?: number;
  maxQueuedPackets?: number;
  maxQueuedBytes?: number;
  outboundBufferSize?: number;
  heartbeatInterval?: number;
}

/**
 * The one owner that drives a peer (a `ReconnectingSocket`) hears of it by direct calls with `owner`
 * first: one shared driver object serves every peer, so wiring a peer allocates nothing. Like the
 * `activity` listeners, these run inside `ws`'s receive path and must not throw.
 */
export interface WebSocketPeerDriver<O> {
  /** Offered each incoming message before `packetSink`, on the same terms. */
  packet(owner: O, data: Buffer, isText: boolean): boolean;
  /** What the `activity` event says (which still fires, after this). */
  activity(owner: O): void;
  /** A heartbeat pong came back `roundTripMs` (clock time) after its ping. */
  pong(owner: O, roundTripMs: number): void;
}

export type WebSocketPeerEvents = {
  /**
   * Something new waits for `poll()`: a packet arrived or the connection state changed. Emitted
   * synchronously from the socket's own event, once per batch: after it fires it stays quiet until
   * `poll()` is called, so a listener that polls and drains sees one call per wake-up, not per message.
   * Listeners must not throw: they run inside `ws`'s receive path.
   */
  activity: () => void;
};

/**
 * Largest message accepted by default: 1 MiB. `ws` would accept 100 MiB, which lets one peer make us
 * buffer 100 MiB per message; 1 MiB is generous for game/control traffic and raiseable per peer.
 */
export const DEFAULT_INBOUND_BUFFER_SIZE = 1024 * 1024;
/** Godot's default `max_queued_packets`. */
export const DEFAULT_MAX_QUEUED_PACKETS = 4096;
/**
 * Unread bytes held before reading from the socket pauses: 16 MiB. The packet count alone would let
 * 4096 messages of 1 MiB each (4 GiB) wait per connection.
 */
export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** Bytes that may wait to be written to the socket before `send()` refuses: 16 MiB. */
export const DEFAULT_OUTBOUND_BUFFER_SIZE = 16 * 1024 * 1024;

const EMPTY_PACKET = Buffer.alloc(0);
// Shared option objects: `ws` copies them, so the send path allocates nothing of ours.
/**
 * Lets a closing `ws` socket stop holding the process: its TCP socket and its close timer unref'd.
 * Both are `ws` internals (`_socket`, `_closeTimer`, set by `close()`), read defensively: should a
 * version of `ws` lack them, the close only keeps its old behaviour.
 */
function letGo(socket: WebSocket): void {
  const internals = socket as unknown as {
    _socket?: { unref?: () => void };
    _closeTimer?: { unref?: () => void };
  };
  internals._socket?.unref?.();
  internals._closeTimer?.unref?.();
}

const SEND_AS_TEXT = { binary: false };
const SEND_AS_BINARY = { binary: true };
const ignoreError = (): void => {};
/** Where a `ws` socket points back at its peer, so one set of handler functions serves every socket. */
/** The bits of `WebSocketPeer.flags`. */
const enum Flag {
  LIVE_HANDSHAKE_DONE = 1,
  VISIBLE_HANDSHAKE_DONE = 2,
  LAST_PACKET_WAS_TEXT = 4,
  INBOUND_PAUSED = 8,
  ACTIVITY_SIGNALLED = 16,
  AWAITING_PONG = 32,
  LAST_GET_FAILED = 64,
}

/** The TCP (or TLS) socket under a ws socket, once it has one (ws keeps it on `_socket`). */
function socketOf(socket: WebSocket | null): import("node:net").Socket | undefined {
  return (socket as (WebSocket & { _socket?: import("node:net").Socket }) | null)?._socket ?? undefined;
}

/**
 * What Godot's `connect_to_url` makes of a URL: no scheme means ws://, and a `#fragment` is not part
 * of what is requested (its `parse_url` splits it off).
 */
function godotUrl(url: string): string {
  const hash = url.indexOf("#");
  const bare = hash === -1 ? url : url.slice(0, hash);
  return bare.includes("://") ? bare : `ws://${bare}`;
}

const PEER: unique symbol = Symbol("scenetree.peer");
type TaggedSocket = WebSocket & { [PEER]?: WebSocketPeer | null };

/** ws's parser of the incoming frames (internal to ws): it emits "conclude" on the other side's close frame. */
type TaggedReceiver = { [PEER]?: WebSocketPeer | null } & {
  on(event: "conclude", listener: (this: TaggedReceiver) => void): unknown;
  removeListener(event: "conclude", listener: (this: TaggedReceiver) => void): unknown;
};

/**
 * A close frame's reason as text. Godot 3's peers send their C string's terminating NUL with it
 * ("bye\0"), which Godot itself does not show: one trailing NUL is dropped.
 */
function closeReasonText(reason: Buffer): string {
  const end = reason.length > 0 && reason[reason.length - 1] === 0 ? reason.length - 1 : reason.length;
  return reason.toString("utf8", 0, end);
}

function receiverOf(socket: WebSocket): TaggedReceiver | undefined {
  const receiver = (socket as WebSocket & { _receiver?: TaggedReceiver })._receiver;
  return typeof receiver?.on === "function" ? receiver : undefined;
}

/**
 * Fragments one incoming message may come in on a client connection (ws's own default, set here so it
 * is ours to document): past it the connection is closed with 1008. A client faces one server, which
 * may stream a long message in many small frames, so it takes more than a `WebSocketServer` peer does
 * (MAX_MESSAGE_FRAGMENTS there), where many hostile clients could each hold ~100 bytes per fragment.
 */
export const CLIENT_MAX_MESSAGE_FRAGMENTS = 16 * 1024;

/**
 * `ws`'s messages for a server's 101 answer that it refuses (the checks after the upgrade in
 * ws/lib/websocket.js `initAsClient`); ws gives these errors no code, only their message.
 */
const REFUSED_ANSWERS: ReadonlySet<string> = new Set([
  "Invalid Upgrade header",
  "Invalid Sec-WebSocket-Accept header",
  "Server sent a subprotocol but none was requested",
  "Server sent an invalid subprotocol",
  "Server sent no subprotocol",
  "Server sent a Sec-WebSocket-Extensions header but no extension was requested",
  "Invalid Sec-WebSocket-Extensions header",
  "Server indicated an extension that was not requested",
]);

/**
 * What `ws` is given for a client connection: only the options that are set. ws copies its options into
 * the HTTP request's and the socket's, so every key given, even one set to undefined, is copied and kept
 * by each of them, per connection.
 */
function clientOptionsFor(
  options: WebSocketConnectOptions,
  maxPayload: number,
  secureContext: SecureContext | undefined,
): ClientOptions & { secureContext?: SecureContext } {
  const clientOptions: ClientOptions & { secureContext?: SecureContext } = {
    perMessageDeflate: options.perMessageDeflate ?? true,
    maxPayload,
    maxFragments: CLIENT_MAX_MESSAGE_FRAGMENTS,
  };
  if (options.headers !== undefined) clientOptions.headers = options.headers;
  if (options.handshakeTimeout !== undefined) clientOptions.handshakeTimeout = options.handshakeTimeout;
  if (secureContext !== undefined) clientOptions.secureContext = secureContext;
  if (options.tls?.rejectUnauthorized === false) clientOptions.rejectUnauthorized = false;
  if (options.agent !== undefined) clientOptions.agent = options.agent;
  if (options.localAddress !== undefined) clientOptions.localAddress = options.localAddress;
  return clientOptions;
}

/**
 * Godot 4's `WebSocketPeer` on top of `ws`.
 *
 * Like Godot, what the network did becomes visible through `poll()`: state, close code and the
 * packets that arrived since the previous poll. Local actions (`connectToUrl`, `close`, `abort`) are
 * visible at once. Nothing here throws or leaves an `error` event unhandled: every failure ends as
 * state CLOSED with a close code (-1 when the link dropped without a close frame) and a reason.
 *
 * Unlike Godot, packets that arrived before the peer's close frame stay readable after CLOSED, and a
 * full incoming queue (`maxQueuedPackets` messages or `maxQueuedBytes` bytes) pauses reading from the
 * socket (TCP backpressure) instead of dropping. As in Godot, a full outbound buffer makes `send()`
 * return `ERR_OUT_OF_MEMORY` and sends nothing.
 */
export class WebSocketPeer extends SignalEmitter<WebSocketPeerEvents> {
  /** Largest accepted message in bytes; a larger one closes the connection with 1009. Read at connect. */
  inboundBufferSize: number;
  /** Unread packets held before reading from the socket is paused. */
  maxQueuedPackets: number;
  /**
   * Unread bytes held before reading from the socket is paused; reading resumes once the unread
   * packets are down to half of both limits. Reads already under way finish, so the queue can exceed
   * this by what one read delivers (at most one message of `inboundBufferSize` plus one socket chunk).
   */
  maxQueuedBytes: number;
  /**
   * Bytes that may wait to be written (`getCurrentOutboundBufferedAmount()`). A `send()` that would go
   * beyond sends nothing and returns `ERR_OUT_OF_MEMORY`; one message is always accepted when nothing
   * waits, so a message larger than the limit is not refused forever. 0 = no limit.
   */
  outboundBufferSize: number;
  /** Seconds between pings while open; 0 = off. A peer that misses a pong is dropped (code -1). */
  heartbeatInterval: number;
  readonly clock: Clock;
  /**
   * Fast path for immediate dispatch (not in Godot): while set and no packet is queued, each incoming
   * message is first offered to this function; if it returns true the message is delivered and is
   * neither queued nor signalled. When it returns false the message is queued as usual, and so is
   * every later one until the queue is empty again, which keeps the order. `wasStringPacket()` only
   * describes packets read with `getPacket()`.
   */
  packetSink: ((data: Buffer, isText: boolean) => boolean) | null = null;

  private socket: TaggedSocket | null = null;
  private driver: WebSocketPeerDriver<unknown> | null = null;
  private driverOwner: unknown = null;
  private requestedUrl = "";
  private selectedProtocol = "";

  // What the network has reported so far…
  private liveState = WebSocketPeerState.CLOSED;
  private liveCloseCode: number = CloseCode.DROPPED;
  private liveCloseReason = "";
  // …and what the last poll() made visible.
  private visibleState = WebSocketPeerState.CLOSED;
  private visibleCloseCode: number = CloseCode.DROPPED;
  private visibleCloseReason = "";

  // Parallel queues rather than one queue of {data, isText}: no object allocated per message. Made when
  // the first message has to wait (most connections hand every message straight to their owner).
  private packets: Fifo<Buffer> | null = null;
  private packetIsText: Fifo<boolean> | null = null;
  private visiblePacketCount = 0;
  private queuedBytes = 0;

  private firstErrorMessage = "";
  private protocolErrorCloseCode: number | undefined;
  private heartbeatTask: ScheduledTask | null = null;
  private pingSentAt = 0;
  private httpStatus = 0;
  /** The yes/no state, as the `Flag` bits: six booleans would be 40 B more per peer. */
  private flags = 0;

  constructor(options: WebSocketPeerOptions = {}) {
    super();
    this.clock = options.clock ?? new SystemClock();
    this.inboundBufferSize = options.inboundBufferSize ?? DEFAULT_INBOUND_BUFFER_SIZE;
    this.maxQueuedPackets = options.maxQueuedPackets ?? DEFAULT_MAX_QUEUED_PACKETS;
    this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.outboundBufferSize = options.outboundBufferSize ?? DEFAULT_OUTBOUND_BUFFER_SIZE;
    this.heartbeatInterval = options.heartbeatInterval ?? 0;
  }

  /**
   * Starts connecting; the state is CONNECTING on return. A malformed URL, subprotocol list or header,
   * or TLS material that cannot be used (unreadable certificate or key, a key that does not match, a
   * `ca` with no certificate) gives `ERR_INVALID_PARAMETER` (the reason is in `getCloseReason()`);
   * a peer CONNECTING or OPEN gives `ERR_ALREADY_IN_USE`. As Godot's: a URL with no scheme is ws://,
   * a `#fragment` is left out, and a peer still CLOSING drops that connection and starts the new one.
   */
  connectToUrl(url: string, options: WebSocketConnectOptions = {}): ErrorCode {
    if (this.socket !== null) {
      if (this.liveState !== WebSocketPeerState.CLOSING) return ErrorCode.ERR_ALREADY_IN_USE;
      this.dropConnection("a new connection was asked for");
    }
    const parsed = parseWebSocketUrl(godotUrl(url));
    if (typeof parsed === "string") return this.rejectConnect(url, parsed);
    const tls = options.tls ?? {};
    let secureContext: SecureContext | undefined;
    // The parsed scheme, not the text: "WSS://" is wss:// too, and its TLS settings must not be skipped.
    const secure = parsed.protocol === "wss:";
    if (secure && (tls.ca !== undefined || tls.cert !== undefined || tls.key !== undefined)) {
      const built = secureContextFor(tls, "client");
      if ("problem" in built) return this.rejectConnect(url, built.problem);
      secureContext = built.context;
    }
    let socket: WebSocket;
    try {
      // ws hands these options on to tls.connect, which takes a ready `secureContext` (not in ws's types).
      const clientOptions = clientOptionsFor(options, this.inboundBufferSize, secureContext);
      socket = new WebSocket(parsed, options.protocols ?? [], clientOptions);
    } catch (error) {
      // ws validates subprotocols and URL details synchronously by throwing.
      return this.rejectConnect(url, (error as Error).message);
    }
    this.adopt(socket, url, WebSocketPeerState.CONNECTING);
    return ErrorCode.OK;
  }

  /**
   * Wraps a server-side socket that `ws`'s `WebSocketServer` has just accepted (state OPEN). Its
   * largest message size is the server's `maxPayload`, not `inboundBufferSize`.
   */
  acceptSocket(socket: WebSocket, requestUrl = ""): ErrorCode {
    if (this.socket !== null) return ErrorCode.ERR_BUSY;
    if (socket.readyState !== WebSocket.OPEN) return ErrorCode.ERR_INVALID_PARAMETER;
    this.adopt(socket, requestUrl, WebSocketPeerState.OPEN);
    this.selectedProtocol = socket.protocol;
    this.watchCloseFrame(socket);
    this.startHeartbeat();
    return ErrorCode.OK;
  }

  /** Makes visible what the network did since the last poll: state, close code, new packets. */
  poll(): void {
    this.mark(Flag.ACTIVITY_SIGNALLED, false);
    const socket = this.socket;
    // ws reports the peer's close frame only through readyState (no event until the TCP close).
    if (
      socket !== null &&
      this.liveState === WebSocketPeerState.OPEN &&
      socket.readyState === WebSocket.CLOSING
    ) {
      this.liveState = WebSocketPeerState.CLOSING;
      this.stopHeartbeat();
    }
    this.publishState();
    this.visiblePacketCount = this.packets === null ? 0 : this.packets.length;
  }

  getReadyState(): WebSocketPeerState {
    return this.visibleState;
  }

  getAvailablePacketCount(): number {
    return this.visiblePacketCount;
  }

  /** The oldest visible packet (one WebSocket message), or an empty Buffer when there is none. */
  getPacket(): Buffer {
    this.mark(Flag.LAST_GET_FAILED, this.visiblePacketCount === 0);
    if (this.visiblePacketCount === 0) return EMPTY_PACKET;
    this.visiblePacketCount--;
    const packets = this.packets as Fifo<Buffer>;
    const packet = packets.shift() as Buffer;
    this.mark(Flag.LAST_PACKET_WAS_TEXT, (this.packetIsText as Fifo<boolean>).shift() as boolean);
    this.queuedBytes -= packet.length;
    if (
      this.is(Flag.INBOUND_PAUSED) &&
      packets.length <= this.maxQueuedPackets >> 1 &&
      this.queuedBytes <= this.maxQueuedBytes / 2
    )
      this.resumeInbound();
    return packet;
  }

  /** Whether the last packet returned by `getPacket()` came in a text frame (its bytes are UTF-8). */
  wasStringPacket(): boolean {
    return this.is(Flag.LAST_PACKET_WAS_TEXT);
  }

  /**
   * Sends one message. `FAILED` unless the state is OPEN (as of the last poll, as Godot's) and the
   * connection still is; `ERR_OUT_OF_MEMORY` (nothing sent) when it would take the bytes waiting to be
   * written beyond `outboundBufferSize`.
   */
  send(
    data: string | Uint8Array | ArrayBuffer,
    writeMode: WebSocketWriteMode = WebSocketWriteMode.BINARY,
  ): ErrorCode {
    const socket = this.socket;
    // The polled state, as Godot's; and ws itself, which silently discards sends once closing.
    if (
      socket === null ||
      this.visibleState !== WebSocketPeerState.OPEN ||
      socket.readyState !== WebSocket.OPEN
    )
      return ErrorCode.FAILED;
    const limit = this.outboundBufferSize;
    if (limit > 0) {
      const waiting = socket.bufferedAmount;
      if (waiting > 0 && exceeds(data, limit - waiting - queuedWrites(socket) * QUEUED_WRITE_BYTES))
        return ErrorCode.ERR_OUT_OF_MEMORY;
    }
    socket.send(data, writeMode === WebSocketWriteMode.TEXT ? SEND_AS_TEXT : SEND_AS_BINARY);
    return ErrorCode.OK;
  }

  sendText(text: string): ErrorCode {
    return this.send(text, WebSocketWriteMode.TEXT);
  }

  /** Sends `bytes` as a binary message; an empty packet sends nothing, as Godot's `put_packet`. */
  putPacket(bytes: Uint8Array | ArrayBuffer): ErrorCode {
    if (bytes.byteLength === 0) return ErrorCode.OK;
    return this.send(bytes, WebSocketWriteMode.BINARY);
  }

  /** Bytes handed to `ws` but not yet written to the socket. */
  getCurrentOutboundBufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  /**
   * Starts the closing handshake (state CLOSING at once; CLOSED after the peer answers and a poll).
   * As Godot's: a negative code closes at once without telling the other side, and so does closing
   * while CONNECTING (state CLOSED now, close code -1). An unsendable code or a reason over 123 bytes
   * gives `ERR_INVALID_PARAMETER` and changes nothing.
   */
  close(code: number = CloseCode.NORMAL, reason = ""): ErrorCode {
    const socket = this.socket;
    if (code < 0 || (socket !== null && this.liveState === WebSocketPeerState.CONNECTING)) {
      if (socket !== null) this.abort("");
      return ErrorCode.OK;
    }
    if (closeArgumentsProblem(code, reason) !== undefined) return ErrorCode.ERR_INVALID_PARAMETER;
    if (socket === null) return ErrorCode.OK;
    // The answer to our close frame has to be readable, whatever backpressure was holding back.
    if (this.is(Flag.INBOUND_PAUSED)) this.resumeInbound();
    this.stopHeartbeat();
    socket.close(code, reason);
    if (this.liveState !== WebSocketPeerState.CLOSED) this.liveState = WebSocketPeerState.CLOSING;
    if (this.visibleState !== WebSocketPeerState.CLOSED) this.visibleState = WebSocketPeerState.CLOSING;
    return ErrorCode.OK;
  }

  /**
   * `close()` for a peer nobody will poll again (its owner left the tree): the closing handshake goes
   * on in the background for as long as the process runs, but keeps it alive no longer. `ws` waits
   * 30 s for the answer to a close frame with a timer of its own; a server that never answers would
   * otherwise hold a finished program for those 30 s. Not in Godot, whose engine exits with its tree.
   */
  closeInBackground(code: number, reason: string): ErrorCode {
    const socket = this.socket;
    const result = this.close(code, reason);
    if (socket !== null && result === ErrorCode.OK) letGo(socket);
    return result;
  }

  /**
   * Drops the connection at once without a closing handshake (not in Godot): state CLOSED now, close
   * code -1, `reason` as the close reason. Packets already received stay readable.
   */
  abort(reason = "connection aborted locally"): void {
    this.dropConnection(reason);
    this.publishState();
  }

  /** The close code once CLOSED; -1 when the link dropped without a close frame (or never opened). */
  getCloseCode(): number {
    return this.visibleCloseCode;
  }

  getCloseReason(): string {
    return this.visibleCloseReason;
  }

  /**
   * The HTTP status the server refused the opening handshake with (401, 403, 404, 503…), 101 when the
   * server switched protocols but its answer was refused here (a subprotocol not agreed on), or 0 when it
   * was not refused that way. Not in Godot.
   */
  getHttpStatus(): number {
    return this.httpStatus;
  }

  /** Sets (or, with null, removes) the {@link WebSocketPeerDriver} told about this peer. */
  setDriver<O>(driver: WebSocketPeerDriver<O> | null, owner: O | null = null): void {
    this.driver = driver as WebSocketPeerDriver<unknown> | null;
    this.driverOwner = driver === null ? null : owner;
  }

  /** The subprotocol the server selected, once the state is OPEN (as of the last poll), as Godot's. */
  getSelectedProtocol(): string {
    return this.visibleState === WebSocketPeerState.CONNECTING ? "" : this.selectedProtocol;
  }

  /** `ERR_UNAVAILABLE` when the last `getPacket()` found no packet, else `OK` (Godot's `get_packet_error`). */
  getPacketError(): ErrorCode {
    return this.is(Flag.LAST_GET_FAILED) ? ErrorCode.ERR_UNAVAILABLE : ErrorCode.OK;
  }

  /** The other side's IP address while a connection exists, else "" (Godot's `get_connected_host`). */
  getConnectedHost(): string {
    return socketOf(this.socket)?.remoteAddress ?? "";
  }

  /** The other side's TCP port while a connection exists, else 0 (Godot's `get_connected_port`). */
  getConnectedPort(): number {
    return socketOf(this.socket)?.remotePort ?? 0;
  }

  /** Turns Nagle's algorithm off (true) or on for the connection's TCP socket (Godot's `set_no_delay`). */
  setNoDelay(enabled: boolean): void {
    socketOf(this.socket)?.setNoDelay(enabled);
  }

  getRequestedUrl(): string {
    return this.requestedUrl;
  }

  /**
   * Whether the current (or last) connection completed its opening handshake, as of the last poll.
   * Not in Godot; it tells "opened, then closed" from "never opened" when both happened between polls.
   */
  hasConnected(): boolean {
    return this.is(Flag.VISIBLE_HANDSHAKE_DONE);
  }

  /** True while reading from the socket is paused because `maxQueuedPackets` or `maxQueuedBytes` wait. */
  isInboundPaused(): boolean {
    return this.is(Flag.INBOUND_PAUSED);
  }

  /** Bytes of the packets received and not yet read with `getPacket()` (visible or not). */
  getQueuedBytes(): number {
    return this.queuedBytes;
  }

  // ---- ws event handlers ----
  // Static, with `this` the ws socket (as EventEmitter calls them) and the peer found through it: the
  // same functions serve every socket, so a connection carries no closures of ours.

  private static onWsOpen(this: TaggedSocket): void {
    const peer = this[PEER];
    if (!peer) return;
    peer.liveState = WebSocketPeerState.OPEN;
    peer.mark(Flag.LIVE_HANDSHAKE_DONE, true);
    peer.selectedProtocol = this.protocol;
    peer.watchCloseFrame(this);
    peer.startHeartbeat();
    peer.signalActivity();
  }

  /**
   * The other side's close frame arrived: ws is CLOSING now, but it says so only through `readyState`
   * (its "close" event waits for the TCP connection to end, which a peer may hold open for long).
   * Immediate dispatch learns it here, as frame dispatch does at its next poll.
   */
  private static onCloseFrame(this: TaggedReceiver): void {
    const peer = this[PEER];
    if (!peer) return;
    if (peer.socket !== null) peer.closeOnceAnswered(peer.socket);
    peer.signalActivity();
  }

  /**
   * Ends the connection once ws has finished its side of a closing handshake: ws ends the TCP stream
   * only after its close frame went out and the other side's came in (or, on a protocol error, after
   * the close frame it sent for it). Godot 4's peer is CLOSED at that point ("clean close"); ws would
   * wait up to 30 s more for the other side to close the TCP connection, which Godot 3's wslay peers
   * never do after a close of their own (a message past their 64 KiB buffer: close 1009, then
   * silence). The close code stays the one the frames carried.
   */
  private closeOnceAnswered(socket: TaggedSocket): void {
    const raw = socketOf(socket);
    if (raw === undefined || raw.destroyed) return;
    const finished = (): void => {
      if (socket[PEER] === this) socket.terminate();
    };
    if (raw.writableFinished) finished();
    else raw.once("finish", finished);
  }

  private watchCloseFrame(socket: WebSocket): void {
    const receiver = receiverOf(socket);
    if (receiver === undefined) return;
    receiver[PEER] = this;
    receiver.on("conclude", WebSocketPeer.onCloseFrame);
  }

  private static onWsMessage(this: TaggedSocket, data: RawData, isBinary: boolean): void {
    const peer = this[PEER];
    if (!peer) return;
    // binaryType "nodebuffer": data is the Buffer ws built; kept as is, no copy, no decoding.
    let packets = peer.packets;
    if (packets === null || packets.length === 0) {
      const driver = peer.driver;
      if (driver !== null && driver.packet(peer.driverOwner, data as Buffer, !isBinary)) return;
      const sink = peer.packetSink;
      if (sink !== null && sink(data as Buffer, !isBinary)) return;
      if (packets === null) {
        packets = peer.packets = new Fifo<Buffer>();
        peer.packetIsText = new Fifo<boolean>();
      }
    }
    packets.push(data as Buffer);
    (peer.packetIsText as Fifo<boolean>).push(!isBinary);
    peer.queuedBytes += (data as Buffer).length;
    if (
      !peer.is(Flag.INBOUND_PAUSED) &&
      (packets.length >= peer.maxQueuedPackets || peer.queuedBytes >= peer.maxQueuedBytes)
    )
      peer.pauseInbound();
    peer.signalActivity();
  }

  private static onWsPong(this: TaggedSocket): void {
    const peer = this[PEER];
    if (!peer || !peer.is(Flag.AWAITING_PONG)) return;
    peer.mark(Flag.AWAITING_PONG, false);
    peer.driver?.pong(peer.driverOwner, peer.clock.now() - peer.pingSentAt);
  }

  /** A handshake refused with an HTTP status: remember it, then fail the attempt as ws would have. */
  private static onWsUnexpectedResponse(
    this: TaggedSocket,
    _request: unknown,
    response: IncomingMessage,
  ): void {
    const peer = this[PEER];
    const status = response.statusCode ?? 0;
    if (peer) {
      peer.httpStatus = status;
      if (peer.firstErrorMessage === "") peer.firstErrorMessage = `Unexpected server response: ${status}`;
    }
    this.terminate();
  }

  private static onWsError(this: TaggedSocket, error: Error & { code?: string }): void {
    const peer = this[PEER];
    if (!peer) return;
    // ws always follows an error with 'close'; remember why so the close can explain itself.
    if (peer.firstErrorMessage === "") peer.firstErrorMessage = error.message;
    // A 101 answer the client refused, as Godot's _verify_server_response refuses it: asking again gets
    // the same answer, so it is kept as the attempt's HTTP status, which the reconnect policy reads.
    if (peer.liveState === WebSocketPeerState.CONNECTING && REFUSED_ANSWERS.has(error.message))
      peer.httpStatus = REFUSED_SWITCHING_PROTOCOLS;
    const closeCode = closeCodeForProtocolError(error.code);
    if (closeCode !== undefined && peer.protocolErrorCloseCode === undefined) {
      peer.protocolErrorCloseCode = closeCode;
      // ws sends that code in a close frame and stops reading: no answer will be read.
      if (peer.socket === this && peer.liveState !== WebSocketPeerState.CONNECTING)
        peer.closeOnceAnswered(this);
    }
  }

  private static onWsClose(this: TaggedSocket, code: number, reason: Buffer): void {
    const peer = this[PEER];
    if (!peer) return;
    if (peer.socket === this) peer.release(this);
    peer.liveState = WebSocketPeerState.CLOSED;
    peer.settleCloseCode(code, closeReasonText(reason));
    peer.signalActivity();
  }

  private onHeartbeat(): void {
    this.heartbeatTask = null;
    const socket = this.socket;
    if (socket === null || socket.readyState !== WebSocket.OPEN) return;
    // While we hold reading back, the pong cannot reach us: our silence is not the peer's fault.
    if (this.is(Flag.AWAITING_PONG) && !this.is(Flag.INBOUND_PAUSED)) {
      this.dropConnection(`heartbeat: no pong within ${this.heartbeatInterval} s`);
      return;
    }
    this.mark(Flag.AWAITING_PONG, true);
    this.pingSentAt = this.clock.now();
    // Listened for from the first ping on: a sixth listener would move the socket's listener
    // dictionary to its next size, ~200 bytes on every connection that never pings.
    if (socket.listenerCount("pong") === 0) socket.on("pong", WebSocketPeer.onWsPong);
    socket.ping();
    this.scheduleHeartbeat();
  }

  /** The timer's closure exists only while a heartbeat is due, not for every connection. */
  private scheduleHeartbeat(): void {
    this.heartbeatTask = this.clock.schedule(() => this.onHeartbeat(), this.heartbeatInterval * 1000);
  }

  // ---- internals ----

  private is(flag: Flag): boolean {
    return (this.flags & flag) !== 0;
  }

  private mark(flag: Flag, on: boolean): void {
    this.flags = on ? this.flags | flag : this.flags & ~flag;
  }

  private adopt(socket: TaggedSocket, url: string, state: WebSocketPeerState): void {
    socket.binaryType = "nodebuffer";
    socket[PEER] = this;
    socket.on("open", WebSocketPeer.onWsOpen);
    socket.on("message", WebSocketPeer.onWsMessage);
    socket.on("error", WebSocketPeer.onWsError);
    socket.on("close", WebSocketPeer.onWsClose);
    if (state === WebSocketPeerState.CONNECTING)
      socket.on("unexpected-response", WebSocketPeer.onWsUnexpectedResponse);
    this.socket = socket;
    this.requestedUrl = url;
    this.selectedProtocol = "";
    this.packets = null;
    this.packetIsText = null;
    this.visiblePacketCount = 0;
    this.queuedBytes = 0;
    this.mark(Flag.INBOUND_PAUSED, false);
    this.firstErrorMessage = "";
    this.protocolErrorCloseCode = undefined;
    this.httpStatus = 0;
    this.liveState = state;
    this.mark(Flag.LIVE_HANDSHAKE_DONE, state === WebSocketPeerState.OPEN);
    this.liveCloseCode = CloseCode.DROPPED;
    this.liveCloseReason = "";
    this.publishState();
  }

  private rejectConnect(_url: string, problem: string): ErrorCode {
    this.requestedUrl = ""; // as Godot's, which clears the peer before it parses the URL
    this.mark(Flag.LIVE_HANDSHAKE_DONE, false);
    this.liveCloseCode = CloseCode.DROPPED;
    this.liveCloseReason = problem;
    this.publishState();
    return ErrorCode.ERR_INVALID_PARAMETER;
  }

  /** Detaches from a socket that is finished (or being abandoned) so nothing more reaches us. */
  private release(socket: TaggedSocket): void {
    this.stopHeartbeat();
    socket.removeAllListeners();
    socket[PEER] = null;
    const receiver = receiverOf(socket);
    if (receiver?.[PEER] === this) {
      receiver.removeListener("conclude", WebSocketPeer.onCloseFrame);
      receiver[PEER] = null;
    }
    // An abandoned handshake still reports its abort as an error a tick later: absorb it.
    socket.on("error", ignoreError);
    this.socket = null;
    this.mark(Flag.INBOUND_PAUSED, false);
  }

  private dropConnection(reason: string): void {
    const socket = this.socket;
    if (socket === null) return;
    this.release(socket);
    socket.terminate();
    this.liveState = WebSocketPeerState.CLOSED;
    this.liveCloseCode = CloseCode.DROPPED;
    this.liveCloseReason = reason;
    this.signalActivity();
  }

  private settleCloseCode(code: number, reason: string): void {
    if (code !== CloseCode.ABNORMAL) {
      this.liveCloseCode = code;
      this.liveCloseReason = reason;
    } else if (this.protocolErrorCloseCode === CloseCode.MESSAGE_TOO_BIG) {
      // ws sent 1009 to the other side but, having stopped reading, reports 1006 to us.
      this.liveCloseCode = CloseCode.MESSAGE_TOO_BIG;
      this.liveCloseReason = `message larger than inboundBufferSize (${this.inboundBufferSize} bytes)`;
    } else if (this.protocolErrorCloseCode !== undefined) {
      this.liveCloseCode = this.protocolErrorCloseCode;
      this.liveCloseReason = this.firstErrorMessage;
    } else {
      this.liveCloseCode = CloseCode.DROPPED;
      this.liveCloseReason = this.firstErrorMessage || "connection lost without a close frame";
    }
  }

  private publishState(): void {
    this.visibleState = this.liveState;
    this.visibleCloseCode = this.liveCloseCode;
    this.visibleCloseReason = this.liveCloseReason;
    this.mark(Flag.VISIBLE_HANDSHAKE_DONE, this.is(Flag.LIVE_HANDSHAKE_DONE));
  }

  private signalActivity(): void {
    if (this.is(Flag.ACTIVITY_SIGNALLED)) return;
    this.mark(Flag.ACTIVITY_SIGNALLED, true);
    this.driver?.activity(this.driverOwner);
    this.emit("activity");
  }

  private pauseInbound(): void {
    this.mark(Flag.INBOUND_PAUSED, true);
    this.socket?.pause();
  }

  private resumeInbound(): void {
    this.mark(Flag.INBOUND_PAUSED, false);
    this.socket?.resume();
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.mark(Flag.AWAITING_PONG, false);
    if (this.heartbeatInterval > 0) this.scheduleHeartbeat();
  }

  private stopHeartbeat(): void {
    this.heartbeatTask?.cancel();
    this.heartbeatTask = null;
  }
}

/**
 * `WebSocketPeer.State` and `WebSocketPeer.WriteMode`, spelled as in Godot (both as values and
 * as types). A namespace is the only way to hang types off a class name.
 */
// eslint-disable-next-line @typescript-eslint/no-namespace
export namespace WebSocketPeer {
  export const State = WebSocketPeerState;
  export type State = WebSocketPeerState;
  export const WriteMode = WebSocketWriteMode;
  export type WriteMode = WebSocketWriteMode;
}

/**
 * Whether `data` takes more than `room` bytes on the wire. A string is only measured when it is close:
 * a UTF-16 unit becomes at least 1 and at most 3 bytes of UTF-8.
 */
/**
 * What one write waiting in Node's socket buffer costs beyond its bytes (its request record and Buffer,
 * about a hundred bytes; ws makes two per small message). Counted against `outboundBufferSize` so that
 * a peer that never reads can't make millions of tiny messages wait: 2-byte echoes took 1.5 GB before
 * their 16 MiB of bytes reached the limit.
 */
export const QUEUED_WRITE_BYTES = 96;

/**
 * Writes waiting for `socket`: those in the socket under it (Node's count) and, two apiece, the messages
 * `ws` holds back while it compresses an earlier one (permessage-deflate compresses one message at a
 * time, and queues every later send, however small, until it is done: each such message will be two
 * writes, its header and its payload). Uncounted, a loop of tiny sends behind one compressed message
 * kept ~220 bytes per message while counting one. 0 for what a `ws` or Node version does not expose.
 */
function queuedWrites(socket: WebSocket): number {
  const internals = socket as WebSocket & {
    _socket?: { _writableState?: { bufferedRequestCount?: number } };
    _sender?: { _queue?: unknown[] };
  };
  const inSocket = internals._socket?._writableState?.bufferedRequestCount ?? 0;
  const compressing = internals._sender?._queue?.length ?? 0;
  return inSocket + 2 * compressing;
}

function exceeds(data: string | Uint8Array | ArrayBuffer, room: number): boolean {
  if (typeof data !== "string") return data.byteLength > room;
  if (data.length * 3 <= room) return false;
  if (data.length > room) return true;
  return Buffer.byteLength(data) > room;
}
