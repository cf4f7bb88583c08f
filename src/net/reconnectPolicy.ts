import { REFUSED_SWITCHING_PROTOCOLS } from "./closeCodes";
import type { ConnectionSettings } from "./settings";

/**
 * Refused handshakes worth retrying although 4xx: 408 Request Timeout and 429 Too Many Requests say
 * "come back later", not "you may not".
 */
const RETRYABLE_CLIENT_ERRORS: readonly number[] = [408, 429];

/**
 * Whether to reconnect after a connection or an attempt ended with `code` and `reason` (and, for a
 * handshake the server refused, its `httpStatus`; else 0). A close code in `noReconnectCodes` always
 * ends reconnecting; otherwise `shouldReconnect` decides when set, and by default every ending is
 * retried except a handshake refused with a 4xx status (but 408 and 429), or answered 101 in a way the
 * client refused (a subprotocol not agreed on): asking again with the same credentials, URL or request
 * will be refused again. May throw what `shouldReconnect` throws.
 */
export function reconnectAllowed(
  settings: Pick<ConnectionSettings, "noReconnectCodes" | "shouldReconnect">,
  code: number,
  reason: string,
  httpStatus: number,
): boolean {
  if (settings.noReconnectCodes.includes(code)) return false;
  const policy = settings.shouldReconnect;
  if (policy !== undefined) return policy(code, reason, httpStatus) !== false;
  if (httpStatus === REFUSED_SWITCHING_PROTOCOLS) return false;
  return !(httpStatus >= 400 && httpStatus < 500 && !RETRYABLE_CLIENT_ERRORS.includes(httpStatus));
}
