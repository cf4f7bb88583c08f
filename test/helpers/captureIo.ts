import type { CliIo } from "../../src/run/output";

/** A CliIo whose stdout and stderr are kept in `out` and `err`, for asserting what a command printed. */
export function captureIo(cwd: string): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    cwd,
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}
