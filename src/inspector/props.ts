import type { z } from "zod";
import { Node } from "../scene/Node";
import type { NodeTypeInfo } from "../loader/registry";
import { MAX_PROP_TEXT } from "./protocol";

/** How the page edits a prop: the kinds it has inputs for, or `other` (shown, not editable). */
export type PropKind = "number" | "int" | "boolean" | "string" | "enum" | "other";

export interface PropInfo {
  name: string;
  kind: PropKind;
  /** For `enum`: the members' names and the values the node holds. */
  options?: [name: string, value: string | number][];
  value: unknown;
  editable: boolean;
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "nonoptional"]);
const INT_FORMATS = new Set(["safeint", "int32", "uint32"]);
/** Props whose values may hold credentials (TLS keys, Authorization headers): never sent to the page. */
const SECRET = /tls|header|password|secret|token|credential|key|cookie|auth/i;
const MAX_TEXT = 300;

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; format?: string } & Record<string, unknown>;

function defOf(schema: z.ZodType): Def {
  return schema._zod.def as unknown as Def;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); WRAPPERS.has(def.type) && def.innerType; def = defOf(current))
    current = def.innerType;
  return current;
}

const described = new WeakMap<z.ZodType, Pick<PropInfo, "kind" | "options">>();

/** The page's input for a prop schema (zod v4 internals read through `_zod.def`); read once per schema. */
export function describeSchema(schema: z.ZodType): Pick<PropInfo, "kind" | "options"> {
  let description = described.get(schema);
  if (!description) {
    description = readSchema(schema);
    described.set(schema, description);
  }
  return description;
}

function readSchema(schema: z.ZodType): Pick<PropInfo, "kind" | "options"> {
  const inner = unwrap(schema);
  const def = defOf(inner);
  switch (def.type) {
    case "number":
      return { kind: def.format !== undefined && INT_FORMATS.has(def.format) ? "int" : "number" };
    case "boolean":
      return { kind: "boolean" };
    case "string":
      return { kind: "string" };
    case "enum": {
      const entries = def.entries as Record<string, string | number>;
      return { kind: "enum", options: Object.entries(entries) };
    }
    case "pipe": {
      // enumProp(): a literal of every member name followed by every value, mapped to the value.
      const input = def.in ? defOf(unwrap(def.in)) : undefined;
      const values = input?.type === "literal" ? (input.values as (string | number)[]) : undefined;
      if (values && values.length % 2 === 0) {
        const half = values.length / 2;
        const names = values.slice(0, half);
        if (names.every((name) => typeof name === "string"))
          return { kind: "enum", options: names.map((name, i) => [name as string, values[half + i]]) };
      }
      return { kind: "other" };
    }
    case "literal": {
      const values = def.values as unknown[];
      if (values.every((v) => typeof v === "string" || typeof v === "number"))
        return { kind: "enum", options: (values as (string | number)[]).map((v) => [String(v), v]) };
      return { kind: "other" };
    }
    default:
      return { kind: "other" };
  }
}

/** Every prop of the node's registered type, with its current value made safe to send. */
export function readProps(node: Node, info: NodeTypeInfo): PropInfo[] {
  const shape = info.propsSchema.shape as Record<string, z.ZodType>;
  const props: PropInfo[] = [];
  for (const [name, schema] of Object.entries(shape)) {
    const { kind, options } = describeSchema(schema);
    const secret = SECRET.test(name);
    const value = readProp(node, name);
    // An editable string goes whole: the page edits what it shows, and a shortened text would be
    // written back shortened. One longer than the page may send is shown shortened, read-only.
    const whole = kind === "string" && typeof value === "string" && value.length <= MAX_PROP_TEXT;
    const tooLong = kind === "string" && typeof value === "string" && !whole;
    props.push({
      name,
      kind,
      ...(options ? { options } : {}),
      value: secret ? hiddenValue(value) : whole ? value : sendable(value),
      editable: kind !== "other" && !info.nodePathProps.has(name) && !secret && !tooLong,
    });
  }
  return props;
}

function readProp(node: Node, name: string): unknown {
  try {
    return (node as unknown as Record<string, unknown>)[name];
  } catch (error) {
    return `‹getter threw: ${(error as Error)?.message ?? String(error)}›`;
  }
}

export type EditResult = { ok: true } | { ok: false; error: string };

/**
 * Sets `name` on `node` to `value` when the node type's props schema accepts it, as a scene file
 * would (the parsed value, e.g. an enum member's number, is what the node receives). Only props the
 * page can edit are accepted: no other key of the node can be reached this way.
 */
export function editProp(node: Node, info: NodeTypeInfo, name: string, value: unknown): EditResult {
  const shape = info.propsSchema.shape as Record<string, z.ZodType>;
  if (!Object.hasOwn(shape, name)) return { ok: false, error: `${info.name} has no prop "${name}".` };
  const schema = shape[name];
  const { kind } = describeSchema(schema);
  if (kind === "other" || info.nodePathProps.has(name) || SECRET.test(name))
    return { ok: false, error: `"${name}" can't be edited from the inspector.` };
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => i.message).join("; ") };
  try {
    (node as unknown as Record<string, unknown>)[name] = parsed.data;
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true };
}

/** A value as JSON can carry it: nodes by path, long text and big structures shortened. */
export function sendable(value: unknown): unknown {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "string":
      return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
    case "undefined":
      return null;
    case "bigint":
      return `${value}n`;
    case "function":
      return `‹function ${value.name || "anonymous"}›`;
    case "symbol":
      return value.toString();
  }
  if (value === null) return null;
  if (value instanceof Node) return value.isInsideTree() ? `‹${value.getPath()}›` : `‹${value.name}›`;
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (v instanceof Node ? `‹${v.name}›` : v)) ?? "";
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function hiddenValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "object") return `‹hidden: ${Object.keys(value).join(", ") || "empty"}›`;
  return "‹hidden›";
}
