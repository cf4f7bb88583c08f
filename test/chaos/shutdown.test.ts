import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { activeResources, leftBehind } from "../helpers/chaos";
import { startWsServer, until } from "../helpers/netServers";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");
const CLIENTS = 100;

/**
 * A shutdown that hangs fails here; how fast a shutdown is belongs to bench/shutdown.ts. Typically the
 * process is gone and every socket closed well under a second after SIGTERM, so this is ten times that.
 */
const HANG_GUARD_MS = 10_000;

/**
 * Graceful shutdown of a real `scenetree run` process: SIGTERM with 100 open client nodes. Every socket
 * closes with 1001 "Going Away", the process exits 143 by itself, and nothing is printed as an
 * unhandled error.
 */
test(`SIGTERM to scenetree run with ${CLIENTS} open clients: every socket closes with 1001, exit 143`, async () => {
  const baseline = activeResources();
  const closes: number[] = [];
  const server = await startWsServer({ echo: false });
  server.wss.on("connection", (ws) => ws.on("close", (code) => closes.push(code)));
  const dir = mkdtempSync(path.join(tmpdir(), "scenetree-shutdown-"));
  const scene = path.join(dir, "clients.scene.json");
  writeFileSync(
    scene,
    JSON.stringify({
      format: 1,
      root: {
        name: "Clients",
        type: "Node",
        children: Array.from({ length: CLIENTS }, (_, i) => ({
          name: `Client${i}`,
          type: "WebsocketClient",
          props: { connectionUrl: server.url, autoReconnect: true },
        })),
      },
    }),
  );
  const child = spawn(process.execPath, [BIN, "run", scene, "--log-level", "error"], { cwd: ROOT });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  try {
    await until(() => server.sockets.length === CLIENTS, 30_000, `${CLIENTS} connections`);
    child.kill("SIGTERM");
    let guard: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      exited,
      new Promise<string>((resolve) => (guard = setTimeout(() => resolve("still running"), HANG_GUARD_MS))),
    ]);
    clearTimeout(guard);
    expect(exit).toEqual({ code: 143, signal: null });
    await until(() => closes.length === CLIENTS, HANG_GUARD_MS, "every close");
    expect(closes).toEqual(new Array(CLIENTS).fill(1001));
    expect(stderr).toBe("");
    expect(stdout).not.toMatch(/ERROR|Unhandled|uncaught/i);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    await exited;
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(await leftBehind(baseline)).toEqual({});
}, 90_000);
