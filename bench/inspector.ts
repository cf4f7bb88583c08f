/**
 * What the inspector costs a running 10,000-node tree (every node processing), measured in real time
 * at 60 fps: the frame's compute time (median and p99) and the process's CPU per frame, which also
 * counts the inspector's batches between frames. Three runs on the same tree: no inspector, an
 * inspector nobody has opened, and a page open in headless Chromium with a node selected while the
 * scene adds and frees a node every second. Then how long the page takes to show the whole tree. On a
 * shared 2-core machine those real-time figures include Chromium competing for the cores; a last
 * measure times `step()` alone in a tight loop, with and without a page (a plain ws client in a child
 * process) attached, which is what the inspector adds to each frame itself.
 * Not part of `npm run bench` (it needs Chromium at /usr/bin/chromium or $SCENETREE_CHROMIUM):
 *
 *   npx tsx bench/inspector.ts [--quick]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import puppeteer from "puppeteer-core";
import { Node, SceneTree, startInspector, type Inspector } from "scenetree";
import { spawn } from "node:child_process";
import { formatTable, median, timePerIteration } from "./measure";

const NODES = 10_000;
const quick = process.argv.includes("--quick");
const SECONDS = quick ? 4 : 12;
const CHROMIUM = process.env.SCENETREE_CHROMIUM ?? "/usr/bin/chromium";

class Counter extends Node {
  count = 0;
  override _process(): void {
    this.count++;
  }
}

/** 100 groups of 100 processing nodes under one scene node (10,002 nodes with it and the root). */
function buildTree(): { tree: SceneTree; scene: Node } {
  const tree = new SceneTree();
  const scene = new Node("Scene");
  for (let g = 0; g < 100; g++) {
    const group = new Counter(`Group${g}`);
    for (let i = 0; i < 99; i++) group.addChild(new Counter(`N${i}`));
    scene.addChild(group);
  }
  tree.root.addChild(scene);
  return { tree, scene };
}

type State = "no inspector" | "inspector, no page" | "page open";
const STATES: State[] = ["no inspector", "inspector, no page", "page open"];

interface Window {
  state: State;
  frames: number;
  medianMs: number;
  p99Ms: number;
  cpuUsPerFrame: number;
}

/** Times every frame `run()` steps for `seconds`, and the process's CPU over the same span. */
async function measure(tree: SceneTree, state: State, seconds: number): Promise<Window> {
  const durations: number[] = [];
  const step = tree.step.bind(tree);
  tree.step = (delta: number) => {
    const start = performance.now();
    step(delta);
    durations.push(performance.now() - start);
  };
  const cpu = process.cpuUsage();
  await sleep(seconds * 1000);
  const used = process.cpuUsage(cpu);
  tree.step = step;
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    state,
    frames: durations.length,
    medianMs: median(durations),
    p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? NaN,
    cpuUsPerFrame: (used.user + used.system) / durations.length,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const rounds = quick ? 3 : 6;
  const { tree, scene } = buildTree();
  const running = tree.run({ fps: 60 });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-bench-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    userDataDir,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 860 });
  // Some churn, so an open page gets diffs as well as frame stats.
  const churn = setInterval(() => {
    const node = new Node("Visitor");
    scene.addChild(node);
    setTimeout(() => node.queueFree(), 500);
  }, 1000);

  const windows: Window[] = [];
  const opens: { loadMs: number; shownMs: number }[] = [];
  let inspector: Inspector | null = null;
  // The states take turns, so a machine whose load drifts weighs on all of them alike.
  for (let round = 0; round < rounds; round++) {
    for (const state of STATES) {
      await page.goto("about:blank");
      await inspector?.close();
      inspector = null;
      if (state !== "no inspector") inspector = await startInspector(tree);
      if (state === "page open") {
        const opening = performance.now();
        await page.goto(inspector!.url);
        const loaded = performance.now();
        // A string, not a function: tsx's helpers would not exist in the page.
        await page.waitForFunction(
          `document.querySelector('[data-testid="node-count"]')?.textContent === "${tree.getNodeCount()} nodes"` +
            ` && document.querySelector('.row[data-name="Group0"]') !== null`,
          { timeout: 60_000, polling: 10 },
        );
        opens.push({ loadMs: loaded - opening, shownMs: performance.now() - opening });
        await page.click('.row[data-name="Group0"]');
        await page.waitForSelector('[data-testid="details-name"]');
      }
      await sleep(1500); // settle: JIT, the snapshot's garbage
      windows.push(await measure(tree, state, SECONDS / 2));
    }
  }
  clearInterval(churn);
  await browser.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  await inspector?.close();
  tree.quit();
  await running;

  const summary = STATES.map((state) => {
    const mine = windows.filter((w) => w.state === state);
    return {
      state,
      frames: mine.reduce((sum, w) => sum + w.frames, 0),
      medianMs: median(mine.map((w) => w.medianMs)),
      p99Ms: median(mine.map((w) => w.p99Ms)),
      cpuUsPerFrame: median(mine.map((w) => w.cpuUsPerFrame)),
    };
  });
  const base = summary[0];
  const pct = (value: number, of: number) => `${((value / of - 1) * 100).toFixed(1)}%`;
  console.log(
    `inspector bench: ${(10_002).toLocaleString("en")} nodes, ${NODES.toLocaleString("en")} processing, ` +
      `60 fps; ${rounds} rounds of ${SECONDS / 2} s per state, medians of the rounds\n`,
  );
  console.log(
    formatTable(
      ["state", "frames", "frame median (ms)", "vs none", "frame p99 (ms)", "CPU/frame (µs)", "vs none"],
      summary.map((w) => [
        w.state,
        String(w.frames),
        w.medianMs,
        pct(w.medianMs, base.medianMs),
        w.p99Ms,
        w.cpuUsPerFrame,
        pct(w.cpuUsPerFrame, base.cpuUsPerFrame),
      ]),
    ),
  );
  const loads = opens.map((o) => o.loadMs);
  const shown = opens.map((o) => o.shownMs);
  console.log(
    `\npage open → all ${(10_002).toLocaleString("en")} nodes in the tree and rows drawn: median ` +
      `${median(shown).toFixed(0)} ms (of which page load ${median(loads).toFixed(0)} ms), ` +
      `${shown.map((ms) => ms.toFixed(0)).join(", ")} ms`,
  );
}

