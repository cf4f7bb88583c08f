import { createHash } from "node:crypto";
import * as net from "node:net";
import WebSocket from "ws";
import { TestClock } from "../../src/core/clock";
import { ErrorCode } from "../../src/core/ErrorCode";
import { QUEUED_WRITE_BYTES, WebSocketPeer, WebSocketPeerState } from "../../src/net/WebSocketPeer";
import {
  makeSelfSignedCertificate,
  startWsServer,
  pollUntil,
  unusedPort,
  until,
  type TestWsServer,
} from "../helpers/netServers";

const { CONNECTING, OPEN, CLOSING, CLOSED } = WebSocketPeer.State;

let server: TestWsServer | undefined;
const peers: WebSocketPeer[] = [];

function newPeer(options: ConstructorParameters<typeof WebSocketPeer>[0] = {}): WebSocketPeer {
  const peer = new WebSocketPeer(options);
  peers.push(peer);
  return peer;
}

async function connectedPeer(
  url: string,
  options: ConstructorParameters<typeof WebSocketPeer>[0] = {},
): Promise<WebSocketPeer> {
  const peer = newPeer(options);
  expect(peer.connectToUrl(url)).toBe(ErrorCode.OK);
  await pollUntil(peer, () => peer.getReadyState() === OPEN, "OPEN");
  return peer;
}

/** Reads every visible packet as [text, wasString]. */
function drain(peer: WebSocketPeer): [string, boolean][] {
  const packets: [string, boolean][] = [];
  while (peer.getAvailablePacketCount() > 0) {
    const packet = peer.getPacket();
    packets.push([packet.toString(), peer.wasStringPacket()]);
  }
  return packets;
}

afterEach(async () => {
  for (const peer of peers.splice(0)) peer.abort("test over");
  await server?.close();
  server = undefined;
});

