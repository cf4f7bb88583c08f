/**
 * Registers the WebSocket nodes for scene files: `WebsocketClient`, `WebSocketNode` and
 * `WebSocketServer`, with their props (checked ranges); their classes declare their signals. Imported by
 * `src/index.ts`.
 */
import { z } from "zod";
import { nodePropsSchema } from "../loader/nodeProps";
import { enumProp, nodePathProp } from "../loader/propSchemas";
import { registerNodeType } from "../loader/registry";
import { markEngineClass } from "../scene/classInfo";
import { WebsocketClient } from "./WebsocketClient";
import { AutoconnectMode, WebSocketNode } from "./WebSocketNode";
import { WebSocketServer } from "./WebSocketServer";
import {
  CONNECTION_SETTING_NAMES,
  CONNECTION_SETTINGS,
  type ConnectionSettingName,
  type ConnectionSettings,
  type SceneSettingName,
  type SettingRow,
} from "../net/settings";

const seconds = () => z.number().min(0);

/** The props schema of one setting of the table, or null for one set from code only. */
function settingProp(name: ConnectionSettingName, limits: { max?: number } = {}): z.ZodType | null {
  const setting: SettingRow<unknown> = CONNECTION_SETTINGS[name];
  const max = limits.max ?? setting.max;
  const ranged = <T extends z.ZodNumber>(schema: T): T => (max === undefined ? schema : schema.max(max)) as T;
  let schema: z.ZodType;
  switch (setting.kind) {
    case "url":
    case "address":
      schema = z.string();
      break;
    case "boolean":
      schema = z.boolean();
      break;
    case "seconds":
    case "fraction":
      schema = ranged(z.number().min(setting.min ?? 0));
      break;
    case "count":
    case "bytes":
      schema = ranged(z.int().min(setting.min ?? 0) as unknown as z.ZodNumber);
      break;
    case "closeCodes":
      schema = z.array(ranged(z.int().min(setting.min ?? 0) as unknown as z.ZodNumber));
      break;
    case "protocols":
      schema = z.union([z.string().min(1), z.array(z.string().min(1))]);
      break;
    case "headers":
      schema = z.record(z.string(), z.string());
      break;
    case "tls":
      schema = z.strictObject({
        ca: z.string().optional().describe("Extra trusted CA certificate (PEM text)."),
        cert: z.string().optional(),
        key: z.string().optional(),
        rejectUnauthorized: z.boolean().optional(),
      });
      break;
    case "dispatch":
      schema = z.enum(["immediate", "frame"]);
      break;
    case "function":
    case "object":
      return null;
  }
  return schema.optional().describe(setting.doc);
}

type SettingProps<Omitted extends ConnectionSettingName> = {
  [K in Exclude<SceneSettingName, Omitted>]: z.ZodOptional<z.ZodType<ConnectionSettings[K]>>;
};

/** The props of every scene-file setting of the table except `omit` (each node kind names those itself). */
function settingProps<O extends ConnectionSettingName>(omit: readonly O[]): SettingProps<O> {
  const props: Record<string, z.ZodType> = {};
  for (const name of CONNECTION_SETTING_NAMES) {
    if ((omit as readonly ConnectionSettingName[]).includes(name)) continue;
    const schema = settingProp(name);
    if (schema !== null) props[name] = schema;
  }
  return props as SettingProps<O>;
}

/** Reconnection settings both client nodes share (times in seconds). */
const sharedConnectionProps = settingProps(["url", "connectTimeout", "receiveLimit"] as const);

export const websocketClientPropsSchema = nodePropsSchema.extend({
  connectionUrl: z
    .string()
    .optional()
    .describe("The full ws:// or wss:// URL to connect to (required unless a urlProvider is set in code)."),
  connectTimeout: settingProp("connectTimeout") as z.ZodOptional<z.ZodNumber>,
  ...sharedConnectionProps,
});

export const webSocketNodePropsSchema = nodePropsSchema.extend({
  host: z.string().min(1).optional(),
  route: z.string().optional(),
  useWss: z.boolean().optional(),
  receiveLimit: settingProp("receiveLimit", { max: 128 }) as z.ZodOptional<z.ZodNumber>,
  connectionTimeout: z
    .number()
    .min(0)
    .max(300)
    .optional()
    .describe("Seconds to wait in CONNECTING before the attempt fails (0..300, 0 = no limit)."),
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
