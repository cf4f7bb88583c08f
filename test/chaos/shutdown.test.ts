import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { activeResources, CHAOS_FULL, leftBehind } from "../helpers/chaos";
import { startWsServer, until } from "../helpers/netServers";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");
const CLIENTS = 100;

/**
 * Graceful shutdown of a real `scenetree run` process: SIGTERM with 100 open client nodes. Every socket
 * must close with 1001 "Going Away" within one second, the process must exit 143, and nothing may be
 * printed as an unhandled error.
 */
test(`SIGTERM to scenetree run with ${CLIENTS} open clients: every socket closes with 1001 within 1 s, exit 143`, async () => {
  const baseline = activeResources();
  const closes: { code: number; at: number }[] = [];
  const server = await startWsServer({ echo: false });
  server.wss.on("connection", (ws) => ws.on("close", (code) => closes.push({ code, at: performance.now() })));
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
    await until(() => server.sockets.length === CLIENTS, 15_000, `${CLIENTS} connections`);
    const signalledAt = performance.now();
    child.kill("SIGTERM");
    const exit = await exited;
    await until(() => closes.length === CLIENTS, 2000, "every close");

    expect(exit).toEqual({ code: 143, signal: null });
    expect(closes.map((c) => c.code)).toEqual(new Array(CLIENTS).fill(1001));
    const slowest = Math.max(...closes.map((c) => c.at - signalledAt));
    expect(slowest).toBeLessThan(1000);
    if (CHAOS_FULL)
      console.log(`shutdown: ${CLIENTS} sockets closed with 1001, slowest ${slowest.toFixed(0)} ms`);
    expect(stderr).toBe("");
    expect(stdout).not.toMatch(/ERROR|Unhandled|uncaught/i);
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    await exited;
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  expect(await leftBehind(baseline)).toEqual({});
}, 30_000);
