/**
 * The inspector in a real browser: Debian's Chromium driven by puppeteer-core, against a tree running
 * in real time with a WebsocketClient talking to a real ws server on 127.0.0.1. Waits are generous
 * (the machine is shared); nothing here asserts how fast anything is. Also writes docs/inspector.png.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "puppeteer-core";
import { z } from "zod";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { Timer } from "../../src/nodes/Timer";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { nodePropsSchema } from "../../src/nodes/nodeProps";
import { registerNodeType, unregisterNodeType } from "../../src/loader/registry";
import "../../src";
import "../../src";
import { startInspector, type Inspector } from "../../src/inspector";
import { launchChromium } from "../helpers/browser";
import { startWsServer, until, type TestWsServer } from "../helpers/netServers";
import { partsOf } from "../helpers/inspectorClient";

jest.setTimeout(120_000);
const WAIT = 30_000;
const SCREENSHOT = path.join(__dirname, "..", "..", "docs", "inspector.png");

class Ship extends Node {
  speed = 1;
  hull = "steel";
  docked = false;
}

let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
let page: Page;
let server: TestWsServer;
let tree: SceneTree;
let inspector: Inspector;
let demo: { main: Node; ship: Ship; lobby: WebsocketClient };
let running: Promise<number>;

/** A small scene: three ships, a heartbeat timer, and a lobby client that pings an echo server. */
function buildDemo(url: string) {
  const main = new Node("Demo");
  main.addToGroup("scene");
  const fleet = new Node("Fleet");
  main.addChild(fleet);
  const ships = ["Scout", "Hauler", "Lancer"].map((name, i) => {
    const ship = new Ship(name);
    ship.speed = i + 1;
    ship.addToGroup("ships");
    fleet.addChild(ship);
    return ship;
  });
  const heartbeat = new Timer();
  heartbeat.name = "Heartbeat";
  heartbeat.waitTime = 0.1;
  heartbeat.autostart = true;
  main.addChild(heartbeat);
  const lobby = new WebsocketClient("Lobby");
  lobby.connectionUrl = url;
  lobby.autoReconnect = true;
  main.addChild(lobby);
  const metrics = tree.metrics;
  heartbeat.connect("timeout", function sendPing() {
    if (lobby.isOpen) {
      lobby.sendText(JSON.stringify({ sentAt: performance.now() }));
      metrics.counter("pings_sent").add(1);
    }
  });
  lobby.connect("messageReceived", function recordEcho(message: Buffer) {
    const text = message.toString();
    if (!text.startsWith("{")) return; // not one of our pings (a text sent from the page)
    const { sentAt } = JSON.parse(text) as { sentAt: number };
    metrics.trend("echo_ms", { contains: "time" }).add(performance.now() - sentAt);
  });
  tree.root.addChild(main);
  tree.currentScene = main;
  return { main, ship: ships[0], lobby };
}

async function text(selector: string): Promise<string> {
  return page.$eval(selector, (element) => element.textContent ?? "");
}

