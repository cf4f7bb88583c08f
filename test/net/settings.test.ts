import { TestClock } from "../../src/core/clock";
import { DEFAULT_BACKOFF } from "../../src/net/Backoff";
import { ReconnectingSocket } from "../../src/net/ReconnectingSocket";
import {
  CONNECTION_SETTING_NAMES,
  CONNECTION_SETTINGS,
  createConnectionSettings,
  DEFAULT_CONNECTION_SETTINGS,
  DEFAULT_SEND_QUEUE_BYTE_LIMIT,
} from "../../src/net/settings";
import {
  DEFAULT_INBOUND_BUFFER_SIZE,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_PACKETS,
  DEFAULT_OUTBOUND_BUFFER_SIZE,
} from "../../src/net/WebSocketPeer";

describe("connection settings table", () => {
  test("the documented defaults", () => {
    expect(DEFAULT_CONNECTION_SETTINGS).toMatchObject({
      url: "",
      autoReconnect: true,
      reconnectDelay: DEFAULT_BACKOFF.reconnectDelay,
      reconnectDelayMax: DEFAULT_BACKOFF.reconnectDelayMax,
      reconnectJitter: 0,
      random: Math.random,
      maxReconnectAttempts: 0,
      minUptime: 5,
      connectTimeout: 10,
      sendQueueLimit: 1024,
      sendQueueByteLimit: DEFAULT_SEND_QUEUE_BYTE_LIMIT,
      heartbeatInterval: 0,
      inboundBufferSize: DEFAULT_INBOUND_BUFFER_SIZE,
      maxQueuedPackets: DEFAULT_MAX_QUEUED_PACKETS,
      maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES,
      outboundBufferSize: DEFAULT_OUTBOUND_BUFFER_SIZE,
      receiveLimit: 0,
      protocols: undefined,
      headers: undefined,
      tls: undefined,
      dispatch: "immediate",
    });
    expect(Object.isFrozen(DEFAULT_CONNECTION_SETTINGS)).toBe(true);
  });

  test("every row has a kind, a one-line doc and a default of its range", () => {
    for (const name of CONNECTION_SETTING_NAMES) {
      const row: { kind: string; doc: string; default: unknown; min?: number; max?: number } =
        CONNECTION_SETTINGS[name];
      expect([name, typeof row.kind, row.doc.includes("\n"), row.doc.length > 10]).toEqual([
        name,
        "string",
        false,
        true,
      ]);
      if (typeof row.default === "number") {
        expect(row.default).toBeGreaterThanOrEqual(row.min ?? -Infinity);
        expect(row.default).toBeLessThanOrEqual(row.max ?? Infinity);
      }
    }
  });

  test("a settings object holds only what was changed; undefined means the default", () => {
    const settings = createConnectionSettings({ minUptime: 2, headers: undefined });
    expect(Object.keys(settings)).toEqual(["minUptime"]);
    expect([settings.minUptime, settings.connectTimeout, settings.headers]).toEqual([2, 10, undefined]);
    settings.connectTimeout = 3;
    const other = createConnectionSettings();
    expect([other.minUptime, other.connectTimeout]).toEqual([5, 10]); // nothing shared but the defaults
    expect(DEFAULT_CONNECTION_SETTINGS.connectTimeout).toBe(10);
  });

  test("the nodes' defaults differ only where the table says so", () => {
    const node = createConnectionSettings({}, true);
    const differing = CONNECTION_SETTING_NAMES.filter(
      (name) => node[name] !== DEFAULT_CONNECTION_SETTINGS[name],
    );
    expect(differing).toEqual(["autoReconnect"]);
    expect(node.autoReconnect).toBe(false);
  });

  test("ReconnectingSocket reads the settings it was handed, live, and each is a property of it", () => {
    const settings = createConnectionSettings({}, true);
    const socket = new ReconnectingSocket({ clock: new TestClock(), minUptime: 7 }, settings);
    expect(socket.settings).toBe(settings);
    expect(settings.minUptime).toBe(7); // options given are written into the handed settings
    settings.reconnectDelay = 4;
    expect(socket.reconnectDelay).toBe(4);
    socket.sendQueueLimit = 3;
    expect(settings.sendQueueLimit).toBe(3);
    expect(socket.autoReconnect).toBe(false);
    for (const name of CONNECTION_SETTING_NAMES) expect(socket[name]).toBe(settings[name]);
    socket.dispose();
  });

  test("a socket without handed settings has its own, at the socket defaults", () => {
    const a = new ReconnectingSocket({ url: "ws://127.0.0.1:1/", clock: new TestClock() });
    const b = new ReconnectingSocket({ clock: new TestClock() });
    a.minUptime = 1;
    expect([a.url, a.autoReconnect, a.minUptime, b.url, b.minUptime]).toEqual([
      "ws://127.0.0.1:1/",
      true,
      1,
      "",
      5,
    ]);
    expect(b.dispatch).toBe("immediate");
    a.dispose();
    b.dispose();
  });
});
