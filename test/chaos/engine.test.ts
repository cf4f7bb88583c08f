import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";
import type { UserCallbackError } from "../../src/core/errors";
import { Timer } from "../../src/nodes/Timer";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { CHAOS_FULL, CHAOS_SEED, FlappingServer, between, scaled, seededRandom } from "../helpers/chaos";
import { delay, until } from "../helpers/netServers";

/**
 * A 24-hour soak compressed with the fake clock: 1,080,000 frames of 80 ms (100,000 in npm test), with
 * Timers, createTimer, deferred calls, queueFree and re-added nodes, and a WebsocketClient reconnecting
 * against a real server that keeps restarting (the fake clock drives its backoff). Everything asserted
 * is behaviour and counts, exact where the engine decides them: no wall-clock figure is checked here
 * (heap growth over a soak is measured by `npm run bench`, scenario "soak").
 */

const FRAMES = scaled(100_000, 1_080_000);
/** 12.5 fps: a whole number of milliseconds per frame, so every frame's due time is exact. */
const FRAME_MS = 80;
const FPS = 1000 / FRAME_MS;
/** Frames run between two turns of the real event loop (where the socket's I/O happens). */
const CHUNK = 500;
const FLAP_EVERY_CHUNKS = 20;
/** Fake time run per poll while waiting for the real socket: whole frames, so frames stay countable. */
const POLL_MS = 10 * FRAME_MS;

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
  `soak: ${FRAMES.toLocaleString("en")} frames (${((FRAMES * FRAME_MS) / 3_600_000).toFixed(1)} h of tree time) with timers, deferred calls, churn and reconnects`,
  async () => {
    const random = seededRandom(CHAOS_SEED);
    const server = new FlappingServer();
    await server.start();
    let serverStarts = 1;
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
    let heartbeats = 0;
    heartbeat.connect("timeout", () => heartbeats++);
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
    let connections = 0;
    client.connect("connectionEstablished", () => connections++);
    tree.root.addChild(client);
    tree.root.addChild(new Churn(counts, random, client));
    const running = tree.run({ fps: FPS });

    let fakeMs = 0;
    const advance = (ms: number): void => {
      clock.advance(ms);
      fakeMs += ms;
    };
    /** Runs fake time in whole frames until the real socket reaches `state`. */
    const untilClient = (open: boolean, what: string): Promise<void> =>
      until(
        () => {
          if (client.isOpen === open) return true;
          advance(POLL_MS);
          return false;
        },
        10_000,
        what,
      );

    await untilClient(true, "the first connection");
    const chunks = Math.ceil(FRAMES / CHUNK);
    let maxNodes = 0;
    let maxPending = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      advance(CHUNK * FRAME_MS);
      await delay(1); // the socket's real I/O
      if (chunk % FLAP_EVERY_CHUNKS === FLAP_EVERY_CHUNKS - 1) {
        if (server.up) {
          await server.stop(1012);
          await untilClient(false, "the client to see the restart");
        } else {
          await server.start();
          serverStarts++;
          await untilClient(true, "the client to reconnect");
        }
      }
      maxNodes = Math.max(maxNodes, countNodes(tree.root));
      maxPending = Math.max(maxPending, clock.pendingCount);
    }
    if (!server.up) {
      await server.start();
      serverStarts++;
      await untilClient(true, "the final reconnect");
    }

    // A frame at t = 0, then one every 80 ms of fake time, exactly: no frame lost or doubled.
    const frames = fakeMs / FRAME_MS + 1;
    expect(tree.getFrame()).toBe(frames);
    expect(fakeMs).toBeGreaterThanOrEqual(FRAMES * FRAME_MS);
    // Every frame's deferred call ran; the churn's periodic work happened on exactly its frames.
    expect(counts.deferred).toBe(frames);
    expect(counts.spawned).toBe(Math.floor(frames / 11));
    expect(counts.sent).toBe(Math.floor(frames / 12));
    // The 0.5 s heartbeat Timer fired once per 0.5 s of tree time (give or take the frame where the
    // sum of 80 ms deltas lands exactly on a timeout).
    const timeouts = Math.floor((frames * (FRAME_MS / 1000)) / 0.5);
    expect(heartbeats).toBeLessThanOrEqual(timeouts);
    expect(heartbeats).toBeGreaterThanOrEqual(timeouts - 1);
    // One connection per time the server came up: the client always came back, and only once.
    expect(connections).toBe(serverStarts);
    expect(serverStarts).toBeGreaterThan(Math.floor(chunks / FLAP_EVERY_CHUNKS / 2));

    tree.quit(0);
    clock.advance(1000);
    await running;
    await until(() => server.sockets.size === 0, 10_000, "the client to leave");
    await server.dispose();

    if (CHAOS_FULL)
      console.log(
        `soak: ${frames} frames, ${serverStarts} server starts, ${connections} connections, ` +
          `${heartbeats} heartbeats, max nodes ${maxNodes}, max pending clock tasks ${maxPending}, ${JSON.stringify(counts)}`,
      );
    expect(errors).toEqual([]);
    // Bounded: the churn keeps the tree small and the clock's queue short.
    expect(maxNodes).toBeLessThan(64);
    expect(maxPending).toBeLessThan(256);
    // The work happened.
    expect(counts.readded).toBeGreaterThan(frames / 40);
    expect(counts.freed).toBeGreaterThan(frames / 12);
    expect(counts.sceneTimers).toBeGreaterThan(frames / 8);
    expect(counts.timerTimeouts).toBeGreaterThan(frames / 12);
  },
  // A hang guard only: more than ten times the typical run on a loaded machine.
  CHAOS_FULL ? 1_800_000 : 120_000,
);

function countNodes(node: Node): number {
  let count = 1;
  for (const child of node.getChildren()) count += countNodes(child);
  return count;
}
