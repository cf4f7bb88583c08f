import type { MessageQueue } from "./MessageQueue";
import type { GodotObject } from "./GodotObject";
import type { Tween } from "./tween/Tween";

/**
 * What objects outside any tree need from "the" running tree: somewhere to queue deferred calls and
 * deletions, and somewhere to report errors. Godot uses its SceneTree singleton for this; we use the
 * most recently created tree that has not been finalized.
 */
export interface TreeContext {
  readonly messageQueue: MessageQueue;
  /** `path` names the source when it was captured earlier (the default is the source's path now). */
  reportError(source: GodotObject | null, what: string, error: unknown, path?: string): void;
  queueDelete(object: GodotObject): void;
  createTween(): Tween;
}

const live: TreeContext[] = [];

export function registerTreeContext(context: TreeContext): void {
  live.push(context);
}

export function unregisterTreeContext(context: TreeContext): void {
  const index = live.indexOf(context);
  if (index !== -1) live.splice(index, 1);
}

export function currentTreeContext(): TreeContext | null {
  return live.length > 0 ? live[live.length - 1] : null;
}

/** Reports an error from user code when no tree can take it: print it, as Godot prints script errors. */
export function reportWithoutTree(sourceDescription: string, what: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`ERROR: ${what} on ${sourceDescription} threw: ${detail}\n`);
}

/**
 * Whether a user callback's result is a promise (what an async callback returns): any thenable. Its
 * rejection is then reported exactly as a throw would be. Callers test `result !== undefined` first,
 * so a plain callback costs one comparison.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
