import * as fs from "node:fs";
import * as path from "node:path";
import { realPath } from "./projectPolicy";

/**
 * How scenes' scripts (and the CLI's `--scripts`) are found and run: one module, so the file the loader
 * checks is the file that runs, under the same TypeScript hook.
 */

const TYPESCRIPT = /\.[cm]?tsx?$/i;
const JAVASCRIPT = /\.[cm]?js$/i;
const TS_SIBLINGS = [".ts", ".tsx", ".mts", ".cts"];

let typeScriptHookInstalled = false;

/**
 * The file the module loader will run for `specifier` (an absolute path), found the way `require`
 * finds it: the host's hooks included (a host run by tsx maps `./a.js` to a sibling `a.ts`), then
 * every symlink followed. Null when there is no such module. Runs no user code.
 */
export function resolveScript(specifier: string): string | null {
  // The hook that will compile the script must be in place for the lookup too, or the lookup could
  // find a.js where the import, once a .ts script has installed the hook, runs a.ts.
  if (mayBeTypeScript(specifier)) ensureTypeScriptHook();
  try {
    return realPath(require.resolve(specifier));
  } catch {
    return null;
  }
}

/**
 * Imports a scene's script (an absolute path) through Node's `require`, so it shares this package's
 * module instance: its `import ... from "scenetree"` resolves to the very registry the loader reads.
 * TypeScript scripts are compiled by tsx's register API, installed on first need. Hosts that bring
 * their own TypeScript loader (ts-jest, tsx itself, ts-node) keep theirs.
 */
export function requireScript(file: string): void {
  ensureOwnPackageResolution();
  if (TYPESCRIPT.test(file)) ensureTypeScriptHook();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(file);
}

let ownPackageResolution = false;

/**
 * Makes `require("scenetree")` (and `scenetree/…`) from any script resolve to this very package, as
 * its own modules would (a package may require itself by name through its "exports"), not to whatever
 * copy sits nearest the script: a CLI run from another install (global, npx's cache, another project
 * of a monorepo) would otherwise give the script a second library whose registry the loader never
 * reads (ERR_UNKNOWN_TYPE for the type the script registered), or none at all. Only when this module
 * runs from the built package; a test runner or tsx on the source tree resolves the package itself.
 */
function ensureOwnPackageResolution(): void {
  if (ownPackageResolution) return;
  ownPackageResolution = true;
  const entry = path.join(__dirname, "..", "index.js");
  if (!fs.existsSync(entry)) return;
  type Resolve = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require("node:module") as unknown as { _resolveFilename: Resolve };
  const resolve = Module._resolveFilename;
  const self = { id: entry, filename: entry, paths: [] as string[] };
  Module._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    if (request === PACKAGE_NAME || request.startsWith(`${PACKAGE_NAME}/`))
      return resolve.call(this, request, self, isMain, options);
    return resolve.call(this, request, parent, isMain, options);
  };
}

const PACKAGE_NAME = "scenetree";

/** Whether tsx could resolve `specifier` to a TypeScript file: it names one, or a `.js` with a `.ts` beside it. */
function mayBeTypeScript(specifier: string): boolean {
  if (TYPESCRIPT.test(specifier)) return true;
  if (!JAVASCRIPT.test(specifier)) return false;
  const stem = specifier.replace(JAVASCRIPT, "");
  return TS_SIBLINGS.some((ext) => fs.existsSync(stem + ext));
}

function ensureTypeScriptHook(): void {
  if (typeScriptHookInstalled) return;
  typeScriptHookInstalled = true;
  const extensions = require.extensions as Record<string, unknown> | undefined;
  // Under plain Node `require.extensions` lists ".js"; a test runner's sandboxed require (jest) lists
  // nothing and compiles TypeScript itself, and another hook may have claimed ".ts" already.
  if (!extensions || !(".js" in extensions) || ".ts" in extensions) return;
  loadPackageEntry();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("tsx/cjs/api") as { register: () => unknown }).register();
}

/**
 * Loads the package's public entry (dist/index.js, what a script's `import ... from "scenetree"` gets)
 * before tsx is registered: from then on tsx's resolver runs for every `require`, the entry's own
 * requires of the modules it re-exports included, which made loading it ~5x slower (~20 ms, in every
 * fleet worker). Only when this module runs from the built package, beside that entry: under a test
 * runner or tsx, the source tree has no index.js.
 */
function loadPackageEntry(): void {
  const entry = path.join(__dirname, "..", "index.js");
  if (!fs.existsSync(entry)) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(entry);
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
