import * as path from "node:path";

/** This package's own code (its dist/ or src/): the frames a throw site skips. */
const OWN_CODE = [path.join(__dirname, "..", path.sep), path.join(__dirname, "..", "..", "src", path.sep)];

const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

/**
 * Where `error` was thrown, as ` (at file:line:column)`: the first frame of its stack in code that is
 * neither Node's nor this package's, which is the user's code (a script, a bot); "" when there is no
 * such frame. What a one-line error report adds so that a throw in a signal handler can be found.
 */
export function throwSite(error: unknown): string {
  let stack: unknown;
  try {
    stack = error instanceof Error ? error.stack : undefined;
  } catch {
    return ""; // a hostile value (a Proxy, a throwing getter) has no site to give
  }
  if (typeof stack !== "string") return "";
  for (const line of stack.split("\n").slice(1)) {
    const match = FRAME.exec(line.trim());
    if (match === null) continue;
    const file = match[1].replace(/^file:\/\//, "");
    if (file.startsWith("node:") || !path.isAbsolute(file)) continue;
    if (OWN_CODE.some((own) => file.startsWith(own))) continue;
    return ` (at ${file}:${match[2]}:${match[3]})`;
  }
  return "";
}
