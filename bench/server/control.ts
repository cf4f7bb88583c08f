/** The parent's side of the benchmark server: fork it, talk to it over IPC, kill it. */
import { fork, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { ServerCounts, ServerMode, ServerReply, ServerRequest } from "./server";

type Request = ServerRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;
type ReplyOf<T extends ServerRequest["type"]> = Extract<
  ServerReply,
  {
    type: {
      listen: "listening";
      flood: "flooded";
      received: "received";
      connections: "connections";
      counts: "counts";
      broadcast: "broadcasted";
      stop: "stopped";
    }[T];
  }
>;

/** TypeScript loader for the child: the same one `npm run bench` runs under. */
const TSX_CJS = require.resolve("tsx/cjs");
const SERVER_SCRIPT = path.join(__dirname, "server.ts");

/** Monotonic nanoseconds, comparable with the server's `atNs` (same machine clock). */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/**
 * A `sh -c` script that raises the soft limit on open files to `count` (else to the hard limit) and
 * then runs its arguments (`"$0" "$@"`) in its place: spawn("/bin/sh", ["-c", script, command, ...args]).
 */
export function withOpenFiles(count: number): string {
  return `ulimit -n ${Math.floor(count)} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;
}

export class BenchServer {
  port = 0;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (r: ServerReply) => void; reject: (e: Error) => void }
  >();
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exit = new Promise((resolve) => {
      child.once("exit", () => {
        this.exited = true;
        for (const { reject } of this.waiting.values()) reject(new Error("bench server exited"));
        this.waiting.clear();
        resolve();
      });
    });
    child.on("message", (reply: ServerReply) => {
      const entry = this.waiting.get(reply.id);
      if (!entry) return;
      this.waiting.delete(reply.id);
      if (reply.type === "error") entry.reject(new Error(`bench server: ${reply.message}`));
      else entry.resolve(reply);
    });
  }

  /**
   * Forks a server process and waits until it is ready for commands (not yet listening). With
   * `openFiles`, the server runs under `ulimit -n` of that many (or the hard limit, if lower): one
   * file descriptor per connection.
   */
  static async spawn(options: { openFiles?: number } = {}): Promise<BenchServer> {
    const child = options.openFiles
      ? spawn(
          "/bin/sh",
          ["-c", withOpenFiles(options.openFiles), process.execPath, "--require", TSX_CJS, SERVER_SCRIPT],
          { stdio: ["ignore", "inherit", "inherit", "ipc"] },
        )
      : fork(SERVER_SCRIPT, [], {
          execArgv: ["--require", TSX_CJS],
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        });
    const server = new BenchServer(child);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { type?: string }) => {
        if (m.type !== "ready") return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve();
      };
      const onExit = (code: number | null) => reject(new Error(`bench server exited early (${code})`));
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
    return server;
  }

  /** Spawns a server and starts it listening on a free port (or `port`). */
  static async start(mode: ServerMode, port = 0): Promise<BenchServer> {
    const server = await BenchServer.spawn();
    await server.listen(mode, port);
    return server;
  }

  request<T extends ServerRequest["type"]>(message: Request & { type: T }): Promise<ReplyOf<T>> {
    if (this.exited) return Promise.reject(new Error("bench server is not running"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (r: ServerReply) => void, reject });
      this.child.send({ ...message, id });
    });
  }

  /** Starts accepting; resolves with the monotonic time (ns) at which it did. */
  async listen(mode: ServerMode, port = 0, host?: string): Promise<bigint> {
    const reply = await this.request({ type: "listen", port, mode, host });
    this.port = reply.port;
    return BigInt(reply.atNs);
  }

  /** Waits until exactly `count` connections are open on the server (old ones finished closing). */
  async waitForConnections(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reply = await this.request({ type: "connections" });
      if (reply.count === count) return;
      if (Date.now() > deadline)
        throw new Error(`bench server: ${reply.count} connections open, expected ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** What the server counted: sessions, messages and payload bytes in and out. */
  async counts(): Promise<ServerCounts> {
    return (await this.request({ type: "counts" })).counts;
  }

  /** Sends `text` to every open connection; resolves with how many it went to. */
  async broadcast(text: string): Promise<number> {
    return (await this.request({ type: "broadcast", text })).connections;
  }

  /** The server process's pid (for its RSS and CPU time in /proc). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** SIGKILL: the process dies at once, its connections drop without a close frame. */
  async kill(): Promise<void> {
    if (!this.exited) this.child.kill("SIGKILL");
    await this.exit;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
    try {
      await this.request({ type: "stop" });
    } catch {
      // It may exit before its answer arrives: the exit is what we wait for.
    }
    await this.exit;
    clearTimeout(timer);
  }
}
