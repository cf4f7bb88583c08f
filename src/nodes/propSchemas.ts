import { z } from "zod";
import type { Node } from "../scene/Node";

/**
 * Schema helpers for node props. They are plain zod schemas, so they compose with `.optional()`,
 * `.extend()` and `z.toJSONSchema` like any other.
 */

/**
 * What `nodePathProp()` returns. The scene file writes a NodePath string (the schema's input); the node
 * receives the node it names (the output, typed `T`), resolved by the loader when the scene is
 * instantiated. So `z.infer` of a props schema types the field as the node, with no cast.
 */
export type NodePathSchema<T extends Node = Node> = z.ZodType<T, string>;

/** Any class of nodes, abstract ones included. */
export type NodeClassLike<T extends Node = Node> = abstract new (...args: never[]) => T;

/** Every schema made by {@link nodePathProp}, with the class its target must be (Node when none was given). */
const nodePathSchemas = new WeakMap<z.ZodType, NodeClassLike | null>();

/**
 * A prop that holds a node reference, written in the scene as a NodePath string relative to the node
 * (`"../Timer"`, `"%Unique"`). The loader checks that the path points at a node of the same scene and
 * assigns the node itself when the scene is instantiated, after every node exists and before the scene
 * enters the tree.
 *
 * Give the class the target must be, like a typed `@export var client: WebsocketClient` in Godot:
 * `nodePathProp(WebsocketClient)` types the prop as a `WebsocketClient` and makes a path to any other
 * kind of node an error when the scene is validated. `nodePathProp<WebsocketClient>()` only types it.
 */
export function nodePathProp<T extends Node = Node>(nodeClass?: NodeClassLike<T>): NodePathSchema<T> {
  const schema = z
    .string()
    .min(1)
    .describe(
      nodeClass
        ? `NodePath to a ${nodeClass.name} of this scene, relative to this node ("../Timer", "%Name").`
        : 'NodePath to a node of this scene, relative to this node ("../Timer", "%Name").',
    );
  nodePathSchemas.set(schema, nodeClass ?? null);
  // The schema parses the path string; the loader turns it into the node, which is what T describes.
  return schema as unknown as NodePathSchema<T>;
}

/** Whether `schema` (possibly wrapped in `.optional()`, `.nullable()`, `.default()`) was made by {@link nodePathProp}. */
export function isNodePathSchema(schema: z.ZodType): boolean {
  return nodePathEntry(schema) !== undefined;
}

/** The class a node-path prop's target must be an instance of; null when any node will do. */
export function nodePathTargetClass(schema: z.ZodType): NodeClassLike | null {
  return nodePathEntry(schema) ?? null;
}

function nodePathEntry(schema: z.ZodType): NodeClassLike | null | undefined {
  let current: z.ZodType | undefined = schema;
  while (current) {
    if (nodePathSchemas.has(current)) return nodePathSchemas.get(current);
    const def = current._zod.def as { type: string; innerType?: z.ZodType };
    current = WRAPPERS.has(def.type) ? def.innerType : undefined;
  }
  return undefined;
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
