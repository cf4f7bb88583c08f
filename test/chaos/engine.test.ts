import * as v8 from "node:v8";
import * as vm from "node:vm";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/scene/clock";
import type { UserCallbackError } from "../../src/scene/errors";
import { Timer } from "../../src/nodes/Timer";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { CHAOS_FULL, CHAOS_SEED, FlappingServer, between, scaled, seededRandom } from "../helpers/chaos";
import { delay, until } from "../helpers/netServers";

/**
 * A 24-hour soak compressed with the fake clock: one million frames (100,000 in npm test) of 86.4 ms,
 * with Timers, createTimer, deferred calls, queueFree and re-added nodes, and a WebsocketClient
 * reconnecting against a real server that keeps restarting (the fake clock drives its backoff). The
 * heap after GC must stay flat within 5% between the first and the last quarter.
 */

const FRAMES = scaled(100_000, 1_000_000);
const FRAME_MS = 86.4; // 1,000,000 frames of 86.4 ms = 24 h
const FPS = 1000 / FRAME_MS;
/** Frames run between two turns of the real event loop (where the socket's I/O happens). */
const CHUNK = 500;
const FLAP_EVERY_CHUNKS = 20;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Everything the soak counts, to show that the work really happened. */
interface Counts {
  timerTimeouts: number;
  sceneTimers: number;
  deferred: number;
  spawned: number;
  freed: number;
  readded: number;
  sent: number;
}

/** Each frame: deferred calls; now and then a createTimer, a spawned child with a Timer, a queueFree, a re-add. */
class Churn extends Node {
  private frame = 0;
  private parked: Node | null = null;
  constructor(
    private readonly counts: Counts,
    private readonly random: () => number,
    private readonly client: WebsocketClient,
  ) {
    super("Churn");
  }

  override _process(): void {
    const counts = this.counts;
    this.frame++;
    this.callDeferred(() => counts.deferred++);
    if (this.frame % 7 === 0) {
      const timer = this.getTree().createTimer(between(this.random, 1, 30) / 10);
      timer.connect("timeout", () => counts.sceneTimers++);
    }
    if (this.frame % 11 === 0) {
      const child = new Node(`Spawn${this.frame}`);
      const timer = Object.assign(new Timer("T"), { waitTime: 0.2, autostart: true });
      timer.connect("timeout", () => counts.timerTimeouts++);
      child.addChild(timer);
      this.addChild(child);
      counts.spawned++;
    }
    if (this.frame % 11 === 5 && this.getChildCount() > 8) {
      this.getChild(0)!.queueFree();
      counts.freed++;
    }
    if (this.frame % 17 === 0) {
      if (this.parked) {
        this.callDeferred("addChild", this.parked);
        this.parked = null;
        counts.readded++;
      } else if (this.getChildCount() > 2) {
        const child = this.getChild(1)!;
        this.removeChild(child);
        this.parked = child;
      }
    }
    if (this.frame % 12 === 0) {
      this.client.sendText(`frame ${this.frame}`);
      counts.sent++;
    }
  }

  override _exitTree(): void {
    this.parked?.free();
    this.parked = null;
  }
}

