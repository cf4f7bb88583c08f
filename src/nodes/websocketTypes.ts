/**
 * Registers the WebSocket nodes for scene files: `WebsocketClient`, `WebSocketNode` and
 * `WebSocketServer`, with their props (checked ranges); their classes declare their signals. Imported by
 * `src/index.ts`.
 */
import { z } from "zod";
import { nodePropsSchema } from "../scene/loader/nodeProps";
import { enumProp, nodePathProp } from "../scene/loader/propSchemas";
import { registerNodeType } from "../scene/loader/registry";
import { markEngineClass } from "../scene/classInfo";
import { WebsocketClient } from "./WebsocketClient";
import { AutoconnectMode, WebSocketNode } from "./WebSocketNode";
import { WebSocketServer } from "./WebSocketServer";

const seconds = () => z.number().min(0);

/** Reconnection settings both client nodes share (times in seconds). */
const sharedConnectionProps = {
  autoReconnect: z.boolean().optional(),
  reconnectDelay: seconds().optional(),
  reconnectDelayMax: seconds().optional(),
  reconnectJitter: z.number().min(0).max(1).optional(),
  maxReconnectAttempts: z.int().min(0).optional(),
  minUptime: seconds().optional(),
  sendQueueLimit: z.int().min(0).optional(),
  sendQueueByteLimit: z.int().min(0).optional(),
  heartbeatInterval: seconds().optional(),
  inboundBufferSize: z.int().min(1).optional(),
  maxQueuedPackets: z.int().min(1).optional(),
  maxQueuedBytes: z.int().min(1).optional(),
  outboundBufferSize: z.int().min(0).optional(),
  protocols: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tls: z
    .strictObject({
      ca: z.string().optional().describe("Extra trusted CA certificate (PEM text)."),
      cert: z.string().optional(),
      key: z.string().optional(),
      rejectUnauthorized: z.boolean().optional(),
    })
    .optional(),
  dispatch: z.enum(["immediate", "frame"]).optional(),
};

export const websocketClientPropsSchema = nodePropsSchema.extend({
  connectionUrl: z.string().optional(),
  connectTimeout: seconds().optional(),
  ...sharedConnectionProps,
});

export const webSocketNodePropsSchema = nodePropsSchema.extend({
  host: z.string().min(1).optional(),
  route: z.string().optional(),
  useWss: z.boolean().optional(),
  receiveLimit: z.int().min(0).max(128).optional(),
  connectionTimeout: z.number().min(0).max(300).optional(),
  autoconnectMode: enumProp(AutoconnectMode).optional(),
  autoconnectReference: nodePathProp().optional(),
  ...sharedConnectionProps,
});

export const webSocketServerPropsSchema = nodePropsSchema.extend({
  port: z.int().min(0).max(65535).optional(),
  bindAddress: z.string().min(1).optional(),
  autostart: z.boolean().optional(),
  inboundBufferSize: z.int().min(1).optional(),
  outboundBufferSize: z.int().min(0).optional(),
  handshakeTimeout: seconds().optional(),
  heartbeatInterval: seconds().optional(),
  tls: z.strictObject({ cert: z.string(), key: z.string() }).optional(),
  dispatch: z.enum(["immediate", "frame"]).optional(),
});

registerNodeType("WebsocketClient", WebsocketClient, websocketClientPropsSchema);
registerNodeType("WebSocketNode", WebSocketNode, webSocketNodePropsSchema);
registerNodeType("WebSocketServer", WebSocketServer, webSocketServerPropsSchema);
for (const engineClass of [WebsocketClient, WebSocketNode, WebSocketServer]) markEngineClass(engineClass);
