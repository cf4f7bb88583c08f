import type { Agent } from "node:http";
import { SceneTreeError } from "../core/errors";
import { DEFAULT_BACKOFF } from "./Backoff";
import {
  DEFAULT_INBOUND_BUFFER_SIZE,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_PACKETS,
  DEFAULT_OUTBOUND_BUFFER_SIZE,
  type WebSocketTlsOptions,
} from "./WebSocketPeer";

export type DispatchMode = "immediate" | "frame";

/** Default `sendQueueByteLimit`: 16 MiB. */
export const DEFAULT_SEND_QUEUE_BYTE_LIMIT = 16 * 1024 * 1024;

/**
 * Whether to reconnect after a connection or an attempt ended (see `shouldReconnect`). `httpStatus` is
 * the status of a refused handshake, 0 otherwise.
 */
export type ReconnectPolicy = (code: number, reason: string, httpStatus: number) => boolean;
/** Called before every attempt; may return a promise. */
export type UrlProvider = () => string | PromiseLike<string>;
export type HeadersProvider = () =>
  Record<string, string> | undefined | PromiseLike<Record<string, string> | undefined>;

/**
 * How a setting is written in a scene file, and so which props schema the nodes derive from it;
 * "function" and "object" settings are set from code only.
 */
export type SettingKind =
  | "url"
  | "boolean"
  | "seconds"
  | "count"
  | "bytes"
  | "fraction"
  | "closeCodes"
  | "protocols"
  | "headers"
  | "tls"
  | "address"
  | "dispatch"
  | "function"
  | "object";

/** One row of {@link CONNECTION_SETTINGS}. */
export interface SettingRow<T, K extends SettingKind = SettingKind> {
  readonly kind: K;
  readonly default: T;
  /** The value on the scene nodes when it differs from the socket's `default`. */
  readonly nodeDefault?: T;
  /** Accepted range of a number (of each element of a list). */
  readonly min?: number;
  readonly max?: number;
  /** One line for the README, the props schema and editors. */
  readonly doc: string;
}

const row = <T, K extends SettingKind = SettingKind>(
  kind: K,
  value: T,
  doc: string,
  range: { min?: number; max?: number } = {},
) => ({ kind, default: value, doc, ...range }) as SettingRow<T, K>;
const seconds = (value: number, doc: string) => row("seconds", value, doc, { min: 0 });
const count = (value: number, doc: string, min = 0) => row("count", value, doc, { min });
const bytes = (value: number, doc: string, min = 0) => row("bytes", value, doc, { min });
const fromCode = <T>(doc: string, kind: "function" | "object" = "function") =>
  row<T | undefined, "function" | "object">(kind, undefined, doc);

/**
 * Every setting of a reconnecting WebSocket client, once: name, kind, default, range and doc. The
 * options type of `ReconnectingSocket`, its defaults and accessors, the shared accessors of both client
 * nodes and their props schemas are all derived from this table. Times are in seconds.
 */
