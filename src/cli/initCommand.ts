import * as fs from "node:fs";
import * as path from "node:path";
import { commandHelp, parseCommand, UsageError, type CommandSpec, type OptionSpec } from "../run/args";
import { packageNameFor, readOwnManifest } from "./init/manifest";
import { MAIN_SCENE, projectFiles, type ProjectFile } from "./init/templates";
import type { CliIo } from "../run/output";

export const INIT_SPEC: CommandSpec<{ force: OptionSpec }> = {
  name: "init",
  synopsis: "[dir] [--force]",
  description: `Creates a scenetree project in dir (default: the current folder; created if missing):
  package.json            scripts start, validate and test; scenetree as a dependency
  tsconfig.json           strict TypeScript
  scenes/main.scene.json  the scene npm start runs: a bot and an echo server
  src/bot.ts              the bot, a node class registered for scene files
  test/bot.test.ts        a test that steps the tree on a TestClock
  .gitignore, README.md

Files that exist are never overwritten: if any does, init lists them, writes nothing
and exits 2.`,
  options: { force: { type: "boolean", description: "Overwrite existing files." } },
  positionals: { min: 0, max: 1, name: "folder" },
  footer: "Then: cd dir && npm install && npm start",
};

export const INIT_HELP = commandHelp(INIT_SPEC);

/** `scenetree init [dir]`: writes a new project that runs with `npm install && npm start`. */
export async function initCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(INIT_SPEC, args);
  if (parsed.help) {
    io.stdout(INIT_HELP);
    return 0;
  }
  const { values, positionals } = parsed;
  const dir = path.resolve(io.cwd, positionals[0] ?? ".");
  const where = displayPath(io.cwd, dir);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`${where} exists and is not a folder.`, "init");
  }

  const files = projectFiles({ name: packageNameFor(path.basename(dir)), manifest: readOwnManifest() });
  const existing = files.filter((file) => fs.existsSync(path.join(dir, file.path)));
  const notFiles = existing.filter((file) => !fs.statSync(path.join(dir, file.path)).isFile());
  if (notFiles.length > 0) {
    io.stderr(`scenetree init: nothing was written; these exist in ${where} and are not files:\n`);
    for (const file of notFiles) io.stderr(`  ${file.path}\n`);
    return 2;
  }
  if (existing.length > 0 && !values.force) {
    io.stderr(`scenetree init: nothing was written; these files exist already in ${where}:\n`);
    for (const file of existing) io.stderr(`  ${file.path}\n`);
    io.stderr(`Run "scenetree init ${shellQuote(where)} --force" to overwrite them.\n`);
    return 2;
  }

  await writeFiles(dir, files);
  const overwritten = new Set(existing.map((file) => file.path));
  io.stdout(`Created a scenetree project in ${where}:\n`);
  for (const file of files) {
    io.stdout(`  ${file.path}${overwritten.has(file.path) ? "  (overwritten)" : ""}\n`);
  }
  const cd = where === "." ? "" : `  cd ${shellQuote(where)}\n`;
  io.stdout(`\nNext steps:\n${cd}  npm install\n  npm start      # runs ${MAIN_SCENE}\n  npm test\n`);
  return 0;
}

async function writeFiles(dir: string, files: readonly ProjectFile[]): Promise<void> {
  for (const file of files) {
    const target = path.join(dir, file.path);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, file.content);
  }
}

/** `dir` as the user would type it: relative to the current folder when inside it, else absolute. */
function displayPath(cwd: string, dir: string): string {
  const relative = path.relative(cwd, dir);
  if (relative === "") return ".";
  const outside = relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside ? dir : relative;
}

/** Quotes a path for the user's shell when it has anything but safe characters. */
function shellQuote(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
