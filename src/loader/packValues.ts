import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";

/** What {@link jsonValue} returns for a value JSON has no form for. */
export const NOT_JSON: unique symbol = Symbol("not JSON");

/**
 * `value` as JSON data: strings, booleans, finite numbers, null, arrays and plain objects of those.
 * Anything else (undefined, NaN, a class instance, a Map, a function, a cycle) is {@link NOT_JSON}:
 * the scene file could not hold it.
 */
export function jsonValue(value: unknown, seen: Set<object> = new Set()): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : NOT_JSON;
  if (typeof value !== "object" || seen.has(value)) return NOT_JSON;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        const json = jsonValue(item, seen);
        if (json === NOT_JSON) return NOT_JSON;
        out.push(json);
      }
      return out;
    }
    if (!isPlainObject(value)) return NOT_JSON;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const json = jsonValue(item, seen);
      if (json === NOT_JSON) return NOT_JSON;
      out[key] = json;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * How a prop's current `value` is written so that loading it gives `value` back: its JSON form, checked
 * against the prop's schema; an enum number is written as its member's name when the schema takes one
 * (`"ALWAYS"`, as Godot's inspector shows it). {@link NOT_JSON} when no JSON form loads as `value`.
 */
export function writtenProp(schema: z.ZodType, value: unknown): unknown {
  const json = jsonValue(value);
  if (json === NOT_JSON) return NOT_JSON;
  if (typeof value === "number") {
    for (const name of literalNames(schema)) if (loadsAs(schema, name, value)) return name;
  }
  return loadsAs(schema, json, value) ? json : NOT_JSON;
}

/** Whether the loader, parsing `written` with `schema`, assigns `value`. */
function loadsAs(schema: z.ZodType, written: unknown, value: unknown): boolean {
  const parsed = schema.safeParse(written);
  return parsed.success && sameValue(parsed.data, value);
}

/**
 * Whether two prop values are the same data (as a scene file can tell them apart): plain objects and
 * arrays compared by content, whatever realm made them (the loader copies values with `structuredClone`), anything else strictly.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  // 0 and -0 are one value in a JSON file; NaN is the same as NaN.
  if (a === b || Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every(
      (key) =>
        Object.hasOwn(b, key) &&
        sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    );
  }
  return isDeepStrictEqual(a, b);
}

/** `{ ... }` data: an object whose prototype is an `Object.prototype` (of any realm) or null. */
function isPlainObject(value: object): boolean {
  if (Object.prototype.toString.call(value) !== "[object Object]") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "nonoptional"]);

/** The string literals a schema accepts (an `enumProp`'s member names), through wrappers and pipes. */
function literalNames(schema: z.ZodType): string[] {
  let current: z.ZodType | undefined = schema;
  for (let hops = 0; current && hops < 16; hops++) {
    const def = current._zod.def as {
      type: string;
      innerType?: z.ZodType;
      in?: z.ZodType;
      values?: readonly unknown[];
    };
    if (def.type === "literal") return (def.values ?? []).filter((v): v is string => typeof v === "string");
    current = WRAPPERS.has(def.type) ? def.innerType : def.type === "pipe" ? def.in : undefined;
  }
  return [];
}
