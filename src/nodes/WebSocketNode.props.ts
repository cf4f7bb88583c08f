import { z } from "zod";
import { settingProp, sharedConnectionProps } from "./connectionProps";
import { nodePropsSchema } from "./nodeProps";
import { enumProp, nodePathProp } from "./propSchemas";
import { AutoconnectMode } from "./WebSocketNode";

/** Props of a `WebSocketNode` in a scene file (ranges checked). */
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
