import { z } from "zod";

/**
 * Schema helpers for node props. They are plain zod schemas, so they compose with `.optional()`,
 * `.extend()` and `z.toJSONSchema` like any other.
 */

const nodePathSchemas = new WeakSet<z.ZodType>();

/**
 * A prop that holds a node reference, written in the scene as a NodePath string relative to the node
 * (`"../Timer"`, `"%Unique"`). The loader checks that the path points at a node of the same scene and
 * assigns the node itself when the scene is instantiated, after every node exists and before the scene
 * enters the tree.
 */
export function nodePathProp(): z.ZodString {
  const schema = z
    .string()
    .min(1)
    .describe('NodePath to a node of this scene, relative to this node ("../Timer", "%Name").');
  nodePathSchemas.add(schema);
  return schema;
}

/** Whether `schema` (possibly wrapped in `.optional()`, `.nullable()`, `.default()`) was made by {@link nodePathProp}. */
export function isNodePathSchema(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  while (current) {
    if (nodePathSchemas.has(current)) return true;
    const def = current._zod.def as { type: string; innerType?: z.ZodType };
    current = WRAPPERS.has(def.type) ? def.innerType : undefined;
  }
  return false;
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "nonoptional"]);

/**
 * A prop of a TypeScript numeric enum such as `ProcessMode`: the scene may write the member's name
 * (`"ALWAYS"`, as Godot's inspector shows it) or its number; the node always receives the number.
 */
export function enumProp<E extends Record<string, string | number>>(enumObject: E) {
  const names = Object.keys(enumObject).filter((key) => Number.isNaN(Number(key)));
  const values = names.map((name) => enumObject[name]);
  const accepted = [...names, ...values] as [string | number, ...(string | number)[]];
  return z
    .literal(accepted)
    .transform(
      (value) =>
        (typeof value === "string" && names.includes(value) ? enumObject[value] : value) as E[keyof E],
    );
}
