import type { CliIo } from "../../src/run/output";
import { runCli } from "../../src/cli/main";

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

/** The CLI run in this process on `args`, with what it printed and its exit code. */
export async function runCliCaptured(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo(cwd);
  const code = await runCli(args, io);
  return { code, stdout: io.out, stderr: io.err };
}
