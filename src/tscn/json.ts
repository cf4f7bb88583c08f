import type { TscnValue } from "./values";

/** Thrown by {@link toJson} for a value JSON can't hold (infinity, NaN, an integer past 2^53, an Object(...)). */
export class Unrepresentable extends Error {}

/** How resource references become JSON; the converter knows the file's resources. */
export interface ResourceResolver {
  ext(id: string): unknown;
  sub(id: string): unknown;
}

const VECTOR_FIELDS: Record<string, readonly string[]> = {
  Vector2: ["x", "y"],
  Vector2i: ["x", "y"],
  Vector3: ["x", "y", "z"],
  Vector3i: ["x", "y", "z"],
  Vector4: ["x", "y", "z", "w"],
  Vector4i: ["x", "y", "z", "w"],
  Quat: ["x", "y", "z", "w"],
  Quaternion: ["x", "y", "z", "w"],
  Color: ["r", "g", "b", "a"],
};

/** Packed arrays of vectors: how many numbers make one element, and its constructor. */
const PACKED_VECTORS: Record<string, string> = {
  PoolVector2Array: "Vector2",
  PackedVector2Array: "Vector2",
  PoolVector3Array: "Vector3",
  PackedVector3Array: "Vector3",
  PackedVector4Array: "Vector4",
  PoolColorArray: "Color",
  PackedColorArray: "Color",
};

const PACKED_SCALARS = new Set([
  "PoolStringArray",
  "PackedStringArray",
  "PoolIntArray",
  "PackedInt32Array",
  "PackedInt64Array",
  "PoolRealArray",
  "PackedFloat32Array",
  "PackedFloat64Array",
  "PoolByteArray",
]);

/**
 * The JSON form of a `.tscn` value: vectors and colors as plain objects (`{x,y}`, `{r,g,b,a}`), Rect2
 * and AABB as `{position, size}`, packed arrays as arrays, StringName and NodePath as strings,
 * dictionaries as objects. Throws {@link Unrepresentable} for what JSON has no form for.
 */
export function toJson(value: TscnValue, resources: ResourceResolver): unknown {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Unrepresentable(`${value} can't be written in JSON`);
    return value;
  }
  switch (value.kind) {
    case "stringName":
      return value.value;
    case "nodePath":
      return value.path;
    case "array":
      return value.items.map((item) => toJson(item, resources));
    case "dictionary": {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [key, item] of value.entries) {
        const k = toJson(key, resources);
        if (typeof k !== "string" && typeof k !== "number" && typeof k !== "boolean")
          throw new Unrepresentable("a dictionary key that is not a string or a number");
        out[String(k)] = toJson(item, resources);
      }
      return { ...out };
    }
    case "extResource":
      return resources.ext(value.id);
    case "subResource":
      return resources.sub(value.id);
    case "object":
      throw new Unrepresentable(`Object(${value.className}, ...) has no JSON form`);
    case "bigInteger":
      throw bigInteger(value.text);
    case "call":
      return callToJson(value.name, value.args, resources);
  }
}

function numbers(name: string, args: TscnValue[], count?: number): number[] {
  if (count !== undefined && args.length !== count)
    throw new Unrepresentable(`${name}(...) with ${args.length} values`);
  return args.map((arg) => {
    if (arg !== null && typeof arg === "object" && arg.kind === "bigInteger") throw bigInteger(arg.text);
    if (typeof arg !== "number") throw new Unrepresentable(`${name}(...) with a value that is not a number`);
    if (!Number.isFinite(arg)) throw new Unrepresentable(`${name}(...) holding ${arg}`);
    return arg;
  });
}

/** Past ±2^53 a JSON number (a double once read) rounds: the value would change, silently. */
function bigInteger(text: string): Unrepresentable {
  return new Unrepresentable(
    `${text} is an integer a JSON number can't hold exactly (it would become ${Number(text)})`,
  );
}

function vector(fields: readonly string[], values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  fields.forEach((field, i) => (out[field] = values[i]));
  return out;
}

function callToJson(name: string, args: TscnValue[], resources: ResourceResolver): unknown {
  const fields = VECTOR_FIELDS[name];
  if (fields) {
    // Godot 3 writes Color(r, g, b, a); Color with 3 values means opaque.
    const n = numbers(name, args);
    if (name === "Color" && n.length === 3) n.push(1);
    if (n.length !== fields.length) throw new Unrepresentable(`${name}(...) with ${n.length} values`);
    return vector(fields, n);
  }
  switch (name) {
    case "Rect2":
    case "Rect2i":
    case "AABB": {
      const size = name === "AABB" ? 3 : 2;
      const n = numbers(name, args, size * 2);
      const axes = size === 3 ? ["x", "y", "z"] : ["x", "y"];
      return { position: vector(axes, n.slice(0, size)), size: vector(axes, n.slice(size)) };
    }
    case "Plane": {
      const n = numbers(name, args, 4);
      return { normal: vector(["x", "y", "z"], n), d: n[3] };
    }
    case "Transform2D": {
      const n = numbers(name, args, 6);
      return {
        x: vector(["x", "y"], n),
        y: vector(["x", "y"], n.slice(2)),
        origin: vector(["x", "y"], n.slice(4)),
      };
    }
    case "Basis": {
      const n = numbers(name, args, 9);
      const xyz = ["x", "y", "z"];
      return { x: vector(xyz, n), y: vector(xyz, n.slice(3)), z: vector(xyz, n.slice(6)) };
    }
    case "Transform":
    case "Transform3D": {
      const n = numbers(name, args, 12);
      const xyz = ["x", "y", "z"];
      return {
        basis: { x: vector(xyz, n), y: vector(xyz, n.slice(3)), z: vector(xyz, n.slice(6)) },
        origin: vector(xyz, n.slice(9)),
      };
    }
  }
  const element = PACKED_VECTORS[name];
  if (element) {
    const width = VECTOR_FIELDS[element].length;
    const n = numbers(name, args);
    if (n.length % width !== 0) throw new Unrepresentable(`${name}(...) with ${n.length} values`);
    const out: Array<Record<string, number>> = [];
    for (let i = 0; i < n.length; i += width) out.push(vector(VECTOR_FIELDS[element], n.slice(i, i + width)));
    return out;
  }
  if (name === "PackedByteArray") {
    // Godot 4.3+ writes bytes as one base64 string; earlier versions as numbers.
    if (args.length === 1 && typeof args[0] === "string") return [...Buffer.from(args[0], "base64")];
    return numbers(name, args);
  }
  if (PACKED_SCALARS.has(name)) return args.map((arg) => toJson(arg, resources));
  throw new Unrepresentable(`${name}(...) has no JSON form in scenetree`);
}
