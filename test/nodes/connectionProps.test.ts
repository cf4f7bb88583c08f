import {
  CONNECTION_SETTING_NAMES,
  CONNECTION_SETTINGS,
  type ConnectionSettingName,
} from "../../src/net/settings";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { WebSocketNode } from "../../src/nodes/WebSocketNode";
import { websocketClientPropsSchema } from "../../src/nodes/WebsocketClient.props";
import { webSocketNodePropsSchema } from "../../src/nodes/WebSocketNode.props";
import { parseScene } from "../../src";
import { Fixture } from "../helpers/websocketNodes";

const fx = new Fixture();
afterEach(() => fx.cleanup());

/** The settings a scene file can hold: every row but those set from code. */
const sceneSettings = CONNECTION_SETTING_NAMES.filter(
  (name) => !["function", "object"].includes(CONNECTION_SETTINGS[name].kind),
);

function propsOf(schema: { shape: Record<string, unknown> }): string[] {
  return Object.keys(schema.shape);
}

function scene(type: string, props: Record<string, unknown>): string {
  return JSON.stringify({ format: 1, root: { name: "C", type, props } });
}

describe("WebSocket node props, derived from the settings table", () => {
  test("every scene setting is a prop of both client nodes, under the node's own name where it has one", () => {
    const client = propsOf(websocketClientPropsSchema);
    const node = propsOf(webSocketNodePropsSchema);
    const renamedOnClient: Partial<Record<ConnectionSettingName, string>> = { url: "connectionUrl" };
    const onNode: Partial<Record<ConnectionSettingName, string>> = { connectTimeout: "connectionTimeout" };
    for (const name of sceneSettings) {
      if (name !== "receiveLimit") expect(client).toContain(renamedOnClient[name] ?? name);
      if (name !== "url") expect(node).toContain(onNode[name] ?? name);
    }
    expect(client).not.toContain("receiveLimit"); // frame-limited dispatch is WebSocketNode's
  });

  test("each prop carries the table's doc and checks its range", () => {
    const shape = websocketClientPropsSchema.shape as Record<string, { description?: string }>;
    expect(shape.minUptime.description).toBe(CONNECTION_SETTINGS.minUptime.doc);
    expect(() => parseScene(scene("WebsocketClient", { reconnectJitter: 1.5 }))).toThrow(/reconnectJitter/);
    expect(() => parseScene(scene("WebsocketClient", { inboundBufferSize: 0 }))).toThrow(/inboundBufferSize/);
    expect(() => parseScene(scene("WebsocketClient", { sendQueueLimit: 1.5 }))).toThrow(/sendQueueLimit/);
    expect(() => parseScene(scene("WebSocketNode", { receiveLimit: 129 }))).toThrow(/receiveLimit/);
    expect(() => parseScene(scene("WebsocketClient", { random: 1 }))).toThrow(/random/);
  });

  test("a loaded node holds the props as its settings, and its socket reads them live", () => {
    const packed = parseScene(
      scene("WebsocketClient", { connectionUrl: "ws://127.0.0.1:1/", minUptime: 2, sendQueueLimit: 3 }),
    );
    const node = packed.instantiate() as WebsocketClient;
    expect([node.connectionUrl, node.minUptime, node.sendQueueLimit, node.connectTimeout]).toEqual([
      "ws://127.0.0.1:1/",
      2,
      3,
      10,
    ]);
    const { tree } = fx.tree();
    tree.root.addChild(node);
    node.openConnection();
    node.close(); // the socket stays (closed) while the node is in the tree
    const socket = node.socket;
    expect(socket?.settings.minUptime).toBe(2);
    node.heartbeatInterval = 4;
    node.connectionUrl = "ws://127.0.0.1:2/";
    expect([socket?.heartbeatInterval, socket?.url]).toEqual([4, "ws://127.0.0.1:2/"]);
    socket!.minUptime = 9; // and the other way round
    expect(node.minUptime).toBe(9);
  });

  test("nodes start from the nodes' defaults and never share a changed setting", () => {
    const a = new WebsocketClient();
    const b = new WebSocketNode();
    a.minUptime = 1;
    a.random = () => 0.5;
    expect([a.autoReconnect, b.autoReconnect, b.minUptime, b.random]).toEqual([false, false, 5, Math.random]);
    expect(new WebsocketClient().minUptime).toBe(5);
    b.connectionTimeout = 3;
    expect(b.connectTimeout).toBe(3);
  });
});
