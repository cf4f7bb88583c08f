import { z } from "zod";
import { Node } from "../scene/Node";
import { InstancePlaceholder } from "../nodes/InstancePlaceholder";
import { Timer, TimerProcessCallback } from "../nodes/Timer";
import { nodePropsSchema } from "./nodeProps";
import { enumProp } from "./propSchemas";
import { registerNodeType } from "./registry";
import { markEngineClass } from "../scene/classInfo";

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

// The engine's own node types, available to every scene file.
registerNodeType("Node", Node, nodePropsSchema);
registerNodeType("Timer", Timer, timerPropsSchema);
markEngineClass(Timer);
// What an instance loaded as placeholder becomes (its stored values are not its props).
registerNodeType("InstancePlaceholder", InstancePlaceholder, nodePropsSchema);
markEngineClass(InstancePlaceholder);
