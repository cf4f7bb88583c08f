import { z } from "zod";
import { nodePropsSchema } from "./nodeProps";

const seconds = () => z.number().min(0);

/** Props of a `WebSocketServer` in a scene file (ranges checked). */
export const webSocketServerPropsSchema = nodePropsSchema.extend({
  port: z.int().min(0).max(65535).optional(),
  bindAddress: z.string().min(1).optional(),
  autostart: z.boolean().optional(),
  inboundBufferSize: z.int().min(1).optional(),
  outboundBufferSize: z.int().min(0).optional(),
  handshakeTimeout: seconds().optional(),
  maxPeers: z.int().min(0).optional(),
  protocols: z.array(z.string().min(1)).optional(),
  heartbeatInterval: seconds().optional(),
  tls: z.strictObject({ cert: z.string(), key: z.string() }).optional(),
  dispatch: z.enum(["immediate", "frame"]).optional(),
});
