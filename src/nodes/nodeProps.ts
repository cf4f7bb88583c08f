import { z } from "zod";
import { ProcessMode } from "../scene/Node";
import { enumProp } from "./propSchemas";

/**
 * Props every node accepts in a scene file. Every registered type's schema extends this one
 * (`nodePropsSchema.extend({ ... })`), as every class extends Node.
 */
export const nodePropsSchema = z.strictObject({
  processMode: enumProp(ProcessMode).optional(),
  processPriority: z.int().optional(),
  processPhysicsPriority: z.int().optional(),
});

export type NodePropsSchema = typeof nodePropsSchema;
