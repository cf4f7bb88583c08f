/** The echo server of bench/fleet-build.ts, in a process of its own: its CPU is not the clients'. */
import { WebSocketServer } from "ws";

const server = new WebSocketServer({ host: "127.0.0.1", port: 0, backlog: 65535 });
server.on("connection", (socket) =>
  socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })),
);
server.on("listening", () => {
  const address = server.address();
  process.send?.(typeof address === "object" && address !== null ? address.port : address);
});
