import * as http from "node:http";
import { z } from "zod";
import { Node } from "../../src/scene/Node";
import { Callable } from "../../src/scene/Callable";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import { nodePropsSchema } from "../../src/nodes/nodeProps";
import { registerNodeType, unregisterNodeType } from "../../src/loader/registry";
import "../../src";
import { startInspector, type Inspector } from "../../src/inspector";
import { HELLO_TIMEOUT_MS } from "../../src/inspector/InspectorCore";
import { PageClient, httpGet, partsOf, refusedUpgrade } from "../helpers/inspectorClient";
import { until } from "../helpers/netServers";

class Ship extends Node {
  speed = 1;
}

const inspectors: Inspector[] = [];
const pages: PageClient[] = [];

beforeAll(() =>
  registerNodeType(
    "Ship",
    Ship,
    nodePropsSchema.extend({ speed: z.number().min(0, "speed can't be negative").optional() }),
  ),
);
afterAll(() => unregisterNodeType("Ship"));
afterEach(async () => {
  for (const page of pages.splice(0)) page.close();
  for (const inspector of inspectors.splice(0)) await inspector.close();
});

async function setup() {
  const clock = new TestClock();
  const tree = new SceneTree({ clock, fatalErrors: true });
  const main = new Node("Main");
  const ship = new Ship("Ship");
  main.addChild(ship);
  tree.root.addChild(main);
  const inspector = await startInspector(tree);
  inspectors.push(inspector);
  return { clock, tree, main, ship, inspector };
}

async function page(inspector: Inspector, options?: Parameters<typeof PageClient.open>[1]) {
  const client = await PageClient.open(inspector, options);
  pages.push(client);
  return client;
}

type Rows = [number, number, string, number][];

/** A GET that sends no Host header at all (Node answers that 400 itself unless told otherwise). */
function getWithoutHost(inspector: Inspector): Promise<Awaited<ReturnType<typeof httpGet>>> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port: inspector.port, path: "/", setHost: false },
      (response) => {
        response.resume();
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: "" }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

