import * as http from "node:http";
import type * as net from "node:net";

/** An HTTP server on 127.0.0.1 that answers every WebSocket upgrade with a fixed status, no 101. */
export interface RefusingServer {
  readonly url: string;
  /** Upgrade requests seen, in order: their path and headers. */
  readonly upgrades: { url: string; headers: http.IncomingHttpHeaders }[];
  /** Changes the status later upgrades are answered with. */
  setStatus(status: number): void;
  close(): Promise<void>;
}

export async function startRefusingServer(status: number): Promise<RefusingServer> {
  const server = http.createServer((_req, res) => res.writeHead(400).end());
  const sockets = new Set<net.Socket>();
  const upgrades: RefusingServer["upgrades"] = [];
  let answer = status;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("upgrade", (req, socket) => {
    upgrades.push({ url: req.url ?? "", headers: req.headers });
    const text = http.STATUS_CODES[answer] ?? "Refused";
    socket.end(`HTTP/1.1 ${answer} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    upgrades,
    setStatus: (next) => void (answer = next),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
