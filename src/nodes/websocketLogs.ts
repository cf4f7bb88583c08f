/**
 * What the WebSocket nodes log through `node.log`, all at debug: one function per event so that each
 * call site is one line. Each checks the level first and builds its fields only when debug is on, so
 * with debug off a call costs a level check (some run per message: refused sends).
 */
import type { Node } from "../scene/Node";
import { LOGS_AT, type Logger } from "../scene/log";
import type { OutgoingData } from "../net";

/**
 * The node's logger when it logs at debug, else null. The tree is asked first (without loading pino
 * when its logger is the process default, not made yet): reading
 * `node.log` makes the node a child logger of its own (about 1 KiB with its path binding), which a
 * connection must not carry when nothing is logged. So a level set on one node's own child logger
 * alone is not seen here while the tree's logger is above debug.
 */
function debugLog(node: Node): Logger | null {
  if (node.isInsideTree() && !node.getTree()[LOGS_AT]("debug")) return null;
  const log = node.log;
  return log.isLevelEnabled("debug") ? log : null;
}

function byteLength(data: OutgoingData): number {
  return typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
}

// ---------------------------------------------------------------- client nodes

export function logConnecting(node: Node, url: string): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ url }, "connecting");
}

export function logConnected(node: Node, url: string): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ url }, "connected");
}

/**
 * An attempt that ended before opening: refused, handshake or TLS failure, timeout, bad URL; with the
 * HTTP status when the server refused the handshake with one.
 */
export function logConnectFailed(node: Node, url: string, reason: string, httpStatus = 0): void {
  const log = debugLog(node);
  if (log === null) return;
  if (httpStatus > 0) log.debug({ url, reason, httpStatus }, "connect failed");
  else log.debug({ url, reason }, "connect failed");
}

/** An open connection ended (`code` -1 when it dropped without a close frame). */
export function logClosed(node: Node, code: number, reason: string): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ code, reason }, "closed");
}

export function logReconnecting(node: Node, attempt: number, delaySeconds: number): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ attempt, delaySeconds }, "reconnecting");
}

export function logGaveUp(node: Node, attempts: number): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ attempts }, "gave up reconnecting");
}

/**
 * The reconnect policy declined to retry (a handshake refused with a 4xx, a close code in
 * `noReconnectCodes`, `shouldReconnect` said no): without this line a debug log ends at the failure,
 * and does not say whether a retry is coming.
 */
export function logNotReconnecting(node: Node, code: number, httpStatus: number): void {
  const log = debugLog(node);
  if (log === null) return;
  const message = "not reconnecting: the reconnect policy said no";
  if (httpStatus > 0) log.debug({ code, httpStatus }, message);
  else log.debug({ code }, message);
}

export function logSendRefused(node: Node, data: OutgoingData, reason: string): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ reason, bytes: byteLength(data) }, "send refused");
}

/** Leaving the tree closes the connection without the close events (the socket is disposed of). */
export function logLeftTree(node: Node): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ code: 1001, reason: "Going Away" }, "closing: the node left the tree");
}

// ---------------------------------------------------------------- server node

export function logListening(node: Node, port: number): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ port }, "listening");
}

export function logListenFailed(node: Node, reason: string): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ reason }, "listen failed");
}

export function logPeerConnected(node: Node, peer: number, url: string): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ peer, url }, "peer connected");
}

export function logPeerDisconnected(node: Node, peer: number, code: number, reason: string): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ peer, code, reason }, "peer disconnected");
}

/** A peer that did not read is cut off (see `WebSocketServer.outboundBufferSize`). */
export function logPeerCutOff(node: Node, peer: number, bufferedBytes: number): void {
  const log = debugLog(node);
  if (log !== null) log.debug({ peer, bufferedBytes }, "peer cut off: not reading");
}
