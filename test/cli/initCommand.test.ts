import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { loadScene, SceneTree, unregisterNodeType } from "../../src";
import { HELP } from "../../src/cli/help";
import { packageNameFor } from "../../src/cli/init/manifest";
import { INIT_HELP, initCommand } from "../../src/cli/initCommand";
import { runCli } from "../../src/cli/main";
import type { CliIo } from "../../src/run/output";

const ROOT = path.join(__dirname, "..", "..");
const OWN = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const FILES = [
  "package.json",
  "tsconfig.json",
  "scenes/main.scene.json",
  "src/bot.ts",
  "test/bot.test.ts",
  ".gitignore",
  "README.md",
];

let tmp: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-init-")));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  unregisterNodeType("Bot"); // each scaffold's bot.ts is a new module with its own Bot class
});

function capture(cwd: string): { io: CliIo; out: { stdout: string; stderr: string } } {
  const out = { stdout: "", stderr: "" };
  return {
    io: { cwd, stdout: (text) => void (out.stdout += text), stderr: (text) => void (out.stderr += text) },
    out,
  };
}

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "utf8");
const readJson = (dir: string, file: string) => JSON.parse(read(dir, file)) as Record<string, unknown>;

/** What `npm install` would give the scaffold, from this repository's node_modules ("scenetree" is mapped by jest). */
function linkDependencies(dir: string): void {
  fs.mkdirSync(path.join(dir, "node_modules", "@types"), { recursive: true });
  for (const name of ["zod", "@types/node"]) {
    fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(dir, "node_modules", name), "dir");
  }
}

