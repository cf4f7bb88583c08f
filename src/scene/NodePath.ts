import { SceneTreeError } from "../core/errors";

/**
 * A parsed node path, as Godot's NodePath (core/string/node_path.cpp): node names separated by `/`
 * (`A/B`, `.`, `..`, `../Sibling`, absolute `/root/Main/A`, `%Name` for a node marked unique in its
 * owner's scene), then optional subnames after `:` naming a property and its parts (`Sprite:position:x`).
 * `getNode` follows the names and ignores the subnames; `Node.getNodeAndResource` reads them.
 */
export class NodePath {
  readonly absolute: boolean;
  readonly names: readonly string[];
  readonly subnames: readonly string[];

  /** Parses `path`; an empty subname in the middle (`A::b`) is an error, a trailing `:` is allowed. */
  constructor(path = "") {
    const text = String(path);
    const colon = text.indexOf(":");
    const subnames: string[] = [];
    if (colon !== -1) {
      const parts = text.slice(colon + 1).split(":");
      for (let i = 0; i < parts.length; i++) {
        if (parts[i].length > 0) subnames.push(parts[i]);
        else if (i < parts.length - 1) {
          throw new SceneTreeError(
            "ERR_INVALID_ARGUMENT",
            `Invalid NodePath "${text}": a subname between two ":" is empty.`,
          );
        }
      }
    }
    const namePart = colon === -1 ? text : text.slice(0, colon);
    this.absolute = namePart.startsWith("/");
    this.names = namePart.split("/").filter((segment) => segment.length > 0);
    this.subnames = subnames;
  }

  static from(path: string | NodePath): NodePath {
    return path instanceof NodePath ? path : new NodePath(path);
  }

  /** Builds a path from its parts, as Godot's `NodePath(names, subnames, absolute)` constructor. */
  static fromParts(names: readonly string[], subnames: readonly string[] = [], absolute = false): NodePath {
    const path = new NodePath();
    const writable = path as { absolute: boolean; names: readonly string[]; subnames: readonly string[] };
    writable.absolute = absolute;
    writable.names = names.slice();
    writable.subnames = subnames.slice();
    return path;
  }

  isAbsolute(): boolean {
    return this.absolute;
  }

  /** True for the path of nothing (`""`); `"/"` is absolute and so not empty, as in Godot. */
  isEmpty(): boolean {
    return !this.absolute && this.names.length === 0 && this.subnames.length === 0;
  }

  getNameCount(): number {
    return this.names.length;
  }

  /** The node name at `index` (0-based, no negative indices); out of range is an `ERR_OUT_OF_RANGE`. */
  getName(index: number): string {
    return at(this.names, index, "name", this);
  }

  getSubnameCount(): number {
    return this.subnames.length;
  }

  /** The subname at `index`; out of range is an `ERR_OUT_OF_RANGE`. */
  getSubname(index: number): string {
    return at(this.subnames, index, "subname", this);
  }

  /** Names and subnames together (Godot's `get_total_name_count`). */
  getTotalNameCount(): number {
    return this.names.length + this.subnames.length;
  }

  /** The names joined by `/`, without the leading `/` of an absolute path. */
  getConcatenatedNames(): string {
    return this.names.join("/");
  }

  /** The subnames joined by `:`. */
  getConcatenatedSubnames(): string {
    return this.subnames.join(":");
  }

  /**
   * The path as a property path relative to the current node: `A/B:c` becomes `:A/B:c`, the names
   * turning into the first subname (an absolute path loses its `/`, as in Godot).
   */
  getAsPropertyPath(): NodePath {
    if (this.names.length === 0) return this;
    return NodePath.fromParts([], [this.names.join("/"), ...this.subnames], false);
  }

  /**
   * The entries from `begin` (inclusive) to `end` (exclusive) over names then subnames; negative
   * indices count from the end and both are clamped. The slice is absolute only if it starts at 0.
   */
  slice(begin: number, end = 2147483647): NodePath {
    const nameCount = this.names.length;
    const total = this.getTotalNameCount();
    let from = clamp(Math.trunc(begin), -total, total);
    if (from < 0) from += total;
    let to = clamp(Math.trunc(end), -total, total);
    if (to < 0) to += total;
    const names = this.names.slice(from, Math.max(to, from));
    const subFrom = Math.max(from - nameCount, 0);
    const subTo = Math.max(to - nameCount, 0);
    const subnames = this.subnames.slice(subFrom, Math.max(subTo, subFrom));
    return NodePath.fromParts(names, subnames, this.absolute && from === 0);
  }

  /** Godot's `==`: same absoluteness, names and subnames. */
  equals(other: NodePath | string): boolean {
    const path = NodePath.from(other);
    return (
      path.absolute === this.absolute &&
      sameStrings(path.names, this.names) &&
      sameStrings(path.subnames, this.subnames)
    );
  }

  /** The path written the canonical way (`A//B:` reads back as `A/B`), as Godot's `String(path)`. */
  toString(): string {
    const names = (this.absolute ? "/" : "") + this.names.join("/");
    return this.subnames.length > 0 ? `${names}:${this.subnames.join(":")}` : names;
  }
}

function at(list: readonly string[], index: number, what: string, path: NodePath): string {
  if (!Number.isInteger(index) || index < 0 || index >= list.length) {
    throw new SceneTreeError(
      "ERR_OUT_OF_RANGE",
      `NodePath "${path.toString()}" has no ${what} ${index}: it has ${list.length} (indices 0 to ${list.length - 1}).`,
    );
  }
  return list[index];
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
