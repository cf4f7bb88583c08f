import * as os from "node:os";
import pino, { type Logger } from "pino";
import type { LogFormat, LogLevel } from "./args";
import type { CliIo } from "./output";
import { formatPretty } from "./prettyLog";

/**
 * The logger of `scenetree run`: the CLI's own messages and, passed to the tree, every `node.log`.
 * Written to stderr (stdout stays the scene's), through `out` (see {@link createLogOutput}).
 * `json`: pino's lines as they are; `pretty`: see {@link formatPretty}. `log.flush()` says how many
 * lines were dropped, if any were since the last line written.
 */
export function createCliLogger(
  io: Pick<CliIo, "stderr" | "stderrBacklog">,
  level: LogLevel,
  format: LogFormat,
  out: LogOutput = createLogOutput(io, format),
): Logger {
  const write =
    format === "json" ? (line: string) => out.write(line) : (line: string) => out.write(formatPretty(line));
  return pino({ level }, {
    write,
    flush: (callback?: () => void) => (out.flush(), callback?.()),
  } as pino.DestinationStream);
}

/**
 * Bytes that may wait in this process for a stderr that does not keep up before log lines are dropped:
 * Node's writes to a pipe are asynchronous, so a reader that stalls (a pager, a slow log shipper)
 * would let a bot that logs every frame grow the process without bound. A terminal or a file never
 * holds anything back (their writes are synchronous), nor does a reader that keeps up.
 */
export const LOG_BACKLOG_LIMIT = 16 * 1024 * 1024;

/** Where formatted log lines go (a fleet's main thread sends its workers' stderr through it too). */
export interface LogOutput {
  /** Writes whole lines, or drops and counts them while stderr's backlog is over the limit. */
  write(text: string): void;
  /** Says how many lines were dropped since the last report, if any (at the end of a run). */
  flush(): void;
}

/**
 * stderr as a {@link LogOutput}. The first write that gets through after some were dropped is
 * preceded by a warning with their count (`… 120 log lines were dropped: stderr was not keeping up.`,
 * a JSON record with `dropped` in the json format). Without `io.stderrBacklog` nothing is dropped.
 */
export function createLogOutput(io: Pick<CliIo, "stderr" | "stderrBacklog">, format: LogFormat): LogOutput {
  let dropped = 0;
  const report = (): void => {
    if (dropped === 0) return;
    const msg = "log lines were dropped: stderr was not keeping up.";
    io.stderr(
      format === "json"
        ? `${JSON.stringify({ level: 40, time: Date.now(), pid: process.pid, hostname: os.hostname(), dropped, msg })}\n`
        : `… ${dropped} ${msg}\n`,
    );
    dropped = 0;
  };
  return {
    write(text) {
      if (io.stderrBacklog !== undefined && io.stderrBacklog() > LOG_BACKLOG_LIMIT) {
        dropped += lineCount(text);
        return;
      }
      report();
      io.stderr(text);
    },
    flush: report,
  };
}

function lineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return Math.max(1, count);
}
