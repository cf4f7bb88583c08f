import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "./args";

/**
 * Imports the modules named by `--scripts` (paths relative to `cwd`), in order, so the node types they
 * register are known before a scene is loaded, converted or described. They are the user's own choice
 * on the command line, so no project-folder confinement applies (unlike a scene file's `"scripts"`).
 * Resolves to the absolute paths.
 */
export function importCliScripts(refs: readonly string[], cwd: string): string[] {
  return refs.map((ref) => {
    const file = path.resolve(cwd, ref);
    if (!isFile(file)) {
      throw new InputError(
        `--scripts ${ref}: ${fs.existsSync(file) ? "not a file" : "no such file"} (${file}).`,
      );
    }
    try {
      // require, not import(): it goes through the host's loader (tsx for `.ts`, ts-jest in tests),
      // which shares this package's module instances, so the script registers into this registry.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(file);
    } catch (error) {
      throw new InputError(`Importing ${ref} failed: ${describeFailure(error, file)}`);
    }
    return file;
  });
}

/** The whole message (a compiler's spans several lines) and, for a throw, where in the script it was. */
function describeFailure(error: unknown, file: string): string {
  if (!(error instanceof Error)) return String(error);
  const frame = error.stack?.split("\n").find((line) => /^\s+at /.test(line) && line.includes(file));
  return error.message + (frame ? `\n${frame.replace(/^\s*/, "    ")}` : "");
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
