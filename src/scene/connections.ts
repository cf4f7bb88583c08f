import type { GodotObject, SignalConnection } from "./GodotObject";

/** One connection of a signal of an object, as Godot's `Object::Connection`. */
export type ConnectionInfo = SignalConnection;

/** Every connection made on `object`'s signals, signal by signal (Godot's get_all_signal_connections). */
export function outgoingConnections(object: GodotObject): ConnectionInfo[] {
  return object.getSignalList().flatMap((info) => object.getSignalConnectionList(info.name));
}

/** Every connection of another object's signal to a `Callable` targeting `object`. */
export function incomingConnections(object: GodotObject): ConnectionInfo[] {
  return object.getIncomingConnections();
}
