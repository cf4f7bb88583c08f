import * as fs from "node:fs";
import * as path from "node:path";
import { describeScriptFailure, requireScript } from "../loader/scriptModule";
import { InputError } from "./args";

/**
 * Imports the modules named by `--scripts` (paths relative to `cwd`), in order, the way the loader
 * imports a scene's `"scripts"`, so the node types they register are known before a scene is loaded,
 * converted or described. They are the user's own choice on the command line, so no project-folder
 * confinement applies. Resolves to the absolute paths.
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
      requireScript(file);
    } catch (error) {
      throw new InputError(`Importing ${ref} failed: ${describeScriptFailure(file, error)}`);
    }
    return file;
  });
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
