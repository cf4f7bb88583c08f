/**
 * Ends the CLI process with the code `run` resolves to, once its output is out: writes to a pipe are
 * asynchronous in Node, and `process.exit()` right after a long summary cut it at the pipe's 64 KiB
 * (`| tee`, a CI log). A reader of stdout or of stderr that stops early (`| head`, `2>&1 | head`) ends
 * it as SIGPIPE would (141), without a stack trace: an EPIPE on stderr was an uncaught error, exit code 1,
 * which says "an instance failed".
 */
export function exitWith(run: Promise<number>): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(SIGPIPE_EXIT_CODE);
    });
  void run.then((code) => exitOnceWritten(code));
}

/** 128 + SIGPIPE, what a shell reports for a program whose reader went away. */
const SIGPIPE_EXIT_CODE = 141;

/**
 * Exits with `code` once stdout and stderr have handed everything to the OS (an empty write's
 * callback runs after the writes queued before it).
 */
function exitOnceWritten(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
