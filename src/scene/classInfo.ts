/**
 * What the engine knows about node classes beyond their code: which props a class stores (the keys
 * of its registered props schema, Godot's storage properties, which `duplicate()` copies) and which
 * classes are the engine's own (what a copy falls back to without `DuplicateFlags.SCRIPTS`, as Godot
 * falls back to the native class when the script is not copied).
 */

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type AnyClass = Function;

/** Node's own stored props, known even when no scene type is registered. */
const NODE_PROPS: readonly string[] = ["processMode", "processPriority", "processPhysicsPriority"];

const storedProps = new Map<AnyClass, { typeName: string; keys: readonly string[] }>();
const engineClasses = new Set<AnyClass>();
/** Every name `registerNodeType` gave each class (Godot's script `class_name`s, for type filters). */
const typeNames = new Map<AnyClass, Set<string>>();

/** Records the props `typeName` stores for `nodeClass` (called by `registerNodeType`). */
export function setStoredProps(nodeClass: AnyClass, typeName: string, keys: readonly string[]): void {
  storedProps.set(nodeClass, { typeName, keys: [...keys] });
  let names = typeNames.get(nodeClass);
  if (!names) typeNames.set(nodeClass, (names = new Set()));
  names.add(typeName);
}

/** Forgets what `typeName` recorded (called by `unregisterNodeType`). */
export function clearStoredProps(nodeClass: AnyClass, typeName: string): void {
  if (storedProps.get(nodeClass)?.typeName === typeName) storedProps.delete(nodeClass);
  const names = typeNames.get(nodeClass);
  names?.delete(typeName);
  if (names?.size === 0) typeNames.delete(nodeClass);
}

/**
 * Whether `object` is of the class named `type`, as Godot's `is_class` or a script's `class_name`: a
 * class up its prototype chain has that name, or was registered as a node type under it; every node
 * is an "Object".
 */
export function isOfClassNamed(object: object, type: string): boolean {
  if (type === "Object") return true;
  for (let proto = Object.getPrototypeOf(object); proto && proto !== Object.prototype;) {
    const nodeClass = proto.constructor as AnyClass;
    if (nodeClass?.name === type || typeNames.get(nodeClass)?.has(type)) return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}

/** The stored props of `object`'s class: those of the nearest registered class up its prototype chain. */
export function storedPropsOf(object: object): readonly string[] {
  for (let proto = Object.getPrototypeOf(object); proto && proto !== Object.prototype;) {
    const entry = storedProps.get(proto.constructor);
    if (entry) return entry.keys;
    proto = Object.getPrototypeOf(proto);
  }
  return NODE_PROPS;
}

/** Marks `nodeClass` as one of the engine's own node classes. */
export function markEngineClass(nodeClass: AnyClass): void {
  engineClasses.add(nodeClass);
}

/** The nearest engine class of `object` (Node at worst), as Godot's `get_class()` without the script. */
export function engineClassOf<T>(object: object, fallback: T): T {
  for (let proto = Object.getPrototypeOf(object); proto && proto !== Object.prototype;) {
    if (engineClasses.has(proto.constructor)) return proto.constructor as T;
    proto = Object.getPrototypeOf(proto);
  }
  return fallback;
}
