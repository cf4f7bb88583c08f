import type { GodotObject } from "./GodotObject";
import type { Callable } from "./Callable";

/** One connection of a signal of an object, as Godot's `Object::Connection`. */
export interface ConnectionInfo {
  readonly source: GodotObject;
  readonly signal: string;
  readonly callable: unknown;
  readonly flags: number;
}

interface StoredConnection {
  callable: unknown;
  flags: number;
}

interface StoredIncoming {
  source: GodotObject;
  signal: string;
  callable: Callable;
}

// GodotObject keeps its connections private; duplicate() and replaceBy() need to list them the way
// Godot's get_all_signal_connections / get_signals_connected_to_this do, so this reads them here.
type Internals = {
  _connections?: Map<string, StoredConnection[]> | null;
  _incoming?: Set<StoredIncoming> | null;
};

/** Every connection made on `object`'s signals, signal by signal, in the order they were made. */
export function outgoingConnections(object: GodotObject): ConnectionInfo[] {
  const map = (object as unknown as Internals)._connections;
  const out: ConnectionInfo[] = [];
  if (!map) return out;
  for (const [signal, list] of map) {
    for (const { callable, flags } of list) out.push({ source: object, signal, callable, flags });
  }
  return out;
}

/** Every connection of another object's signal to a `Callable` targeting `object`. */
export function incomingConnections(object: GodotObject): ConnectionInfo[] {
  const set = (object as unknown as Internals)._incoming;
  const out: ConnectionInfo[] = [];
  if (!set) return out;
  for (const { source, signal, callable } of set) {
    const stored = (source as unknown as Internals)._connections?.get(signal);
    const match = stored?.find((c) => c.callable === callable);
    if (match) out.push({ source, signal, callable, flags: match.flags });
  }
  return out;
}
