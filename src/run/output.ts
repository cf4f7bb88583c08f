import * as fs from "node:fs";
import * as path from "node:path";
import type * as SceneErrors from "../loader/SceneError";
import type { SceneError } from "../loader/SceneError";
import { InputError, UsageError } from "./args";
import { processTerminal, type Terminal } from "./terminal";

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** stderr's terminal, when it is one (a live status line is then redrawn in place). */
  terminal?: Terminal | null;
  /** Bytes written to stderr that still wait for its reader (a stalled pipe): log lines are dropped past a bound. */
  stderrBacklog?: () => number;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  terminal: processTerminal(),
  stderrBacklog: () => process.stderr.writableLength,
};

/** One block per problem, file names relative to the current folder, and a count; no stack trace. */
export function printSceneError(io: Pick<CliIo, "stderr" | "cwd">, error: SceneError): void {
  // Loaded here, not with this module: a fleet's main thread prints through this module and loads no loader.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatProblem } = require("../loader/SceneError") as typeof SceneErrors;
  for (const problem of error.problems) io.stderr(formatProblem(problem, io.cwd) + "\n");
  const count = error.problems.length;
  io.stderr(`${count} problem${count === 1 ? "" : "s"} found.\n`);
}

/** A user mistake in one or two lines, no stack trace; resolves to exit code 2. */
export function printInputError(io: Pick<CliIo, "stderr">, error: InputError): number {
  const help =
    error instanceof UsageError
      ? `\nRun "scenetree ${error.command ? `${error.command} ` : ""}--help" for usage.`
      : "";
  io.stderr(`scenetree: ${error.message}${help}\n`);
  return 2;
}

/**
 * Fails early, before any work, when `file` can't be written because its folder is missing or is not
 * a folder: the one-line message names the folder.
 */
export function checkOutputFolder(file: string, cwd: string): void {
  const folder = path.dirname(path.resolve(cwd, file));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch {
    throw new InputError(`Can't write ${file}: the folder "${path.dirname(file)}" does not exist.`);
  }
  if (!stat.isDirectory())
    throw new InputError(`Can't write ${file}: "${path.dirname(file)}" is not a folder.`);
  if (isFolder(path.resolve(cwd, file))) throw new InputError(`Can't write ${file}: it is a folder.`);
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Fails early, before any work, when `file` can't be opened for writing (on top of
 * {@link checkOutputFolder}): no permission, a name too long, a file system that creates no files
 * (`/proc`). It opens the file to append and closes it, which leaves an existing file as it was, and
 * removes it again when it did not exist, so a run that fails later leaves no empty file behind. A
 * device or a pipe (`/dev/stdout`) is not opened: it is what it is. A write can still fail at the end
 * (a full disk, an I/O error): {@link writeOutputFile} says so.
 */
export function checkOutputWritable(file: string, cwd: string): void {
  checkOutputFolder(file, cwd);
  const target = path.resolve(cwd, file);
  let existed: fs.Stats | null = null;
  try {
    existed = fs.statSync(target);
  } catch {
    // not there yet (or a dangling link): opening it creates it
  }
  if (existed && !existed.isFile()) return;
  try {
    fs.closeSync(fs.openSync(target, "a"));
    if (!existed) fs.unlinkSync(fs.realpathSync(target)); // through a link, the file it made
  } catch (error) {
    throw writeError(file, error);
  }
}

/** Writes an output file; any failure (a missing folder, no permission, a full disk) is an InputError naming the file and why. */
export function writeOutputFile(file: string, text: string, cwd: string): void {
  checkOutputFolder(file, cwd);
  try {
    fs.writeFileSync(path.resolve(cwd, file), text);
  } catch (error) {
    throw writeError(file, error);
  }
}

const WHY: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a folder",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
};

/**
 * `Can't write <file>: <why>.`, one line: ours for what users meet most, else the system's words and
 * code (`name too long (ENAMETOOLONG)`, `i/o error (EIO)`). A throw that is not the system's is rethrown.
 */
function writeError(file: string, error: unknown): InputError {
  const { code, message } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== "string") throw error;
  const systemWords = typeof message === "string" ? /^[A-Z0-9_]+: ([^,]+)/.exec(message)?.[1] : undefined;
  const why = WHY[code] ?? `${systemWords ?? "error"} (${code})`;
  return new InputError(`Can't write ${file}: ${why}.`, { cause: error });
}