/** A page without a browser, in another process: says hello, selects a node, reads and drops updates. */
function startHeadlessPage(url: string): Promise<() => void> {
  const { port, hash } = new URL(url);
  const token = hash.replace(/^#token=/, "");
  const script = `
    const WebSocket = require("ws");
    const socket = new WebSocket("ws://127.0.0.1:${port}/ws", { headers: { Origin: "http://127.0.0.1:${port}" } });
    socket.on("open", () => socket.send(JSON.stringify({ t: "hello", token: ${JSON.stringify(token)} })));
    socket.on("message", (data) => {
      const message = JSON.parse(data.toString());
      if (message.t === "snapshot") {
        socket.send(JSON.stringify({ t: "select", id: message.nodes[3][0] }));
        process.stdout.write("ready\\n");
      }
    });
  `;
  const child = spawn(process.execPath, ["-e", script], { cwd: path.join(__dirname, "..") });
  return new Promise((resolve, reject) => {
    child.stdout.once("data", () => resolve(() => child.kill()));
    child.once("exit", (code) => reject(new Error(`headless page exited (${code})`)));
  });
}

/** `step()` alone, interleaved with and without an attached page; the inspector's batches run between. */
async function stepCost(): Promise<{ noneUs: number; pageUs: number }> {
  const { tree } = buildTree();
  const inspector = await startInspector(tree);
  const frame = () => tree.step(1 / 60);
  for (let i = 0; i < 200; i++) frame();
  const none: number[] = [];
  const withPage: number[] = [];
  for (let round = 0; round < (quick ? 4 : 10); round++) {
    for (let b = 0; b < 5; b++) none.push(timePerIteration(frame, 100, 1));
    const stop = await startHeadlessPage(inspector.url);
    await sleep(300);
    for (let b = 0; b < 5; b++) {
      withPage.push(timePerIteration(frame, 100, 1));
      await sleep(1); // let the inspector's batch timer run, outside the timed frames
    }
    stop();
    await sleep(300);
  }
  await inspector.close();
  tree.finalize();
  return { noneUs: median(none), pageUs: median(withPage) };
}

void main()
  .then(stepCost)
  .then(({ noneUs, pageUs }) => {
    console.log(
      `\nstep() of the same tree in a tight loop: ${noneUs.toFixed(1)} µs without a page, ` +
        `${pageUs.toFixed(1)} µs with one attached: ${((pageUs / noneUs - 1) * 100).toFixed(1)}% (goal < 5%)`,
    );
  });
