/**
 * Just enough of JSON Schema (2020-12) to check a value against the scene schema the way an editor
 * would: the keywords `buildSceneJsonSchema` emits. An unknown keyword throws, so a schema that grows a
 * new one cannot make a check pass by being ignored.
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(["$schema", "$id", "title", "description", "$defs", "default"]);

/** How many (sub)schemas the checks evaluated, in all: what an editor's work grows with. */
export const checkStats = { evaluated: 0 };

/** Whether `value` is valid against `root` (refs resolve against `root.$defs`). */
export function matchesSchema(root: Schema, value: unknown): boolean {
  return check(root, root, value);
}

function check(root: Schema, schema: Schema, value: unknown): boolean {
  checkStats.evaluated++;
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (!KEYWORDS[keyword]) throw new Error(`jsonSchemaCheck: unsupported keyword "${keyword}"`);
    if (!KEYWORDS[keyword](arg, value, root, schema)) return false;
  }
  return true;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const TYPES: Record<string, (v: unknown) => boolean> = {
  object: isObject,
  array: Array.isArray,
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === "boolean",
  null: (v) => v === null,
};

const KEYWORDS: Record<string, (arg: unknown, value: unknown, root: Schema, schema: Schema) => boolean> = {
  $ref: (ref, value, root) => {
    const name = /^#\/\$defs\/(.+)$/.exec(String(ref))?.[1];
    const target = name ? (root.$defs as Record<string, Schema>)[name] : ref === "#" ? root : undefined;
    if (!target) throw new Error(`jsonSchemaCheck: can't resolve ${String(ref)}`);
    return check(root, target, value);
  },
  anyOf: (list, value, root) => (list as Schema[]).some((s) => check(root, s, value)),
  allOf: (list, value, root) => (list as Schema[]).every((s) => check(root, s, value)),
  type: (type, value) => [type].flat().some((t) => TYPES[t as string](value)),
  const: (expected, value) => JSON.stringify(expected) === JSON.stringify(value),
  enum: (list, value) => (list as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value)),
  pattern: (pattern, value) => typeof value !== "string" || new RegExp(String(pattern), "u").test(value),
  minLength: (min, value) => typeof value !== "string" || [...value].length >= (min as number),
  minimum: (min, value) => typeof value !== "number" || value >= (min as number),
  maximum: (max, value) => typeof value !== "number" || value <= (max as number),
  exclusiveMinimum: (min, value) => typeof value !== "number" || value > (min as number),
  items: (items, value, root) => !Array.isArray(value) || value.every((v) => check(root, items as Schema, v)),
  required: (keys, value) => !isObject(value) || (keys as string[]).every((k) => k in value),
  properties: (props, value, root) =>
    !isObject(value) ||
    Object.entries(props as Record<string, Schema>).every(
      ([k, s]) => !(k in value) || check(root, s, value[k]),
    ),
  propertyNames: (names, value, root) =>
    !isObject(value) || Object.keys(value).every((k) => check(root, names as Schema, k)),
  additionalProperties: (extra, value, root, schema) => {
    if (!isObject(value)) return true;
    const declared = new Set(Object.keys((schema.properties as Schema | undefined) ?? {}));
    return Object.entries(value).every(
      ([k, v]) => declared.has(k) || (extra === false ? false : check(root, extra as Schema, v)),
    );
  },
};
