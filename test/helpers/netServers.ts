import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket, { WebSocketServer, type ServerOptions } from "ws";

/** A real `ws` server on 127.0.0.1 that records what it receives and can echo it back. */
export interface TestWsServer {
  readonly wss: WebSocketServer;
  readonly port: number;
  /** `ws://127.0.0.1:<port>/` (or wss:// for TLS servers). */
  readonly url: string;
  /** Server-side sockets currently connected, oldest first. */
  readonly sockets: WebSocket[];
  /** Every message received from any client, in arrival order. */
  readonly received: { text: string; isBinary: boolean }[];
  /** Close codes and reasons the server saw from its clients. */
  readonly closes: { code: number; reason: string }[];
  /** The next client connection (or the latest one if it arrived already and was not yet taken). */
  nextConnection(timeoutMs?: number): Promise<WebSocket>;
  /** Terminates every client and stops listening; resolves when the port is free. */
  close(): Promise<void>;
}

export interface TestWsServerOptions extends ServerOptions {
  /** Send every message back as it came (text stays text). Default true. */
  echo?: boolean;
  onConnection?: (socket: WebSocket) => void;
  /** Serve wss:// with this certificate and key. */
  tls?: { cert: string; key: string };
}

export async function startWsServer(options: TestWsServerOptions = {}): Promise<TestWsServer> {
  const { echo = true, onConnection, tls, port = 0, ...serverOptions } = options;
  const httpsServer = tls ? https.createServer({ cert: tls.cert, key: tls.key }) : undefined;
  const wss = httpsServer
    ? new WebSocketServer({ ...serverOptions, server: httpsServer })
    : new WebSocketServer({ ...serverOptions, host: "127.0.0.1", port });
  if (httpsServer) await listen(httpsServer, port);
  else await new Promise<void>((resolve, reject) => wss.once("listening", resolve).once("error", reject));

  const sockets: WebSocket[] = [];
  const received: { text: string; isBinary: boolean }[] = [];
  const closes: { code: number; reason: string }[] = [];
  const untaken: WebSocket[] = [];
  const waiters: ((socket: WebSocket) => void)[] = [];

  wss.on("connection", (socket) => {
    sockets.push(socket);
    socket.on("error", () => {}); // tests provoke protocol errors on purpose
    socket.on("message", (data, isBinary) => {
      received.push({ text: (data as Buffer).toString(), isBinary });
      if (echo && socket.readyState === WebSocket.OPEN) socket.send(data as Buffer, { binary: isBinary });
    });
    socket.on("close", (code, reason) => {
      closes.push({ code, reason: reason.toString() });
      sockets.splice(sockets.indexOf(socket), 1);
    });
    onConnection?.(socket);
    const waiter = waiters.shift();
    if (waiter) waiter(socket);
    else untaken.push(socket);
  });

  const address = (httpsServer ?? wss).address() as net.AddressInfo;
  return {
    wss,
    port: address.port,
    url: `${tls ? "wss" : "ws"}://127.0.0.1:${address.port}/`,
    sockets,
    received,
    closes,
    nextConnection(timeoutMs = 2000) {
      const ready = untaken.shift();
      if (ready) return Promise.resolve(ready);
      return withTimeout(
        new Promise<WebSocket>((resolve) => waiters.push(resolve)),
        timeoutMs,
        "a connection",
      );
    },
    async close() {
      for (const socket of [...wss.clients]) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (httpsServer) {
        httpsServer.closeAllConnections();
        await new Promise<void>((resolve) => httpsServer.close(() => resolve()));
      }
    },
  };
}

/** A TCP server that accepts connections and never says a word: an upgrade that never completes. */
export interface SilentTcpServer {
  readonly port: number;
  readonly url: string;
  /** Sockets accepted so far (destroyed ones included). */
  readonly accepted: net.Socket[];
  close(): Promise<void>;
}

export async function startSilentTcpServer(): Promise<SilentTcpServer> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    accepted.push(socket);
    socket.on("error", () => {});
    socket.resume(); // read and ignore the upgrade request, so a client hanging up is noticed
  });
  await listen(server, 0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    accepted,
    async close() {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, read, released): connecting to it is refused. */
export async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await listen(server, 0);
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A throwaway self-signed certificate for 127.0.0.1, made with the `openssl` command line.
 * No openssl means a thrown error and a failing test, never a silent skip.
 */
export function makeSelfSignedCertificate(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "scenetree-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "pipe" },
    );
    return {
      cert: readFileSync(join(dir, "cert.pem"), "utf8"),
      key: readFileSync(join(dir, "key.pem"), "utf8"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A plain TCP client of a server under test: what it received, and whether the server closed it. */
export interface RawClient {
  readonly socket: net.Socket;
  /** Everything received so far, as text (latin1, so bytes map 1:1). */
  text(): string;
  readonly closed: Promise<void>;
  isClosed(): boolean;
}

/**
 * Opens a raw TCP connection and writes `request` (nothing when empty). With `upgrade`, waits for the
 * server's 101 answer first. The caller destroys it (or the server does).
 */
export async function rawConnect(port: number, request = ""): Promise<RawClient> {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  const chunks: Buffer[] = [];
  let closed = false;
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  const closedPromise = new Promise<void>((resolve) =>
    socket.once("close", () => {
      closed = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  if (request !== "") socket.write(request);
  return {
    socket,
    text: () => Buffer.concat(chunks).toString("latin1"),
    closed: closedPromise,
    isClosed: () => closed,
  };
}

/** A WebSocket opening handshake written by hand, so the test controls the socket under it. */
export function upgradeRequest(path = "/"): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`
  );
}

/** A raw TCP client that completed the WebSocket handshake and then does nothing on its own. */
export async function rawWebSocket(port: number, path = "/"): Promise<RawClient> {
  const client = await rawConnect(port, upgradeRequest(path));
  await until(() => client.text().includes("\r\n\r\n") || client.isClosed(), 5000, "the 101 answer");
  if (!client.text().startsWith("HTTP/1.1 101")) throw new Error(`no upgrade: ${client.text()}`);
  return client;
}

/**
 * The `ws` readyState under a WebSocketPeer (private there; CLOSED once it let go of the socket), for
 * tests that must wait for the network without polling the peer, which would change what it shows.
 */
export function wsReadyState(peer: object | null | undefined): number {
  const socket = (peer as { socket?: { readyState: number } | null } | null | undefined)?.socket;
  return socket?.readyState ?? WebSocket.CLOSED;
}

/** Resolves once `predicate` holds, checking every few ms; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 2000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(2);
  }
}

/** Polls `peer` until `predicate` holds (Godot style: nothing changes between polls). */
export function pollUntil(
  peer: { poll(): void },
  predicate: () => boolean,
  what = "peer condition",
): Promise<void> {
  return until(
    () => {
      peer.poll();
      return predicate();
    },
    2000,
    what,
  );
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
