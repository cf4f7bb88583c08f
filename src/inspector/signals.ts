import { Node } from "../scene/Node";
import { Callable } from "../scene/Callable";
import { NODE_SIGNALS, getRegisteredNodeTypes, signalsOf } from "../scene/loader/registry";
import { typeInfoOf } from "./nodeTypes";
import { isOwnListener } from "./ownListeners";

export interface SignalView {
  name: string;
  /** One line per connection: what it calls. */
  connections: string[];
}

/** Godot's introspection where the object has it (`getSignalList`, `getSignalConnectionList`). */
interface SignalIntrospection {
  getSignalList?(): { name: string }[];
  getSignalConnectionList?(signal: string): { callable: unknown }[];
  listeners(signal: string): unknown[];
}

/**
 * The node's signals with what each is connected to, leaving out the inspector's own listeners. Uses
 * the object's own signal list when it has one, else the registry's for its type.
 */
export function describeSignals(node: Node): SignalView[] {
  const object = node as unknown as SignalIntrospection;
  const names =
    typeof object.getSignalList === "function"
      ? object.getSignalList().map((info) => info.name)
      : signalNamesFromRegistry(node);
  return names.map((name) => {
    const callables =
      typeof object.getSignalConnectionList === "function"
        ? object.getSignalConnectionList(name).map((connection) => connection.callable)
        : object.listeners(name);
    return {
      name,
      connections: callables.filter((c) => !isOwnListener(c)).map(describeCallable),
    };
  });
}

/** Per type: its signal names, and how many types were registered when they were listed. */
const namesByType = new WeakMap<object, { registered: number; names: string[] }>();

function signalNamesFromRegistry(node: Node): string[] {
  const info = typeInfoOf(node);
  if (!info) return [...NODE_SIGNALS];
  const registered = getRegisteredNodeTypes().length; // a type registered since may add signals
  let entry = namesByType.get(info);
  if (!entry || entry.registered !== registered) {
    entry = { registered, names: [...signalsOf(info)] };
    namesByType.set(info, entry);
  }
  return entry.names;
}

function describeCallable(callable: unknown): string {
  if (callable instanceof Callable) {
    const target = callable.target;
    const where =
      target instanceof Node && target.isInsideTree() ? target.getPath() : target.constructor.name;
    const bound = callable.boundArgs.length > 0 ? ` (+${callable.boundArgs.length} bound)` : "";
    return `${where} → ${callable.method}()${bound}`;
  }
  if (typeof callable === "function") return callable.name ? `${callable.name}()` : "anonymous function";
  return String(callable);
}