async function waitText(selector: string, match: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const found = await page.$(selector);
    const value = found ? await found.evaluate((element) => element.textContent ?? "") : null;
    if (value !== null && match(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: ${selector} reads ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function selectRow(name: string): Promise<void> {
  const row = await page.waitForSelector(`.row[data-name="${name}"]`, { timeout: WAIT });
  await row!.click();
  await waitText('[data-testid="details-name"]', (t) => t === name, `details of ${name}`);
}

beforeAll(async () => {
  registerNodeType(
    "Ship",
    Ship,
    nodePropsSchema.extend({
      speed: z.number().min(0, "speed can't be negative").optional(),
      hull: z.enum(["steel", "carbon"]).optional(),
      docked: z.boolean().optional(),
    }),
  );
  server = await startWsServer();
  tree = new SceneTree();
  demo = buildDemo(server.url);
  running = tree.run();
  inspector = await startInspector(tree);
  chromium = await launchChromium();
  browser = chromium.browser;
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 860 });
  await page.goto(inspector.url);
});

afterAll(async () => {
  await chromium?.close();
  tree?.quit();
  await running;
  await inspector?.close();
  await server?.close();
  unregisterNodeType("Ship");
});

describe("the inspector page (headless Chromium)", () => {
  test("shows the live tree", async () => {
    await waitText('[data-testid="status"]', (t) => t === "live", "connected");
    for (const name of ["root", "Demo", "Fleet", "Heartbeat", "Lobby"])
      await page.waitForSelector(`.row[data-name="${name}"]`, { timeout: WAIT });
    await page.click('.row[data-name="Fleet"] .twisty');
    await page.waitForSelector('.row[data-name="Scout"]', { timeout: WAIT });
    expect(await text('.row[data-name="Scout"] .type')).toBe("Ship");
  });

  test("shows a node the scene adds, and filters by name, type and group", async () => {
    demo.main.addChild(new Node("Arrived"));
    await page.waitForSelector('.row[data-name="Arrived"]', { timeout: WAIT });

    await page.type('[data-testid="filter"]', "haul");
    await page.waitForFunction('document.querySelectorAll(".row").length === 4', { timeout: WAIT });
    expect(await page.$$eval(".row", (rows) => rows.map((r) => r.getAttribute("data-name")))).toEqual([
      "root",
      "Demo",
      "Fleet",
      "Hauler",
    ]);
    await page.select('[data-testid="filter-field"]', "group");
    await page.click('[data-testid="filter"]', { clickCount: 3 });
    await page.type('[data-testid="filter"]', "ships");
    await page.waitForSelector('.row[data-name="Lancer"]', { timeout: WAIT });
    expect(await page.$('.row[data-name="Heartbeat"]')).toBeNull();
    await page.click('[data-testid="filter"]', { clickCount: 3 });
    await page.keyboard.press("Backspace");
    await page.select('[data-testid="filter-field"]', "name");
    await page.waitForSelector('.row[data-name="Heartbeat"]', { timeout: WAIT });
  });

  test("a prop edit reaches the node", async () => {
    await selectRow("Scout");
    expect(await text('[data-testid="details-path"]')).toBe("/root/Demo/Fleet/Scout");
    await page.click('[data-prop="speed"] input', { clickCount: 3 });
    await page.keyboard.type("3.5");
    await page.keyboard.press("Enter");
    await until(() => demo.ship.speed === 3.5, WAIT, "speed set from the page");
    await page.select('[data-prop="hull"] select', "1"); // carbon
    await until(() => demo.ship.hull === "carbon", WAIT, "enum set from the page");
    await page.click('[data-prop="docked"] input');
    await until(() => demo.ship.docked, WAIT, "boolean set from the page");
  });

  test("an invalid edit shows the schema's message and changes nothing", async () => {
    await page.click('[data-prop="speed"] input', { clickCount: 3 });
    await page.keyboard.type("-1");
    await page.keyboard.press("Enter");
    await waitText('[data-prop="speed"] [data-testid="prop-error"]', (t) => t.length > 0, "error shown");
    expect(await text('[data-prop="speed"] [data-testid="prop-error"]')).toBe("speed can't be negative");
    expect(demo.ship.speed).toBe(3.5);
    await page.keyboard.press("Escape");
  });

  test("pause holds the frame loop and next frame runs exactly one frame", async () => {
    await page.click('[data-testid="suspend"]');
    await until(() => tree.isSuspended(), WAIT, "suspended");
    const held = tree.getFrame();
    await waitText('[data-testid="frame-count"]', (t) => t === String(held), "page shows the held frame");
    await page.waitForSelector('[data-testid="next-frame"]:not([disabled])', { timeout: WAIT });
    await page.click('[data-testid="next-frame"]');
    await waitText('[data-testid="frame-count"]', (t) => t === String(held + 1), "one frame later");
    await new Promise((resolve) => setTimeout(resolve, 1000)); // 60 frames' worth at 60 fps
    expect(tree.getFrame()).toBe(held + 1);
    expect(await text('[data-testid="frame-count"]')).toBe(String(held + 1));
    await page.click('[data-testid="suspend"]'); // resume
    await until(() => tree.getFrame() > held + 5, WAIT, "running again");
  });

  test("drop link makes the client reconnect by itself", async () => {
    await selectRow("Lobby");
    await waitText('[data-testid="ws-state"]', (t) => t === "OPEN", "lobby open");
    const before = await server.nextConnection(WAIT); // the lobby's first connection
    await page.click('[data-testid="ws-drop"]');
    await waitText(
      '[data-testid="ws-last-close"]',
      (t) => t === "-1 link dropped from the inspector",
      "drop",
    );
    const next = await server.nextConnection(WAIT);
    expect(next).not.toBe(before);
    await waitText('[data-testid="ws-state"]', (t) => t === "OPEN", "reconnected");
    expect(server.closes.at(-1)?.code).toBe(1006);
  });

  test("sends a text from the page, and writes docs/inspector.png with the client selected", async () => {
    const received = server.received.length;
    await page.type('[data-testid="ws-text"]', "hello from the inspector");
    await page.click('[data-testid="ws-send"]');
    await until(
      () => server.received.slice(received).some((m) => m.text === "hello from the inspector"),
      WAIT,
    );
    // A few seconds of pings for the sparklines and the charts.
    await waitText('[data-testid="ws-rate-in"]', (t) => !t.startsWith("0 msg/s"), "traffic shown");
    await page.waitForSelector('[data-testid="metric-echo_ms"]', { timeout: WAIT });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT as `${string}.png` });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });

  test("a selected node that leaves the tree is said to have left, not loaded forever", async () => {
    const doomed = new Node("Doomed");
    demo.main.addChild(doomed);
    await selectRow("Doomed");
    doomed.queueFree();
    await waitText(".details", (t) => t.includes("left the tree"), "the page says the node left");
    expect(await text(".details")).toBe('"Doomed" left the tree. Select a node.');
    expect(await page.$(".row.selected")).toBeNull();
    expect(await page.$('.row[data-name="Doomed"]')).toBeNull();
  });

  test("when the tree quits, the page says so for good and its controls are off", async () => {
    const ending = new SceneTree();
    ending.root.addChild(new Node("Ending"));
    const endingRun = ending.run();
    const endingInspector = await startInspector(ending);
    const other = await browser.newPage();
    try {
      await other.goto(endingInspector.url);
      await other.waitForSelector('.row[data-name="Ending"]', { timeout: WAIT });
      ending.quit();
      await endingRun;
      await other.waitForFunction(
        'document.querySelector(\'[data-testid="status"]\').textContent.includes("the tree quit")',
        { timeout: WAIT },
      );
      // The page tries again every 2 s (a process restarted on a fixed port); a failed try keeps the
      // reason the page was closed with.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const status = await other.$eval('[data-testid="status"]', (e) => e.textContent ?? "");
      expect(status).toBe("disconnected: the tree quit (retrying)");
      const disabled = await other.$$eval(
        '[data-testid="suspend"], [data-testid="next-frame"], [data-testid="game-paused"]',
        (inputs) => inputs.map((i) => i.hasAttribute("disabled")),
      );
      expect(disabled).toEqual([true, true, true]);
      expect(await other.$eval('[data-testid="fps"]', (e) => e.textContent)).toBe("–");
    } finally {
      await other.close();
      await endingInspector.close();
    }
  });

  test("a wrong token is refused, by the socket and over HTTP", async () => {
    const { origin, token } = partsOf(inspector);
    const other = await browser.newPage();
    try {
      await other.goto(`${origin}/#token=not-the-token`);
      await other.waitForSelector('[data-testid="refused"]', { timeout: WAIT });
      // The message alone: the page's loading placeholder is gone.
      expect(await other.evaluate('document.getElementById("app").innerText')).not.toContain("Loading");
      const statuses = await other.evaluate(async (right: string) => {
        const ask = (auth: string) =>
          fetch("/api/tree", { headers: { Authorization: auth } }).then((r) => r.status);
        return [await ask("Bearer not-the-token"), await ask(`Bearer ${right}`)];
      }, token);
      expect(statuses).toEqual([401, 200]);
    } finally {
      await other.close();
    }
  });

  test("a page from another origin cannot open the socket", async () => {
    const site = http.createServer((_request, response) => response.end("<!doctype html><p>elsewhere</p>"));
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    const other = await browser.newPage();
    try {
      await other.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
      const outcome = await other.evaluate(
        (port: number) =>
          new Promise<string>((resolve) => {
            const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
            socket.onopen = () => resolve("opened");
            socket.onclose = (event) => resolve(`closed ${event.code}`);
          }),
        inspector.port,
      );
      expect(outcome).toBe("closed 1006"); // the handshake was refused (403)
    } finally {
      await other.close();
      site.closeAllConnections(); // the browser keeps idle connections open
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });
});
