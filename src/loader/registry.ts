import type { z } from "zod";
import { Node, type NodeClass } from "../scene/Node";
import { addClassSignals, classSignals } from "../core/signals/SignalSet";
import { nodePropsSchema } from "../nodes/nodeProps";
import { isNodePathSchema } from "../nodes/propSchemas";
import { clearStoredProps, setStoredProps } from "../scene/classInfo";
import { NodeTypeError } from "./registryError";

/** Signals every Node has (what `Node.signals` declares). */
export const NODE_SIGNALS: readonly string[] = Node.signals.names();

export interface NodeTypeOptions {
  /**
   * Signals to add to the class at run time, for a class that does not declare them with
   * `static signals` (they get no types that way). Its subclasses have them too.
   */
  signals?: readonly string[];
}

/** What a scene file may say about nodes of one type. */
export interface NodeTypeInfo {
  /** The name scene files use in `"type"`. */
  readonly name: string;
  readonly nodeClass: NodeClass;
  /** Strict zod object schema of the props; unknown props are errors. */
  readonly propsSchema: z.ZodObject;
  /** Signals declared when registering (without inherited ones; see {@link signalsOf}). */
  readonly ownSignals: readonly string[];
  /** Props made with `nodePathProp()`: resolved to nodes when the scene is instantiated. */
  readonly nodePathProps: ReadonlySet<string>;
}

const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Keys that could reach an object's prototype; never accepted as prop names. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * How many entries, over every registry, hold each class: the stored props of a class (what
 * `duplicate()` copies) are the class's, shared by all registries, so they go only with the last entry.
 */
const entriesOfClass = new WeakMap<NodeClass, number>();

type RegisterArgs<T extends Node> =
  [string, NodeClass<T>, z.ZodObject?, NodeTypeOptions?] | [NodeClass<T>, z.ZodObject?, NodeTypeOptions?];

/**
 * The node types scene files may name in `"type"`. `registerNodeType` and the loader use
 * {@link defaultNodeTypes}; give `loadScene`/`parseScene` (and `buildSceneJsonSchema`) `{ registry }`
 * to validate against another one, e.g. a test's or a plugin host's. Registries never see each other's
 * types. A new one is empty: `registerBuiltinNodeTypes(registry)` adds Node, Timer and the WebSocket nodes.
 */
export class NodeTypeRegistry {
  readonly #types = new Map<string, NodeTypeInfo>();

