import { WebSocket, WebSocketServer, type AddressInfo } from "ws";
import { InspectorCore } from "../../src/inspector/InspectorCore";
import type { PageSession } from "../../src/inspector/Session";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { until } from "../helpers/netServers";

const TOKEN = "secret-token";

/** A page's side of one socket the core accepted: every message it got, and how it was closed. */
interface Page {
  socket: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: { code: number; reason: string } | null;
}

describe("InspectorCore", () => {
  let tree: SceneTree;
  let core: InspectorCore;
  let server: WebSocketServer;
  let port: number;
  const pages: Page[] = [];

  beforeEach(async () => {
    tree = new SceneTree();
    tree.root.addChild(new Node("Main"));
    tree.root.getNode("Main").addChild(new Node("Child"));
    core = new InspectorCore(tree, TOKEN);
    server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    server.on("connection", (socket) => core.accept(socket));
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    core.dispose();
    for (const page of pages.splice(0)) page.socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    tree.finalize();
  });

  async function open(): Promise<Page> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    const page: Page = { socket, messages: [], closed: null };
    pages.push(page);
    socket.on("message", (data) =>
      page.messages.push(JSON.parse(data.toString()) as Record<string, unknown>),
    );
    socket.on("close", (code, reason) => (page.closed = { code, reason: reason.toString() }));
    await new Promise<void>((resolve) => socket.once("open", () => resolve()));
    return page;
  }

  const kinds = (page: Page) => page.messages.map((m) => m.t);

  test("a page that sends the token gets hello, then a snapshot of the tree", async () => {
    const page = await open();
    page.socket.send(JSON.stringify({ t: "hello", token: TOKEN }));
    await until(() => kinds(page).includes("snapshot"), 2000, "hello and snapshot");
    expect(kinds(page).slice(0, 2)).toEqual(["hello", "snapshot"]);
    const hello = page.messages.find((m) => m.t === "hello");
    expect(hello).toEqual({ t: "hello", instance: 0, instances: [{ index: 0, label: "this process" }] });
    const snapshot = page.messages.find((m) => m.t === "snapshot")!;
    expect(snapshot.nodes).toEqual([
      [1, 0, "root", 0],
      [2, 1, "Main", 0],
      [3, 2, "Child", 0],
    ]);
    expect(core.sessionCount).toBe(1);
  });

  test("a wrong token, another message first, or garbage first closes the page with 4401", async () => {
    const wrong = await open();
    wrong.socket.send(JSON.stringify({ t: "hello", token: "guess" }));
    const early = await open();
    early.socket.send(JSON.stringify({ t: "suspend", on: true }));
    const garbage = await open();
    garbage.socket.send("{ not json");
    await until(() => [wrong, early, garbage].every((p) => p.closed !== null), 2000, "the closes");
    expect(wrong.closed).toEqual({ code: 4401, reason: "wrong token" });
    expect(early.closed).toEqual({ code: 4401, reason: "wrong token" });
    expect(garbage.closed).toEqual({ code: 4401, reason: "hello expected" });
    expect(wrong.messages).toEqual([]);
    expect(tree.isSuspended()).toBe(false);
  });

  test("once in, a malformed message is refused with an error and the page stays", async () => {
    const page = await open();
    page.socket.send(JSON.stringify({ t: "hello", token: TOKEN }));
    page.socket.send(JSON.stringify({ t: "nonsense" }));
    await until(() => page.messages.some((m) => m.t === "error"), 2000, "the error");
    expect(String(page.messages.find((m) => m.t === "error")!.error)).toMatch(/^Refused message: /);
    expect(page.closed).toBeNull();
  });

  test("suspend and nextFrame drive the tree; a reply carries the request's number", async () => {
    const page = await open();
    page.socket.send(JSON.stringify({ t: "hello", token: TOKEN }));
    page.socket.send(JSON.stringify({ t: "nextFrame", req: 1 }));
    page.socket.send(JSON.stringify({ t: "suspend", on: true }));
    page.socket.send(JSON.stringify({ t: "nextFrame", req: 2 }));
    await until(() => page.messages.filter((m) => m.t === "result").length === 2, 2000, "two results");
    expect(page.messages.filter((m) => m.t === "result")).toEqual([
      { t: "result", req: 1, ok: false, error: "not suspended" },
      { t: "result", req: 2, ok: true },
    ]);
    expect(tree.isSuspended()).toBe(false);
    tree.step(1 / 60);
    expect(tree.isSuspended()).toBe(true);
  });

  /** A page attached as a fleet's relay attaches it: its messages are handled at once, in order. */
  function attached(): { session: PageSession; sent: Array<Record<string, unknown>> } {
    const sent: Array<Record<string, unknown>> = [];
    const session: PageSession = {
      authenticated: false,
      selected: 0,
      lastDetails: "",
      stale: false,
      canResync: false,
      send: (message) => sent.push(message as Record<string, unknown>) > 0,
      close: () => {},
    };
    core.attach(session);
    return { session, sent };
  }

  test("a node that left the tree since the last batch is gone for the page, and the tree goes on", () => {
    const main = tree.root.getNode("Main");
    const other = new Node("Other");
    main.addChild(other);
    const { session, sent } = attached();
    const snapshot = sent.find((m) => m.t === "snapshot")!;
    expect(snapshot.nodes).toEqual([
      [1, 0, "root", 0],
      [2, 1, "Main", 0],
      [3, 2, "Child", 0],
      [4, 2, "Other", 0],
    ]);
    // Removed (still alive) between two batches, as a page clicks its row: a click must not throw
    // out of the socket's message handler, which would end the process (or a fleet's whole worker).
    const child = main.getNode("Child");
    main.removeChild(child);
    core.handleMessage(session, { t: "select", id: 3 });
    expect(sent.at(-1)).toEqual({ t: "node", details: { id: 3, gone: true } });
    core.handleMessage(session, { t: "setProp", req: 1, id: 3, name: "processPriority", value: 1 });
    core.handleMessage(session, { t: "ws", req: 2, id: 3, action: "close" });
    expect(sent.filter((m) => m.t === "result")).toEqual([
      { t: "result", req: 1, ok: false, error: "no such node, or it has no props" },
      { t: "result", req: 2, ok: false, error: "no such node" },
    ]);
    // Freed outright, the same.
    other.free();
    core.handleMessage(session, { t: "select", id: 4 });
    expect(sent.at(-1)).toEqual({ t: "node", details: { id: 4, gone: true } });
    child.free();
    tree.step(1 / 60);
    expect(tree.getFrame()).toBe(1);
  });

  test("a page's request that throws (here a node's own getGroups) is told to the page; nothing leaves the core", () => {
    class Broken extends Node {
      override getGroups(): string[] {
        throw new Error("groups exploded");
      }
    }
    tree.root.getNode("Main").addChild(new Broken("Broken"));
    const { session, sent } = attached();
    const id = (sent.find((m) => m.t === "snapshot")!.nodes as Array<[number, number, string]>).find(
      ([, , name]) => name === "Broken",
    )![0];
    expect(() => core.handleMessage(session, { t: "select", id })).not.toThrow();
    expect(sent.at(-1)).toEqual({
      t: "error",
      error: 'The inspector could not do "select": groups exploded',
    });
    tree.step(1 / 60);
    expect(tree.getFrame()).toBe(1);
  });

  test("outlineJson lists every node's path and type in tree order", () => {
    expect(JSON.parse(core.outlineJson())).toEqual({
      frame: 0,
      suspended: false,
      nodes: [
        { path: "/root", type: "Node" },
        { path: "/root/Main", type: "Node" },
        { path: "/root/Main/Child", type: "Node" },
      ],
    });
  });

  test("dispose closes every page with 1001 and the reason", async () => {
    const page = await open();
    page.socket.send(JSON.stringify({ t: "hello", token: TOKEN }));
    await until(() => kinds(page).includes("snapshot"), 2000, "the session");
    core.dispose("tree quit");
    await until(() => page.closed !== null, 2000, "the close");
    expect(page.closed).toEqual({ code: 1001, reason: "tree quit" });
  });
});
