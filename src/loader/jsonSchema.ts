import { z } from "zod";
import {
  connectionSchema,
  editableEntrySchema,
  instanceNodeSchema,
  nodeFieldsShape,
  sceneFileSchema,
  typedNodeSchema,
} from "./format";
import { defaultNodeTypes, type NodeTypeInfo, type NodeTypeRegistry } from "./registry";
import { registeredSceneExtensions } from "./sceneFormats";

export interface SceneJsonSchemaOptions {
  /**
   * Accept a `"type"` that is not registered now, with free-form props (default `true`): types that
   * scenes' scripts register are unknown to a schema built without those scripts. Pass `false` once the
   * project's scripts are imported, so a misspelt type is an error in the editor too.
   */
  allowUnregisteredTypes?: boolean;
  /** The node types to describe (default: the default registry). */
  registry?: NodeTypeRegistry;
}

/**
 * The JSON Schema of scene files, for editors (`"$schema": "./scene.schema.json"`), built from the same
 * zod schemas the loader validates with, plus one node variant per registered type so that `props`
 * complete and check per `"type"`. Types registered by a scene's scripts appear when those scripts are
 * imported before this is called.
 */
export function buildSceneJsonSchema(options: SceneJsonSchemaOptions = {}): Record<string, unknown> {
  const children = z
    .array(z.lazy(() => node))
    .optional()
    .describe(nodeFieldsShape.children.description ?? "");
  const registered = (options.registry ?? defaultNodeTypes).list();
  // In the editor only, as below: the loader reports a bad name itself (ERR_INVALID_NAME).
  const name = typedNodeSchema.shape.name
    .regex(NODE_NAME)
    .describe(typedNodeSchema.shape.name.description ?? "");
  const variants = registered.map((type) =>
    typedNodeSchema
      .extend({
        name,
        type: z.literal(type.name),
        props: type.propsSchema.optional().describe(`Props of ${type.name}.`),
        children,
      })
      .meta({ id: `${type.name}Node` }),
  );
  const { instance, placeholderInstance } = instanceNodes(name, children);
  const others = options.allowUnregisteredTypes === false ? [] : [otherTypeNode(registered, name, children)];
  const node: z.ZodType = z
    .union([...variants, ...others, instance, placeholderInstance])
    .meta({ id: "SceneNode" });
  const file = sceneFileSchema.extend({
    root: z.union([...variants, ...others, instance]).meta({ id: "RootNode" }),
    connections: z.array(connectionSchema.meta({ id: "Connection" })).optional(),
  });
  const schema = z.toJSONSchema(file, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  hoistChildren(schema.$defs as Defs, ["SceneNode", "RootNode"]);
  return {
    $schema: schema.$schema,
    $id: "scene.schema.json",
    title: "scenetree scene file",
    ...schema,
  };
}

/**
 * An instance of another scene, and the same loaded as placeholder (Godot's "Load as Placeholder"):
 * named, nothing reaches into the sub-scene, and never the scene's root (the loader's ERR_SCHEMA).
 */
function instanceNodes(name: z.ZodString, children: z.ZodOptional) {
  // In the editor only, as the name's pattern: the loader says itself what "instance" may name.
  const instancePath = instanceNodeSchema.shape.instance
    .regex(sceneFilePattern())
    .describe(instanceNodeSchema.shape.instance.description ?? "");
  const editedChildren = children.describe(editableEntrySchema.shape.children.description ?? "");
  // In the editor only: the loader reports a bad key itself, saying which node names exist there.
  const editablePath = z.string().regex(EDITABLE_PATH);
  const editable = z
    .record(
      editablePath,
      editableEntrySchema.extend({ children: editedChildren }).meta({ id: "EditableNode" }),
    )
    .optional()
    .describe(instanceNodeSchema.shape.editable.description ?? "");
  const placeholder = instanceNodeSchema.shape.placeholder;
  const instance = instanceNodeSchema
    .extend({
      name: name.optional(),
      instance: instancePath,
      children,
      editable,
      placeholder: z
        .literal(false)
        .optional()
        .describe(placeholder.description ?? ""),
    })
    .meta({ id: "InstanceNode" });
  const placeholderInstance = instanceNodeSchema
    .omit({ children: true, editable: true })
    .extend({
      name,
      instance: instancePath,
      placeholder: z.literal(true).describe(placeholder.description ?? ""),
    })
    .meta({ id: "PlaceholderInstanceNode" });
  return { instance, placeholderInstance };
}

type Defs = Record<string, { anyOf?: { $ref: string }[]; properties?: Record<string, unknown> }>;

/**
 * Checks `"children"` once per node instead of once per variant of the node unions: an editor tries every
 * variant (to show the closest one's errors), and each variant checking the children again makes that
 * exponential in the tree's depth (a scene eight levels deep froze validation). The variants keep
 * `"children": { "type": "array" }` so that the key stays allowed; the union checks the entries.
 */
function hoistChildren(defs: Defs, unions: string[]): void {
  const hoisted = { type: "array", description: nodeFieldsShape.children.description };
  let children: unknown;
  for (const union of unions) {
    const variants = defs[union].anyOf ?? [];
    for (const { $ref } of variants) {
      const properties = defs[$ref.replace("#/$defs/", "")].properties;
      if (!properties?.children || properties.children === hoisted) continue;
      children = properties.children;
      properties.children = hoisted;
    }
    defs[union] = { allOf: [{ anyOf: variants }, { properties: { children } }] } as Defs[string];
  }
}

/** A node name: none of the characters Godot reserves for NodePaths (INVALID_NAME_CHARACTERS). */
const NODE_NAME = /^[^.:@/"%]+$/;

/**
 * What "instance" may name, as the loader's isSceneFileName: a `.json` file or one of a registered
 * scene format (`.tscn`), the extension in any case (JSON Schema patterns have no `i` flag).
 */
function sceneFilePattern(): RegExp {
  const caseless = (extension: string) =>
    [...extension.slice(1)]
      .map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : `\\${c}`))
      .join("");
  const extensions = [".json", ...registeredSceneExtensions()].map(caseless);
  return new RegExp(`\\.(${[...new Set(extensions)].join("|")})$`);
}

/** Node names joined by "/": a path from an instance's root to one of its nodes, never "." itself. */
const EDITABLE_PATH = /^[^.:@/"%]+(\/[^.:@/"%]+)*$/;

/** A node of any type name not registered here, with free-form props. */
function otherTypeNode(registered: readonly NodeTypeInfo[], name: z.ZodString, children: z.ZodType) {
  const names = registered.map((type) => type.name);
  return typedNodeSchema
    .extend({
      name,
      type: z.string().regex(new RegExp(`^(?!(${names.join("|")})$)[A-Za-z_][A-Za-z0-9_]*$`)),
      children,
    })
    .meta({ id: "ScriptNode", description: "A node of a type registered by a scene's scripts." });
}