describe("scenetree init", () => {
  test("creates the folder and every file; versions come from scenetree's own package.json", async () => {
    const { io, out } = capture(tmp);
    expect(await initCommand(["new/My Bot"], io)).toBe(0);
    const dir = path.join(tmp, "new", "My Bot");
    expect(listFiles(dir)).toEqual([...FILES].sort());
    expect(readJson(dir, "package.json")).toEqual({
      name: "my-bot",
      version: "0.1.0",
      private: true,
      type: "commonjs",
      scripts: {
        start: "scenetree start",
        validate: "scenetree validate scenes/main.scene.json",
        test: "node --import tsx --test test/bot.test.ts",
      },
      dependencies: { scenetree: `^${OWN.version}` },
      devDependencies: {
        "@types/node": OWN.devDependencies["@types/node"],
        tsx: OWN.dependencies.tsx,
        typescript: OWN.devDependencies.typescript,
      },
    });
    expect(readJson(dir, "tsconfig.json").compilerOptions).toMatchObject({
      strict: true,
      module: "nodenext",
      moduleResolution: "nodenext",
      noEmit: true,
      types: ["node"],
    });
    expect(readJson(dir, "scenes/main.scene.json")).toMatchObject({
      $schema: "../node_modules/scenetree/scene.schema.json",
      scripts: ["../src/bot.ts"],
    });
    expect(read(dir, ".gitignore").split("\n")).toEqual(["node_modules/", "dist/", ""]);
    expect(read(dir, "README.md")).toMatch(/^# my-bot\n/);
    expect(read(dir, "src/bot.ts")).toContain('from "scenetree"');
    expect(out.stdout).toBe(
      [
        "Created a scenetree project in new/My Bot:",
        ...FILES.map((file) => `  ${file}`),
        "",
        "Next steps:",
        "  cd 'new/My Bot'",
        "  npm install",
        "  npm start      # runs scenes/main.scene.json",
        "  npm test",
        "",
      ].join("\n"),
    );
    expect(out.stderr).toBe("");
  });

  test("with no folder it writes into the current one, named after it, and says no cd", async () => {
    const cwd = path.join(tmp, "echo-bot");
    fs.mkdirSync(cwd);
    const { io, out } = capture(cwd);
    expect(await initCommand([], io)).toBe(0);
    expect(listFiles(cwd)).toEqual([...FILES].sort());
    expect(readJson(cwd, "package.json").name).toBe("echo-bot");
    expect(out.stdout).toContain("Created a scenetree project in .:\n");
    expect(out.stdout).toContain("Next steps:\n  npm install\n");
  });

  test("refuses when files exist: lists every one, writes nothing, exits 2", async () => {
    fs.mkdirSync(path.join(tmp, "src"));
    fs.writeFileSync(path.join(tmp, "package.json"), "mine\n");
    fs.writeFileSync(path.join(tmp, "src", "bot.ts"), "mine too\n");
    const { io, out } = capture(tmp);
    expect(await initCommand(["."], io)).toBe(2);
    expect(out.stderr).toBe(
      "scenetree init: nothing was written; these files exist already in .:\n" +
        "  package.json\n  src/bot.ts\n" +
        'Run "scenetree init . --force" to overwrite them.\n',
    );
    expect(out.stdout).toBe("");
    expect(listFiles(tmp)).toEqual(["package.json", "src/bot.ts"]);
    expect(read(tmp, "package.json")).toBe("mine\n");
    expect(read(tmp, "src/bot.ts")).toBe("mine too\n");
  });

  test("--force overwrites existing files and says which", async () => {
    fs.mkdirSync(path.join(tmp, "src"));
    fs.writeFileSync(path.join(tmp, "package.json"), "mine\n");
    fs.writeFileSync(path.join(tmp, "src", "bot.ts"), "mine too\n");
    fs.writeFileSync(path.join(tmp, "notes.txt"), "untouched\n");
    const { io, out } = capture(tmp);
    expect(await initCommand(["--force"], io)).toBe(0);
    expect(listFiles(tmp)).toEqual([...FILES, "notes.txt"].sort());
    expect(readJson(tmp, "package.json").scripts).toHaveProperty("start");
    expect(read(tmp, "src/bot.ts")).toContain("registerNodeType(");
    expect(read(tmp, "notes.txt")).toBe("untouched\n");
    expect(out.stdout).toContain("  package.json  (overwritten)\n  tsconfig.json\n");
    expect(out.stdout).toContain("  src/bot.ts  (overwritten)\n");
  });

  test("a target path that is a folder is refused even with --force", async () => {
    fs.mkdirSync(path.join(tmp, "README.md"));
    const { io, out } = capture(tmp);
    expect(await initCommand(["--force"], io)).toBe(2);
    expect(out.stderr).toBe(
      "scenetree init: nothing was written; these exist in . and are not files:\n  README.md\n",
    );
    expect(listFiles(tmp)).toEqual([]);
  });

  test("through the CLI: --help and -h print the usage and exit 0; bad arguments exit 2", async () => {
    for (const flag of ["--help", "-h"]) {
      const { io, out } = capture(tmp);
      expect(await runCli(["init", flag], io)).toBe(0);
      expect(out.stdout).toBe(INIT_HELP);
    }
    expect(HELP).toContain("scenetree init [dir] [--force]");
    fs.writeFileSync(path.join(tmp, "a-file"), "");
    for (const args of [["one", "two"], ["--frobnicate"], ["--forse"], ["a-file"]]) {
      const { io, out } = capture(tmp);
      expect(await runCli(["init", ...args], io)).toBe(2);
      expect(out.stderr).toMatch(/^scenetree: .+\nRun "scenetree init --help" for usage\.\n$/);
    }
    expect(listFiles(tmp)).toEqual(["a-file"]);
  });

  test("through the CLI: init writes the project and exits 0", async () => {
    const { io } = capture(tmp);
    expect(await runCli(["init", "bot"], io)).toBe(0);
    expect(listFiles(path.join(tmp, "bot"))).toEqual([...FILES].sort());
  });

  test("package names follow npm's rules", () => {
    expect(packageNameFor("My Bot!")).toBe("my-bot");
    expect(packageNameFor(".hidden_thing")).toBe("hidden_thing");
    expect(packageNameFor("_")).toBe("scenetree-project");
    expect(packageNameFor("scenetree")).toBe("scenetree-project"); // npm won't install a package into its namesake
    expect(packageNameFor("a".repeat(300))).toHaveLength(214);
  });
});

describe("the scaffolded project", () => {
  test("its scene loads with scenetree's loader and runs until the bot quits with exit code 0", async () => {
    const { io } = capture(tmp);
    expect(await initCommand([], io)).toBe(0);
    linkDependencies(tmp);
    const lines: string[] = [];
    const log = jest
      .spyOn(console, "log")
      .mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      const scene = await loadScene(path.join(tmp, "scenes", "main.scene.json"));
      const tree = new SceneTree({ fatalErrors: true });
      tree.root.addChild(scene.instantiate());
      expect(tree.root.getNode("Main/Bot").constructor.name).toBe("Bot");
      expect(await tree.run({ fps: 120 })).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(lines.slice(1)).toEqual([
      "[bot] echo 1/3: hello #1",
      "[bot] echo 2/3: hello #2",
      "[bot] echo 3/3: hello #3",
      "[bot] done",
    ]);
    expect(lines[0]).toMatch(/^\[bot\] connected to ws:\/\/127\.0\.0\.1:\d+\/bot$/);
  }, 30_000);

  test("its TypeScript compiles under its own strict tsconfig", async () => {
    const { io } = capture(tmp);
    expect(await initCommand([], io)).toBe(0);
    linkDependencies(tmp);
    const config = ts.getParsedCommandLineOfConfigFile(path.join(tmp, "tsconfig.json"), undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    });
    if (!config) throw new Error("tsconfig.json did not parse");
    expect(config.fileNames.map((file) => path.relative(tmp, file)).sort()).toEqual([
      path.join("src", "bot.ts"),
      path.join("test", "bot.test.ts"),
    ]);
    // "scenetree" is this repository's source until the package is installed.
    const options = { ...config.options, paths: { scenetree: [path.join(ROOT, "src", "index.ts")] } };
    const program = ts.createProgram(config.fileNames, options);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) =>
        ts.formatDiagnostic(d, { ...ts.sys, getCanonicalFileName: (f) => f, getNewLine: () => "\n" }),
      );
    expect(problems).toEqual([]);
  }, 60_000);
});
