import { SceneTreeError } from "../core/errors";
import { Node } from "../scene/Node";
import { DUPLICATE_STATE } from "../scene/duplicate";

/** What `createInstance` builds from: a `PackedScene`, or anything else that instantiates a node. */
export interface InstantiableScene {
  instantiate(): Node;
}

/**
 * How a placeholder loads its scene and sets its stored values, given by the scene loader when it
 * makes the placeholder (nodes don't depend on the loader).
 */
export interface PlaceholderLoader {
  /** The scene at `path`, read and validated synchronously. */
  load(path: string): InstantiableScene;
  /**
   * Sets the stored values on the new instance as a scene file's props would be; `resolve` finds the
   * node a NodePath value names, inside the instance first, then from the placeholder (as Godot does).
   */
  assign(instance: Node, values: ReadonlyArray<readonly [string, unknown]>, resolve: NodeResolver): void;
}

export type NodeResolver = (path: string) => Node | null;

const loaders = new WeakMap<InstancePlaceholder, PlaceholderLoader>();

/** @internal Gives a placeholder its loader (the scene loader does, when it builds one). */
export function setPlaceholderLoader(placeholder: InstancePlaceholder, loader: PlaceholderLoader): void {
  loaders.set(placeholder, loader);
}

/**
 * Godot's `InstancePlaceholder`: what a scene entry loaded as placeholder (`"placeholder": true`) is
 * until the game wants it. It holds the sub-scene's path and the props the entry set on it;
 * `createInstance()` loads and builds the sub-scene then, with those props, in the placeholder's place.
 */
export class InstancePlaceholder extends Node {
  #instancePath = "";
  readonly #storedValues: Array<[string, unknown]> = [];

  /** The scene file `createInstance()` loads (absolute when the loader made the placeholder). */
  getInstancePath(): string {
    return this.#instancePath;
  }

  /** Sets the scene file `createInstance()` loads. */
  setInstancePath(path: string): void {
    this.#instancePath = path;
  }

  /** Stores a value to set on the instance (Godot's placeholder keeps any property it is given). */
  override set(property: string, value: unknown): boolean {
    const known = this.#storedValues.find(([name]) => name === property);
    if (known) known[1] = value;
    else this.#storedValues.push([property, value]);
    return true;
  }

  /** A stored value, else the placeholder's own property (null when it has none), as Godot's `get`. */
  override get(property: string): unknown {
    const known = this.#storedValues.find(([name]) => name === property);
    return known ? known[1] : super.get(property);
  }

  /**
   * The stored values by name; with `withOrder`, also `".order"`: their names in the order they are
   * set on the instance (Godot's `get_stored_values`).
   */
  getStoredValues(withOrder = false): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name, value] of this.#storedValues) values[name] = value;
    if (withOrder) values[".order"] = this.#storedValues.map(([name]) => name);
    return values;
  }

  /**
   * @internal `duplicate()`: the copy gets the path, the stored values and the loader, so it creates
   * the same instance (Godot's `_duplicate` sets the path; the stored values are the placeholder's
   * storage properties, which `_duplicate_properties` copies, a node of the copied branch remapped).
   */
  [DUPLICATE_STATE](copy: object, copyValue: (value: unknown) => unknown): void {
    if (!(copy instanceof InstancePlaceholder)) return;
    copy.#instancePath = this.#instancePath;
    for (const [name, value] of this.#storedValues) copy.set(name, copyValue(value));
    const loader = loaders.get(this);
    if (loader) loaders.set(copy, loader);
  }

  /**
   * Builds the scene (`customScene`, or the file at {@link getInstancePath}, loaded synchronously),
   * names its root like the placeholder, sets the stored values on it, and adds it to the placeholder's
   * parent at the placeholder's index, as Godot 4 does. With `replace`, the placeholder is removed and
   * freed (queued), so the instance takes its place and name. Returns the new node. The placeholder
   * must be in the tree (`ERR_NOT_IN_TREE`); a scene that fails to load throws its `SceneError`.
   */
  createInstance(replace = false, customScene?: InstantiableScene): Node {
    if (!this.isInsideTree())
      throw new SceneTreeError(
        "ERR_NOT_IN_TREE",
        `createInstance() on "${this.name}": the placeholder must be inside the tree.`,
      );
    const base = this.getParent()!;
    const loader = loaders.get(this);
    let scene = customScene;
    if (!scene) {
      if (!loader)
        throw new SceneTreeError(
          "ERR_INVALID_ARGUMENT",
          `createInstance() on "${this.name}": no scene given and no loader; pass a PackedScene, or load the placeholder from a scene file.`,
        );
      scene = loader.load(this.#instancePath);
    }
    const instance = scene.instantiate();
    instance.name = this.name;
    const position = this.getIndex();
    const resolve: NodeResolver = (path) => instance.getNodeOrNull(path) ?? this.getNodeOrNull(path);
    try {
      if (loader) loader.assign(instance, this.#storedValues, resolve);
      else
        for (const [name, value] of this.#storedValues)
          (instance as unknown as Record<string, unknown>)[name] = value;
    } catch (error) {
      instance.free();
      throw error;
    }
    if (replace) {
      this.queueFree();
      base.removeChild(this);
    }
    base.addChild(instance);
    base.moveChild(instance, position);
    return instance;
  }
}