test(
  `soak: ${FRAMES.toLocaleString("en")} frames (${((FRAMES * FRAME_MS) / 3_600_000).toFixed(1)} h of tree time) with timers, deferred calls, churn and reconnects; heap flat within 5%`,
  async () => {
    const random = seededRandom(CHAOS_SEED);
    const server = new FlappingServer();
    await server.start();
    const clock = new TestClock();
    const errors: UserCallbackError[] = [];
    const tree = new SceneTree({ clock, onError: (error) => errors.push(error) });
    const counts: Counts = {
      timerTimeouts: 0,
      sceneTimers: 0,
      deferred: 0,
      spawned: 0,
      freed: 0,
      readded: 0,
      sent: 0,
    };

    const heartbeat = Object.assign(new Timer("Heartbeat"), { waitTime: 0.5, autostart: true });
    heartbeat.connect("timeout", () => counts.timerTimeouts++);
    tree.root.addChild(heartbeat);
    const client = new WebsocketClient("Client");
    Object.assign(client, {
      connectionUrl: server.url("soak"),
      autoReconnect: true,
      reconnectJitter: 0.3,
      minUptime: 5,
      connectTimeout: 0, // attempts span fake-time chunks; real I/O happens between them
      sendQueueLimit: 64,
    });
    client.random = seededRandom(CHAOS_SEED + 7);
    let reconnects = 0;
    client.connect("connectionEstablished", () => reconnects++);
    tree.root.addChild(client);
    tree.root.addChild(new Churn(counts, random, client));
    const running = tree.run({ fps: FPS });

    const chunks = Math.ceil(FRAMES / CHUNK);
    const quarter = Math.floor(chunks / 4);
    const heap: number[] = [];
    let flaps = 0;
    let maxNodes = 0;
    let maxPending = 0;
    const started = performance.now();
    for (let chunk = 0; chunk < chunks; chunk++) {
      clock.advance(CHUNK * FRAME_MS);
      await delay(1); // the socket's real I/O
      if (chunk % FLAP_EVERY_CHUNKS === FLAP_EVERY_CHUNKS - 1) {
        if (server.up) await server.stop(1012);
        else await server.start();
        flaps++;
      }
      maxNodes = Math.max(maxNodes, countNodes(tree.root));
      maxPending = Math.max(maxPending, clock.pendingCount);
      if (chunk === quarter || chunk === chunks - 1) heap.push(heapAfterGc());
    }
    const elapsed = performance.now() - started;
    expect(tree.getFrame()).toBeGreaterThanOrEqual(FRAMES - 1);

    // The client comes back once the server is up for good.
    await server.start();
    await until(
      () => {
        clock.advance(1000);
        return client.isOpen;
      },
      5000,
      "the final reconnect",
    );
    tree.quit(0);
    clock.advance(1000);
    await running;
    await until(() => server.sockets.size === 0, 2000, "the client to leave");
    await server.dispose();

    const drift = (heap[1] - heap[0]) / heap[0];
    if (CHAOS_FULL)
      console.log(
        `soak: ${FRAMES} frames in ${(elapsed / 1000).toFixed(1)} s, ${flaps} server restarts, ${reconnects} connections, ` +
          `heap ${(heap[0] / 1e6).toFixed(1)} MB → ${(heap[1] / 1e6).toFixed(1)} MB (${(drift * 100).toFixed(2)}%), ` +
          `max nodes ${maxNodes}, max pending clock tasks ${maxPending}, ${JSON.stringify(counts)}`,
      );
    expect(errors).toEqual([]);
    // Growth is what a leak looks like. The heap may also shrink when this file shares a jest worker with
    // suites that ran before it (V8 later flushes their unused code); that is not the soak's doing.
    expect(drift).toBeLessThan(0.05);
    // Bounded: the churn keeps the tree small and the clock's queue short.
    expect(maxNodes).toBeLessThan(64);
    expect(maxPending).toBeLessThan(256);
    // The work happened.
    expect(reconnects).toBeGreaterThanOrEqual(Math.floor(flaps / 2));
    expect(counts.spawned).toBeGreaterThan(FRAMES / 12);
    expect(counts.readded).toBeGreaterThan(FRAMES / 40);
    expect(counts.freed).toBeGreaterThan(FRAMES / 12);
    expect(counts.deferred).toBe(tree.getFrame());
    expect(counts.sceneTimers).toBeGreaterThan(FRAMES / 8);
  },
  CHAOS_FULL ? 600_000 : 60_000,
);

function countNodes(node: Node): number {
  let count = 1;
  for (const child of node.getChildren()) count += countNodes(child);
  return count;
}
