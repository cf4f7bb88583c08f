/**
 * Listeners the inspector itself adds to the tree and its nodes. The signal view leaves them out, so
 * what the page shows is the program's own connections, as they would be without the inspector.
 */
const own = new WeakSet<object>();

export function markOwn<F extends (...args: never[]) => unknown>(listener: F): F {
  own.add(listener);
  return listener;
}

export function isOwnListener(value: unknown): boolean {
  return typeof value === "function" && own.has(value);
}
