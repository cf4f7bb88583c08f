import { Node } from "../scene/Node";
import { Callable } from "../scene/Callable";
import { isOwnListener } from "./ownListeners";

export interface SignalView {
  name: string;
  /** One line per connection: what it calls. */
  connections: string[];
}

/**
 * The node's signals (Godot's `get_signal_list`) with what each is connected to
 * (`get_signal_connection_list`), leaving out the inspector's own listeners.
 */
export function describeSignals(node: Node): SignalView[] {
  return node.getSignalList().map(({ name }) => ({
    name,
    connections: node
      .getSignalConnectionList(name)
      .map((connection) => connection.callable)
      .filter((callable) => !isOwnListener(callable))
      .map(describeCallable),
  }));
}

function describeCallable(callable: unknown): string {
  if (callable instanceof Callable) {
    const target = callable.target;
    const where =
      target instanceof Node && target.isInsideTree() ? target.getPath() : target.constructor.name;
    const count = callable.getBoundArgumentsCount();
    const bound = count > 0 ? ` (+${count} bound)` : "";
    return `${where} → ${callable.method}()${bound}`;
  }
  if (typeof callable === "function") return callable.name ? `${callable.name}()` : "anonymous function";
  return String(callable);
}
