/**
 * Marks a per-instance listener stored in a class field: `private readonly onX = listener((...) => ...)`.
 *
 * Passing the arrow through a call keeps it unnamed. As a class field initialiser it would be named, and
 * tsx (esbuild's keepNames, how users run scenetree) then wraps it in `__name()`, which redefines `name`
 * on every instance's closure and turns each into a dictionary-mode function of ~256 bytes. A handful per
 * WebSocket connection was most of what a connection cost beyond raw `ws`.
 */
export function listener<F extends (...args: never[]) => unknown>(fn: F): F {
  return fn;
}
