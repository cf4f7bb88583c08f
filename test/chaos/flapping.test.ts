import { ErrorCode } from "../../src/core/ErrorCode";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";
import type { UserCallbackError } from "../../src/core/errors";
import { WebSocketPeerState } from "../../src/net";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import {
  activeResources,
  between,
  CHAOS_FULL,
  CHAOS_SEED,
  FlappingServer,
  leftBehind,
  scaled,
  seededRandom,
  watchProcessErrors,
} from "../helpers/chaos";
import { delay, until } from "../helpers/netServers";

/**
 * A `ws` server stopped and started again at seeded random intervals while WebsocketClient nodes with
 * auto-reconnect keep sending numbered messages from `_process`. Replay a failure with
 * SCENETREE_CHAOS_SEED=<seed printed in the failure>.
 */

const RECONNECT_DELAY_MAX = 0.1;
/** Longest wait for the clients to settle after the last restart: a hang guard, not a timing. */
const SETTLE_MS = 20_000;
const TEST_TIMEOUT_MS = CHAOS_FULL ? 240_000 : 90_000;

/** What one client was asked to send, and what became of it. */
interface Ledger {
  node: WebsocketClient;
  next: number;
  /** Sequence numbers `send` returned OK for. */
  accepted: number[];
  /** Sequence numbers `send` refused at once (non-OK return). */
  refusedAtOnce: number[];
  /** Sequence numbers reported through `sendRefused` (at once or later, e.g. queue refused on close). */
  refusedBySignal: Set<number>;
  /** `reconnecting(attempt, delay)` delays, seconds. */
  delays: number[];
  /** What happened between attempts, in order: "closed", "reconnecting", "connecting". */
  steps: string[];
}

/** Sends 0..3 numbered text messages per client per frame while `sending` is on. */
class Driver extends Node {
  sending = true;
  constructor(
    private readonly ledgers: Ledger[],
    private readonly random: () => number,
  ) {
    super("Driver");
  }

  override _process(): void {
    if (!this.sending) return;
    for (const ledger of this.ledgers) {
      for (let k = between(this.random, 0, 3); k > 0; k--) send(ledger);
    }
  }
}

function send(ledger: Ledger): void {
  const seq = ledger.next++;
  const result = ledger.node.sendText(String(seq));
  if (result === ErrorCode.OK) ledger.accepted.push(seq);
  else ledger.refusedAtOnce.push(seq);
}

interface FlapRun {
  server: FlappingServer;
  ledgers: Ledger[];
  errors: UserCallbackError[];
  processErrors: unknown[];
  cycles: number;
}

async function flap(
  mode: "close frame" | "reset",
  seed: number,
  clients: number,
  cycles: number,
): Promise<FlapRun> {
  const random = seededRandom(seed);
  const server = new FlappingServer();
  await server.start();
  const errors: UserCallbackError[] = [];
  const tree = new SceneTree({ onError: (error) => errors.push(error) });
  const ledgers: Ledger[] = [];
  for (let i = 0; i < clients; i++) {
    const node = new WebsocketClient(`Client${i}`);
    Object.assign(node, {
      connectionUrl: server.url(String(i)),
      autoReconnect: true,
      reconnectDelay: 0.01,
      reconnectDelayMax: RECONNECT_DELAY_MAX,
      reconnectJitter: 0.5,
      minUptime: 0.05,
      connectTimeout: 1,
      // Small enough that a long outage fills it: refusals must then be visible.
      sendQueueLimit: 40,
    });
    node.random = seededRandom(seed + i + 1);
    const ledger: Ledger = {
      node,
      next: 0,
      accepted: [],
      refusedAtOnce: [],
      refusedBySignal: new Set(),
      delays: [],
      steps: [],
    };
    node.connect("sendRefused", (data) => ledger.refusedBySignal.add(Number(String(data))));
    node.connect("reconnecting", (_attempt, seconds) => {
      ledger.delays.push(seconds);
      ledger.steps.push("reconnecting");
    });
    node.connect("connectionClosed", () => ledger.steps.push("closed"));
    node.connect("connectionStateChanged", (state) => {
      if (state === WebSocketPeerState.CONNECTING) ledger.steps.push("connecting");
    });
    ledgers.push(ledger);
    tree.root.addChild(node);
  }
  const driver = new Driver(ledgers, seededRandom(seed ^ 0xabcdef));
  tree.root.addChild(driver);
  const running = tree.run({ fps: 120 });

  for (let cycle = 0; cycle < cycles; cycle++) {
    await delay(between(random, 30, 200));
    const code = mode === "reset" ? "reset" : [1001, 1012, 1000, 1013][between(random, 0, 3)];
    await server.stop(code);
    await delay(between(random, 5, 150));
    await server.start();
  }

  // Settle: stop sending, let every client reconnect and flush its queue, then a last batch.
  driver.sending = false;
  // Generous bounds (typically well under a second): they only stop a hang, they time nothing.
  await until(
    () => ledgers.every((l) => l.node.isOpen && l.node.queuedSendCount === 0),
    SETTLE_MS,
    `every client open with an empty queue (seed ${seed})`,
  );
  for (const ledger of ledgers) for (let k = 0; k < 5; k++) send(ledger);
  const expected = (l: Ledger) => l.accepted.filter((seq) => !l.refusedBySignal.has(seq));
  const arrived = (l: Ledger) => server.received.get(String(ledgers.indexOf(l)))?.length ?? 0;
  if (mode === "close frame")
    await until(
      () => ledgers.every((l) => arrived(l) >= expected(l).length),
      SETTLE_MS,
      `every message (seed ${seed})`,
    );
  else {
    const last = ledgers.map((l) => l.next - 1);
    await until(
      () => ledgers.every((l, i) => server.received.get(String(i))?.at(-1) === String(last[i])),
      SETTLE_MS,
      `the last batch (seed ${seed})`,
    );
  }
  await delay(20); // anything extra (a duplicate) would arrive now

  tree.quit(0);
  await running;
  await until(() => server.sockets.size === 0, SETTLE_MS, "the server to see every client leave");
  await server.dispose();
  return {
    server,
    ledgers,
    errors,
    processErrors: [],
    cycles,
  };
}

