import { z } from "zod";
import { settingProp, sharedConnectionProps } from "./connectionProps";
import { nodePropsSchema } from "./nodeProps";

/** Props of a `WebsocketClient` in a scene file (ranges checked). */
export const websocketClientPropsSchema = nodePropsSchema.extend({
  connectionUrl: z
    .string()
    .optional()
    .describe("The full ws:// or wss:// URL to connect to (required unless a urlProvider is set in code)."),
  connectTimeout: settingProp("connectTimeout") as z.ZodOptional<z.ZodNumber>,
  ...sharedConnectionProps,
});
