import pino, { type Logger } from "pino";
import type { LogFormat, LogLevel } from "./args";
import type { CliIo } from "./output";
import { formatPretty } from "./prettyLog";

/**
 * The logger of `scenetree run`: the CLI's own messages and, passed to the tree, every `node.log`.
 * Written to stderr (stdout stays the scene's), synchronously, so nothing is lost when the process
 * exits. `json`: pino's lines as they are; `pretty`: see {@link formatPretty}.
 */
export function createCliLogger(io: Pick<CliIo, "stderr">, level: LogLevel, format: LogFormat): Logger {
  const write =
    format === "json" ? (line: string) => io.stderr(line) : (line: string) => io.stderr(formatPretty(line));
  return pino({ level }, { write });
}
