import * as path from "node:path";

const TYPESCRIPT = /\.[cm]?tsx?$/i;

let typeScriptHookInstalled = false;

/**
 * Imports a scene's script (an absolute path) through Node's `require`, so it shares this package's
 * module instance: its `import ... from "scenetree"` resolves to the very registry the loader reads.
 * TypeScript scripts are compiled by tsx's register API, installed on first need. Hosts that bring
 * their own TypeScript loader (ts-jest, tsx itself, ts-node) keep theirs.
 */
export function requireScript(file: string): void {
  if (TYPESCRIPT.test(file)) ensureTypeScriptHook();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(file);
}

function ensureTypeScriptHook(): void {
  if (typeScriptHookInstalled) return;
  typeScriptHookInstalled = true;
  const extensions = require.extensions as Record<string, unknown> | undefined;
  // Under plain Node `require.extensions` lists ".js"; a test runner's sandboxed require (jest) lists
  // nothing and compiles TypeScript itself, and another hook may have claimed ".ts" already.
  if (!extensions || !(".js" in extensions) || ".ts" in extensions) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("tsx/cjs/api") as { register: () => unknown }).register();
}

/** Where a script failed and why, in full: the compiler's whole message, or the throw's own location. */
export function describeScriptFailure(file: string, error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.trim();
  // esbuild (through tsx) already names file:line:column in its message; a throw names it in the stack.
  if (message.includes(`${file}:`) || message.includes(`${path.basename(file)}:`)) return message;
  const frame = (error.stack ?? "")
    .split("\n")
    .map((line) => /\(?((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)\)?\s*$/.exec(line))
    .find((match) => match !== null && match[1].replace(/^file:\/\//, "") === file);
  return frame ? `${message} (at ${file}:${frame[2]}:${frame[3]})` : message;
}
