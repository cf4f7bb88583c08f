import * as http from "node:http";
import type * as net from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { delay } from "./netServers";

/** `SCENETREE_CHAOS_FULL=1` (npm run test:chaos) runs the full counts; npm test runs small ones. */
export const CHAOS_FULL = process.env.SCENETREE_CHAOS_FULL === "1";

/** Picks the npm-test count or the full one. */
export function scaled(small: number, full: number): number {
  return CHAOS_FULL ? full : small;
}

/**
 * The seed every chaos test starts from: `SCENETREE_CHAOS_SEED` when set (to replay a failure), else a
 * fixed one, so a run is reproducible. Tests print it in their failure messages.
 */
export const CHAOS_SEED = Number(process.env.SCENETREE_CHAOS_SEED ?? 0x5ce9e7) >>> 0;

/** mulberry32: a tiny seeded uniform source in [0, 1). Same seed, same sequence, on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max] from `random`. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * Listens for `uncaughtException` and `unhandledRejection` while a chaos test runs. Jest also fails a
 * test on either, through its own hooks; these listeners make the count an explicit assertion, and are
 * what catches them in child processes.
 */
export function watchProcessErrors(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (error: unknown): void => {
    errors.push(error);
  };
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return {
    errors,
    stop() {
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
    },
  };
}

/** Active handles and requests by kind (`TCPSocketWrap`, `Timeout`, ...), from `getActiveResourcesInfo`. */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * Waits (up to `timeoutMs`) until no kind of resource is more numerous than in `baseline`, and returns
 * what is still in excess: `{}` when nothing was left behind. Closing sockets takes a few ticks, hence
 * the wait.
 */
export async function leftBehind(
  baseline: Map<string, number>,
  timeoutMs = 2000,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const excess: Record<string, number> = {};
    for (const [kind, count] of activeResources()) {
      const extra = count - (baseline.get(kind) ?? 0);
      if (extra > 0) excess[kind] = extra;
    }
    if (Object.keys(excess).length === 0 || Date.now() > deadline) return excess;
    await delay(10);
  }
}

/**
 * A `ws` server that can be stopped and started again on the same port, as a server restarting under
 * its clients does. Each client says who it is in the URL path (`/<id>`); every text message is
 * recorded per client, in arrival order.
 */
export class FlappingServer {
  /** Text messages received, by client id (the URL path without its slash). */
  readonly received = new Map<string, string[]>();
  /** Server-side sockets currently connected. */
  readonly sockets = new Set<WebSocket>();
  connections = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private server: http.Server | null = null;
  private tcp = new Set<net.Socket>();
  port = 0;

  get up(): boolean {
    return this.server !== null;
  }

  url(id: string): string {
    return `ws://127.0.0.1:${this.port}/${id}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((_request, response) => response.writeHead(426).end());
    server.on("connection", (socket) => {
      this.tcp.add(socket);
      socket.on("close", () => this.tcp.delete(socket));
    });
    server.on("upgrade", (request, socket, head) => {
      // A connection accepted just before stop() must not be upgraded after it: stop() has already sent
      // its close frames, so this one would stay open until it is reset, losing what is in flight.
      if (this.server !== server) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request.url ?? "/"));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /**
   * Stops accepting, then ends every connection: with a close frame (`code`, the graceful restart a
   * real server does) or, when `code` is "reset", by destroying the TCP socket with no close frame.
   * Resolves once every connection is gone and the port is free.
   */
  async stop(code: number | "reset"): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const ws of this.sockets) {
      if (code === "reset") ws.terminate();
      else ws.close(code, "server restarting");
    }
    // A client that never answers the close frame is cut off, as ws itself would after 30 s.
    const deadline = Date.now() + 2000;
    while (this.tcp.size > 0 && Date.now() < deadline) await delay(2);
    for (const socket of this.tcp) socket.destroy();
    await closed;
  }

  private accept(ws: WebSocket, path: string): void {
    this.connections++;
    const id = path.slice(1);
    const log = this.received.get(id) ?? [];
    this.received.set(id, log);
    this.sockets.add(ws);
    ws.on("error", () => {});
    ws.on("message", (data, isBinary) => {
      if (!isBinary) log.push((data as Buffer).toString());
    });
    ws.on("close", () => this.sockets.delete(ws));
  }

  async dispose(): Promise<void> {
    await this.stop("reset");
    this.wss.close();
  }
}
