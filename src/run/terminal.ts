/**
 * The terminal stderr is, when it is one: what a status line redrawn in place needs to know and do.
 * Tests pass their own.
 */
export interface Terminal {
  /** Width in characters (a longer line would wrap, and `\r` then redraws only its last row). */
  columns(): number;
  /**
   * Until the returned function is called, `hooks.before()` runs before and `hooks.after()` after
   * every write to the process's stdout and stderr (the scenes' `console.log` too), so a line drawn in
   * place can step aside for other output. Writes made inside a hook are not hooked.
   */
  intercept(hooks: { before(): void; after(): void }): () => void;
}

type Write = NodeJS.WriteStream["write"];

/** `process.stderr` as a Terminal, or null when it is not a TTY (a file, a pipe, CI). */
export function processTerminal(): Terminal | null {
  if (!process.stderr.isTTY) return null;
  return {
    columns: () => process.stderr.columns || 80,
    intercept(hooks) {
      const streams = [process.stdout, process.stderr];
      const originals = streams.map((stream) => stream.write);
      let inside = false;
      streams.forEach((stream, i) => {
        const original = originals[i];
        stream.write = function (this: NodeJS.WriteStream, ...args: Parameters<Write>) {
          if (inside) return original.apply(this, args);
          inside = true;
          try {
            hooks.before();
            return original.apply(this, args);
          } finally {
            hooks.after();
            inside = false;
          }
        } as Write;
      });
      return () => streams.forEach((stream, i) => (stream.write = originals[i]));
    },
  };
}
