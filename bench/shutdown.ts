/**
 * Shutdown: a real `scenetree run` process with 100 open WebsocketClient nodes gets SIGTERM. Measured per
 * round: ms from the signal to the process exit, and to the last of the 100 sockets closed with 1001 as
 * the server saw it. The test (test/chaos/shutdown.test.ts) only checks that a shutdown does not hang;
 * how fast it is lives here.
 *
 *   npx tsx bench/shutdown.ts [--quick]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { WebSocketServer } from "ws";
import type { AddressInfo } from "node:net";
import { formatTable, median } from "./measure";
import { runStandalone, sleep, withTimeout, type BenchOptions } from "./wsCommon";

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");

export interface ShutdownResult {
  clients: number;
  rounds: number;
  exitMs: number[];
  lastCloseMs: number[];
  /** Rounds where a socket closed with anything but 1001, or the exit code was not 143. */
  failures: number;
}

export async function main(options: BenchOptions = {}): Promise<ShutdownResult> {
  const clients = options.tiny ? 10 : 100;
  const rounds = options.tiny ? 1 : options.quick ? 2 : 5;
  const result: ShutdownResult = { clients, rounds, exitMs: [], lastCloseMs: [], failures: 0 };
  for (let round = 0; round < rounds; round++) {
    const { exitMs, lastCloseMs, ok } = await oneRound(clients);
    result.exitMs.push(exitMs);
    result.lastCloseMs.push(lastCloseMs);
    if (!ok) result.failures++;
  }
  return result;
}

async function oneRound(clients: number): Promise<{ exitMs: number; lastCloseMs: number; ok: boolean }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
  let open = 0;
  const codes: number[] = [];
  let lastCloseAt = 0;
  wss.on("connection", (ws) => {
    open++;
    ws.on("close", (code) => {
      codes.push(code);
      lastCloseAt = performance.now();
    });
  });
  const dir = mkdtempSync(path.join(tmpdir(), "scenetree-bench-shutdown-"));
  const scene = path.join(dir, "clients.scene.json");
  writeFileSync(
    scene,
    JSON.stringify({
      format: 1,
      root: {
        name: "Clients",
        type: "Node",
        children: Array.from({ length: clients }, (_, i) => ({
          name: `Client${i}`,
          type: "WebsocketClient",
          props: { connectionUrl: url, autoReconnect: true },
        })),
      },
    }),
  );
  const child = spawn(process.execPath, [BIN, "run", scene, "--log-level", "error"], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (open < clients) {
      if (Date.now() > deadline) throw new Error(`only ${open} of ${clients} clients connected`);
      await sleep(5);
    }
    const signalledAt = performance.now();
    child.kill("SIGTERM");
    const code = await withTimeout(exited, 30_000, "the process to exit");
    const exitMs = performance.now() - signalledAt;
    const closeDeadline = Date.now() + 30_000;
    while (codes.length < clients && Date.now() < closeDeadline) await sleep(2);
    return {
      exitMs,
      lastCloseMs: lastCloseAt - signalledAt,
      ok: code === 143 && codes.length === clients && codes.every((c) => c === 1001),
    };
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    await exited;
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

export function report(result: ShutdownResult): string {
  const fmt = (values: number[]): string =>
    `${median(values).toFixed(0)} (max ${Math.max(...values).toFixed(0)})`;
  return [
    `shutdown: SIGTERM to scenetree run with ${result.clients} open clients, ${result.rounds} rounds (ms)`,
    formatTable(
      ["signal → exit", "signal → last 1001 close", "failed rounds"],
      [[fmt(result.exitMs), fmt(result.lastCloseMs), String(result.failures)]],
    ),
  ].join("\n");
}

if (require.main === module) runStandalone(main, report);
