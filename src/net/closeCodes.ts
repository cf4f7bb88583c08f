/**
 * WebSocket close codes (RFC 6455 §7.4) and the rules for turning `ws` outcomes into the close code
 * and reason a {@link WebSocketPeer} reports.
 */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  NO_STATUS: 1005,
  /** What `ws` reports when the TCP link ended without a close frame. Never sent on the wire. */
  ABNORMAL: 1006,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  /**
   * Godot's value for "the link dropped without a close frame"; we report it instead of 1006 so
   * ported code that checks `getCloseCode() == -1` keeps working.
   */
  DROPPED: -1,
} as const;

/** Longest close reason the protocol allows: a control frame carries 125 bytes, 2 of them the code. */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Codes an endpoint may put in a close frame (the same rule `ws` enforces by throwing). */
export function isSendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
      (code >= 3000 && code <= 4999))
  );
}

/** Why `close(code, reason)` cannot be honoured, or `undefined` when it can. */
export function closeArgumentsProblem(code: number, reason: string): string | undefined {
  if (!isSendableCloseCode(code))
    return `close code ${code} may not be sent (use 1000-1003, 1007-1014 or 3000-4999)`;
  if (Buffer.byteLength(reason) > MAX_CLOSE_REASON_BYTES)
    return `close reason is longer than ${MAX_CLOSE_REASON_BYTES} bytes of UTF-8`;
  return undefined;
}

/**
 * The close code `ws` sent to the other side when it failed the connection because of what the
 * other side sent. `ws` keeps that code behind a private symbol and reports 1006 locally (it stops
 * reading, so it never sees the reply to its close frame); we recover it from the error's `code`.
 */
export function closeCodeForProtocolError(errorCode: string | undefined): number | undefined {
  if (errorCode === undefined) return undefined;
  // zlib's own codes (Z_DATA_ERROR…): a compressed message that does not inflate, which ws fails with 1007.
  if (errorCode.startsWith("Z_")) return CloseCode.INVALID_PAYLOAD;
  if (!errorCode.startsWith("WS_ERR_")) return undefined;
  switch (errorCode) {
    case "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH":
    case "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH":
      return CloseCode.MESSAGE_TOO_BIG;
    case "WS_ERR_TOO_MANY_BUFFERED_PARTS":
      return CloseCode.POLICY_VIOLATION;
    case "WS_ERR_INVALID_UTF8":
      return CloseCode.INVALID_PAYLOAD;
    default:
      return CloseCode.PROTOCOL_ERROR;
  }
}

/**
 * The HTTP status kept for a handshake the server answered with 101 Switching Protocols and whose
 * answer the client refused (see WebSocketPeer): the server will answer so again.
 */
export const REFUSED_SWITCHING_PROTOCOLS = 101;
