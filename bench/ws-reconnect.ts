/**
 * Reconnect: the server process is killed after the connection has been up for 5.5 s (longer than
 * every client's 5 s `minUptime`, so each starts its backoff afresh, as after any long-lived
 * connection), and a new one listens on the same port 500 ms later. Measured per client: time from
 * the restart (the moment the new server started listening) to the client's next OPEN, and from the
 * kill to that OPEN. Every client keeps its default settings:
 *
 *   scenetree               first retry at once, then 1 s doubling (cap 30 s): retries at 0 s, 1 s…
 *   partysocket             first retry after minReconnectionDelay = 3 s, then x1.3 (cap 10 s)
 *   reconnecting-websocket  first retry after 1–5 s (random, drawn once per process), then x1.3
 *
 * so restart-to-open is what a user waits for after the server is back. Raw ws does not reconnect.
 *
 *   npx tsx bench/ws-reconnect.ts [--quick]
 */
import { formatTable, median } from "./measure";
import { RECONNECTING_KINDS } from "./clients";
import { runOutage } from "./outage";
import { ms, ratio, runStandalone, selectKinds, spread, type BenchOptions, type PerKind } from "./wsCommon";

const DOWN_MS = 500;

export interface ReconnectResult {
  rounds: number;
  downMs: number;
  perKind: PerKind<{
    restartToOpenMs: number;
    killToOpenMs: number;
    samples: number[];
    /** Delays the client scheduled during the outage (s), where it tells: shows the backoff. */
    delays: number[];
    failures: number;
  }>;
}

export async function main(options: BenchOptions = {}): Promise<ReconnectResult> {
  const tiny = options.tiny ?? false;
  const rounds = tiny ? 1 : options.quick ? 1 : 3;
  const kinds = selectKinds(RECONNECTING_KINDS, options);
  const restart: PerKind<number[]> = {};
  const kill: PerKind<number[]> = {};
  const delays: PerKind<number[]> = {};
  const failures: PerKind<number> = {};
  for (let round = 0; round < rounds; round++) {
    const outcome = await runOutage({
      kinds,
      mode: "quiet",
      holdMs: tiny ? 0 : 5_500,
      downMs: tiny ? 50 : DOWN_MS,
      reopenTimeoutMs: tiny ? 3_000 : 15_000,
      tuning: tiny ? { reconnectDelay: 0.1 } : undefined,
    });
    for (const c of outcome.clients) {
      const reopen = c.opens[1];
      if (reopen === undefined) {
        failures[c.kind] = (failures[c.kind] ?? 0) + 1;
        continue;
      }
      (restart[c.kind] ??= []).push(ms(reopen - outcome.restartNs));
      (kill[c.kind] ??= []).push(ms(reopen - outcome.killNs));
      delays[c.kind] = [...c.client.scheduledDelays];
    }
  }
  if (tiny && Object.keys(failures).length > 0)
    throw new Error(`reconnect: no reconnect for ${Object.keys(failures).join(", ")}`);
  const perKind: ReconnectResult["perKind"] = {};
  for (const kind of kinds) {
    const r = restart[kind] ?? [];
    perKind[kind] = {
      restartToOpenMs: r.length ? median(r) : NaN,
      killToOpenMs: (kill[kind] ?? []).length ? median(kill[kind] ?? []) : NaN,
      samples: r,
      delays: delays[kind] ?? [],
      failures: failures[kind] ?? 0,
    };
  }
  return { rounds, downMs: tiny ? 50 : DOWN_MS, perKind };
}

export function report(result: ReconnectResult): string {
  const base = result.perKind.partysocket?.restartToOpenMs;
  const rows = RECONNECTING_KINDS.filter((kind) => result.perKind[kind]).map((kind) => {
    const r = result.perKind[kind];
    return [
      kind,
      r ? r.restartToOpenMs : "–",
      r ? spread(r.samples) : "–",
      ratio(r?.restartToOpenMs, base),
      r ? r.killToOpenMs : "–",
      r && r.delays.length ? r.delays.join(", ") : "(not reported)",
      r ? String(r.failures) : "–",
    ];
  });
  rows.push(["ws", "no reconnection", "–", "–", "–", "–", "–"]);
  return [
    `reconnect: server killed, listening again ${result.downMs} ms later; median of ${result.rounds} rounds`,
    formatTable(
      [
        "client",
        "restart → OPEN (ms)",
        "range",
        "vs partysocket",
        "kill → OPEN (ms)",
        "retry delays (s)",
        "no reconnect",
      ],
      rows,
    ),
  ].join("\n");
}

if (require.main === module) runStandalone(main, report);