  /**
   * Makes `nodeClass` available to scene files as `"type": typeName`, with the props the file may set
   * (a zod object schema extending `nodePropsSchema`; each key is assigned to the node by the same
   * name) and the signals connections may name. Registering the same class again replaces its entry;
   * registering a different class under a taken name throws a {@link NodeTypeError}.
   */
  register<T extends Node>(
    typeName: string,
    nodeClass: NodeClass<T>,
    propsSchema?: z.ZodObject,
    options?: NodeTypeOptions,
  ): void;
  /** The same, named after the class (`register(Bot)` is `"type": "Bot"`, like Godot's `class_name`). */
  register<T extends Node>(
    nodeClass: NodeClass<T>,
    propsSchema?: z.ZodObject,
    options?: NodeTypeOptions,
  ): void;
  register<T extends Node>(...args: RegisterArgs<T>): void {
    const [typeName, nodeClass, propsSchema = nodePropsSchema, options = {}] =
      typeof args[0] === "function"
        ? [args[0].name, args[0], args[1] as z.ZodObject | undefined, args[2] as NodeTypeOptions | undefined]
        : (args as [string, NodeClass<T>, z.ZodObject?, NodeTypeOptions?]);
    if (typeof typeName !== "string" || !TYPE_NAME.test(typeName)) {
      throw new NodeTypeError(
        `registerNodeType: "${String(typeName)}" is not a valid type name (letters, digits and _).`,
      );
    }
    if (
      typeof nodeClass !== "function" ||
      !((nodeClass as unknown) === Node || nodeClass.prototype instanceof Node)
    ) {
      throw new NodeTypeError(`registerNodeType("${typeName}"): the class must extend Node.`);
    }
    const existing = this.#types.get(typeName);
    if (existing && existing.nodeClass !== nodeClass) {
      throw new NodeTypeError(
        `registerNodeType: "${typeName}" is already registered for class ${existing.nodeClass.name}.`,
      );
    }
    const shape = propsSchema.shape as Record<string, z.ZodType>;
    for (const key of Object.keys(nodePropsSchema.shape)) {
      if (!(key in shape)) {
        throw new NodeTypeError(
          `registerNodeType("${typeName}"): the props schema lacks "${key}"; build it with nodePropsSchema.extend({ ... }).`,
        );
      }
    }
    const nodePathProps = new Set<string>();
    for (const [key, schema] of Object.entries(shape)) {
      if (FORBIDDEN_KEYS.has(key))
        throw new NodeTypeError(`registerNodeType("${typeName}"): "${key}" can't be a prop name.`);
      if (isNodePathSchema(schema)) nodePathProps.add(key);
    }
    if (options.signals !== undefined && options.signals.length > 0)
      addClassSignals(nodeClass, options.signals);
    if (!existing)
      entriesOfClass.set(nodeClass as NodeClass, (entriesOfClass.get(nodeClass as NodeClass) ?? 0) + 1);
    this.#types.set(typeName, {
      name: typeName,
      nodeClass: nodeClass as NodeClass,
      // Strict whatever the caller built, so a misspelt prop is an error and not silently dropped.
      propsSchema: propsSchema.strict(),
      ownSignals: [...(options.signals ?? [])],
      nodePathProps,
    });
    // The props a scene may set are the ones the class stores: what `duplicate()` copies.
    setStoredProps(nodeClass, typeName, Object.keys(shape));
  }

  /** Removes a registration (tests and hot reloading use this). */
  unregister(typeName: string): boolean {
    const info = this.#types.get(typeName);
    if (!info) return false;
    const entries = (entriesOfClass.get(info.nodeClass) ?? 1) - 1;
    entriesOfClass.set(info.nodeClass, entries);
    if (entries === 0) clearStoredProps(info.nodeClass, typeName);
    return this.#types.delete(typeName);
  }

  get(typeName: string): NodeTypeInfo | undefined {
    return this.#types.get(typeName);
  }

  has(typeName: string): boolean {
    return this.#types.has(typeName);
  }

  /** Every registered type, sorted by name. */
  list(): NodeTypeInfo[] {
    return [...this.#types.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The registry `registerNodeType` fills and every load uses unless given `{ registry }`. */
export const defaultNodeTypes = new NodeTypeRegistry();

/**
 * Makes `nodeClass` available to scene files as `"type": typeName` in the default registry (see
 * {@link NodeTypeRegistry.register}).
 */
export function registerNodeType<T extends Node>(
  typeName: string,
  nodeClass: NodeClass<T>,
  propsSchema?: z.ZodObject,
  options?: NodeTypeOptions,
): void;
/** The same, named after the class (`registerNodeType(Bot)` is `"type": "Bot"`, like Godot's `class_name`). */
export function registerNodeType<T extends Node>(
  nodeClass: NodeClass<T>,
  propsSchema?: z.ZodObject,
  options?: NodeTypeOptions,
): void;
export function registerNodeType<T extends Node>(...args: RegisterArgs<T>): void {
  (defaultNodeTypes.register as (...a: RegisterArgs<T>) => void)(...args);
}

/** Removes a registration from the default registry (tests and hot reloading use this). */
export function unregisterNodeType(typeName: string): boolean {
  return defaultNodeTypes.unregister(typeName);
}

export function getNodeType(typeName: string): NodeTypeInfo | undefined {
  return defaultNodeTypes.get(typeName);
}

/** Every type of the default registry, sorted by name. */
export function getRegisteredNodeTypes(): NodeTypeInfo[] {
  return defaultNodeTypes.list();
}

/** Every signal nodes of `info` have: what its class declares (and inherits), as `hasSignal` sees it. */
export function signalsOf(info: NodeTypeInfo): Set<string> {
  return new Set(classSignals(info.nodeClass).names);
}

/** Names of the methods a connection may target on nodes of `info` (its prototype chain, up to Object). */
export function methodsOf(info: NodeTypeInfo): Set<string> {
  const methods = new Set<string>();
  for (
    let proto = info.nodeClass.prototype;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (FORBIDDEN_KEYS.has(name)) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (descriptor && typeof descriptor.value === "function") methods.add(name);
    }
  }
  return methods;
}
