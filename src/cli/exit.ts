/**
 * Ends the CLI process with the code `run` resolves to, once its output is out: writes to a pipe are
 * asynchronous in Node, and `process.exit()` right after a long summary cut it at the pipe's 64 KiB
 * (`| tee`, a CI log). A reader that stops early (`| head`) ends it as SIGPIPE would (141), without a
 * stack trace.
 */
export function exitWith(run: Promise<number>): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
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