export const CONNECTION_SETTINGS = {
  url: row("url", "", "The ws:// or wss:// URL the next attempt connects to."),
  urlProvider: fromCode<UrlProvider>(
    "Called before every attempt (sync or async); its URL replaces `url` for that attempt. A throw or rejection fails the attempt.",
  ),
  autoReconnect: {
    ...row(
      "boolean",
      true,
      "Reconnect after a drop or a failed attempt, with backoff (nodes: off until `openConnection()` or set).",
    ),
    nodeDefault: false,
  },
  reconnectDelay: seconds(
    DEFAULT_BACKOFF.reconnectDelay,
    "Seconds before the second try; each further try doubles it (the first try is immediate).",
  ),
  reconnectDelayMax: seconds(
    DEFAULT_BACKOFF.reconnectDelayMax,
    "No delay ever exceeds this many seconds, jitter included.",
  ),
  reconnectJitter: row(
    "fraction",
    DEFAULT_BACKOFF.reconnectJitter,
    "Fraction (0..1) of each delay randomised away; delays lie in [d·(1-jitter), d].",
    { min: 0, max: 1 },
  ),
  random: row<() => number, "function">(
    "function",
    Math.random,
    "Uniform source in [0, 1) for the jitter; tests inject a fixed one.",
  ),
  maxReconnectAttempts: count(
    0,
    "Retries in a row without a stable connection before giving up (the first attempt is not one); 0 = unlimited.",
  ),
  minUptime: seconds(
    5,
    "Seconds a connection must stay open before the attempt counter (and so the delay) resets.",
  ),
  connectTimeout: seconds(
    10,
    "Seconds an attempt may stay in CONNECTING before it is abandoned (and retried); 0 = no limit.",
  ),
  shouldReconnect: fromCode<ReconnectPolicy>(
    "Asked after every drop or failed attempt (code, reason, httpStatus); false stops reconnecting. Replaces the default of not retrying HTTP 4xx (but 408, 429) or a 101 answer refused here (status 101).",
  ),
  noReconnectCodes: row<readonly number[]>(
    "closeCodes",
    Object.freeze([]) as readonly number[],
    "Close codes after which nothing reconnects, whatever `shouldReconnect` says (e.g. [4001, 4003]).",
    { min: 1000, max: 4999 },
  ),
  sendQueueLimit: count(
    1024,
    "Messages held while not open, sent in order on the next open; 0 = never queue.",
  ),
  sendQueueByteLimit: bytes(
    DEFAULT_SEND_QUEUE_BYTE_LIMIT,
    "Bytes held while not open; a message beyond is refused (one is always accepted into an empty queue).",
  ),
  heartbeatInterval: seconds(
    0,
    "Seconds between pings while open; a peer that misses a pong is dropped (and reconnected). 0 = off.",
  ),
  inboundBufferSize: bytes(
    DEFAULT_INBOUND_BUFFER_SIZE,
    "Largest accepted message in bytes; a larger one closes the connection with 1009.",
    1,
  ),
  maxQueuedPackets: count(
    DEFAULT_MAX_QUEUED_PACKETS,
    "Unread messages held before reading from the socket pauses (TCP backpressure).",
    1,
  ),
  maxQueuedBytes: bytes(
    DEFAULT_MAX_QUEUED_BYTES,
    "Unread bytes held before reading from the socket pauses (TCP backpressure).",
    1,
  ),
  outboundBufferSize: bytes(
    DEFAULT_OUTBOUND_BUFFER_SIZE,
    "Bytes that may wait to be written to a server that does not read; a send beyond is refused. 0 = no limit.",
  ),
  receiveLimit: count(
    0,
    "Messages dispatched per frame; 0 = all. The rest wait, in order, for the next frame.",
  ),
  protocols: row<string | string[] | undefined>(
    "protocols",
    undefined,
    "Subprotocols offered in the handshake.",
  ),
  headers: row<Record<string, string> | undefined>(
    "headers",
    undefined,
    "Extra HTTP headers sent with the upgrade request.",
  ),
  headersProvider: fromCode<HeadersProvider>(
    "Called before every attempt (sync or async); its headers replace `headers` for that attempt. A throw or rejection fails the attempt.",
  ),
  tls: row<WebSocketTlsOptions | undefined>(
    "tls",
    undefined,
    "TLS settings for wss:// (certificate verification is on unless `rejectUnauthorized` is false).",
  ),
  localAddress: row<string>(
    "address",
    "",
    'The local IP address the connection is opened from ("": the system chooses). More source addresses, more ports towards one server port.',
  ),
  agent: fromCode<Agent>(
    "An `http.Agent` (e.g. an HTTP(S) proxy agent) that `ws` opens the connection through.",
    "object",
  ),
  dispatch: row<DispatchMode>(
    "dispatch",
    "immediate",
    'When signals fire: "immediate" as things happen, "frame" once per frame (read when the socket is made).',
  ),
} as const;

export type ConnectionSettingName = keyof typeof CONNECTION_SETTINGS;
type ValueOf<R> = R extends SettingRow<infer T, SettingKind> ? T : never;
/** The settings a scene file can hold (not those set from code only: functions, agents). */
export type SceneSettingName = {
  [K in ConnectionSettingName]: (typeof CONNECTION_SETTINGS)[K]["kind"] extends "function" | "object"
    ? never
    : K;
}[ConnectionSettingName];
/** Every setting with its value: what `ReconnectingSocket` reads, live, from the object it is handed. */
export type ConnectionSettings = {
  -readonly [K in ConnectionSettingName]: ValueOf<(typeof CONNECTION_SETTINGS)[K]>;
};

export const CONNECTION_SETTING_NAMES = Object.keys(CONNECTION_SETTINGS) as ConnectionSettingName[];