/**
 * The backoff as behaviour, not as wall-clock gaps (those depend on the machine's load; bench/ measures
 * reconnect times): every delay respects the cap, and every drop is followed by exactly one scheduled
 * retry before the next attempt starts, so no client reconnects unscheduled or stops retrying.
 */
function checkBackoff(run: FlapRun): { maxDelay: number; reconnects: number } {
  let maxDelay = 0;
  let reconnects = 0;
  for (const [i, ledger] of run.ledgers.entries()) {
    for (const seconds of ledger.delays) maxDelay = Math.max(maxDelay, seconds);
    const steps = ledger.steps;
    expect({ client: i, first: steps[0] }).toEqual({ client: i, first: "connecting" });
    for (let k = 1; k < steps.length; k++) {
      if (steps[k] !== "closed") continue;
      // tree.quit() closes the last connection for good: nothing follows that one.
      if (k === steps.length - 1) continue;
      expect({ client: i, at: k, next: steps.slice(k, k + 3) }).toEqual({
        client: i,
        at: k,
        next: ["closed", "reconnecting", "connecting"],
      });
      reconnects++;
    }
  }
  expect(maxDelay).toBeLessThanOrEqual(RECONNECT_DELAY_MAX);
  expect(reconnects).toBeGreaterThan(0);
  return { maxDelay, reconnects };
}

function report(name: string, run: FlapRun, extra: Record<string, unknown>): void {
  if (!CHAOS_FULL) return;
  const accepted = run.ledgers.reduce((n, l) => n + l.accepted.length, 0);
  const refused = run.ledgers.reduce((n, l) => n + l.refusedBySignal.size, 0);
  console.log(
    `${name}: ${run.cycles} cycles, ${run.ledgers.length} clients, ${run.server.connections} connections, ` +
      `${accepted} messages accepted, ${refused} refused visibly, ` +
      JSON.stringify(extra),
  );
}

describe(`flapping server (seed ${CHAOS_SEED})`, () => {
  let baseline: Map<string, number>;
  let watch: ReturnType<typeof watchProcessErrors>;

  beforeEach(() => {
    baseline = activeResources();
    watch = watchProcessErrors();
  });

  afterEach(() => watch.stop());

  test(
    "graceful restarts: every accepted message arrives exactly once and in order, or is refused visibly",
    async () => {
      const run = await flap("close frame", CHAOS_SEED, scaled(5, 20), scaled(12, 100));

      for (const [i, ledger] of run.ledgers.entries()) {
        const got = (run.server.received.get(String(i)) ?? []).map(Number);
        const expected = ledger.accepted.filter((seq) => !ledger.refusedBySignal.has(seq));
        expect({ client: i, got }).toEqual({ client: i, got: expected });
        // A non-OK return always came with the signal too.
        for (const seq of ledger.refusedAtOnce) expect(ledger.refusedBySignal.has(seq)).toBe(true);
        // Nothing was both delivered and refused.
        for (const seq of got) expect(ledger.refusedBySignal.has(seq)).toBe(false);
      }
      const figures = checkBackoff(run);
      // Clients did reconnect across the restarts (a short up-phase may end before a slow one is back).
      expect(run.server.connections).toBeGreaterThan(run.cycles * run.ledgers.length * 0.5);
      expect(run.errors).toEqual([]);
      expect(watch.errors).toEqual([]);
      expect(await leftBehind(baseline)).toEqual({});
      report("graceful", run, figures);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "TCP resets (no close frame): nothing duplicated or reordered; only messages in flight on the dead link can be lost",
    async () => {
      const run = await flap("reset", CHAOS_SEED + 1, scaled(3, 10), scaled(8, 100));
      let lost = 0;
      let accepted = 0;
      for (const [i, ledger] of run.ledgers.entries()) {
        const got = (run.server.received.get(String(i)) ?? []).map(Number);
        const deliverable = new Set(ledger.accepted.filter((seq) => !ledger.refusedBySignal.has(seq)));
        for (let k = 1; k < got.length; k++) expect(got[k]).toBeGreaterThan(got[k - 1]); // in order, once
        for (const seq of got) expect(deliverable.has(seq)).toBe(true); // only what send() accepted
        for (const seq of ledger.refusedAtOnce) expect(ledger.refusedBySignal.has(seq)).toBe(true);
        lost += deliverable.size - got.length;
        accepted += deliverable.size;
      }
      checkBackoff(run);
      expect(run.errors).toEqual([]);
      expect(watch.errors).toEqual([]);
      expect(await leftBehind(baseline)).toEqual({});
      report("reset", run, { lost, accepted });
    },
    TEST_TIMEOUT_MS,
  );
});
