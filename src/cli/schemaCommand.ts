import * as fs from "node:fs";
import * as path from "node:path";
import { buildSceneJsonSchema } from "../scene/loader/jsonSchema";
import { parseArgs } from "node:util";
import { asUsageError } from "./args";
import type { CliIo } from "./output";

/** The scene JSON Schema as the file `scenetree schema -o` writes it (stable, for committing). */
export function sceneSchemaText(): string {
  return JSON.stringify(buildSceneJsonSchema(), null, 2) + "\n";
}

/** `scenetree schema [-o file]`: the JSON Schema of scene files, on stdout or into a file. */
export function schemaCommand(args: string[], io: CliIo): number {
  const { values } = asUsageError(() =>
    parseArgs({ args, strict: true, options: { output: { type: "string", short: "o" } } }),
  );
  const text = sceneSchemaText();
  if (typeof values.output === "string") {
    fs.writeFileSync(path.resolve(io.cwd, values.output), text);
    io.stderr(`Wrote ${values.output}\n`);
  } else io.stdout(text);
  return 0;
}
