/**
 * A parsed node path, as Godot's NodePath: `A/B`, `.`, `..`, `../Sibling`, absolute `/root/Main/A`,
 * and `%Name` for a node marked unique in its owner's scene. A `:property` suffix (subnames) is kept
 * but not interpreted by `getNode`.
 */
export class NodePath {
  readonly absolute: boolean;
  readonly names: readonly string[];
  readonly subnames: readonly string[];
  private readonly text: string;

  constructor(path: string) {
    const colon = path.indexOf(":");
    const namePart = colon === -1 ? path : path.slice(0, colon);
    this.subnames =
      colon === -1
        ? []
        : path
            .slice(colon + 1)
            .split(":")
            .filter(Boolean);
    this.absolute = namePart.startsWith("/");
    this.names = namePart.split("/").filter((segment) => segment.length > 0);
    this.text = path;
  }

  static from(path: string | NodePath): NodePath {
    return path instanceof NodePath ? path : new NodePath(path);
  }

  isAbsolute(): boolean {
    return this.absolute;
  }

  isEmpty(): boolean {
    return !this.absolute && this.names.length === 0 && this.subnames.length === 0;
  }

  getNameCount(): number {
    return this.names.length;
  }

  getName(index: number): string {
    return this.names[index];
  }

  toString(): string {
    return this.text;
  }
}
