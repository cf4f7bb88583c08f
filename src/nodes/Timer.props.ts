import { z } from "zod";
import { TimerProcessCallback } from "./Timer";
import { nodePropsSchema } from "./nodeProps";
import { enumProp } from "./propSchemas";

/** Props of Godot's Timer node. */
export const timerPropsSchema = nodePropsSchema.extend({
  waitTime: z.number().gt(0).optional(),
  oneShot: z.boolean().optional(),
  autostart: z.boolean().optional(),
  paused: z.boolean().optional(),
  processCallback: enumProp(TimerProcessCallback).optional(),
  maxTimeoutsPerTick: z.int().min(1).optional(),
  ignoreTimeScale: z.boolean().optional(),
});
