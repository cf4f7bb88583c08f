/**
 * The built CLI (bin/scenetree.js, dist/) in a child process, for tests of what users get: exit code,
 * output, and which modules its main thread had loaded when it exited.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Files in the main thread's `require.cache` at exit, relative to the repository (`dist/…`, `node_modules/…`). */
  modules: string[];
}

// Preloaded with --require in the CLI and in each of its worker threads; only the main thread records.
const PRELOAD = `
const { isMainThread } = require("node:worker_threads");
if (isMainThread) {
  process.on("exit", () => {
    require("node:fs").writeFileSync(process.env.SCENETREE_TEST_MODULES, JSON.stringify(Object.keys(require.cache)));
  });
}
`;

/** Runs `scenetree <args>` from the repository's folder. */
export function runBuiltCli(args: string[]): Promise<CliResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-modules-"));
  const preload = path.join(dir, "record.js");
  const out = path.join(dir, "modules.json");
  fs.writeFileSync(preload, PRELOAD);
  const child = spawn(process.execPath, ["--require", preload, BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, SCENETREE_TEST_MODULES: out },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      let modules: string[] = [];
      try {
        modules = (JSON.parse(fs.readFileSync(out, "utf8")) as string[]).map((file) =>
          path.relative(ROOT, file),
        );
      } catch {
        // no record: the process died before its exit handlers ran; `modules` stays empty
      }
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr, modules });
    });
  });
}
