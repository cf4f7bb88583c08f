import { WebSocketServer } from "ws";
import type { Inspector } from "../../src/inspector";
import { FleetHub, type FleetLink } from "../../src/inspector/FleetHub";
import { InstanceTable } from "../../src/inspector/instanceTable";
import type { ToAgent } from "../../src/inspector/relay";
import { PageClient } from "../helpers/inspectorClient";
import { contiguous } from "../../src/core/indexRange";

/** The fleet inspector's main-thread hub (src/inspector/FleetHub.ts): pages in, workers' relays out. */
const TOKEN = "t".repeat(43);

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

async function setUp() {
  const instances = new InstanceTable(contiguous(4));
  const posted: Array<{ index: number | "all"; message: ToAgent }> = [];
  const link: FleetLink = {
    instances,
    count: 8,
    post: (index, message) => void posted.push({ index, message }),
    broadcast: (message) => void posted.push({ index: "all", message }),
    read: () => ({ running: instances.counts().running, target: 8, totals: {}, errors: 0 }),
  };
  const hub = new FleetHub(link, TOKEN);
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("connection", (socket) => hub.accept(socket));
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const port = (server.address() as { port: number }).port;
  const pages: PageClient[] = [];
  const open = async (token: string | null = TOKEN) => {
    const shim = { url: `http://127.0.0.1:${port}/#token=${TOKEN}`, port } as unknown as Inspector;
    const page = await PageClient.open(shim, { token });
    pages.push(page);
    return page;
  };
  const close = async () => {
    hub.dispose();
    for (const page of pages) page.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { instances, posted, hub, open, close };
}

const ops = (posted: Array<{ index: number | "all"; message: ToAgent }>) =>
  posted.map(({ index, message }) => `${index} ${message.op}${"page" in message ? ` p${message.page}` : ""}`);

test("a page is welcomed with the fleet, attached to the lowest running instance, and charts start", async () => {
  const { instances, posted, hub, open, close } = await setUp();
  try {
    instances.set(0, "finished");
    instances.set(2, "running");
    instances.set(3, "running");
    const page = await open();
    await page.waitFor((m) => m.t === "fleet");
    expect(page.messages.map((m) => m.t)).toEqual(["hello", "instance", "fleet"]);
    expect(page.messages[0]).toEqual({
      t: "hello",
      fleet: { count: 8, here: 4 },
      instance: null,
      instances: [],
    });
    expect(page.messages[1]).toEqual({ t: "instance", index: 2, state: "running", attached: true });
    expect(page.messages[2].counts).toEqual({ pending: 1, running: 2, finished: 1, failed: 0 });
    expect(ops(posted)).toEqual(["2 attach p1", "all metrics"]);
    expect(posted[1].message).toEqual({ op: "metrics", on: true });
    expect(hub.sessionCount).toBe(1);
    expect(JSON.parse(hub.outlineJson())).toEqual({
      fleet: { count: 8, here: 4, pending: 1, running: 2, finished: 1, failed: 0 },
    });
  } finally {
    await close();
  }
});

test("picking: a running instance moves the page (detach, attach); others are refused with why", async () => {
  const { instances, posted, open, close } = await setUp();
  try {
    instances.set(1, "running");
    instances.set(3, "running");
    instances.set(2, "failed");
    const page = await open();
    await page.waitFor((m) => m.t === "fleet");
    posted.length = 0;
    page.send({ t: "instance", index: 3 });
    await page.waitFor((m) => m.t === "instance" && m.index === 3);
    expect(ops(posted)).toEqual(["1 detach p1", "3 attach p1"]);
    page.send({ t: "instance", index: 2 });
    page.send({ t: "instance", index: 9 });
    await page.waitFor((m) => m.t === "error" && String(m.error).includes("9"));
    expect(page.messages.filter((m) => m.t === "error").map((m) => m.error)).toEqual([
      "Instance 2 is failed, not running.",
      "No instance 9 here.",
    ]);
    expect(ops(posted)).toEqual(["1 detach p1", "3 attach p1"]);
    const list = await page.request({ t: "instances", state: "running" });
    expect(list.items).toEqual([
      [1, "running"],
      [3, "running"],
    ]);
  } finally {
    await close();
  }
});

test("other messages go to the picked instance's worker; with none picked a request is refused", async () => {
  const { instances, posted, hub, open, close } = await setUp();
  try {
    const page = await open();
    await page.waitFor((m) => m.t === "fleet");
    expect(page.messages.map((m) => m.t)).toEqual(["hello", "fleet"]); // nothing running: nothing picked
    const refused = await page.request({ t: "nextFrame" });
    expect(refused).toEqual({ t: "result", req: 1, ok: false, error: "no instance picked" });
    instances.set(0, "running");
    page.send({ t: "instance", index: 0 });
    page.send({ t: "setPaused", on: true });
    await until(() => posted.some(({ message }) => message.op === "message"));
    expect(posted.find(({ message }) => message.op === "message")).toEqual({
      index: 0,
      message: { op: "message", page: 1, message: { t: "setPaused", on: true } },
    });
    // The worker answers through the hub; an answer for another instance is dropped, unless a result.
    hub.receive({ op: "page", page: 1, index: 0, message: { t: "snapshot", n: 1 } }, 0);
    hub.receive({ op: "page", page: 1, index: 2, message: { t: "snapshot", n: 2 } }, 1);
    hub.receive({ op: "page", page: 1, index: 2, message: { t: "result", req: 9, ok: true } }, 1);
    hub.receive({ op: "page", page: 99, index: 0, message: { t: "snapshot", n: 3 } }, 0);
    await page.waitFor((m) => m.t === "result" && m.req === 9);
    expect(page.messages.filter((m) => m.t === "snapshot")).toEqual([{ t: "snapshot", n: 1 }]);
    // The instance's tree ends: the page is told, and unattached.
    instances.set(0, "finished");
    hub.receive({ op: "closed", page: 1, index: 0, reason: "it finished" }, 0);
    await page.waitFor((m) => m.t === "error");
    expect(page.messages.slice(-2)).toEqual([
      { t: "instance", index: 0, state: "finished", attached: false },
      { t: "error", error: "Instance 0: it finished. Pick another." },
    ]);
    const after = await page.request({ t: "nextFrame" });
    expect(after.error).toBe("no instance picked");
  } finally {
    await close();
  }
});

test("a page that leaves is detached; the last one stops the charts; dispose closes pages with 1001", async () => {
  const { instances, posted, hub, open, close } = await setUp();
  try {
    instances.set(1, "running");
    const first = await open();
    const second = await open();
    await first.waitFor((m) => m.t === "fleet");
    await second.waitFor((m) => m.t === "fleet");
    expect(ops(posted)).toEqual(["1 attach p1", "all metrics", "1 attach p2"]);
    const unauthenticated = await open(null);
    expect(hub.sessionCount).toBe(3);
    first.close();
    await until(() => hub.sessionCount === 2);
    expect(ops(posted).slice(3)).toEqual(["1 detach p1"]);
    hub.dispose();
    expect((await second.waitClosed()).code).toBe(1001);
    expect(ops(posted).slice(4)).toEqual(["1 detach p2", "all metrics"]);
    expect(posted[posted.length - 1].message).toEqual({ op: "metrics", on: false });
    expect((await unauthenticated.waitClosed()).code).toBe(1001);
    expect(hub.sessionCount).toBe(0);
  } finally {
    await close();
  }
});

test("a wrong token is closed before the hub hears of the page", async () => {
  const { posted, hub, open, close } = await setUp();
  try {
    const page = await open("wrong");
    const closed = await page.waitClosed();
    expect(closed.code).not.toBe(1001);
    await until(() => hub.sessionCount === 0);
    expect(posted).toEqual([]);
    expect(page.messages).toEqual([]);
  } finally {
    await close();
  }
});
