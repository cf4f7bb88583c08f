import { once, type EventEmitter } from "node:events";
import type { SignalMapOf } from "../core/signals/SignalEmitter";

/** The signal names `toSignal` accepts for `O`: those its class declares, or any for another emitter. */
export type SignalNameOf<O> = [SignalMapOf<O>] extends [never] ? string : keyof SignalMapOf<O> & string;

/** What `toSignal(emitter, signal)` resolves with: the signal's arguments as its class declares them. */
export type SignalArgumentsOf<O, E> = [SignalMapOf<O>] extends [never]
  ? unknown[]
  : E extends keyof SignalMapOf<O>
    ? SignalMapOf<O>[E] extends (...args: infer A) => unknown
      ? A
      : unknown[]
    : unknown[];

/**
 * Waits for `signal` on `emitter` and resolves with its arguments, like Godot C#'s `ToSignal` (GDScript's
 * `await obj.signal`): typed by the signals the emitter's class declares (a misspelt name does not
 * compile); any name and `unknown[]` for another EventEmitter. Plain `events.once(node, "ready")` works
 * too; this only names the idiom.
 */
export function toSignal<O extends object, E extends SignalNameOf<O>>(
  emitter: O,
  signal: E,
): Promise<SignalArgumentsOf<O, E>> {
  return once(emitter as EventEmitter, signal) as Promise<SignalArgumentsOf<O, E>>;
}
