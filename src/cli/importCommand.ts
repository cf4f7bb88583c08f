import * as fs from "node:fs";
import * as path from "node:path";
import { formatTscnWarning, importTscn, TscnError, type InstanceMode } from "../tscn";

export const IMPORT_USAGE = `Usage: scenetree import <file.tscn> [-o out.scene.json] [--instances tscn|json] [--project DIR]

Converts a Godot text scene (Godot 3 format=2 or Godot 4 format=3) into a scenetree JSON scene.
Prints the JSON to stdout, or writes it to the -o file. Warnings (what could not be carried over,
each with file:line) go to stderr.

  -o, --out FILE        write the scene here instead of printing it
  --instances tscn      instanced sub-scenes are referenced as their .tscn (default; scenetree
                        run converts them when loading)
  --instances json      sub-scenes are converted too and referenced as <name>.scene.json beside
                        their .tscn; with -o those files are written as well
  --project DIR         the Godot project folder for res:// paths (default: the nearest folder
                        above the scene with a project.godot)

Exit codes: 0 converted, 2 invalid input (bad arguments, malformed or missing .tscn).`;

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `scenetree import ...`: `args` are the words after `import`. Resolves to the exit code. */
export async function importCommand(args: string[], io: Io = defaultIo): Promise<number> {
  let input: string | null = null;
  let out: string | null = null;
  let instances: InstanceMode = "tscn";
  let project: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string | null => (i + 1 < args.length ? args[++i] : null);
    if (arg === "-h" || arg === "--help") {
      io.stdout(IMPORT_USAGE + "\n");
      return 0;
    } else if (arg === "-o" || arg === "--out") {
      out = value();
      if (!out) return usageError(io, `${arg} needs a file name.`);
    } else if (arg === "--instances") {
      const mode = value();
      if (mode !== "tscn" && mode !== "json") return usageError(io, "--instances takes tscn or json.");
      instances = mode;
    } else if (arg === "--project") {
      project = value() ?? undefined;
      if (!project) return usageError(io, "--project needs a folder.");
    } else if (arg.startsWith("-")) {
      return usageError(io, `Unknown option ${arg}.`);
    } else if (input === null) {
      input = arg;
    } else {
      return usageError(io, `One scene at a time (got ${input} and ${arg}).`);
    }
  }
  if (input === null) return usageError(io, "Which .tscn file?");
  if (!/\.tscn$/i.test(input)) return usageError(io, `${input} is not a .tscn file.`);

  let result;
  try {
    result = await importTscn(input, {
      instances,
      projectRoot: project,
      outFile: out ? path.resolve(out) : undefined,
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
  const text = JSON.stringify(result.scene, null, 2) + "\n";
  if (!out) {
    io.stdout(text);
    if (instances === "json" && result.subScenes.length > 0)
      io.stderr("note: sub-scenes are converted to files only with -o.\n");
    return 0;
  }
  fs.writeFileSync(out, text);
  if (instances === "json") {
    for (const sub of result.subScenes) {
      fs.writeFileSync(sub.file, JSON.stringify(sub.scene, null, 2) + "\n");
      io.stderr(`wrote ${sub.file}\n`);
    }
  }
  io.stderr(
    `wrote ${path.resolve(out)} (${result.warnings.length} warning${result.warnings.length === 1 ? "" : "s"})\n`,
  );
  return 0;
}

function usageError(io: Io, message: string): number {
  io.stderr(`error: ${message}\n\n${IMPORT_USAGE}\n`);
  return 2;
}
