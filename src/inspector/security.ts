import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isLoopbackHost } from "./address";

/** A fresh access token: 256 random bits, URL-safe. */
export function makeToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Compares in constant time (hashes first, so lengths never differ). */
export function tokenMatches(expected: string, given: string): boolean {
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(given).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

/** The name part of a Host header (`127.0.0.1:9339` → `127.0.0.1`, `[::1]:9339` → `::1`). */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1];
  const colon = host.lastIndexOf(":");
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * Whether a request's Host header may reach this inspector. Bound to loopback, only loopback names
 * are accepted: a web page that rebinds its own domain to 127.0.0.1 still sends its domain as Host,
 * and is refused.
 */
export function hostAllowed(hostHeader: string | undefined, bindHost: string): boolean {
  if (hostHeader === undefined || hostHeader === "") return false;
  if (!isLoopbackHost(bindHost)) return true;
  return isLoopbackHost(hostName(hostHeader));
}

/**
 * Whether a request's Origin header is the inspector's own page. Browsers always send Origin with a
 * WebSocket handshake, so another site's page is refused here; tools that send no Origin still
 * need the token.
 */
export function originAllowed(originHeader: string | undefined, hostHeader: string | undefined): boolean {
  if (originHeader === undefined) return true;
  return hostHeader !== undefined && originHeader === `http://${hostHeader}`;
}

/**
 * Headers on every HTTP answer: nothing may frame, sniff, cache or leak the page. `hostHeader` is the
 * request's Host once it is allowed (the page's socket is at `ws://` that host); undefined for an answer
 * to a refused Host, which may connect to nothing but its own origin.
 */
export function securityHeaders(hostHeader: string | undefined): Record<string, string> {
  return {
    "Content-Security-Policy": [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      hostHeader === undefined ? "connect-src 'self'" : `connect-src 'self' ws://${hostHeader}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; "),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
  };
}
