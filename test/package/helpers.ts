import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO = path.join(__dirname, "..", "..");

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never rejects, so a test can assert the exit code and the output. */
export function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CI: "true" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A folder outside the repository, so nothing resolves through the repository's node_modules. */
export function tempProject(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `scenetree-${prefix}-`));
}

export function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** npm, offline when the cache has everything (it does after the repository's own `npm ci`). */
export function npm(args: string[], cwd: string): Promise<Ran> {
  return run("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], cwd);
}

/** The version range the repository itself uses for a dependency, so installs hit the npm cache. */
export function rangeOf(name: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const range = manifest.dependencies[name] ?? manifest.devDependencies[name];
  if (!range) throw new Error(`${name} is not a dependency of the repository`);
  return `${name}@${range}`;
}
