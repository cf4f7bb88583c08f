import { realPath } from "./projectPolicy";

/**
 * The file the module loader will run for `specifier` (an absolute path), found the way `require`
 * finds it: the host's hooks included (tsx maps `./a.js` to a sibling `a.ts`), then every symlink
 * followed. Null when there is no such module. Runs no user code.
 */
export function resolveScript(specifier: string): string | null {
  try {
    return realPath(require.resolve(specifier));
  } catch {
    return null;
  }
}

/**
 * Runs a script (a path from {@link resolveScript}, so the file checked is the file run). Returns
 * the error message when the module fails to load.
 */
export function importScript(file: string): { message: string; typescript: boolean } | null {
  try {
    // require, not import(): it goes through the host's loader (tsx, ts-jest), which compiles `.ts`
    // modules and shares this package's module instances, so the script registers into this registry.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    const typescript =
      /\.[cm]?ts$/.test(file) && /Unknown file extension|Unexpected token|SyntaxError/.test(String(error));
    return { message, typescript };
  }
}
