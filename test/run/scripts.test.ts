import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "test", "fixtures", "cli");
const TSCN = path.join(FIXTURES, "main.tscn");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** What the fixture's Greeter class recorded (empty when it never ran). */
  greeterEvents: string[];
}

/**
 * The CLI with a registry of its own: each call starts with only the built-in types, so a type is
 * known only if this call's --scripts registered it.
 */
async function freshCli(args: string[], cwd = ROOT): Promise<Run> {
  let run: Run | null = null;
  await jest.isolateModulesAsync(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh registry per call
    const { runCli } = require("../../src/cli/main") as typeof import("../../src/cli/main");
    let stdout = "";
    let stderr = "";
    const code = await runCli(args, {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      cwd,
    });
    // The Greeter module as the CLI's require loaded it, if it did (this registry only).
    const greeter = path.join(FIXTURES, "greeter.ts");
    const loaded = require.cache[greeter]?.exports as typeof import("../fixtures/cli/greeter") | undefined;
    const greeterEvents = loaded?.greeterEvents ?? [];
    run = { code, stdout, stderr, greeterEvents };
  });
  return run!;
}

describe("run <file.tscn> --scripts", () => {
  test("the registered class takes over the node whose GDScript has its class_name", async () => {
    const { code, stdout, stderr, greeterEvents } = await freshCli([
      "run",
      TSCN,
      "--scripts",
      "test/fixtures/cli/greeter.ts",
      "--print-tree",
    ]);
    expect(code).toBe(0);
    expect(greeterEvents).toEqual(["Main: hi from the tscn"]); // its _ready ran, with the .tscn's prop
    expect(stdout).toContain("┖╴Main");
    // The conversion's warnings go through loadScene's onWarning to the logger, file:line first.
    expect(stderr).toBe(
      `${TSCN}:9: warning: Node "Sprite": scenetree has no Node2D node; it becomes a plain Node (register a TypeScript class as "Node2D" to keep it).\n`,
    );
  });

  test("without --scripts the node is a plain Node, and the warning says which class would take it", async () => {
    const { code, stderr, greeterEvents } = await freshCli(["run", TSCN, "--quit-after", "0"]);
    expect([code, greeterEvents]).toEqual([0, []]);
    expect(stderr).toContain(
      `${TSCN}:6: warning: Node "Main" (the root): GDScript "res://scripts/greeter.gd"`,
    );
    expect(stderr).toContain('register a TypeScript class as "Greeter"');
  });

  test("--log-level error silences the conversion warnings", async () => {
    const { stderr } = await freshCli(["run", TSCN, "--quit-after", "0", "--log-level", "error"]);
    expect(stderr).toBe("");
  });
});

describe("import <file.tscn> --scripts", () => {
  test("the node gets the script's type, and the JSON lists the script relative to where it goes", async () => {
    const { code, stdout, stderr } = await freshCli([
      "import",
      TSCN,
      "--scripts",
      "test/fixtures/cli/greeter.ts",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      format: 1,
      scripts: ["./test/fixtures/cli/greeter.ts"], // printed: relative to the current folder, where `>` writes
      root: {
        name: "Main",
        type: "Greeter",
        props: { greeting: "hi from the tscn" },
        script: "res://scripts/greeter.gd", // recorded, for reference
        children: [{ name: "Sprite", type: "Node" }],
      },
    });
    expect(stderr).toContain("note: script res://scripts/greeter.gd → scenetree type Greeter");
    expect(stderr).not.toContain("GDScript");
  });

  test("with -o the scripts are relative to the output file, and the written scene runs as it is", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-import-"));
    try {
      const out = path.join(dir, "main.scene.json");
      const imported = await freshCli([
        "import",
        TSCN,
        "--scripts",
        path.join(FIXTURES, "greeter.ts"),
        "-o",
        out,
      ]);
      expect(imported.code).toBe(0);
      const scene = JSON.parse(fs.readFileSync(out, "utf8"));
      expect(scene.scripts).toEqual([
        path.relative(dir, path.join(FIXTURES, "greeter.ts")).split(path.sep).join("/"),
      ]);
      expect(scene.root.type).toBe("Greeter");
      // Outside the repository, so its "scripts" are outside its project: run it from the fixtures instead.
      const beside = path.join(FIXTURES, "imported.scene.json");
      fs.writeFileSync(beside, JSON.stringify({ ...scene, scripts: ["./greeter.ts"] }));
      try {
        const run = await freshCli(["run", beside]);
        expect([run.code, run.greeterEvents]).toEqual([0, ["Main: hi from the tscn"]]);
      } finally {
        fs.rmSync(beside);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a --scripts module that maps no node is noted", async () => {
    const { code, stderr } = await freshCli([
      "import",
      path.join(ROOT, "test/fixtures/tscn/godot4/lobby.tscn"),
      "--scripts",
      "test/fixtures/cli/greeter.ts",
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain("note: no node took a type registered by --scripts (Greeter).");
  });
});
