/**
 * Offline sends: while the server is down (killed; a new one listens on the same port 500 ms later),
 * each client sends 100 numbered text messages, right after it has seen its connection drop. The new
 * server records every message per connection; we then check, per client, that all 100 arrived, each
 * exactly once, in order. Clients without a queue are reported as they behave, not failed: raw ws
 * discards a send on a closed socket without telling the caller.
 *
 *   npx tsx bench/ws-offline-sends.ts [--quick]
 */
import { formatTable } from "./measure";
import { CLIENT_KINDS, RECONNECTING_KINDS, type ClientKind } from "./clients";
import { runOutage } from "./outage";
import { runStandalone, selectKinds, type BenchOptions, type PerKind } from "./wsCommon";

export interface OfflineOutcome {
  sent: number;
  /** How many send() calls reported the message as sent or accepted (queued) rather than refused. */
  accepted: number;
  delivered: number;
  distinct: number;
  duplicates: number;
  inOrder: boolean;
  reconnected: boolean;
  /** All sent, each delivered exactly once, in order. */
  ok: boolean;
}

export interface OfflineResult {
  messages: number;
  perKind: PerKind<OfflineOutcome>;
}

export async function main(options: BenchOptions = {}): Promise<OfflineResult> {
  const tiny = options.tiny ?? false;
  const messages = tiny ? 10 : 100;
  const kinds = selectKinds(CLIENT_KINDS, options);
  const accepted: PerKind<number> = {};
  const outcome = await runOutage({
    kinds,
    mode: "record",
    holdMs: 0,
    downMs: tiny ? 50 : 500,
    reopenTimeoutMs: tiny ? 3_000 : 15_000,
    tuning: tiny ? { reconnectDelay: 0.1 } : undefined,
    whileDown: (clients) => {
      for (const { kind, client } of clients) {
        let count = 0;
        for (let i = 0; i < messages; i++) {
          // Our send() reports "queued" as success; the others return nothing useful offline, so count
          // a message as accepted unless the library throws or says it refused it.
          try {
            const sentNow = client.send(`${kind}|${i}`);
            if (sentNow || kind !== "ws") count++;
          } catch {
            // refused
          }
        }
        accepted[kind] = count;
      }
    },
  });
  const perKind: OfflineResult["perKind"] = {};
  for (const c of outcome.clients) {
    const prefix = `${c.kind}|`;
    const got = outcome.received.flat().filter((m) => m.startsWith(prefix));
    const numbers = got.map((m) => Number(m.slice(prefix.length)));
    const distinct = new Set(numbers).size;
    const inOrder = numbers.every((n, i) => i === 0 || n > numbers[i - 1]);
    const complete = numbers.length === messages && numbers.every((n, i) => n === i);
    perKind[c.kind] = {
      sent: messages,
      accepted: accepted[c.kind] ?? 0,
      delivered: numbers.length,
      distinct,
      duplicates: numbers.length - distinct,
      inOrder,
      reconnected: c.opens.length > 1,
      ok: complete,
    };
  }
  // Loud failure: a client that queues must deliver everything exactly once and in order (ours must).
  for (const kind of ["scenetree", "scenetree-core"] as ClientKind[]) {
    const r = perKind[kind];
    if (r && !r.ok)
      throw new Error(
        `offline sends: ${kind} delivered ${r.delivered}/${messages} (${r.duplicates} duplicates, in order: ${r.inOrder})`,
      );
  }
  return { messages, perKind };
}

export function report(result: OfflineResult): string {
  const rows = CLIENT_KINDS.filter((kind) => result.perKind[kind]).map((kind) => {
    const r = result.perKind[kind] as OfflineOutcome;
    const verdict = r.ok
      ? "all delivered once, in order"
      : kind === "ws"
        ? "no queue: sends on a closed socket are dropped silently"
        : RECONNECTING_KINDS.includes(kind)
          ? "FAILED"
          : "–";
    return [
      kind,
      `${r.delivered}/${r.sent}`,
      String(r.duplicates),
      r.delivered ? (r.inOrder ? "yes" : "NO") : "–",
      r.reconnected ? "yes" : "no",
      verdict,
    ];
  });
  return [
    `offline sends: ${result.messages} messages sent while the server was down`,
    formatTable(["client", "delivered", "duplicates", "in order", "reconnected", "outcome"], rows),
  ].join("\n");
}

if (require.main === module) runStandalone(main, report);
