import { SceneTreeError } from "../../core/errors";

type Bag = Record<string, unknown>;

/**
 * A tweened property, as Godot's `get_indexed` / `set_indexed` see a property path: `"position"` or
 * `"position:x"` (a component of the property's value).
 */
export class PropertyPath {
  readonly names: readonly string[];

  constructor(readonly text: string) {
    this.names = text.split(":");
    if (this.names.some((name) => name === "")) {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `Invalid property path "${text}".`);
    }
  }

  /** Whether every name along the path exists on `target` (own, inherited, or an accessor). */
  existsOn(target: object): boolean {
    let value: unknown = target;
    for (const name of this.names) {
      if (typeof value !== "object" || value === null || !(name in value)) return false;
      value = (value as Bag)[name];
    }
    return true;
  }

  get(target: object): unknown {
    let value: unknown = target;
    for (const name of this.names) value = (value as Bag)[name];
    return value;
  }

  /**
   * Sets the value at the path. For `"position:x"` the property is assigned again after its component
   * changes, as Godot does, so an accessor on `position` sees the change; a plain-object value is copied
   * first, so the tween never writes into an object someone else holds.
   */
  set(target: object, value: unknown): void {
    this.setAt(target as Bag, 0, value);
  }

  private setAt(holder: Bag, index: number, value: unknown): void {
    const name = this.names[index];
    if (index === this.names.length - 1) {
      holder[name] = value;
      return;
    }
    const current = holder[name] as Bag;
    const inner = Object.getPrototypeOf(current) === Object.prototype ? { ...current } : current;
    this.setAt(inner, index + 1, value);
    holder[name] = inner;
  }

  toString(): string {
    return this.text;
  }
}
