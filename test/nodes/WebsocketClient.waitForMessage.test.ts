import type WebSocket from "ws";
import { ConnectionWaitError, WebsocketClient } from "../../src/nodes/WebsocketClient";
import { SceneTreeError } from "../../src/core/errors";
import { delay, until } from "../helpers/netServers";
import { Fixture, recordSignals } from "../helpers/websocketNodes";

const fx = new Fixture();
afterEach(() => fx.cleanup());

/** A server that sends each of `messages` on every new connection, and hands out its sockets. */
async function sendingServer(...messages: (string | Buffer)[]) {
  return fx.wsServer({
    echo: false,
    onConnection: (ws: WebSocket) => {
      for (const message of messages) ws.send(message);
    },
  });
}

/** A client in a tree on the fake clock, connecting to `url`; its messageReceived log. */
function connected(url: string) {
  const { tree, clock } = fx.tree();
  const node = new WebsocketClient("Bot");
  node.connectionUrl = url;
  tree.root.addChild(node);
  const log = recordSignals(node, ["messageReceived"]);
  node.openConnection();
  return { tree, clock, node, log };
}

/** How the promise settled, and how often: a promise settles once, but the node must not try twice. */
function settlement<T>(promise: Promise<T>) {
  const seen: { value?: T; error?: unknown; count: number } = { count: 0 };
  promise.then(
    (value) => Object.assign(seen, { value, count: seen.count + 1 }),
    (error: unknown) => Object.assign(seen, { error, count: seen.count + 1 }),
  );
  return seen;
}

describe("WebsocketClient.waitForMessage", () => {
  test("a JSON subset: resolves with the first parsed message containing it; every message still reaches messageReceived", async () => {
    const server = await sendingServer(
      '{"type":"hello"}',
      '{"type":"joined","room":{"id":7,"name":"a"},"players":[1,2]}',
      '{"type":"joined","room":{"id":8}}',
    );
    const { node, log } = connected(server.url);
    const joined = settlement(node.waitForMessage({ type: "joined", room: { id: 7 } }));
    const exact = settlement(node.waitForMessage({ players: [1, 2] }));
    const tooShort = settlement(node.waitForMessage({ players: [1] }, { timeout: 60 }));
    await until(() => log.length === 3, 10_000, "three messages");
    await delay(0);
    expect(joined).toEqual({
      value: { type: "joined", room: { id: 7, name: "a" }, players: [1, 2] },
      count: 1,
    });
    expect(exact.count).toBe(1);
    expect(tooShort.count).toBe(0); // arrays match item by item, same length
    expect(log.map((entry) => JSON.parse(entry[1] as string).type)).toEqual(["hello", "joined", "joined"]);
  });

  test("a predicate sees JSON parsed, other text as the string, binary as the Buffer, and the raw bytes", async () => {
    const server = await sendingServer("plain words", Buffer.from([1, 2, 3]), "[4,5]");
    const { node } = connected(server.url);
    const seen: [unknown, string, boolean][] = [];
    const binary = node.waitForMessage((message, raw, isText) => {
      seen.push([message, raw.toString("hex"), isText]);
      return Buffer.isBuffer(message);
    });
    const text = node.waitForMessage<string>((message) => message === "plain words");
    const array = node.waitForMessage<number[]>((message) => Array.isArray(message));
    expect(await text).toBe("plain words");
    expect(await binary).toEqual(Buffer.from([1, 2, 3]));
    expect(await array).toEqual([4, 5]);
    expect(seen).toEqual([
      ["plain words", Buffer.from("plain words").toString("hex"), true],
      [Buffer.from([1, 2, 3]), "010203", false],
    ]);
  });

  test("a JSON subset never matches a binary message, even one whose bytes are that JSON", async () => {
    const server = await sendingServer(Buffer.from('{"type":"joined"}'), '{"type":"joined"}');
    const { node, log } = connected(server.url);
    const joined = node.waitForMessage<{ type: string }>({ type: "joined" });
    expect(await joined).toEqual({ type: "joined" });
    expect(log.length).toBe(2);
  });

  test("timeout on the tree's clock: ERR_TIMEOUT, and a matching message afterwards changes nothing", async () => {
    const server = await fx.wsServer({ echo: false });
    const { node, clock } = connected(server.url);
    await until(() => node.isOpen, 10_000, "open");
    const wait = settlement(node.waitForMessage({ type: "late" }, { timeout: 2 }));
    clock.advance(1999);
    await delay(0);
    expect(wait.count).toBe(0);
    clock.advance(1);
    await delay(0);
    expect(wait.error).toBeInstanceOf(ConnectionWaitError);
    expect((wait.error as ConnectionWaitError).code).toBe("ERR_TIMEOUT");
    server.sockets[0].send('{"type":"late"}');
    await delay(50);
    expect(wait.count).toBe(1);
    expect(clock.pendingCount).toBe(0);
  });

  test("an open connection that closes: ERR_CLOSED, and the wait does not carry over to the reconnect", async () => {
    const server = await fx.wsServer({ echo: false });
    const { node } = connected(server.url);
    await until(() => node.isOpen, 10_000, "open");
    const wait = settlement(node.waitForMessage({ type: "never" }));
    server.sockets[0].close(4000, "restart");
    await until(() => wait.count === 1, 10_000, "the rejection");
    expect(wait.error).toMatchObject({ code: "ERR_CLOSED", message: expect.stringMatching(/4000 restart/) });
    expect(node.reconnectPending).toBe(true);
  });

  test("close(), leaving the tree and free() reject with their own codes", async () => {
    const server = await fx.wsServer({ echo: false });
    const { tree, node } = connected(server.url);
    await until(() => node.isOpen, 10_000, "open");
    const closed = settlement(node.waitForMessage({}));
    node.close();
    await delay(0);
    expect((closed.error as ConnectionWaitError).code).toBe("ERR_CLOSED");

    node.openConnection();
    const leaving = settlement(node.waitForMessage({}));
    tree.root.removeChild(node);
    await delay(0);
    expect((leaving.error as ConnectionWaitError).code).toBe("ERR_LEFT_TREE");

    const freed = settlement(node.waitForMessage({})); // outside the tree: waits for a later entry
    node.free();
    await delay(0);
    expect((freed.error as ConnectionWaitError).code).toBe("ERR_FREED");
    await expect(node.waitForMessage({})).rejects.toMatchObject({ code: "ERR_FREED" });
  });

  test("nothing connected or connecting: rejected at once with ERR_CLOSED", async () => {
    const { tree } = fx.tree();
    const node = new WebsocketClient("Idle");
    tree.root.addChild(node);
    await expect(node.waitForMessage({ type: "x" })).rejects.toMatchObject({
      code: "ERR_CLOSED",
      message: expect.stringMatching(/openConnection/),
    });
  });

  test("waiting from CONNECTING on: resolves with what the server sends once open", async () => {
    const server = await sendingServer('{"type":"welcome"}');
    const { node } = connected(server.url);
    expect(node.isOpen).toBe(false);
    expect(await node.waitForMessage({ type: "welcome" })).toEqual({ type: "welcome" });
  });

  test("a predicate that throws rejects its own wait with ERR_MATCH_FAILED; the others go on", async () => {
    const server = await sendingServer("a", "b");
    const { node, log } = connected(server.url);
    const bug = new Error("predicate bug");
    const failing = settlement(
      node.waitForMessage(() => {
        throw bug;
      }),
    );
    const fine = node.waitForMessage((message) => message === "b");
    expect(await fine).toBe("b");
    expect(failing.count).toBe(1);
    expect(failing.error).toMatchObject({ code: "ERR_MATCH_FAILED", cause: bug });
    expect(log.length).toBe(2);
  });

  test("misuse: a match that is neither a function nor an object throws ERR_INVALID_ARGUMENT", () => {
    const node = new WebsocketClient();
    expect(() => node.waitForMessage(42 as never)).toThrow(SceneTreeError);
    expect(() => node.waitForMessage(null as never)).toThrow(/match must be a function or a JSON subset/);
    node.free();
  });
});