function defaultsObject(useNodeDefaults: boolean, base: object | null): ConnectionSettings {
  const defaults = Object.create(base) as Record<string, unknown>;
  for (const name of CONNECTION_SETTING_NAMES) {
    const setting: SettingRow<unknown> = CONNECTION_SETTINGS[name];
    if (!useNodeDefaults) defaults[name] = setting.default;
    else if ("nodeDefault" in setting) defaults[name] = setting.nodeDefault;
  }
  return defaults as ConnectionSettings;
}

// The prototypes of every settings object: a settings object holds only what was changed, so a client
// left at its defaults costs one small object, and reading a default falls through to these.
const SOCKET_DEFAULTS = defaultsObject(false, null);
const NODE_DEFAULTS = defaultsObject(true, SOCKET_DEFAULTS);

/** The socket's defaults (a frozen copy: the prototypes themselves must stay writable-through). */
export const DEFAULT_CONNECTION_SETTINGS: Readonly<ConnectionSettings> = Object.freeze({
  ...SOCKET_DEFAULTS,
});

/**
 * A settings object at the defaults (the nodes' when `forNode`), with `overrides` applied; an override
 * given as `undefined` means "the default".
 */
export function createConnectionSettings(
  overrides?: Partial<ConnectionSettings>,
  forNode = false,
): ConnectionSettings {
  const settings = Object.create(forNode ? NODE_DEFAULTS : SOCKET_DEFAULTS) as ConnectionSettings;
  // Every client node makes one with no overrides: then there is nothing to look up.
  if (overrides === undefined) return settings;
  for (let i = 0; i < CONNECTION_SETTING_NAMES.length; i++) {
    const name = CONNECTION_SETTING_NAMES[i];
    const value = overrides[name];
    if (value === undefined) continue;
    checkSettingValue(name, CONNECTION_SETTINGS[name], value);
    (settings as Record<string, unknown>)[name] = value;
  }
  return settings;
}

/**
 * Defines, on `prototype`, a get/set pair per name that reads and writes the setting on the object
 * `settingsOf(this)` returns: the one place those forwarding accessors are written.
 */
export function defineSettingAccessors<T extends object>(
  prototype: T,
  names: readonly ConnectionSettingName[],
  settingsOf: (self: T) => ConnectionSettings,
): void {
  for (const name of names) {
    const setting: SettingRow<unknown> = CONNECTION_SETTINGS[name];
    Object.defineProperty(prototype, name, {
      configurable: true,
      enumerable: false,
      get(this: T) {
        return settingsOf(this)[name];
      },
      set(this: T, value: never) {
        checkSettingValue(name, setting, value);
        settingsOf(this)[name] = value;
      },
    });
  }
}

/**
 * Throws `ERR_INVALID_ARGUMENT` for a number setting given something out of its row's range (a
 * negative delay, a fractional count, NaN) or close codes outside 1000..4999: what a scene file's
 * schema refuses, refused from code too. A negative `reconnectDelay` would otherwise retry in a
 * storm. Other kinds are the type checker's business.
 */
export function checkSettingValue(name: string, setting: SettingRow<unknown>, value: unknown): void {
  const { kind, min, max } = setting;
  const inRange = (n: unknown, whole: boolean): boolean =>
    typeof n === "number" &&
    Number.isFinite(n) &&
    (!whole || Number.isInteger(n)) &&
    (min === undefined || n >= min) &&
    (max === undefined || n <= max);
  let expected: string | undefined;
  if (kind === "seconds" || kind === "bytes" || kind === "count" || kind === "fraction") {
    const whole = kind === "bytes" || kind === "count";
    if (!inRange(value, whole))
      expected = `${whole ? "a whole number" : "a number"}${rangeText(min, max)}${kind === "seconds" ? " (seconds)" : ""}`;
  } else if (kind === "closeCodes") {
    if (!Array.isArray(value) || !value.every((code) => inRange(code, true)))
      expected = `a list of close codes${rangeText(min, max)}`;
  }
  if (expected !== undefined)
    throw new SceneTreeError(
      "ERR_INVALID_ARGUMENT",
      `${name} must be ${expected}, got ${describeValue(value)}.`,
    );
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` >= ${min}`;
  return max !== undefined ? ` <= ${max}` : "";
}

function describeValue(value: unknown): string {
  if (typeof value === "number") return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
