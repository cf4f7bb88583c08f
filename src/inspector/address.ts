import { listenHostProblem } from "../run/listenHost";

/** Where the inspector listens. */
export interface InspectAddress {
  host: string;
  port: number;
}

/** Loopback unless the user names another address: the inspector can drive the tree. */
export const DEFAULT_INSPECT_HOST = "127.0.0.1";

/**
 * Reads `--inspect`'s value: "" (loopback, a free port), `9339`, `0.0.0.0:9339`, `localhost:0` or
 * `[::1]:9339`. Returns a message instead of an address when the text is not one.
 */
export function parseInspectAddress(text: string): InspectAddress | string {
  if (text === "") return { host: DEFAULT_INSPECT_HOST, port: 0 };
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(text);
  if (!match) return `--inspect takes a port or host:port (e.g. 9339 or 0.0.0.0:9339), got "${text}".`;
  const port = Number(match[2]);
  if (port > 65535) return `--inspect: port ${port} is out of range (0 to 65535).`;
  const host = match[1] === undefined ? DEFAULT_INSPECT_HOST : match[1].replace(/^\[(.*)\]$/, "$1");
  return listenHostProblem("--inspect", host) ?? { host, port };
}

/** Whether `host` (a bind address or a Host header's name) can only be reached from this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  return name === "localhost" || name === "::1" || /^127(?:\.\d{1,3}){3}$/.test(name);
}
