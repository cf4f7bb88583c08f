/**
 * Whether a user callback's result is a promise (what an async callback returns): any thenable. Its
 * rejection is then reported exactly as a throw would be. Callers test `result !== undefined` first,
 * so a plain callback costs one comparison.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
