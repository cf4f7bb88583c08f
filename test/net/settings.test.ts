import { TestClock } from "../../src/core/clock";
import { DEFAULT_BACKOFF } from "../../src/net/Backoff";
import { ReconnectingSocket } from "../../src/net/ReconnectingSocket";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
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

describe("a setting given from code is checked as a scene file's is", () => {
  test.each([
    ["reconnectDelay", -1, "reconnectDelay must be a number >= 0 (seconds), got -1."],
    ["heartbeatInterval", Number.NaN, "heartbeatInterval must be a number >= 0 (seconds), got NaN."],
    ["sendQueueLimit", 1.5, "sendQueueLimit must be a whole number >= 0, got 1.5."],
    ["inboundBufferSize", 0, "inboundBufferSize must be a whole number >= 1, got 0."],
    ["reconnectJitter", 2, "reconnectJitter must be a number from 0 to 1, got 2."],
    [
      "noReconnectCodes",
      [4001, 99],
      "noReconnectCodes must be a list of close codes from 1000 to 4999, got [4001,99].",
    ],
  ])(
    "%s = %p is refused with ERR_INVALID_ARGUMENT, on the nodes and the socket alike",
    (name, value, message) => {
      const client = new WebsocketClient("Bot");
      const before = (client as unknown as Record<string, unknown>)[name];
      expect(() => ((client as unknown as Record<string, unknown>)[name] = value)).toThrow(
        expect.objectContaining({ code: "ERR_INVALID_ARGUMENT", message }),
      );
      expect((client as unknown as Record<string, unknown>)[name]).toEqual(before); // nothing changed
      expect(() => createConnectionSettings({ [name]: value })).toThrow(message);
      client.free();
    },
  );

  test("values in range are taken", () => {
    const client = new WebsocketClient("Bot");
    client.reconnectDelay = 0;
    client.reconnectJitter = 1;
    client.noReconnectCodes = [1000, 4999];
    client.sendQueueLimit = 0;
    expect([
      client.reconnectDelay,
      client.reconnectJitter,
      client.noReconnectCodes,
      client.sendQueueLimit,
    ]).toEqual([0, 1, [1000, 4999], 0]);
    client.free();
  });
});
