/**
 * The fleet inspector in a real browser: the built CLI runs 3 instances over 2 worker threads with
 * `--inspect`, and Debian's Chromium (puppeteer-core) picks an instance, edits it and reads the fleet
 * charts. Waits are generous (the machine is shared); nothing here asserts how fast anything is.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { launchChromium } from "../helpers/browser";
import { until } from "../helpers/netServers";

jest.setTimeout(120_000);
const WAIT = 30_000;
const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");
const SCENE = path.join("test", "fixtures", "inspector", "fleet-bots.scene.json");

let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
let page: Page;
let child: ChildProcessWithoutNullStreams;
let stdout = "";
let exited: Promise<number | null>;

/** The bots' `{"index":…,"speed":…}` lines: which instance each edit reached. */
const speedLines = () =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { index: number; speed: number });

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

beforeAll(async () => {
  child = spawn(process.execPath, [BIN, "run", SCENE, "--instances", "3", "--workers", "2", "--inspect"], {
    cwd: ROOT,
  });
  exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL on stderr: ${stderr}`)), WAIT);
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /Inspector: (http:\S+)\n/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  chromium = await launchChromium();
  browser = chromium.browser;
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(url);
});

afterAll(async () => {
  await chromium?.close();
  if (child && child.exitCode === null) {
    child.kill("SIGINT");
    await exited;
  }
});

describe("the fleet inspector page (headless Chromium)", () => {
  test("the picker lists the fleet's 3 running instances", async () => {
    await waitText('[data-testid="status"]', (t) => t === "live", "connected");
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="instance-row"][data-state="running"]').length === 3`,
      { timeout: WAIT },
    );
    const rows = await page.$$eval('[data-testid="instance-row"]', (items) =>
      items.map((item) => item.getAttribute("data-index")),
    );
    expect(rows).toEqual(["0", "1", "2"]);
    expect(await waitText('[data-testid="instance-range"]', (t) => t.includes("of 3"), "range")).toBe(
      "1–3 of 3",
    );
  });

  test("the picker filters by index digits and by state", async () => {
    const rows = () =>
      page.$$eval('[data-testid="instance-row"]', (items) =>
        items.map((item) => item.getAttribute("data-index")),
      );
    await page.type('[data-testid="instance-query"]', "1");
    await page.waitForFunction(`document.querySelectorAll('[data-testid="instance-row"]').length === 1`, {
      timeout: WAIT,
    });
    expect(await rows()).toEqual(["1"]);
    await page.click('[data-testid="instance-query"]', { clickCount: 3 });
    await page.keyboard.press("Backspace");
    await page.select('[data-testid="instance-state"]', "finished");
    await waitText('[data-testid="instance-range"]', (t) => t === "0–0 of 0", "no finished instance");
    expect(await rows()).toEqual([]);
    await page.select('[data-testid="instance-state"]', "");
    await page.waitForFunction(`document.querySelectorAll('[data-testid="instance-row"]').length === 3`, {
      timeout: WAIT,
    });
  });

  test("picking instance 2 shows its tree", async () => {
    await page.click('[data-testid="instance-row"][data-index="2"]');
    await page.waitForSelector('.row[data-name="Bot-2"]', { timeout: WAIT });
    expect(await page.$('.row[data-name="Bot-0"]')).toBeNull();
    expect(await waitText('[data-testid="instance"]', (t) => t.startsWith("instance 2"), "top bar")).toBe(
      "instance 2 of 3",
    );
    await page.waitForSelector('[data-testid="instance-row"][data-index="2"].selected', { timeout: WAIT });
  });

  test("a prop edit reaches that instance only", async () => {
    await page.click('.row[data-name="Bot"]');
    await waitText('[data-testid="details-name"]', (t) => t === "Bot", "details of Bot");
    await page.click('[data-prop="speed"] input', { clickCount: 3 });
    await page.keyboard.type("4.5");
    await page.keyboard.press("Enter");
    await until(() => speedLines().length > 0, WAIT, "an instance printed its new speed");
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a wrong instance to print too
    expect(speedLines()).toEqual([{ index: 2, speed: 4.5 }]);
  });

  test("the fleet charts receive data points, with the merged percentiles of a trend", async () => {
    await page.waitForSelector('[data-testid="fleet-trend-bot_rtt"]', { timeout: WAIT });
    await page.waitForFunction(
      `Number(document.querySelector('[data-testid="fleet-panel"]').dataset.points) >= 3`,
      { timeout: WAIT },
    );
    // The running-instances series of the connections chart: uPlot draws a canvas per chart
    const charts = await page.$$eval(
      '[data-testid="fleet-panel"] .chart canvas',
      (canvases) => canvases.length,
    );
    expect(charts).toBeGreaterThanOrEqual(4);
  });

  test("closing the fleet (SIGINT) ends every instance with the inspector", async () => {
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    await waitText('[data-testid="status"]', (t) => t.startsWith("disconnected"), "page told");
  });
});
