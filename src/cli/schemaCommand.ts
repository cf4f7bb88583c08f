import * as path from "node:path";
import { buildSceneJsonSchema } from "../loader/jsonSchema";
import { loadScene } from "../loader/loadScene";
import { getRegisteredNodeTypes } from "../loader/registry";
import { SceneError } from "../loader/SceneError";
import { commandHelp, InputError, parseCommand, type CommandSpec, type OptionSpec } from "../run/args";
import { EXIT_CODES } from "./help";
import { checkOutputFolder, printSceneError, writeOutputFile, type CliIo } from "../run/output";
import { importCliScripts } from "../run/scripts";

const SCHEMA_OPTIONS = {
  output: {
    type: "string",
    short: "o",
    value: "FILE",
    description: "Write the schema here instead of stdout.",
  },
  scripts: {
    type: "string",
    multiple: true,
    value: "FILE",
    description:
      "Import this module first (relative to the current folder): the types it\n" +
      "registers get their own props in the schema, and a type name that is not\n" +
      "registered is an error.",
  },
} as const satisfies Record<string, OptionSpec>;

export const SCHEMA_SPEC: CommandSpec<typeof SCHEMA_OPTIONS> = {
  name: "schema",
  synopsis: "[scene.json] [--scripts FILE]... [-o FILE]",
  description: `Prints the JSON Schema of scene files, for editors: point a scene's "$schema" at the file.
Without scripts it knows the built-in node types and lets any other type name through with
free-form props. With --scripts, or a scene file (its "scripts" are imported, as scenetree run
would), it describes the project's own types too and flags a misspelt "type" or prop.
An installed package ships the built-in schema as node_modules/scenetree/scene.schema.json.`,
  options: SCHEMA_OPTIONS,
  positionals: { min: 0, max: 1, name: "scene file" },
  footer: EXIT_CODES,
};

/** The scene JSON Schema as the file `scenetree schema -o` writes it (stable, for committing). */
export function sceneSchemaText(options: { allowUnregisteredTypes?: boolean } = {}): string {
  return JSON.stringify(buildSceneJsonSchema(options), null, 2) + "\n";
}

/** `scenetree schema [scene] [--scripts FILE]... [-o file]`: the JSON Schema of scene files. */
export async function schemaCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(SCHEMA_SPEC, args);
  if (parsed.help) {
    io.stdout(commandHelp(SCHEMA_SPEC));
    return 0;
  }
  const { values, positionals } = parsed;
  const output = values.output;
  if (output !== undefined) checkOutputFolder(output, io.cwd);
  const builtIn = getRegisteredNodeTypes().length;
  const scripts = values.scripts ?? [];
  importCliScripts(scripts, io.cwd);
  const scene = positionals[0];
  if (scene !== undefined) {
    try {
      await loadScene(path.resolve(io.cwd, scene));
    } catch (error) {
      if (!(error instanceof SceneError)) throw error;
      // The loader imports a scene's scripts only once the rest of it is valid: if no type got
      // registered, a closed schema would reject the scene's own types.
      if (getRegisteredNodeTypes().length === builtIn) {
        printSceneError(io, error);
        throw new InputError(
          `${scene} is invalid, so its scripts were not imported; fix it first, or name them with --scripts.`,
        );
      }
      const count = error.problems.length;
      io.stderr(
        `note: ${scene} has ${count} problem${count === 1 ? "" : "s"} (scenetree validate ${scene} lists them).\n`,
      );
    }
  }
  const text = sceneSchemaText({ allowUnregisteredTypes: scene === undefined && scripts.length === 0 });
  if (output !== undefined) {
    writeOutputFile(output, text, io.cwd);
    io.stderr(`Wrote ${output}\n`);
  } else io.stdout(text);
  return 0;
}