describe("WebsocketClient.waitForMessage types", () => {
  interface Joined {
    type: "joined";
    room: { id: number; name: string };
  }
  const isJoined = (m: unknown): m is Joined =>
    typeof m === "object" && m !== null && (m as { type?: unknown }).type === "joined";

  test("a type guard types the message; a subset is checked against the message type", async () => {
    const { url } = await sendingServer(JSON.stringify({ type: "joined", room: { id: 3, name: "lobby" } }));
    const { clock, node } = connected(url);
    const guarded = node.waitForMessage(isJoined);
    const subset = node.waitForMessage<Joined>({ type: "joined", room: { id: 3 } });
    // @ts-expect-error a misspelt key of Joined does not compile
    void node.waitForMessage<Joined>({ tpye: "joined" }).catch(() => undefined);
    // @ts-expect-error nor a value of the wrong type
    void node.waitForMessage<Joined>({ room: { id: "3" } }).catch(() => undefined);
    const untyped: Promise<unknown> = node.waitForMessage({ anything: 1 });
    void untyped.catch(() => undefined);
    // Without a type argument (and no annotation to infer it from) the message is unknown: the subset
    // says what the message holds at least, not its type.
    const inferred = node.waitForMessage({ type: "joined" });
    // @ts-expect-error the message is unknown, not { type: string }
    void inferred.then((message) => message.type).catch(() => undefined);
    clock.advance(0);
    const joined: Joined = await guarded; // no cast: the guard's type
    const alsoJoined: Joined = await subset;
    expect([joined.room.name, alsoJoined.room.id]).toEqual(["lobby", 3]);
    node.free();
  });
});
