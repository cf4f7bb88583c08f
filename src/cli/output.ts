import { formatProblem, type SceneError } from "../scene/loader/SceneError";
import type { LogLevel } from "./args";

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

/** One block per problem, file names relative to the current folder, and a count; no stack trace. */
export function printSceneError(io: CliIo, error: SceneError): void {
  for (const problem of error.problems) io.stderr(formatProblem(problem, io.cwd) + "\n");
  const count = error.problems.length;
  io.stderr(`${count} problem${count === 1 ? "" : "s"} found.\n`);
}

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** The CLI's own messages, filtered by --log-level, on stderr so stdout stays the scene's. */
export function makeLogger(io: CliIo, level: LogLevel) {
  const at = (wanted: LogLevel) => (text: string) => {
    if (RANK[level] >= RANK[wanted]) io.stderr(`${text}\n`);
  };
  return { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
}

export type Logger = ReturnType<typeof makeLogger>;
