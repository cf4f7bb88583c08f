import { z } from "zod";
import "./builtinTypes";
import {
  connectionSchema,
  instanceNodeSchema,
  nodeFieldsShape,
  sceneFileSchema,
  typedNodeSchema,
} from "./format";
import { getRegisteredNodeTypes } from "./registry";

/**
 * The JSON Schema of scene files, for editors (`"$schema": "./scene.schema.json"`), built from the same
 * zod schemas the loader validates with, plus one node variant per registered type so that `props`
 * complete and check per `"type"`. Types registered by a scene's scripts appear when those scripts are
 * imported before this is called.
 */
export function buildSceneJsonSchema(): Record<string, unknown> {
  const children = z
    .array(z.lazy(() => node))
    .optional()
    .describe(nodeFieldsShape.children.description ?? "");
  const variants = getRegisteredNodeTypes().map((type) =>
    typedNodeSchema
      .extend({
        type: z.literal(type.name),
        props: type.propsSchema.optional().describe(`Props of ${type.name}.`),
        children,
      })
      .meta({ id: `${type.name}Node` }),
  );
  // Types registered by scenes' scripts are unknown here: any other type name gets free-form props.
  const builtIn = getRegisteredNodeTypes().map((type) => type.name);
  const otherType = typedNodeSchema
    .extend({
      type: z.string().regex(new RegExp(`^(?!(${builtIn.join("|")})$)[A-Za-z_][A-Za-z0-9_]*$`)),
      children,
    })
    .meta({ id: "ScriptNode", description: "A node of a type registered by a scene's scripts." });
  const instance = instanceNodeSchema.extend({ children }).meta({ id: "InstanceNode" });
  const node: z.ZodType = z.union([...variants, otherType, instance]).meta({ id: "SceneNode" });
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
