import { TestClock } from "../../src/core/clock";
import { ErrorCode } from "../../src/core/ErrorCode";
import { ReconnectingSocket, type ReconnectingSocketOptions } from "../../src/net/ReconnectingSocket";
import { startWsServer, unusedPort, until, type TestWsServer } from "../helpers/netServers";

const servers: TestWsServer[] = [];
const sockets: ReconnectingSocket[] = [];

function newSocket(options: Partial<ReconnectingSocketOptions>): ReconnectingSocket {
  const socket = new ReconnectingSocket(options);
  sockets.push(socket);
  return socket;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.dispose();
  for (const server of servers.splice(0)) await server.close();
});

describe("ReconnectingSocket read-outs (what an inspector shows)", () => {
  test("messagesSent and messagesReceived count what went out and came in, queued sends included", async () => {
    const server = await startWsServer();
    servers.push(server);
    const socket = newSocket({ url: server.url, clock: new TestClock() });
    expect([socket.messagesSent, socket.messagesReceived]).toEqual([0, 0]);
    socket.open();
    expect(socket.send("queued")).toBe(ErrorCode.OK); // still connecting: held, not yet sent
    expect(socket.messagesSent).toBe(0);
    await until(() => socket.isOpen, 2000, "open");
    expect(socket.messagesSent).toBe(1);
    socket.send("a");
    socket.send(Uint8Array.from([1]));
    await until(() => socket.messagesReceived === 3, 2000, "three echoes");
    expect(socket.messagesSent).toBe(3);
    expect(server.received.map((m) => m.text)).toEqual(["queued", "a", "\x01"]);
  });

  test("lastCloseCode and lastCloseReason describe the last attempt that ended", async () => {
    const server = await startWsServer();
    servers.push(server);
    const socket = newSocket({ url: server.url, clock: new TestClock(), autoReconnect: false });
    expect(socket.lastCloseCode).toBeNull();
    expect(socket.lastCloseReason).toBe("");
    socket.open();
    const peer = await server.nextConnection();
    await until(() => socket.isOpen, 2000, "open");
    peer.close(4003, "kicked");
    await until(() => socket.isClosed, 2000, "closed");
    expect(socket.lastCloseCode).toBe(4003);
    expect(socket.lastCloseReason).toBe("kicked");
  });

  test("attemptCount and nextRetryAt follow the backoff on the socket's clock", async () => {
    const port = await unusedPort();
    const clock = new TestClock(1000);
    const socket = newSocket({ url: `ws://127.0.0.1:${port}/`, clock, reconnectDelay: 2 });
    expect(socket.attemptCount).toBe(0);
    expect(socket.nextRetryAt).toBeNull();
    socket.open();
    expect(socket.attemptCount).toBe(1);
    await until(() => socket.reconnectPending, 2000, "first retry scheduled");
    expect(socket.nextRetryAt).toBe(1000 + 2000);
    clock.advance(2000);
    expect(socket.attemptCount).toBe(2);
    expect(socket.nextRetryAt).toBeNull(); // the retry is under way
    await until(() => socket.reconnectPending, 2000, "second retry scheduled");
    expect(socket.nextRetryAt).toBe(3000 + 4000);
    socket.close();
    expect(socket.nextRetryAt).toBeNull();
  });
});
