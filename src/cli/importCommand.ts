import * as fs from "node:fs";
import * as path from "node:path";
import { formatSceneJson } from "../loader/jsonText";
import { getRegisteredNodeTypes } from "../loader/registry";
import { formatTscnWarning, importTscn, TscnError, type JsonScene, type JsonSceneNode } from "../tscn";
import { jsonFileFor } from "../tscn/convert";
import { unsupportedGodotFile } from "../tscn/errors";
import { relativeRef } from "../tscn/project";
import {
  commandHelp,
  InputError,
  parseCommand,
  UsageError,
  type CommandSpec,
  type OptionSpec,
} from "../run/args";
import { checkOutputFolder, printInputError, writeOutputFile, type CliIo } from "../run/output";
import { importCliScripts } from "../run/scripts";

const IMPORT_OPTIONS = {
  out: {
    type: "string",
    short: "o",
    value: "FILE",
    description: "Write the scene here instead of printing it (its paths then relative to FILE).",
  },
  instances: {
    type: "string",
    value: "MODE",
    description:
      "tscn (default): instanced sub-scenes are referenced as their .tscn\n" +
      "(scenetree run converts them when loading). json: sub-scenes are\n" +
      "converted too and referenced as <name>.scene.json beside their .tscn,\n" +
      "and those files are written as well (needs -o).",
  },
  project: {
    type: "string",
    value: "DIR",
    description:
      "The Godot project folder for res:// paths (default: the nearest folder\n" +
      "above the scene with a project.godot).",
  },
  scripts: {
    type: "string",
    multiple: true,
    value: "FILE",
    description:
      "Import this module first (relative to the current folder): a class it\n" +
      "registers takes over the nodes whose GDScript has its name (class_name\n" +
      'or file name), and the scene\'s "scripts" lists the module.',
  },
} as const satisfies Record<string, OptionSpec>;

export const IMPORT_SPEC: CommandSpec<typeof IMPORT_OPTIONS> = {
  name: "import",
  synopsis:
    "<file.tscn> [-o out.scene.json] [--instances tscn|json] [--project DIR]\n                        [--scripts FILE]...",
  description: `Converts a Godot text scene (Godot 3 format=2 or Godot 4 format=3) into a scenetree JSON scene.
Prints the JSON to stdout, or writes it to the -o file. Printed, its relative paths (sub-scenes,
--scripts) are relative to the current folder: redirect it to a file there (> main.scene.json).
Warnings (what could not be carried over, each with file:line) go to stderr.`,
  options: IMPORT_OPTIONS,
  positionals: { min: 1, max: 1, name: ".tscn file" },
  footer: "Exit codes: 0 converted, 2 invalid input (bad arguments, malformed or missing .tscn).",
};

/** Kept for callers of the old name: the help text of `scenetree import`. */
export const IMPORT_USAGE = commandHelp(IMPORT_SPEC);

type Io = Pick<CliIo, "stdout" | "stderr"> & Partial<Pick<CliIo, "cwd">>;

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `scenetree import ...`: `args` are the words after `import`. Resolves to the exit code. */
export async function importCommand(args: string[], io: Io = defaultIo): Promise<number> {
  try {
    return await runImport(args, io, io.cwd ?? process.cwd());
  } catch (error) {
    if (error instanceof InputError) return printInputError(io, error);
    throw error;
  }
}

async function runImport(args: string[], io: Io, cwd: string): Promise<number> {
  const parsed = parseCommand(IMPORT_SPEC, args);
  if (parsed.help) {
    io.stdout(commandHelp(IMPORT_SPEC));
    return 0;
  }
  const { values, positionals } = parsed;
  const input = positionals[0];
  // A .scn, .tres or .res goes on to the import, which says why it can't be imported.
  if (!/\.tscn$/i.test(input) && unsupportedGodotFile(input) === null)
    throw new UsageError(`${input} is not a .tscn file.`, "import");
  const instances = values.instances ?? "tscn";
  if (instances !== "tscn" && instances !== "json") {
    throw new UsageError(`--instances takes tscn or json, got "${instances}".`, "import");
  }
  if (instances === "json" && values.out === undefined) {
    throw new UsageError(
      "--instances json needs -o: the scene it makes points at the sub-scenes' .scene.json files, which only -o writes.",
      "import",
    );
  }
  const project = values.project === undefined ? undefined : path.resolve(cwd, values.project);
  if (project !== undefined && !isFolder(project)) {
    throw new UsageError(`--project ${values.project}: no such folder.`, "import");
  }
  const out = values.out === undefined ? null : path.resolve(cwd, values.out);
  if (values.out !== undefined) checkOutputFolder(values.out, cwd);
  const before = new Set(getRegisteredNodeTypes().map((type) => type.name));
  const scripts = importCliScripts(values.scripts ?? [], cwd);
  const scriptTypes = getRegisteredNodeTypes()
    .map((type) => type.name)
    .filter((name) => !before.has(name));

  // Printed, the scene goes where the shell redirects it: relative paths are from the current folder.
  const jsonFile = out ?? path.join(cwd, path.basename(jsonFileFor(input)));
  let result;
  try {
    result = await importTscn(path.resolve(cwd, input), {
      instances,
      projectRoot: project,
      outFile: jsonFile,
    });
  } catch (error) {
    if (error instanceof TscnError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  for (const warning of result.warnings) io.stderr(formatTscnWarning(warning) + "\n");
  for (const use of result.scripts) {
    if (use.type)
      io.stderr(`${use.file}:${use.line}: note: script ${use.script} → scenetree type ${use.type}\n`);
  }
  const usedTypes = new Set([result.scene, ...result.subScenes.map((sub) => sub.scene)].flatMap(nodeTypes));
  if (scripts.length > 0 && !scriptTypes.some((type) => usedTypes.has(type))) {
    io.stderr(
      `note: no node took a type registered by --scripts (${scriptTypes.join(", ") || "none registered"}).\n`,
    );
  }
  const text = sceneText(result.scene, scripts, jsonFile);
  if (!out) {
    io.stdout(text);
    return 0;
  }
  writeOutputFile(out, text, cwd);
  if (instances === "json") {
    for (const sub of result.subScenes) {
      writeOutputFile(sub.file, sceneText(sub.scene, scripts, sub.file), cwd);
      io.stderr(`wrote ${sub.file}\n`);
    }
  }
  io.stderr(`wrote ${out} (${result.warnings.length} warning${result.warnings.length === 1 ? "" : "s"})\n`);
  return 0;
}

/** The scene as written (the writer `saveScene` uses), listing the `--scripts` modules relative to where the file goes. */
function sceneText(scene: JsonScene, scripts: readonly string[], file: string): string {
  const { format, ...rest } = scene;
  const refs = scripts.map((script) => relativeRef(path.dirname(file), script));
  return formatSceneJson(refs.length === 0 ? scene : { format, scripts: refs, ...rest });
}

/**
 * The `"type"` of every node a converted scene writes (its children and the children it adds inside
 * instances included): whether a node took a type through its script or its Godot class (`type="Bag"`).
 */
function nodeTypes(scene: JsonScene): string[] {
  const types: string[] = [];
  const stack: JsonSceneNode[] = [scene.root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type) types.push(node.type);
    stack.push(...(node.children ?? []));
    for (const edit of Object.values(node.editable ?? {})) stack.push(...(edit.children ?? []));
  }
  return types;
}

function isFolder(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
