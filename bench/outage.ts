/**
 * A server outage shared by the reconnect and offline-sends benchmarks: every client connects to a
 * server process, the process is SIGKILLed (connections drop without a close frame, as in a crash),
 * and a second process, started beforehand so its start-up time does not count, begins listening on
 * the same port exactly `downMs` later. All clients live through the same outage at once: their
 * timers run side by side and cost next to no CPU, so they do not disturb each other.
 */
import { ClientHost, type BenchClient, type ClientKind, type ClientTuning } from "./clients";
import { BenchServer, nowNs } from "./server/control";
import type { ServerMode } from "./server/server";
import { deferred, ms, sleep, withTimeout, type Deferred } from "./wsCommon";

export interface OutageClient {
  kind: ClientKind;
  client: BenchClient;
  /** Monotonic ns of every open, the first included. */
  opens: bigint[];
  /** Monotonic ns of every close or failed attempt. */
  closes: bigint[];
  firstOpen: Deferred<void>;
  firstClose: Deferred<void>;
  reopened: Deferred<void>;
}

export interface OutagePlan {
  kinds: ClientKind[];
  mode: ServerMode;
  /** How long the connection stays up before the kill (past every client's minUptime: 5 s). */
  holdMs: number;
  /** Kill to listening again. */
  downMs: number;
  /** Runs once every client has seen its connection drop, while the server is still down. */
  whileDown?: (clients: OutageClient[]) => void;
  /** Give up waiting for a reconnect after this long. */
  reopenTimeoutMs: number;
  tuning?: ClientTuning;
}

export interface OutageOutcome {
  clients: OutageClient[];
  killNs: bigint;
  restartNs: bigint;
  /** What the restarted server recorded, per connection (mode "record"). */
  received: string[][];
}

export async function runOutage(plan: OutagePlan): Promise<OutageOutcome> {
  const server = await BenchServer.start(plan.mode);
  const standby = await BenchServer.spawn();
  const host = new ClientHost();
  const clients: OutageClient[] = [];
  try {
    for (const kind of plan.kinds) {
      const entry: OutageClient = {
        kind,
        client: null as unknown as BenchClient,
        opens: [],
        closes: [],
        firstOpen: deferred(),
        firstClose: deferred(),
        reopened: deferred(),
      };
      entry.client = host.create(
        kind,
        server.url,
        {
          open: () => {
            entry.opens.push(nowNs());
            if (entry.opens.length === 1) entry.firstOpen.resolve();
            else entry.reopened.resolve();
          },
          close: () => {
            entry.closes.push(nowNs());
            entry.firstClose.resolve();
          },
        },
        plan.tuning,
      );
      clients.push(entry);
    }
    await withTimeout(Promise.all(clients.map((c) => c.firstOpen.promise)), 10_000, "every client opening");
    await server.waitForConnections(clients.length);
    await sleep(plan.holdMs);

    const killNs = nowNs();
    await server.kill();
    await withTimeout(
      Promise.all(clients.map((c) => c.firstClose.promise)),
      5_000,
      "every client seeing the drop",
    );
    plan.whileDown?.(clients);
    await sleep(Math.max(0, plan.downMs - ms(nowNs() - killNs)));
    const restartNs = await standby.listen(plan.mode, server.port);

    const reconnecting = clients.filter((c) => c.kind !== "ws");
    await Promise.all(
      reconnecting.map((c) =>
        withTimeout(c.reopened.promise, plan.reopenTimeoutMs, `${c.kind} reconnecting`).catch(
          () => undefined,
        ),
      ),
    );
    // Let queued messages that went out with the open reach the server.
    await sleep(plan.mode === "record" ? 300 : 0);
    const received = plan.mode === "record" ? (await standby.request({ type: "received" })).messages : [];
    return { clients, killNs, restartNs, received };
  } finally {
    await host.dispose();
    await server.kill();
    await standby.stop();
  }
}
