import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "../run/args";
import { didYouMean } from "../run/suggest";

/**
 * The error for a first word that is no command: the closest command's name, or, when the word is a
 * scene (a `.json` or `.tscn` name, or any file that exists) and so `run` was left out, the whole line
 * again with `run` in it, quoted for a shell.
 */
export function unknownCommand(
  command: string,
  rest: readonly string[],
  commands: readonly string[],
  cwd: string,
): UsageError {
  if (looksLikeScene(command, cwd)) {
    const line = ["scenetree", "run", command, ...rest].map(shellWord).join(" ");
    return new UsageError(`Unknown command "${command}". Did you mean: ${line}`);
  }
  const guess = didYouMean(command, commands);
  return new UsageError(`Unknown command "${command}".${guess ? ` Did you mean "${guess}"?` : ""}`);
}

function looksLikeScene(word: string, cwd: string): boolean {
  if (/\.(json|tscn)$/i.test(word)) return true;
  try {
    return fs.statSync(path.resolve(cwd, word)).isFile();
  } catch {
    return false;
  }
}

/** `word` as a POSIX shell reads it back: bare when safe, else in single quotes. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
