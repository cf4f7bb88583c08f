import * as http from "node:http";
import WebSocket from "ws";
import type { Inspector } from "../../src/inspector";

/** The pieces of an inspector URL: `http://HOST:PORT/#token=TOKEN`. */
export function partsOf(inspector: Inspector): { origin: string; host: string; token: string } {
  const url = new URL(inspector.url);
  return { origin: url.origin, host: url.host, token: url.hash.replace(/^#token=/, "") };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP request to the inspector, with any headers (Host and Origin included). */
export function httpGet(
  inspector: Inspector,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port: inspector.port, path, method, headers },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

type Message = { t: string } & Record<string, unknown>;

/** A page without a browser: a raw socket that keeps every message and can wait for one. */
export class PageClient {
  readonly messages: Message[] = [];
  closed: { code: number; reason: string } | null = null;
  private nextReq = 1;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.messages.push(JSON.parse(data.toString()) as Message);
      this.wake();
    });
    socket.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  /** Opens the socket; `hello` sends the token first (default: the right one). */
  static async open(
    inspector: Inspector,
    options: { token?: string | null; origin?: string | null; host?: string } = {},
  ): Promise<PageClient> {
    const parts = partsOf(inspector);
    const headers: Record<string, string> = {};
    const origin = options.origin === undefined ? parts.origin : options.origin;
    if (origin !== null) headers.Origin = origin;
    if (options.host) headers.Host = options.host;
    const socket = new WebSocket(`ws://127.0.0.1:${inspector.port}/ws`, { headers });
    const client = new PageClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    const token = options.token === undefined ? parts.token : options.token;
    if (token !== null) client.send({ t: "hello", token });
    return client;
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Sends a message that gets a `result` and waits for it. */
  async request(message: object): Promise<Message> {
    const req = this.nextReq++;
    this.send({ ...message, req });
    return this.waitFor((m) => m.t === "result" && m.req === req);
  }

  /** The first message (from `from` on) that matches, waiting for it if needed. */
  async waitFor(match: (m: Message) => boolean, from = 0, timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (this.closed) throw new Error(`socket closed (${this.closed.code} ${this.closed.reason})`);
      if (Date.now() > deadline) throw new Error("no matching message in time");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("socket still open");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.closed;
  }

  close(): void {
    this.socket.terminate();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** What a refused WebSocket handshake answered (its HTTP status). */
export function refusedUpgrade(
  inspector: Inspector,
  headers: Record<string, string>,
  path = "/ws",
): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${inspector.port}${path}`, { headers });
    socket.on("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on("open", () => {
      socket.terminate();
      reject(new Error("the handshake was accepted"));
    });
    socket.on("error", () => {});
  });
}
