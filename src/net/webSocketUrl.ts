/**
 * Why `url` cannot be connected to, or `undefined` when it is a usable ws:// or wss:// URL.
 * Godot's WebSocketPeer speaks only these two schemes; `ws` would also take http(s) and ws+unix,
 * which we refuse so a typo does not silently connect somewhere unexpected.
 */
export function webSocketUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `invalid URL: ${JSON.stringify(url)}`;
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:")
    return `unsupported URL scheme ${JSON.stringify(parsed.protocol)} (use ws:// or wss://)`;
  if (parsed.hash !== "") return "a WebSocket URL may not contain a fragment (#...)";
  return undefined;
}
