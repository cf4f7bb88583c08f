import { z } from "zod";
import { thresholdsSchema } from "../metrics/thresholdSchema";
import { ConnectFlags } from "../scene/GodotObject";

/**
 * The structure of a scene file, as zod schemas. Props are checked per node type against the
 * registry (see validate.ts); here they are only "an object". The JSON Schema for editors is built from
 * these same pieces plus the registered types' props (jsonSchema.ts).
 */

/** The format version this loader reads. A file from a newer scenetree says so instead of failing oddly. */
export const SCENE_FORMAT_VERSION = 1;

/** Characters Godot reserves in node names because they mean something in a NodePath. */
export const INVALID_NAME_CHARACTERS = /[.:@/"%]/;

const nodeName = z.string().min(1).describe('Node name, unique among its siblings; no . : @ / " %.');

export const nodeFieldsShape = {
  props: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Property values of the node, by the class's property names."),
  groups: z.array(z.string().min(1)).optional().describe("Groups the node joins (persistent, as in Godot)."),
  uniqueNameInOwner: z.boolean().optional().describe("Reachable as %Name from every node of this scene."),
  script: z
    .string()
    .min(1)
    .optional()
    .describe(
      "The Godot script this node had (recorded by scenetree import). Informational: it does not run.",
    ),
  children: z.array(z.unknown()).optional().describe("Child nodes, in order."),
};

/** A node of a registered class: `{ "name": "Clock", "type": "Timer", "props": { ... } }`. */
export const typedNodeSchema = z.strictObject({
  name: nodeName,
  type: z.string().min(1).describe("A registered node type (scenetree schema lists them)."),
  ...nodeFieldsShape,
});

/**
 * Changes to one node inside an instanced sub-scene (Godot's "Editable Children"): its props are
 * overridden, its groups added to, its children appended after its own.
 */
export const editableEntrySchema = z.strictObject({
  props: nodeFieldsShape.props.describe(
    "Property values that override the node's, by the class's property names.",
  ),
  groups: z.array(z.string().min(1)).optional().describe("Groups the node joins besides its own."),
  children: z
    .array(z.unknown())
    .optional()
    .describe("New child nodes, appended after the node's own children."),
});

/** An instance of another scene file; `props` override its root's, `name` renames its root. */
export const instanceNodeSchema = z.strictObject({
  name: nodeName.optional(),
  instance: z.string().min(1).describe("Path of a scene file (.scene.json or .tscn), relative to this file."),
  ...nodeFieldsShape,
  editable: z
    .record(z.string(), editableEntrySchema)
    .optional()
    .describe(
      'Editable children: nodes inside the sub-scene, by their path from its root ("Body/Gun", never "."), and what changes on each. {} alone marks the instance editable.',
    ),
  placeholder: z
    .boolean()
    .optional()
    .describe(
      "Load as placeholder: the node is an InstancePlaceholder holding the path and props; createInstance() builds the sub-scene later. The sub-scene is not read until then.",
    ),
});

/** The ConnectFlags member names, in the enum's order. */
export const CONNECT_FLAG_NAMES = Object.keys(ConnectFlags).filter((key) => Number.isNaN(Number(key))) as [
  string,
  ...string[],
];

/** Every ConnectFlags bit, or-ed together: a flags number has no other bit (31). */
export const ALL_CONNECT_FLAGS = CONNECT_FLAG_NAMES.reduce(
  (all, name) => all | ConnectFlags[name as keyof typeof ConnectFlags],
  0,
);

/** One ConnectFlags member, by name (`"DEFERRED"`). */
export const connectFlagNameSchema = z.enum(CONNECT_FLAG_NAMES);

/** ConnectFlags as a number: a sum of the members' bits, and no other bit. */
export const connectFlagsNumberSchema = z.int().min(0).max(ALL_CONNECT_FLAGS);

/** ConnectFlags as a number, a member name, or a list of names (`["DEFERRED", "ONE_SHOT"]`). */
export const connectFlagsSchema = z.union([
  connectFlagsNumberSchema,
  connectFlagNameSchema,
  z.array(connectFlagNameSchema),
]);

/** Godot's `[connection]`: made while instantiating, before the scene enters the tree. */
export const connectionSchema = z.strictObject({
  from: z
    .string()
    .min(1)
    .describe('Path of the emitting node, relative to the scene root ("." is the root).'),
  signal: z.string().min(1).describe("Signal name (camelCase), e.g. timeout."),
  to: z.string().min(1).describe("Path of the receiving node, relative to the scene root."),
  method: z.string().min(1).describe("Method of the receiving node to call."),
  binds: z.array(z.unknown()).optional().describe("Extra arguments appended after the signal's own."),
  flags: connectFlagsSchema.optional().describe("ConnectFlags: a number, a name, or a list of names."),
});

/** The file's top level; `root` and `connections` entries are validated one by one for precise errors. */
export const sceneFileSchema = z.strictObject({
  $schema: z.string().optional().describe("Editor hint: the JSON Schema of this format. Ignored."),
  format: z.literal(SCENE_FORMAT_VERSION).describe("Scene format version."),
  root: z.unknown(),
  connections: z.array(z.unknown()).optional(),
  scripts: z
    .array(z.string().min(1))
    .optional()
    .describe("Modules to import before the nodes are created (they register node types)."),
  thresholds: thresholdsSchema
    .optional()
    .describe(
      'Load-test pass/fail criteria in k6\'s syntax, metric to expressions: { "ws_connecting": ["p(95)<500"] }. scenetree run checks them at the end (exit code 99 when one fails).',
    ),
});

/** Resolves a ConnectFlags value already checked by {@link connectFlagsSchema} to its number. */
export function connectFlagsToNumber(flags: number | string | string[] | undefined): number {
  if (flags === undefined) return 0;
  if (typeof flags === "number") return flags;
  const names = typeof flags === "string" ? [flags] : flags;
  let value = 0;
  for (const name of names) value |= ConnectFlags[name as keyof typeof ConnectFlags];
  return value;
}
