import { once, type EventEmitter } from "node:events";

/**
 * Waits for `signal` on `emitter` and resolves with its arguments, like Godot C#'s `ToSignal` (GDScript's
 * `await obj.signal`). Plain `events.once(node, "ready")` works too; this only names the idiom.
 */
export function toSignal(emitter: EventEmitter | object, signal: string): Promise<unknown[]> {
  return once(emitter as EventEmitter, signal);
}
