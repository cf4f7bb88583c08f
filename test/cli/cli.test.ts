import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "scenetree.js");
const fixture = (name: string) => path.join("test", "fixtures", "scenes", name);

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("scenetree CLI (child process)", () => {
  test("--version and --help", () => {
    expect(cli("--version")).toMatchObject({ code: 0, stdout: "0.1.0\n" });
    expect(cli("--help").stdout).toContain("scenetree run <scene.json>");
  });

  test("run: a valid scene runs to its quit() and exits 0", () => {
    const { code, stdout, stderr } = cli("run", "scenes/timers.scene.json", "--print-tree");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(" ┖╴root\n    ┖╴Main\n       ┠╴Fast\n");
    expect(stdout).toContain("done, quitting");
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(/_exitTree$/);
  });

  test("run: everything the scene wrote reaches a pipe before the CLI exits (more than a pipe holds)", () => {
    const { code, stdout } = cli("run", path.join("test", "fixtures", "cli", "loud.scene.json"));
    expect(code).toBe(0);
    const lines = stdout.split("\n").filter((line) => line !== "");
    expect([stdout.length, lines.length, lines.at(-1)]).toEqual([200_000, 2000, `1999 ${"x".repeat(94)}`]);
  });

  test("run: a promise nobody handles that rejects is one error reported, and the run goes on (a fleet too)", () => {
    const scene = path.join("test", "fixtures", "cli", "stray.scene.json");
    const line = `ERROR: a promise rejected and nothing handled it: stray rejection (at ${path.join(ROOT, "test", "fixtures", "cli", "stray.ts")}:6:25)\n`;
    const one = cli("run", scene);
    expect([one.code, one.stderr]).toEqual([0, line]);
    const fleet = cli("run", scene, "--instances", "3", "--workers", "2", "--seed", "1");
    expect(fleet.code).toBe(0);
    expect(fleet.stderr.split(line)).toHaveLength(4); // once per instance
    expect(fleet.stderr).toContain("Fleet done: 3 of 3 instances quit with 0, 3 errors reported.\n");
  });

  test("run: a reader that stops early (| head) ends the CLI as SIGPIPE would, 141, with no stack trace", async () => {
    const child = spawn(
      process.execPath,
      [BIN, "run", path.join("test", "fixtures", "cli", "endless.scene.json")],
      {
        cwd: ROOT,
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once("data", () => child.stdout.destroy()); // the first chunk, then the reader goes
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect([code, stderr]).toEqual([141, ""]);
  });

  test("run: a stderr reader that stops early (2>&1 | head) ends the CLI with 141 too, one tree or a fleet", async () => {
    const scene = path.join("test", "fixtures", "cli", "endless-stderr.scene.json");
    const codes: (number | null)[] = [];
    for (const extra of [[], ["--instances", "1", "--seed", "1"]]) {
      const child = spawn(process.execPath, [BIN, "run", scene, ...extra], { cwd: ROOT });
      child.stdout.resume();
      child.stderr.once("data", () => child.stderr.destroy()); // the first chunk, then the reader goes
      codes.push(await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c))));
    }
    expect(codes).toEqual([141, 141]); // not 1, the code of an instance that failed
  });

  test("run --quit-after stops after that much tree time", () => {
    const { code, stdout } = cli("run", fixture("forever.scene.json"), "--quit-after", "0.1");
    expect(code).toBe(0);
    expect(stdout).toBe("Child:_ready\nForever:_ready\nChild:_exitTree\nForever:_exitTree\n");
  });

  test("validate: a valid .tscn is ok, and what its conversion leaves out is said on stderr as run says it", () => {
    const tscn = path.join("test", "fixtures", "cli", "main.tscn");
    const validated = cli("validate", tscn);
    expect([validated.code, validated.stdout]).toEqual([0, `ok  ${tscn}\n`]);
    const warnings = validated.stderr.split("\n").filter((line) => line.includes(": warning: "));
    expect(warnings.length).toBeGreaterThan(0);
    expect(validated.stderr).toContain(': warning: Node "Sprite": scenetree has no Node2D node;');
    const ran = cli("run", tscn, "--quit-after", "0");
    expect(ran.stderr.split("\n").filter((line) => line.includes(": warning: "))).toEqual(warnings);
  });

  test("validate: valid → 0; invalid → 2 with every problem as file:line:column  path  message + hint", () => {
    expect(cli("validate", "scenes/main.scene.json", "scenes/timers.scene.json")).toMatchObject({
      code: 0,
      stdout: "ok  scenes/main.scene.json\nok  scenes/timers.scene.json\n2 valid, 0 invalid.\n",
    });
    const { code, stderr } = cli("validate", fixture("many-errors.scene.json"));
    expect(code).toBe(2);
    const lines = stderr.split("\n");
    expect(lines[0]).toBe(
      `${fixture("many-errors.scene.json")}:7:62  root.children[0].props.waitTime  ERR_OUT_OF_RANGE: "waitTime" must be > 0, got -1.`,
    );
    expect(lines[1]).toBe("    hint: Use a number > 0.");
    expect(stderr.match(/ERR_/g)).toHaveLength(6);
    expect(stderr).toContain("6 problems found.");
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace for a user mistake
  });

  test("run on an invalid scene exits 2 without running anything", () => {
    const { code, stdout, stderr } = cli("run", fixture("unknown-type.scene.json"));
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toContain('ERR_UNKNOWN_TYPE: Unknown node type "Timre".');
  });

  test("bad arguments exit 2", () => {
    expect(cli("run", "scenes/main.scene.json", "--fps", "zero").code).toBe(2);
    expect(cli("frobnicate").code).toBe(2);
  });

  test("a --scripts module that fails: the whole message and where, in one line, exit 2", () => {
    const { code, stdout, stderr } = cli(
      "run",
      "scenes/timers.scene.json",
      "--scripts",
      "test/fixtures/cli/throwing.ts",
    );
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toBe(
      `scenetree: Importing test/fixtures/cli/throwing.ts failed: greeter config is missing (at ${path.join(ROOT, "test/fixtures/cli/throwing.ts")}:2:7)\n`,
    );
  });

  test("SIGTERM quits the tree cleanly and exits 143", async () => {
    const child = spawn(
      process.execPath,
      [BIN, "run", fixture("forever.scene.json"), "--log-level", "error"],
      {
        cwd: ROOT,
      },
    );
    let stdout = "";
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("Forever:_ready")) resolve();
      }),
    );
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(143);
    expect(stdout).toBe("Child:_ready\nForever:_ready\nChild:_exitTree\nForever:_exitTree\n");
  });
});

describe("npm start (scenetree start)", () => {
  test("runs the default WebSocket scene with no outside server and exits 0 with a summary", () => {
    const { code, stdout, stderr } = cli("start");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/server echoed 4 messages/);
  });
});
