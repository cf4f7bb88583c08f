import { loadScene } from "../scene/loader/loadScene";
import { SceneError } from "../scene/loader/SceneError";
import { parseArgs } from "node:util";
import { asUsageError, UsageError } from "./args";
import { printSceneError, type CliIo } from "./output";

/** `scenetree validate <scene...>`: every problem of every file; exit 0 when all are valid, else 2. */
export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = asUsageError(() => parseArgs({ args, allowPositionals: true, strict: true }));
  if (positionals.length === 0) throw new UsageError("validate needs at least one scene file.");
  let invalid = 0;
  for (const file of positionals) {
    try {
      await loadScene(file);
      io.stdout(`ok  ${file}\n`);
    } catch (error) {
      if (!(error instanceof SceneError)) throw error;
      invalid++;
      printSceneError(io, error);
    }
  }
  if (positionals.length > 1) io.stdout(`${positionals.length - invalid} valid, ${invalid} invalid.\n`);
  return invalid === 0 ? 0 : 2;
}
