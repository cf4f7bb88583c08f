import * as fs from "node:fs";
import * as path from "node:path";
import "../index";
import { UsageError } from "./args";
import { HELP } from "./help";
import { processIo, type CliIo } from "./output";
import { runCommand } from "./runCommand";
import { schemaCommand } from "./schemaCommand";
import { validateCommand } from "./validateCommand";
import { importCommand } from "./importCommand";
import { initCommand } from "./initCommand";

/** Where `npm start` and `scenetree start` look when no scene is given. */
export const DEFAULT_SCENE = "scenes/main.scene.json";

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
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
        return schemaCommand(rest, io);
      case "import":
        return await importCommand(rest, io);
      case "init":
        return await initCommand(rest, io);
      case "--version":
      case "-v":
        io.stdout(`${version()}\n`);
        return 0;
      case "--help":
      case "-h":
      case "help":
        io.stdout(HELP);
        return 0;
      case undefined:
        io.stderr(HELP);
        return 2;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`scenetree: ${error.message}\nRun "scenetree --help" for usage.\n`);
      return 2;
    }
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
