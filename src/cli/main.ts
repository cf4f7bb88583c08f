import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../run/args";
import { DEFAULT_SCENE, HELP } from "./help";
import { printInputError, processIo, type CliIo } from "../run/output";
import { exitWith } from "./exit";
import { unknownCommand } from "./unknownCommand";

export { DEFAULT_SCENE };

const COMMANDS = ["run", "start", "validate", "schema", "import", "init", "merge", "help"];

/*
 * Each command's module is loaded when it is invoked, not before: `scenetree run --instances N`'s main
 * thread only spawns workers and adds up their figures, and must not pay for the engine, the loader,
 * zod or tsx (the workers load those). The commands that read scenes install the built-in node types
 * themselves (`run` and `start` only when they run one tree); see ../run/builtins.ts.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const commands = {
  run: () => require("./runCommand") as typeof import("./runCommand"),
  validate: () => require("./validateCommand") as typeof import("./validateCommand"),
  schema: () => require("./schemaCommand") as typeof import("./schemaCommand"),
  import: () => require("./importCommand") as typeof import("./importCommand"),
  init: () => require("./initCommand") as typeof import("./initCommand"),
  merge: () => require("./mergeCommand") as typeof import("./mergeCommand"),
};
const builtins = () => require("../run/builtins") as typeof import("../run/builtins");
/* eslint-enable @typescript-eslint/no-require-imports */

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await commands.run().runCommand(rest, io);
      case "start":
        return await commands.run().runCommand(rest, io, DEFAULT_SCENE);
      case "validate":
        builtins().installBuiltins();
        return await commands.validate().validateCommand(rest, io);
      case "schema":
        builtins().installBuiltins();
        return await commands.schema().schemaCommand(rest, io);
      case "import":
        builtins().installBuiltins();
        return await commands.import().importCommand(rest, io);
      case "init":
        return await commands.init().initCommand(rest, io);
      case "merge":
        return await commands.merge().mergeCommand(rest, io);
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
      default:
        throw unknownCommand(command, rest, COMMANDS, io.cwd);
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
  exitWith(runCli(argv));
}

function version(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

if (require.main === module) runCliAndExit(process.argv.slice(2));
