import { ErrorCode } from "../../src/core/ErrorCode";
import { WebSocketServer } from "../../src/nodes/WebSocketServer";
import { rawWebSocket, until, delay, type RawClient } from "../helpers/netServers";
import { Fixture, recordSignals } from "../helpers/websocketNodes";

const fx = new Fixture();
const raws: RawClient[] = [];
afterEach(() => {
  for (const raw of raws.splice(0)) raw.socket.destroy();
  fx.cleanup();
});

async function startedServer(props: Partial<WebSocketServer> = {}) {
  const { tree, clock } = fx.tree();
  const server = Object.assign(new WebSocketServer("Server"), { autostart: true, ...props });
  const log = recordSignals(server, ["peerConnected", "peerDisconnected"]);
  tree.root.addChild(server);
  await until(() => server.isListening(), 2000, "listening");
  return { tree, clock, server, log };
}

/** A peer that completed its handshake and then never answers anything, the close frame included. */
async function silentPeer(server: WebSocketServer): Promise<RawClient> {
  const before = server.getPeerIds().length;
  const client = await rawWebSocket(server.port);
  raws.push(client);
  await until(() => server.getPeerIds().length === before + 1, 2000, "the peer");
  return client;
}

describe("WebSocketServer.disconnectPeer", () => {
  for (const dispatch of ["immediate", "frame"] as const) {
    test(`a peer that never answers the close frame is dropped after the 1 s grace (${dispatch})`, async () => {
      // ws alone waits 30 s for the answer, and meanwhile the peer held a maxPeers slot.
      const { tree, clock, server, log } = await startedServer({ dispatch, maxPeers: 1 });
      const client = await silentPeer(server);
      expect(server.disconnectPeer(1, 4000, "kicked")).toBe(ErrorCode.OK);
      await until(() => client.text().includes("\x88"), 2000, "the close frame"); // it was sent
      clock.advance(999);
      tree.step(0);
      await delay(30);
      expect(client.isClosed()).toBe(false);
      expect(server.getPeerIds()).toEqual([1]);
      clock.advance(1);
      tree.step(0);
      await until(() => client.isClosed(), 2000, "the peer dropped");
      expect(server.getPeerIds()).toEqual([]);
      expect(log.at(-1)).toEqual(["peerDisconnected", 1, -1, "close frame not answered within 1 s"]);
      // The slot is free again.
      await silentPeer(server);
      expect(server.getPeerIds()).toEqual([2]);
    });
  }

  test("a peer that answers the close frame reports its close, and the grace timer goes", async () => {
    const { clock, server, log } = await startedServer();
    const client = await silentPeer(server);
    expect(server.disconnectPeer(1, 4000, "kicked")).toBe(ErrorCode.OK);
    await until(() => client.text().includes("\x88"), 2000, "the close frame");
    // A masked close frame with code 4000 and no reason.
    client.socket.write(Buffer.from([0x88, 0x82, 1, 2, 3, 4, 0x0f ^ 1, 0xa0 ^ 2]));
    await until(() => server.getPeerIds().length === 0, 2000, "the peer closed");
    expect(log.at(-1)).toEqual(["peerDisconnected", 1, 4000, ""]);
    expect(clock.pendingCount).toBe(0);
  });
});