describe("startInspector", () => {
  it("listens on loopback and prints a URL that carries a fresh token", async () => {
    const { inspector } = await setup();
    expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const { tree } = await setup();
    const other = await startInspector(tree);
    inspectors.push(other);
    expect(partsOf(other).token).not.toBe(partsOf(inspector).token);
  });

  describe("HTTP", () => {
    it("serves the page and its libraries with headers that keep other sites out", async () => {
      const { inspector } = await setup();
      const index = await httpGet(inspector, "/");
      expect(index.status).toBe(200);
      expect(index.body).toMatch(/<script type="module" src="\/app.js">/);
      expect(index.headers["content-security-policy"]).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(index.headers["x-frame-options"]).toBe("DENY");
      for (const path of ["/app.js", "/vendor/htm-preact.js", "/vendor/uplot.js"]) {
        const asset = await httpGet(inspector, path);
        expect([path, asset.status, asset.headers["content-type"]]).toEqual([
          path,
          200,
          "text/javascript; charset=utf-8",
        ]);
      }
      expect((await httpGet(inspector, "/vendor/htm-preact.js")).body).toMatch(/export\{/);
    });

    it("answers only the files it lists: no path reaches another file", async () => {
      const { inspector } = await setup();
      for (const path of [
        "/../package.json",
        "/%2e%2e/package.json",
        "/public/app.js",
        "/server.js",
        "/nope",
      ])
        expect([path, (await httpGet(inspector, path)).status]).toEqual([path, 404]);
      expect((await httpGet(inspector, "/", {}, "POST")).status).toBe(405);
    });

    it("gives the tree only for the token (Bearer), and refuses a wrong one", async () => {
      const { inspector } = await setup();
      const { token } = partsOf(inspector);
      expect((await httpGet(inspector, "/api/tree")).status).toBe(401);
      expect((await httpGet(inspector, "/api/tree", { Authorization: "Bearer wrong" })).status).toBe(401);
      expect((await httpGet(inspector, "/api/tree", { Authorization: `Bearer ${token}x` })).status).toBe(401);
      const answer = await httpGet(inspector, "/api/tree", { Authorization: `Bearer ${token}` });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).nodes).toEqual([
        { path: "/root", type: "Node" },
        { path: "/root/Main", type: "Node" },
        { path: "/root/Main/Ship", type: "Ship" },
      ]);
    });

    it("refuses another site: a foreign Host (DNS rebinding) or Origin", async () => {
      const { inspector } = await setup();
      expect((await httpGet(inspector, "/", { Host: "evil.example:80" })).status).toBe(403);
      // The refusals carry the security headers too, as every answer does.
      for (const refused of [
        await httpGet(inspector, "/", { Host: "evil.example:80" }),
        await httpGet(inspector, "/", { Origin: "http://evil.example" }),
        await getWithoutHost(inspector),
      ]) {
        expect(refused.status).toBe(403);
        expect(refused.headers["content-security-policy"]).toMatch(
          /default-src 'none'.*frame-ancestors 'none'/,
        );
        expect(refused.headers["content-security-policy"]).not.toMatch(/evil/);
        expect(refused.headers["x-frame-options"]).toBe("DENY");
        expect(refused.headers["x-content-type-options"]).toBe("nosniff");
        expect(refused.headers["referrer-policy"]).toBe("no-referrer");
        expect(refused.headers["cache-control"]).toBe("no-store");
      }
      expect((await httpGet(inspector, "/", { Host: `localhost:${inspector.port}` })).status).toBe(200);
      expect((await httpGet(inspector, "/", { Origin: "http://evil.example" })).status).toBe(403);
    });
  });

  describe("the page's socket", () => {
    it("sends hello and a snapshot of the whole tree once the token is right", async () => {
      const { inspector } = await setup();
      const client = await page(inspector);
      const hello = await client.waitFor((m) => m.t === "hello");
      expect(hello.instances).toEqual([{ index: 0, label: "this process" }]);
      const snapshot = await client.waitFor((m) => m.t === "snapshot");
      const types = snapshot.types as string[];
      expect(
        (snapshot.nodes as Rows).map(([id, parent, name, type]) => [id, parent, name, types[type]]),
      ).toEqual([
        [1, 0, "root", "Node"],
        [2, 1, "Main", "Node"],
        [3, 2, "Ship", "Ship"],
      ]);
    });

    it("closes with 4401 on a wrong token, and on anything before the hello", async () => {
      const { inspector } = await setup();
      const wrong = await page(inspector, { token: "not-the-token" });
      expect(await wrong.waitClosed()).toEqual({ code: 4401, reason: "wrong token" });
      expect(wrong.messages).toEqual([]);
      const early = await page(inspector, { token: null });
      early.send({ t: "select", id: 1 });
      expect((await early.waitClosed()).code).toBe(4401);
      expect(HELLO_TIMEOUT_MS).toBe(10_000); // and a page that says nothing is dropped after that long
    });

    it("tells a page past the eighth why: closed with 1013 and the reason, and a freed place takes the next", async () => {
      const { inspector } = await setup();
      const eight = [];
      for (let i = 0; i < 8; i++) eight.push(await page(inspector));
      await Promise.all(eight.map((p) => p.waitFor((m) => m.t === "snapshot")));
      const ninth = await page(inspector);
      expect(await ninth.waitClosed()).toEqual({
        code: 1013,
        reason: "too many inspector pages (8 at once)",
      });
      eight[0]!.close(); // the server learns of it a moment later: until then a new page is refused too
      let next = await page(inspector);
      for (let tries = 0; !next.messages.some((m) => m.t === "snapshot"); tries++) {
        await Promise.race([next.waitFor((m) => m.t === "snapshot").catch(() => null), next.waitClosed()]);
        if (next.closed) {
          expect(next.closed.code).toBe(1013);
          expect(tries).toBeLessThan(100);
          next = await page(inspector);
        }
      }
    });

    it("refuses the handshake from another Origin or Host, or on another path", async () => {
      const { inspector } = await setup();
      expect(await refusedUpgrade(inspector, { Origin: "http://evil.example" })).toBe(403);
      expect(await refusedUpgrade(inspector, { Origin: `http://localhost:${inspector.port}` })).toBe(403);
      expect(await refusedUpgrade(inspector, { Host: "evil.example" })).toBe(403);
      expect(await refusedUpgrade(inspector, {}, "/other")).toBe(404);
    });

    it("sends a diff for nodes the scene adds, batched with the frame stats", async () => {
      const { main, inspector } = await setup();
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      main.addChild(new Node("Late"));
      const update = await client.waitFor((m) => m.t === "update" && m.tree !== undefined);
      const tree = update.tree as { nodes: Rows; order: [number, number[]][] };
      expect(tree.nodes.map(([id, parent, name]) => [id, parent, name])).toEqual([[4, 2, "Late"]]);
      expect(tree.order).toEqual([[2, [3, 4]]]);
      expect(update.frame).toMatchObject({ frame: 0, suspended: false, paused: false });
    });

    it("shows a selected node's details, sets a prop the schema accepts and refuses one it does not", async () => {
      const { ship, inspector } = await setup();
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      client.send({ t: "select", id: 3 });
      const details = (await client.waitFor((m) => m.t === "node")).details as Record<string, unknown>;
      expect(details).toMatchObject({
        path: "/root/Main/Ship",
        cls: "Ship",
        type: "Ship",
        processMode: "INHERIT",
      });
      expect(details.props).toContainEqual({ name: "speed", kind: "number", value: 1, editable: true });

      expect(await client.request({ t: "setProp", id: 3, name: "speed", value: 4.5 })).toMatchObject({
        ok: true,
      });
      expect(ship.speed).toBe(4.5);
      const refused = await client.request({ t: "setProp", id: 3, name: "speed", value: -2 });
      expect(refused).toMatchObject({ ok: false, error: "speed can't be negative" });
      expect(ship.speed).toBe(4.5);
      // The details stay live: the next update carries the new value.
      await client.waitFor((m) => m.t === "node" && JSON.stringify(m.details).includes('"value":4.5'));
    });

    it("holds the frame loop and runs exactly one frame per next frame", async () => {
      const { clock, tree, inspector } = await setup();
      void tree.run({ fps: 10 });
      clock.advance(250);
      expect(tree.getFrame()).toBe(3);
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      client.send({ t: "suspend", on: true });
      await client.waitFor((m) => m.t === "update" && (m.frame as { suspended: boolean }).suspended);
      clock.advance(5_000);
      expect(tree.getFrame()).toBe(3);
      expect(await client.request({ t: "nextFrame" })).toMatchObject({ ok: true });
      clock.advance(5_000);
      expect(tree.getFrame()).toBe(4);
      expect(tree.isSuspended()).toBe(true);
      const before = client.messages.length;
      client.send({ t: "suspend", on: false });
      await client.waitFor((m) => m.t === "update" && !(m.frame as { suspended: boolean }).suspended, before);
      clock.advance(100);
      expect(tree.getFrame()).toBe(6); // the resumed loop runs again: a frame at once, the next 100 ms on
      tree.quit();
      clock.advance(100);
    });

    it("lists each signal with what it is connected to, leaving out the inspector's own listeners", async () => {
      const { main, ship, inspector } = await setup();
      main.addChild(new Node("Second")); // two children: the inspector follows Main's order
      ship.connect("renamed", function onShipRenamed() {});
      ship.connect("ready", new Callable(main, "queueFree").bind(1));
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      client.send({ t: "select", id: 3 });
      const shipDetails = (await client.waitFor((m) => m.t === "node")).details as {
        signals: { name: string; connections: string[] }[];
      };
      expect(shipDetails.signals).toContainEqual({ name: "renamed", connections: ["onShipRenamed()"] });
      expect(shipDetails.signals).toContainEqual({
        name: "ready",
        connections: ["/root/Main → queueFree() (+1 bound)"],
      });
      expect(shipDetails.signals.map((s) => s.name)).toEqual(expect.arrayContaining(["ready", "treeExited"]));
      const before = client.messages.length;
      client.send({ t: "select", id: 2 });
      const mainDetails = (await client.waitFor((m) => m.t === "node", before)).details as {
        signals: { name: string; connections: string[] }[];
      };
      expect(main.listenerCount("childOrderChanged")).toBe(1); // the inspector's…
      expect(mainDetails.signals).toContainEqual({ name: "childOrderChanged", connections: [] }); // …not shown
    });

    it("refuses next frame unless suspended", async () => {
      const { inspector } = await setup();
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      expect(await client.request({ t: "nextFrame" })).toEqual({
        t: "result",
        req: 1,
        ok: false,
        error: "not suspended",
      });
    });

    it("has no message that runs code: anything undocumented is refused and changes nothing", async () => {
      const { ship, inspector } = await setup();
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      client.send({ t: "eval", code: "process.exit(1)" });
      client.send({ t: "call", id: 3, method: "queueFree" });
      client.send({ t: "setProp", id: 3, name: "speed", value: 1, extra: true });
      await client.waitFor(() => client.messages.filter((m) => m.t === "error").length === 3);
      expect(client.messages.filter((m) => m.t === "error").map((m) => m.error)).toEqual([
        expect.stringMatching(/^Refused message/),
        expect.stringMatching(/^Refused message/),
        expect.stringMatching(/^Refused message/),
      ]);
      expect(ship.isInstanceValid()).toBe(true);
      expect(ship.speed).toBe(1);
      expect(client.closed).toBeNull();
    });

    it("lists group members for the group filter", async () => {
      const { main, ship, inspector } = await setup();
      ship.addToGroup("fleet");
      main.addToGroup("scene");
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      expect(await client.request({ t: "group", group: "fleet" })).toMatchObject({ ok: true, ids: [3] });
      expect(await client.request({ t: "group" })).toMatchObject({ ok: true, groups: ["fleet", "scene"] });
    });
  });

  describe("costs and lifetime", () => {
    it("adds listeners to the tree only while a page is connected", async () => {
      const { tree, main, inspector } = await setup();
      main.addChild(new Node("Sibling")); // two children: an order to follow
      expect([tree.listenerCount("nodeAdded"), tree.listenerCount("processFrame")]).toEqual([0, 0]);
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      expect([tree.listenerCount("nodeAdded"), tree.listenerCount("processFrame")]).toEqual([1, 1]);
      expect(main.listenerCount("childOrderChanged")).toBe(1);
      client.close();
      await client.waitClosed();
      await until(() => tree.listenerCount("nodeAdded") === 0, 2000, "the server saw the close");
      expect([tree.listenerCount("nodeAdded"), tree.listenerCount("processFrame")]).toEqual([0, 0]);
      expect(main.listenerCount("childOrderChanged")).toBe(0);
    });

    it("keeps node ids across pages, so a page that reconnects finds its selection again", async () => {
      const { main, inspector } = await setup();
      const first = await page(inspector);
      await first.waitFor((m) => m.t === "snapshot");
      main.addChild(new Node("Late"));
      await first.waitFor((m) => m.t === "update" && m.tree !== undefined);
      first.close();
      await first.waitClosed();
      main.moveChild(main.getChild(1)!, 0); // changes made while nobody watches
      const second = await page(inspector);
      const snapshot = await second.waitFor((m) => m.t === "snapshot");
      expect((snapshot.nodes as Rows).map(([id, , name]) => [id, name])).toEqual([
        [1, "root"],
        [2, "Main"],
        [4, "Late"],
        [3, "Ship"],
      ]);
    });

    it("closes pages with 1001 and stops listening on close()", async () => {
      const { inspector } = await setup();
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      await inspector.close();
      expect(await client.waitClosed()).toEqual({ code: 1001, reason: "the inspector closed" });
      await expect(httpGet(inspector, "/")).rejects.toThrow(/ECONNREFUSED/);
    });

    it("closes by itself when its tree quits", async () => {
      const { clock, tree, inspector } = await setup();
      const client = await page(inspector);
      await client.waitFor((m) => m.t === "snapshot");
      void tree.run();
      tree.quit();
      clock.advance(0);
      expect(await client.waitClosed()).toEqual({ code: 1001, reason: "the tree quit" });
    });
  });
});
