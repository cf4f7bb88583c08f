import { isIP } from "node:net";

/** What getaddrinfo reads as an IPv4 address in short: 1 to 4 numbers, decimal, octal or hex (`0`, `127.1`, `0x0`). */
const SHORT_IPV4 = /^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}$/i;

/** Four decimal numbers without leading zeros: a full IPv4 address when each is at most 255, else none at all (`999.1.1.1`, not a short form). */
const DOTTED_DECIMAL = /^(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*)){3}$/;

/**
 * Why `host`, given to `flag`, is not an address to listen on, or null when it is one (an IP address or a
 * host name). An empty one (an unset `$VAR`) would have Node listen on every interface, as if no host
 * were given; a short IPv4 form is expanded by the system into something it does not look like: `0` and
 * `0.0` are 0.0.0.0 (every interface), `127.1` is 127.0.0.1. A server that can be reached from elsewhere
 * must be asked for by its full address.
 */
export function listenHostProblem(flag: string, host: string): string | null {
  if (host.trim() === "")
    return `${flag} needs an address or a host name, got "${host}" (an unset variable?): leave it out for 127.0.0.1, or give 0.0.0.0 for every interface.`;
  if (isIP(host) === 0 && DOTTED_DECIMAL.test(host) && host.split(".").some((n) => Number(n) > 255))
    return `${flag} "${host}" is not an IPv4 address: each of its four numbers is 0 to 255.`;
  if (isIP(host) === 0 && SHORT_IPV4.test(host))
    return `${flag} "${host}" is an IPv4 address in short form, which the system expands ("0" is 0.0.0.0: every interface); write the address in full, such as 127.0.0.1 or 0.0.0.0.`;
  return null;
}