describe("WebSocketPeer", () => {
  test("exposes Godot's enum values, also under the class name", () => {
    expect([CONNECTING, OPEN, CLOSING, CLOSED]).toEqual([0, 1, 2, 3]);
    expect(WebSocketPeer.State).toBe(WebSocketPeerState);
    expect([WebSocketPeer.WriteMode.TEXT, WebSocketPeer.WriteMode.BINARY]).toEqual([0, 1]);
    const state: WebSocketPeer.State = WebSocketPeer.State.OPEN;
    expect(state).toBe(1);
  });

  test("connects, and what happened becomes visible only through poll()", async () => {
    server = await startWsServer();
    const peer = newPeer();
    let activity = 0;
    peer.on("activity", () => activity++);
    expect(peer.connectToUrl(server.url)).toBe(ErrorCode.OK);
    expect(peer.getReadyState()).toBe(CONNECTING);
    expect(peer.getRequestedUrl()).toBe(server.url);

    await until(() => activity > 0, 2000, "activity after the handshake");
    expect(peer.getReadyState()).toBe(CONNECTING); // not polled yet
    peer.poll();
    expect(peer.getReadyState()).toBe(OPEN);
    expect(peer.hasConnected()).toBe(true);
  });

  test("echoes text and binary with message boundaries and text flags kept", async () => {
    server = await startWsServer();
    const peer = await connectedPeer(server.url);
    expect(peer.sendText("hello")).toBe(ErrorCode.OK);
    expect(peer.putPacket(Uint8Array.from([104, 105]))).toBe(ErrorCode.OK);
    expect(peer.send("")).toBe(ErrorCode.OK); // empty binary message
    expect(peer.send(new TextEncoder().encode("as text"), WebSocketPeer.WriteMode.TEXT)).toBe(ErrorCode.OK);
    expect(peer.send(Uint8Array.from([1, 2, 3]).buffer)).toBe(ErrorCode.OK);

    await pollUntil(peer, () => peer.getAvailablePacketCount() === 5, "5 echoes");
    const first = peer.getPacket();
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(first.toString()).toBe("hello");
    expect(peer.wasStringPacket()).toBe(true);
    expect(drain(peer)).toEqual([
      ["hi", false],
      ["", false],
      ["as text", true],
      ["\x01\x02\x03", false],
    ]);
    expect(peer.getPacket()).toEqual(Buffer.alloc(0));
    expect(server.received.map((m) => [m.text, m.isBinary])).toEqual([
      ["hello", false],
      ["hi", true],
      ["", true],
      ["as text", false],
      ["\x01\x02\x03", true],
    ]);
  });

  test("the other side's close frame is activity at once, CLOSING then; CLOSED with its code once answered, while its TCP stays open", async () => {
    server = await startWsServer({ echo: false });
    const peer = await connectedPeer(server.url);
    const serverSide = (await server.nextConnection()) as unknown as {
      _socket: { pause(): void; write(data: Buffer): void; destroyed: boolean };
    };
    const seen: WebSocketPeerState[] = [];
    peer.on("activity", () => {
      peer.poll();
      seen.push(peer.getReadyState());
    });
    // A close frame (4000 "bye") written under the server's ws, which then reads nothing: the client's
    // answer is never seen, so the TCP connection stays open (a peer that holds it, as Godot 3 can).
    serverSide._socket.pause();
    serverSide._socket.write(Buffer.from([0x88, 0x05, 0x0f, 0xa0, 0x62, 0x79, 0x65]));
    await until(() => seen.length > 0, 2000, "activity on the close frame");
    expect(seen[0]).toBe(CLOSING);
    // As Godot 4's peer: CLOSED once both close frames are exchanged, not when the other side lets go.
    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
    expect([peer.getCloseCode(), peer.getCloseReason()]).toEqual([4000, "bye"]);
    expect(serverSide._socket.destroyed).toBe(false);
  });

  test("a close reason's trailing NUL (Godot 3 sends its C string's) is dropped; other bytes are kept", async () => {
    server = await startWsServer({ echo: false });
    for (const [sent, seen] of [
      ["bye\0", "bye"],
      ["a\0b", "a\0b"],
      ["", ""],
    ]) {
      const peer = await connectedPeer(server.url);
      const serverSide = await server.nextConnection();
      serverSide.close(4000, sent);
      await pollUntil(peer, () => peer.getReadyState() === CLOSED, "closed");
      expect([peer.getCloseCode(), peer.getCloseReason()]).toEqual([4000, seen]);
    }
  });

  test("activity is signalled once per batch and re-armed by poll()", async () => {
    server = await startWsServer({ echo: false });
    const peer = await connectedPeer(server.url);
    const serverSide = await server.nextConnection();
    let activity = 0;
    peer.on("activity", () => activity++);
    serverSide.send("a");
    serverSide.send("b");
    serverSide.send("c");
    await until(() => activity > 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(activity).toBe(1);
    expect(peer.getAvailablePacketCount()).toBe(0);
    peer.poll();
    expect(drain(peer).map(([text]) => text)).toEqual(["a", "b", "c"]);
    serverSide.send("d");
    await until(() => activity === 2);
  });

  test("offers subprotocols and extra headers; reports the selected protocol", async () => {
    let seenHeader: string | undefined;
    server = await startWsServer({
      handleProtocols: (offered) => (offered.has("v2") ? "v2" : false),
      verifyClient: (info: { req: { headers: Record<string, string | string[] | undefined> } }) => {
        seenHeader = info.req.headers["x-token"] as string | undefined;
        return true;
      },
    });
    const peer = newPeer();
    expect(peer.connectToUrl(server.url, { protocols: ["v1", "v2"], headers: { "X-Token": "abc" } })).toBe(
      ErrorCode.OK,
    );
    await pollUntil(peer, () => peer.getReadyState() === OPEN);
    expect(peer.getSelectedProtocol()).toBe("v2");
    expect(seenHeader).toBe("abc");
  });

  test("close() is CLOSING at once and ends with the echoed code and reason", async () => {
    server = await startWsServer();
    const peer = await connectedPeer(server.url);
    expect(peer.close(4001, "done")).toBe(ErrorCode.OK);
    expect(peer.getReadyState()).toBe(CLOSING);
    expect(peer.sendText("late")).toBe(ErrorCode.FAILED);
    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
    expect(peer.getCloseCode()).toBe(4001);
    expect(peer.getCloseReason()).toBe("done");
    await until(() => server!.closes.length === 1);
    expect(server.closes[0]).toEqual({ code: 4001, reason: "done" });
  });

  test("a message sent just before the peer's close frame stays readable after CLOSED", async () => {
    server = await startWsServer({
      onConnection: (socket) => {
        socket.send("last words");
        socket.send(Buffer.from([7]));
        socket.close(4000, "bye");
      },
    });
    const peer = newPeer();
    peer.connectToUrl(server.url);
    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
    expect(peer.hasConnected()).toBe(true);
    expect(peer.getCloseCode()).toBe(4000);
    expect(peer.getCloseReason()).toBe("bye");
    expect(drain(peer)).toEqual([
      ["last words", true],
      ["\x07", false],
    ]);
  });

  test("a link dropped without a close frame reports close code -1", async () => {
    server = await startWsServer({ onConnection: (socket) => setTimeout(() => socket.terminate(), 5) });
    const peer = newPeer();
    peer.connectToUrl(server.url);
    // Open and drop may both land between two polls on a loaded machine: OPEN need not be seen.
    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
    expect(peer.hasConnected()).toBe(true);
    expect(peer.getCloseCode()).toBe(-1);
    expect(peer.getCloseReason()).not.toBe("");
  });

  test("a refused connection ends CLOSED with -1 and the reason, without throwing", async () => {
    const port = await unusedPort();
    const peer = newPeer();
    expect(peer.connectToUrl(`ws://127.0.0.1:${port}/`)).toBe(ErrorCode.OK);
    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
    expect(peer.hasConnected()).toBe(false);
    expect(peer.getCloseCode()).toBe(-1);
    expect(peer.getCloseReason()).toMatch(/ECONNREFUSED/);
  });

  test.each([
    ["not a url", /invalid URL/],
    ["", /invalid URL/],
    ["http://127.0.0.1:1/", /scheme/],
  ])("bad URL %j gives ERR_INVALID_PARAMETER and a reason", (url, reason) => {
    const peer = newPeer();
    expect(peer.connectToUrl(url)).toBe(ErrorCode.ERR_INVALID_PARAMETER);
    expect(peer.getReadyState()).toBe(CLOSED);
    expect(peer.getCloseReason()).toMatch(reason);
  });

  test("an invalid subprotocol gives ERR_INVALID_PARAMETER instead of a throw", () => {
    const peer = newPeer();
    expect(peer.connectToUrl("ws://127.0.0.1:1/", { protocols: ["has space"] })).toBe(
      ErrorCode.ERR_INVALID_PARAMETER,
    );
    expect(peer.getReadyState()).toBe(CLOSED);
  });

  test("misuse while not open gives error codes, never exceptions", async () => {
    const peer = newPeer();
    expect(peer.send("x")).toBe(ErrorCode.FAILED); // Godot's _send: FAILED unless OPEN
    expect(peer.sendText("x")).toBe(ErrorCode.FAILED);
    expect(peer.putPacket(new Uint8Array(1))).toBe(ErrorCode.FAILED);
    expect(peer.getPacket().length).toBe(0);
    expect(peer.getPacketError()).toBe(ErrorCode.ERR_UNAVAILABLE);
    expect([peer.getConnectedHost(), peer.getConnectedPort()]).toEqual(["", 0]);
    expect(peer.close()).toBe(ErrorCode.OK);
    expect(peer.getCurrentOutboundBufferedAmount()).toBe(0);
    expect(peer.getCloseCode()).toBe(-1);

    server = await startWsServer();
    const open = await connectedPeer(server.url);
    expect(open.connectToUrl(server.url)).toBe(ErrorCode.ERR_ALREADY_IN_USE);
    expect(open.close(1006)).toBe(ErrorCode.ERR_INVALID_PARAMETER);
    expect(open.close(1000, "x".repeat(124))).toBe(ErrorCode.ERR_INVALID_PARAMETER);
    expect(open.getReadyState()).toBe(OPEN);
  });

  test("as Godot's connect_to_url: no scheme is ws://, a fragment is left out, CONNECTING is ERR_ALREADY_IN_USE", async () => {
    server = await startWsServer();
    const peer = newPeer();
    expect(peer.connectToUrl(`127.0.0.1:${server.port}/room#lobby`)).toBe(ErrorCode.OK);
    expect(peer.getRequestedUrl()).toBe(`127.0.0.1:${server.port}/room#lobby`);
    expect(peer.connectToUrl(server.url)).toBe(ErrorCode.ERR_ALREADY_IN_USE);
    await pollUntil(peer, () => peer.getReadyState() === OPEN, "OPEN");
    expect(peer.getConnectedHost()).toBe("127.0.0.1");
    expect(peer.getConnectedPort()).toBe(server.port);
    peer.setNoDelay(true);
    const bad = newPeer();
    expect(bad.connectToUrl("http://127.0.0.1:1/")).toBe(ErrorCode.ERR_INVALID_PARAMETER);
    expect(bad.getRequestedUrl()).toBe(""); // Godot clears the peer before it parses the URL
  });

  test("nothing is sendable or selected before a poll makes the state OPEN, as in Godot", async () => {
    server = await startWsServer({ handleProtocols: () => "chat" });
    const peer = newPeer();
    const opened = new Promise<void>((resolve) => peer.once("activity", () => resolve()));
    expect(peer.connectToUrl(server.url, { protocols: ["chat"] })).toBe(ErrorCode.OK);
    await opened; // the client's side has opened, but nothing polled it
    expect(peer.getReadyState()).toBe(CONNECTING);
    expect(peer.getSelectedProtocol()).toBe("");
    expect(peer.sendText("early")).toBe(ErrorCode.FAILED);
    peer.poll();
    expect([peer.getReadyState(), peer.getSelectedProtocol()]).toEqual([OPEN, "chat"]);
    expect(peer.putPacket(new Uint8Array(0))).toBe(ErrorCode.OK); // an empty packet sends nothing
    expect(peer.sendText("now")).toBe(ErrorCode.OK);
    await until(() => server!.received.length === 1);
    expect(server.received).toEqual([{ text: "now", isBinary: false }]);
  });

  test("close(-1) and close() while CONNECTING are CLOSED at once (code -1); a peer CLOSING may connect again", async () => {
    server = await startWsServer();
    const open = await connectedPeer(server.url);
    expect(open.close(-1)).toBe(ErrorCode.OK);
    expect([open.getReadyState(), open.getCloseCode()]).toEqual([CLOSED, -1]);
    const connecting = newPeer();
    connecting.connectToUrl(server.url);
    expect(connecting.close()).toBe(ErrorCode.OK);
    expect([connecting.getReadyState(), connecting.getCloseCode()]).toEqual([CLOSED, -1]);
    const closing = await connectedPeer(server.url);
    closing.close(1000);
    expect(closing.getReadyState()).toBe(CLOSING);
    expect(closing.connectToUrl(server.url)).toBe(ErrorCode.OK);
    await pollUntil(closing, () => closing.getReadyState() === OPEN, "OPEN again");
  });

  test("can connect again after CLOSED; old packets are discarded", async () => {
    server = await startWsServer({ onConnection: (socket) => socket.close(4000, "again") });
    const peer = newPeer();
    peer.connectToUrl(server.url);
    await pollUntil(peer, () => peer.getReadyState() === CLOSED);
    expect(peer.connectToUrl(server.url)).toBe(ErrorCode.OK);
    expect(peer.getReadyState()).toBe(CONNECTING);
    expect(peer.getCloseCode()).toBe(-1);
    await pollUntil(peer, () => peer.getReadyState() === CLOSED);
    expect(peer.getCloseCode()).toBe(4000);
  });

  test("a message in up to 16,384 fragments arrives whole; one more fragment closes with 1008", async () => {
    server = await startWsServer({ echo: false });
    const peer = await connectedPeer(server.url);
    const sendInFragments = (fragments: number): void => {
      const serverSide = server!.sockets[0];
      for (let i = 0; i < fragments; i++) serverSide.send("x", { fin: i === fragments - 1 });
    };
    sendInFragments(16_384);
    await pollUntil(peer, () => peer.getAvailablePacketCount() === 1, "the fragmented message");
    expect(peer.getPacket().length).toBe(16_384);
    sendInFragments(16_385);
    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
    expect(peer.getCloseCode()).toBe(1008);
    expect(peer.getAvailablePacketCount()).toBe(0);
  });

  /**
   * A peer connected to a hand-written server: `answer` gets the client's upgrade request and writes
   * the reply (so tests can send what no real server would). Resolves once the peer is CLOSED.
   */
  async function closedAgainst(
    answer: (socket: net.Socket, request: string) => void,
  ): Promise<WebSocketPeer> {
    const tcp = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", (request) => answer(socket, request.toString()));
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    try {
      const peer = newPeer();
      expect(peer.connectToUrl(`ws://127.0.0.1:${(tcp.address() as net.AddressInfo).port}/`)).toBe(
        ErrorCode.OK,
      );
      await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
      return peer;
    } finally {
      tcp.close();
    }
  }

  const SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";

  test("a 101 answer with a wrong Sec-WebSocket-Accept is refused: CLOSED, getHttpStatus() 101", async () => {
    const peer = await closedAgainst((socket) =>
      socket.write(`${SWITCHING}Sec-WebSocket-Accept: not-the-digest\r\n\r\n`),
    );
    expect([peer.getCloseCode(), peer.getCloseReason(), peer.getHttpStatus()]).toEqual([
      -1,
      "Invalid Sec-WebSocket-Accept header",
      101,
    ]);
  });

  test("a compressed message that does not inflate closes with 1007, as it was closed", async () => {
    // The server agrees to permessage-deflate, then sends a text frame with RSV1 set whose payload is
    // not DEFLATE data ("hi").
    const peer = await closedAgainst((socket, request) => {
      const key = /sec-websocket-key: *(\S+)/i.exec(request)![1];
      const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
      socket.write(
        `${SWITCHING}Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n`,
      );
      socket.write(Buffer.from([0xc1, 0x02, 0x68, 0x69]));
    });
    expect(peer.getCloseCode()).toBe(1007);
  });

  test("a message larger than inboundBufferSize closes with 1009 and says why", async () => {
    server = await startWsServer({
      onConnection: (socket) => {
        socket.send(Buffer.alloc(1024, 1)); // exactly the limit: accepted
        socket.send(Buffer.alloc(1025, 2));
      },
    });
    const peer = newPeer({ inboundBufferSize: 1024 });
    peer.connectToUrl(server.url);
    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
    expect(peer.getCloseCode()).toBe(1009);
    expect(peer.getCloseReason()).toMatch(/inboundBufferSize \(1024 bytes\)/);
    expect(peer.getAvailablePacketCount()).toBe(1);
    expect(peer.getPacket().length).toBe(1024);
    await until(() => server!.closes.length === 1);
    expect(server.closes[0].code).toBe(1009);
  });

  test("a message larger than inboundBufferSize from a server that then holds the connection: CLOSED with 1009 once our close frame is out", async () => {
    server = await startWsServer({
      onConnection: (socket) => {
        socket.send(Buffer.alloc(1025, 2));
        // Reads nothing more: our close frame is never answered, the TCP connection never closed.
        (socket as unknown as { _socket: { pause(): void } })._socket.pause();
      },
    });
    const peer = newPeer({ inboundBufferSize: 1024 });
    peer.connectToUrl(server.url);
    await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED while the server holds on");
    expect(peer.getCloseCode()).toBe(1009);
    expect(peer.getCloseReason()).toMatch(/inboundBufferSize \(1024 bytes\)/);
    expect(server.sockets).toHaveLength(1); // the server still holds its side
  });

  test("a full incoming queue pauses the socket instead of dropping, and resumes when drained", async () => {
    const total = 48;
    const size = 64 * 1024;
    server = await startWsServer({
      onConnection: (socket) => {
        for (let i = 0; i < total; i++) {
          const message = Buffer.alloc(size, i);
          message.writeUInt32BE(i, 0);
          socket.send(message);
        }
      },
    });
    const peer = newPeer({ maxQueuedPackets: 8 });
    peer.connectToUrl(server.url);
    await pollUntil(peer, () => peer.isInboundPaused(), "the peer to pause reading");
    await new Promise((resolve) => setTimeout(resolve, 30));
    peer.poll();
    // One socket chunk may carry the end of a message or two past the limit; nothing like all 48.
    expect(peer.getAvailablePacketCount()).toBeGreaterThanOrEqual(8);
    expect(peer.getAvailablePacketCount()).toBeLessThan(12);

    const order: number[] = [];
    let sawResume = false;
    await pollUntil(
      peer,
      () => {
        while (peer.getAvailablePacketCount() > 0) {
          const packet = peer.getPacket();
          expect(packet.length).toBe(size);
          order.push(packet.readUInt32BE(0));
          if (!peer.isInboundPaused()) sawResume = true;
        }
        return order.length === total;
      },
      "every message",
    );
    expect(sawResume).toBe(true);
    expect(order).toEqual([...Array(total).keys()]);
  });

  test("the incoming queue is bounded in bytes too: maxQueuedBytes pauses reading, nothing is dropped", async () => {
    const total = 48;
    const size = 64 * 1024;
    const maxQueuedBytes = 256 * 1024;
    server = await startWsServer({
      onConnection: (socket) => {
        for (let i = 0; i < total; i++) {
          const message = Buffer.alloc(size, i);
          message.writeUInt32BE(i, 0);
          socket.send(message);
        }
      },
    });
    // The packet count alone (4096) would hold all 48; the byte bound holds 4.
    const peer = newPeer({ maxQueuedBytes });
    expect(peer.maxQueuedPackets).toBe(4096);
    peer.connectToUrl(server.url);
    await pollUntil(peer, () => peer.isInboundPaused(), "the peer to pause reading");
    await new Promise((resolve) => setTimeout(resolve, 30));
    peer.poll();
    // What one socket read already delivered may land past the bound; nothing like all 3 MiB.
    expect(peer.getQueuedBytes()).toBeGreaterThanOrEqual(maxQueuedBytes);
    expect(peer.getQueuedBytes()).toBeLessThan(maxQueuedBytes + 4 * size);
    expect(peer.getQueuedBytes()).toBe(peer.getAvailablePacketCount() * size);

    const order: number[] = [];
    let sawResume = false;
    await pollUntil(
      peer,
      () => {
        while (peer.getAvailablePacketCount() > 0) {
          order.push(peer.getPacket().readUInt32BE(0));
          if (!peer.isInboundPaused()) sawResume = true;
        }
        return order.length === total;
      },
      "every message",
    );
    expect(sawResume).toBe(true);
    expect(order).toEqual([...Array(total).keys()]);
    expect(peer.getQueuedBytes()).toBe(0);
  });

  test("outboundBufferSize: a peer that does not read makes send() refuse with ERR_OUT_OF_MEMORY", async () => {
    server = await startWsServer({
      echo: false,
      onConnection: (socket) => (socket as unknown as { _socket: import("node:net").Socket })._socket.pause(),
    });
    const limit = 256 * 1024;
    const peer = await connectedPeer(server.url, { outboundBufferSize: limit });
    await until(() => server!.sockets.length === 1);
    const chunk = Buffer.alloc(64 * 1024, 7);
    let result = ErrorCode.OK;
    let sent = 0;
    // The kernel's socket buffers take a few MiB first; then bytes pile up in ours, up to the limit.
    while (result === ErrorCode.OK && sent < 4000) {
      result = peer.send(chunk);
      if (result === ErrorCode.OK) sent++;
    }
    expect(result).toBe(ErrorCode.ERR_OUT_OF_MEMORY);
    expect(peer.getCurrentOutboundBufferedAmount()).toBeGreaterThan(0);
    expect(peer.getCurrentOutboundBufferedAmount()).toBeLessThanOrEqual(limit);
    // A string is measured as UTF-8: 30,000 three-byte characters do not fit where 30,000 bytes might.
    const room = limit - peer.getCurrentOutboundBufferedAmount();
    expect(peer.sendText("€".repeat(Math.ceil(room / 3) + 1))).toBe(ErrorCode.ERR_OUT_OF_MEMORY);
    expect(peer.getReadyState()).toBe(OPEN); // refusing is all the peer does; the owner decides
  });

  test("outboundBufferSize: messages ws holds back while it compresses count as the writes they will be", async () => {
    // permessage-deflate compresses one message at a time and queues every later send behind it, inside
    // ws: none of them is a write in the socket yet, and each costs ~220 bytes however small it is.
    server = await startWsServer({
      echo: false,
      perMessageDeflate: true,
      onConnection: (socket) => (socket as unknown as { _socket: import("node:net").Socket })._socket.pause(),
    });
    const limit = 1024 * 1024;
    const peer = await connectedPeer(server.url, { outboundBufferSize: limit });
    await until(() => server!.sockets.length === 1);
    expect(peer.sendText("y".repeat(4096))).toBe(ErrorCode.OK); // being compressed: later sends queue in ws
    let accepted = 0;
    let result = ErrorCode.OK;
    while (result === ErrorCode.OK && accepted < 100_000) {
      result = peer.sendText("x");
      if (result === ErrorCode.OK) accepted++;
    }
    expect(result).toBe(ErrorCode.ERR_OUT_OF_MEMORY);
    // Each counted as its byte and two waiting writes: the limit is reached at ~5,400 of them.
    expect(accepted * (1 + 2 * QUEUED_WRITE_BYTES)).toBeLessThanOrEqual(limit);
    expect(accepted * (1 + 2 * QUEUED_WRITE_BYTES)).toBeGreaterThan(
      limit - 4096 - 1 - 2 * QUEUED_WRITE_BYTES,
    );
    expect(peer.getReadyState()).toBe(OPEN);
  });

  test("outboundBufferSize: one message is always accepted when nothing waits, however large", async () => {
    server = await startWsServer({ echo: false });
    const peer = await connectedPeer(server.url, { outboundBufferSize: 1024 });
    expect(peer.getCurrentOutboundBufferedAmount()).toBe(0);
    expect(peer.send(Buffer.alloc(4096))).toBe(ErrorCode.OK);
    await until(() => server!.received.length === 1);
    expect(server.received[0].text).toHaveLength(4096);
  });

  test("outboundBufferSize 0 means no limit", () => {
    expect(newPeer({ outboundBufferSize: 0 }).outboundBufferSize).toBe(0);
    expect(newPeer().outboundBufferSize).toBe(16 * 1024 * 1024);
    expect(newPeer().maxQueuedBytes).toBe(16 * 1024 * 1024);
  });

  test("heartbeat keeps a live peer and drops a silent one within two intervals", async () => {
    server = await startWsServer({ echo: false });
    const clock = new TestClock();
    const peer = await connectedPeer(server.url, { clock, heartbeatInterval: 1 });
    const serverSide = await server.nextConnection();

    // t=1 s: ping. The server answers it (and ws sends the pong before anything sent after it).
    const pinged = new Promise((resolve) => serverSide.once("ping", resolve));
    clock.advance(1000);
    await pinged;
    serverSide.send("after the pong");
    await pollUntil(peer, () => peer.getAvailablePacketCount() === 1, "the message after the pong");

    // The server stops reading: pings go unanswered from now on.
    serverSide.pause();
    clock.advance(1000); // t=2 s: the previous pong came, so just ping again
    peer.poll();
    expect(peer.getReadyState()).toBe(OPEN);
    clock.advance(1000); // t=3 s: no pong for the t=2 s ping
    peer.poll();
    expect(peer.getReadyState()).toBe(CLOSED);
    expect(peer.getCloseCode()).toBe(-1);
    expect(peer.getCloseReason()).toMatch(/heartbeat/);
    expect(clock.pendingCount).toBe(0);
  });

  test("acceptSocket wraps a server-side socket in the same API", async () => {
    const accepted = newPeer();
    server = await startWsServer({
      echo: false,
      onConnection: (socket) => accepted.acceptSocket(socket, "/room"),
    });
    const client = await connectedPeer(server.url);
    await until(() => accepted.getReadyState() === OPEN, 2000, "accepted peer");
    expect(accepted.getRequestedUrl()).toBe("/room");
    expect(accepted.acceptSocket({ readyState: WebSocket.OPEN } as WebSocket)).toBe(ErrorCode.ERR_BUSY);
    client.sendText("hi");
    await pollUntil(accepted, () => accepted.getAvailablePacketCount() === 1);
    expect(accepted.getPacket().toString()).toBe("hi");
    expect(accepted.wasStringPacket()).toBe(true);
    accepted.putPacket(Buffer.from("yo"));
    await pollUntil(client, () => client.getAvailablePacketCount() === 1);
    expect(client.getPacket().toString()).toBe("yo");
    expect(client.wasStringPacket()).toBe(false);
  });

  describe("wss", () => {
    const certificate = makeSelfSignedCertificate();

    test("refuses a self-signed certificate by default", async () => {
      server = await startWsServer({ tls: certificate });
      const peer = newPeer();
      expect(peer.connectToUrl(server.url)).toBe(ErrorCode.OK);
      await pollUntil(peer, () => peer.getReadyState() === CLOSED, "CLOSED");
      expect(peer.hasConnected()).toBe(false);
      expect(peer.getCloseCode()).toBe(-1);
      expect(peer.getCloseReason()).toMatch(/self[- ]signed/i);
    });

    test("TLS material that cannot be used is ERR_INVALID_PARAMETER at once, with the reason", () => {
      const other = makeSelfSignedCertificate();
      const cases: Array<[string, object, RegExp]> = [
        ["a ca with no certificate", { ca: "not a certificate" }, /tls\.ca holds no PEM certificate/],
        [
          "a ca with a broken certificate",
          { ca: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" },
          /tls\.ca holds a certificate that cannot be read/,
        ],
        ["an unreadable cert and key", { cert: "garbage", key: "garbage" }, /TLS configuration/],
        ["a cert without its key", { cert: certificate.cert }, /tls\.cert is given without tls\.key/],
        ["a key without its cert", { key: certificate.key }, /tls\.key is given without tls\.cert/],
        ["a key that does not match", { cert: certificate.cert, key: other.key }, /key values mismatch/],
        // From code, `key: process.env.KEY ?? null`: this threw a TypeError out of connectToUrl().
        [
          "a cert with a null key",
          { cert: certificate.cert, key: null },
          /tls\.cert is given without tls\.key/,
        ],
        [
          "a null cert with its key",
          { cert: null, key: certificate.key },
          /tls\.key is given without tls\.cert/,
        ],
      ];
      // A scheme is a scheme however it is written ("WSS://" is wss:// to every URL parser, ws's too).
      for (const url of ["wss://127.0.0.1:1/", "WSS://127.0.0.1:1/", " Wss://127.0.0.1:1/"])
        for (const [what, tls, reason] of cases) {
          const peer = newPeer();
          expect({ what, url, result: peer.connectToUrl(url, { tls }) }).toEqual({
            what,
            url,
            result: ErrorCode.ERR_INVALID_PARAMETER,
          });
          expect(peer.getReadyState()).toBe(CLOSED);
          expect(peer.getCloseReason()).toMatch(reason);
        }
    });

    test("its CA is used whatever case the scheme is written in", async () => {
      server = await startWsServer({ tls: certificate });
      const peer = newPeer();
      const url = server.url.replace(/^wss:/, "WSS:");
      expect(peer.connectToUrl(url, { tls: { ca: certificate.cert } })).toBe(ErrorCode.OK);
      await pollUntil(peer, () => peer.getReadyState() !== CONNECTING, "the handshake's end");
      expect([peer.getReadyState(), peer.getCloseReason()]).toEqual([OPEN, ""]);
    });

    test("accepts it when its CA is given, and echoes", async () => {
      server = await startWsServer({ tls: certificate });
      const peer = newPeer();
      expect(peer.connectToUrl(server.url, { tls: { ca: certificate.cert } })).toBe(ErrorCode.OK);
      await pollUntil(peer, () => peer.getReadyState() === OPEN, "OPEN");
      peer.sendText("secure");
      await pollUntil(peer, () => peer.getAvailablePacketCount() === 1);
      expect(peer.getPacket().toString()).toBe("secure");
    });
  });
});
