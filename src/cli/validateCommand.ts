import { loadScene } from "../loader/loadScene";
import { SceneError } from "../loader/SceneError";
import { commandHelp, parseCommand, type CommandSpec } from "../run/args";
import { printSceneError, type CliIo } from "../run/output";
import { formatTscnWarning } from "../tscn/errors";

export const VALIDATE_SPEC: CommandSpec<Record<string, never>> = {
  name: "validate",
  synopsis: "<scene...>",
  description: `Checks scene files (.scene.json or .tscn) without running them and prints every problem as
file:line:column  path  message, with a hint. A file's "scripts" are imported only once everything
that can be checked without them is valid. A .tscn's conversion warnings (what does not come over)
go to stderr, as scenetree run prints them.`,
  options: {},
  positionals: { min: 1, max: Infinity, name: "scene file" },
  footer: "Exit codes: 0 every file is valid, 2 a file is invalid (or bad arguments).",
};

/** `scenetree validate <scene...>`: every problem of every file; exit 0 when all are valid, else 2. */
export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(VALIDATE_SPEC, args);
  if (parsed.help) {
    io.stdout(commandHelp(VALIDATE_SPEC));
    return 0;
  }
  const { positionals } = parsed;
  let invalid = 0;
  for (const file of positionals) {
    try {
      // What a .tscn loses in conversion, as `run` warns of it: valid, but not all of it comes over.
      await loadScene(file, { onWarning: (warning) => io.stderr(`${formatTscnWarning(warning)}\n`) });
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
