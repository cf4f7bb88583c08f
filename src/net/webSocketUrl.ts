/**
 * `url` parsed, when it is a usable ws:// or wss:// URL, else why it cannot be connected to.
 * Godot's WebSocketPeer speaks only these two schemes; `ws` would also take http(s) and ws+unix,
 * which we refuse so a typo does not silently connect somewhere unexpected.
 *
 * The last answer is remembered: a connection checks its URL when it is opened and again when its
 * peer connects, and the peer hands the parsed URL to `ws`, so one URL is parsed once, not three
 * times (per connection, in a fleet of thousands). Nobody may change the URL object it returns.
 */
export function parseWebSocketUrl(url: string): URL | string {
  if (url === lastUrl) return lastResult;
  lastResult = parse(url);
  lastUrl = url;
  return lastResult;
}

let lastUrl: string | null = null;
let lastResult: URL | string = "";

function parse(url: string): URL | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `invalid URL: ${JSON.stringify(url)}`;
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:")
    return `unsupported URL scheme ${JSON.stringify(parsed.protocol)} (use ws:// or wss://)`;
  if (parsed.hash !== "") return "a WebSocket URL may not contain a fragment (#...)";
  return parsed;
}

/** Why `url` cannot be connected to, or `undefined` when it is a usable ws:// or wss:// URL. */
export function webSocketUrlProblem(url: string): string | undefined {
  const parsed = parseWebSocketUrl(url);
  return typeof parsed === "string" ? parsed : undefined;
}
