import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { WebSocketServer } from "ws";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { ErrorCode } from "../../src/core/ErrorCode";
import { unusedPort, until } from "../helpers/netServers";
import { Fixture, recordSignals } from "../helpers/websocketNodes";

const fx = new Fixture();
afterEach(() => fx.cleanup());

describe("WebsocketClient: attempts that cannot be made", () => {
  test.each([
    ["unusable TLS material", { connectionUrl: "wss://127.0.0.1:9/", tls: { ca: "not a certificate" } }],
    ["a URL of another scheme", { connectionUrl: "http://127.0.0.1:9/" }],
  ])(
    "%s: connectFailed, and a pending connection wait rejects at once with ERR_CONNECT_FAILED",
    async (_, props) => {
      const { tree, clock } = fx.tree();
      const node = Object.assign(new WebsocketClient("Bot"), props);
      tree.root.addChild(node);
      const log = recordSignals(node, ["connectFailed"]);
      const wait = node.waitConnectionEstablished(30).catch((error: unknown) => error);
      expect(node.openConnection()).toBe(ErrorCode.ERR_INVALID_PARAMETER);
      expect(log).toHaveLength(1);
      const error = await wait;
      expect(error).toMatchObject({ code: "ERR_CONNECT_FAILED" });
      expect((error as Error).message).toContain(log[0][1] as string);
      expect(clock.pendingCount).toBe(0); // its timeout was cancelled with it
    },
  );
});

describe("WebsocketClient: a urlProvider that gives a bad URL", () => {
  test.each([
    ["sync", (url: string) => () => url],
    ["async", (url: string) => async () => url],
  ])("%s: that attempt fails, named, and the next one asks again (and connects)", async (_, provide) => {
    const server = await fx.wsServer();
    const { tree, clock } = fx.tree();
    const node = new WebsocketClient("Bot");
    const answers = ["htp:/garbage", server.url];
    let calls = 0;
    node.urlProvider = () => provide(answers[Math.min(calls++, 1)])();
    node.reconnectDelay = 1;
    node.reconnectJitter = 0;
    tree.root.addChild(node);
    const log = recordSignals(node, ["connectFailed", "reconnecting", "connectionEstablished"]);
    expect(node.openConnection()).toBe(ErrorCode.OK);
    await until(() => log.length === 2, 10_000, "the failed attempt and its retry");
    expect(log).toEqual([
      [
        "connectFailed",
        'urlProvider gave "htp:/garbage": unsupported URL scheme "htp:" (use ws:// or wss://)',
        0,
      ],
      ["reconnecting", 1, 1],
    ]);
    clock.advance(1000);
    await until(() => node.isOpen, 10_000, "the second attempt");
    expect(calls).toBe(2);
    expect(log.map((entry) => entry[0])).toEqual(["connectFailed", "reconnecting", "connectionEstablished"]);
  });
});

describe("WebsocketClient: leaving the tree while the server never answers the close", () => {
  test("nothing of the closing connection holds the program: it exits on its own", async () => {
    // Upgrades, then reads nothing more: the client's close frame is never answered.
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    wss.on("connection", (_socket, request) => request.socket.pause());
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    fx.onCleanup(() => {
      for (const client of wss.clients) client.terminate();
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    });
    const { port } = wss.address() as AddressInfo;
    const fixture = path.join(__dirname, "..", "fixtures", "net", "leaveUnanswered.ts");
    const child = spawn(process.execPath, [
      "--require",
      require.resolve("tsx/cjs"),
      fixture,
      `ws://127.0.0.1:${port}/`,
    ]);
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    // ws would hold it for 30 s waiting for the close's answer; a hang fails at the test's timeout.
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(0);
    const holding = JSON.parse(stdout.trim()) as string[];
    // Its stdio pipes and the frame loop's interval (cleared at the next frame) aside: no socket.
    expect(holding.filter((resource) => /TCP|Socket/.test(resource))).toEqual([]);
  }, 20_000);
});

describe("WebsocketClient: reconnecting gives up", () => {
  test("the connection wait rejects with ERR_GAVE_UP and a message wait with ERR_CLOSED, at once", async () => {
    const port = await unusedPort();
    const { tree, clock } = fx.tree();
    const node = new WebsocketClient("Bot");
    node.connectionUrl = `ws://127.0.0.1:${port}/`;
    node.maxReconnectAttempts = 1;
    node.reconnectDelay = 1;
    node.reconnectJitter = 0;
    tree.root.addChild(node);
    node.openConnection();
    const connected = node.waitConnectionEstablished(60).catch((error: unknown) => error);
    const message = node.waitForMessage({ type: "hello" }, { timeout: 60 }).catch((error: unknown) => error);
    await until(() => node.reconnectPending, 10_000, "the first failure");
    clock.advance(1000);
    await until(() => !node.reconnectPending && node.isClosed, 10_000, "giving up");
    expect(await connected).toMatchObject({ code: "ERR_GAVE_UP" });
    expect(await message).toMatchObject({ code: "ERR_CLOSED" });
  });
});
