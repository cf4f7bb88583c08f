import { z } from "zod";
import "./builtinTypes";
import {
  connectionSchema,
  editableEntrySchema,
  instanceNodeSchema,
  nodeFieldsShape,
  sceneFileSchema,
  typedNodeSchema,
} from "./format";
import { getRegisteredNodeTypes, type NodeTypeInfo } from "./registry";

export interface SceneJsonSchemaOptions {
  /**
   * Accept a `"type"` that is not registered now, with free-form props (default `true`): types that
   * scenes' scripts register are unknown to a schema built without those scripts. Pass `false` once the
   * project's scripts are imported, so a misspelt type is an error in the editor too.
   */
  allowUnregisteredTypes?: boolean;
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
  const registered = getRegisteredNodeTypes();
  const variants = registered.map((type) =>
    typedNodeSchema
      .extend({
        type: z.literal(type.name),
        props: type.propsSchema.optional().describe(`Props of ${type.name}.`),
        children,
      })
      .meta({ id: `${type.name}Node` }),
  );
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
  const instance = instanceNodeSchema.extend({ children, editable }).meta({ id: "InstanceNode" });
  const others = options.allowUnregisteredTypes === false ? [] : [otherTypeNode(registered, children)];
  const node: z.ZodType = z.union([...variants, ...others, instance]).meta({ id: "SceneNode" });
  const file = sceneFileSchema.extend({
    root: node,
    connections: z.array(connectionSchema.meta({ id: "Connection" })).optional(),
  });
  const schema = z.toJSONSchema(file, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: "scene.schema.json",
    title: "scenetree scene file",
    ...schema,
  };
}

/** Node names joined by "/": a path from an instance's root to one of its nodes, never "." itself. */
const EDITABLE_PATH = /^[^.:@/"%]+(\/[^.:@/"%]+)*$/;

/** A node of any type name not registered here, with free-form props. */
function otherTypeNode(registered: readonly NodeTypeInfo[], children: z.ZodType) {
  const names = registered.map((type) => type.name);
  return typedNodeSchema
    .extend({
      type: z.string().regex(new RegExp(`^(?!(${names.join("|")})$)[A-Za-z_][A-Za-z0-9_]*$`)),
      children,
    })
    .meta({ id: "ScriptNode", description: "A node of a type registered by a scene's scripts." });
}
