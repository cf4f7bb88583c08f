import * as fs from "node:fs";
import * as path from "node:path";
import { installBuiltins } from "../run/builtins";
import { InputError, UsageError } from "../run/args";
import { HELP } from "./help";
import { printInputError, processIo, type CliIo } from "../run/output";
import { DEFAULT_SCENE, runCommand } from "./runCommand";
import { schemaCommand } from "./schemaCommand";
import { validateCommand } from "./validateCommand";
import { importCommand } from "./importCommand";
import { didYouMean } from "../loader/suggest";
import { initCommand } from "./initCommand";
import { mergeCommand } from "./mergeCommand";

export { DEFAULT_SCENE };

const COMMANDS = ["run", "start", "validate", "schema", "import", "init", "merge", "help"];

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  installBuiltins();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await runCommand(rest, io);
      case "start":
        return await runCommand(rest, io, DEFAULT_SCENE);
      case "validate":
        return await validateCommand(rest, io);
      case "schema":
        return await schemaCommand(rest, io);
      case "import":
        return await importCommand(rest, io);
      case "init":
        return await initCommand(rest, io);
      case "merge":
        return await mergeCommand(rest, io);
      case "--version":
      case "-v":
        io.stdout(`${version()}\n`);
        return 0;
      case "help":
        if (rest.length > 0) return await runCli([rest[0], "--help"], io); // `help run` = `run --help`
        io.stdout(HELP);
        return 0;
      case "--help":
      case "-h":
        io.stdout(HELP);
        return 0;
      case undefined:
        io.stderr(HELP);
        return 2;
      default: {
        const guess = didYouMean(command, COMMANDS);
        throw new UsageError(`Unknown command "${command}".${guess ? ` Did you mean "${guess}"?` : ""}`);
      }
    }
  } catch (error) {
    if (error instanceof InputError) return printInputError(io, error);
    // A runtime failure (a bug in a node, not a mistake in the input): here the stack helps.
    io.stderr(`scenetree: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** Runs the CLI and exits the process with its code (what bin/scenetree.js calls). */
export function runCliAndExit(argv: string[]): void {
  void runCli(argv).then((code) => process.exit(code));
}

function version(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

if (require.main === module) runCliAndExit(process.argv.slice(2));
