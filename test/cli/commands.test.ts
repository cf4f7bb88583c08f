import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MAIN_SCENE } from "../../src/cli/init/templates";
import { DEFAULT_SCENE } from "../../src/cli/main";
import { runCliCaptured } from "../helpers/captureIo";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join("test", "fixtures", "cli");

/** The CLI in this process, with its output captured. */
const cli = (args: string[], cwd = ROOT) => runCliCaptured(args, cwd);

const NO_STACK = /\n\s+at /;

describe("--help on every subcommand", () => {
  test.each(["run", "start", "validate", "schema", "import"])(
    "%s --help and -h print its own usage on stdout and exit 0",
    async (command) => {
      for (const flag of ["--help", "-h"]) {
        const { code, stdout, stderr } = await cli([command, flag]);
        expect([code, stderr]).toEqual([0, ""]);
        expect(stdout.split("\n")[0]).toMatch(new RegExp(`^Usage: scenetree ${command} `));
        expect(stdout).toContain("-h, --help");
      }
      expect(await cli(["help", command])).toEqual(await cli([command, "--help"]));
    },
  );

  test("run's help names every run option; the main help points at the commands' helps", async () => {
    const { stdout } = await cli(["run", "--help"]);
    for (const flag of [
      "--fps N",
      "--quit-after SECONDS",
      "--print-tree",
      "--log-level LEVEL",
      "--scripts FILE",
    ])
      expect(stdout).toContain(flag);
    expect((await cli(["--help"])).stdout).toContain('Run "scenetree <command> --help"');
  });

  test("the main help lists every exit code of README's Exit codes table, 99 included", async () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.split("\n### Exit codes\n")[1].split("\n#")[0];
    const codes = [...section.matchAll(/^\| ([\d /]+) \|/gm)].flatMap((m) => m[1].split(" / "));
    expect(codes).toEqual(["0", "1", "2", "99", "130", "143", "141"]);
    const { stdout } = await cli(["--help"]);
    const exitCodes = stdout.slice(stdout.indexOf("Exit codes:"));
    for (const code of codes) expect(exitCodes).toMatch(new RegExp(`\\b${code}\\b`));
    expect(exitCodes).toContain("99 a threshold failed");
  });
});

test("the scene `start` runs by default is the one `scenetree init` writes (its npm start is `scenetree start`)", () => {
  expect(DEFAULT_SCENE).toBe(MAIN_SCENE);
});

describe("user mistakes exit 2 with one message and no stack trace", () => {
  test("an unknown flag gets a did-you-mean and points at the command's help", async () => {
    expect(await cli(["run", "scenes/timers.scene.json", "--quit-afer", "1"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'scenetree: Unknown option "--quit-afer". Did you mean "--quit-after"?\n' +
        'Run "scenetree run --help" for usage.\n',
    });
    expect((await cli(["schema", "--ouptut", "x.json"])).stderr).toContain('Did you mean "--output"?');
    expect((await cli(["import", "a.tscn", "--instance", "json"])).stderr).toContain(
      'Did you mean "--instances"?',
    );
    expect((await cli(["validate", "a.json", "--fix"])).code).toBe(2);
  });

  test("an unknown command gets a did-you-mean", async () => {
    expect(await cli(["rnu", "x.json"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown command "rnu". Did you mean "run"?'),
    });
  });

  test("a scene file in place of the command: did you mean scenetree run <it>", async () => {
    expect(await cli(["scenes/bot.scene.json"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'scenetree: Unknown command "scenes/bot.scene.json". Did you mean: scenetree run scenes/bot.scene.json\n' +
        'Run "scenetree --help" for usage.\n',
    });
    expect((await cli(["main.tscn"])).stderr).toContain("Did you mean: scenetree run main.tscn\n");
    // An existing file, whatever its name; the rest of the line comes along, quoted for a shell.
    expect(
      (await cli(["LICENSE", "--threshold", "ws_connecting:p(95)<500", "--fps", "30"])).stderr,
    ).toContain(
      `Unknown command "LICENSE". Did you mean: scenetree run LICENSE --threshold 'ws_connecting:p(95)<500' --fps 30\n`,
    );
    // Neither a scene's name nor a file: no such hint.
    expect((await cli(["frobnicate"])).stderr).toBe(
      'scenetree: Unknown command "frobnicate".\nRun "scenetree --help" for usage.\n',
    );
  });

  test.each([
    ["run", "a.json", "b.json"],
    ["start", "a.json", "b.json"],
    ["import", "a.tscn", "b.tscn"],
    ["schema", "a.json", "b.json"],
  ])("%s with two files is an error (no file is silently ignored)", async (command, ...files) => {
    const { code, stdout, stderr } = await cli([command, ...files]);
    expect([code, stdout]).toEqual([2, ""]);
    expect(stderr).toContain(`${command} takes one`);
    expect(stderr).toContain('"a');
  });

  test("schema -o and import -o into a missing folder: one line naming the folder, nothing written", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-out-"));
    try {
      const schema = await cli(["schema", "-o", "missing/scene.schema.json"], dir);
      expect(schema).toEqual({
        code: 2,
        stdout: "",
        stderr: 'scenetree: Can\'t write missing/scene.schema.json: the folder "missing" does not exist.\n',
      });
      const tscn = path.join(ROOT, FIXTURES, "main.tscn");
      const imported = await cli(["import", tscn, "-o", "nope/deeper/main.scene.json"], dir);
      expect(imported).toEqual({
        code: 2,
        stdout: "",
        stderr:
          'scenetree: Can\'t write nope/deeper/main.scene.json: the folder "nope/deeper" does not exist.\n',
      });
      fs.writeFileSync(path.join(dir, "file"), "");
      const notAFolder = await cli(["schema", "-o", "file/scene.schema.json"], dir);
      expect(notAFolder.stderr).toBe(
        'scenetree: Can\'t write file/scene.schema.json: "file" is not a folder.\n',
      );
      expect((await cli(["schema", "-o", "."], dir)).stderr).toBe(
        "scenetree: Can't write .: it is a folder.\n",
      );
      // An existing folder as the output: refused before converting (no warnings printed first).
      expect(await cli(["import", tscn, "-o", "."], dir)).toEqual({
        code: 2,
        stdout: "",
        stderr: "scenetree: Can't write .: it is a folder.\n",
      });
      expect(fs.readdirSync(dir)).toEqual(["file"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("bad values and missing files", async () => {
    const cases: Array<[string[], string]> = [
      [
        ["run", "scenes/timers.scene.json", "--fps", "zero"],
        '--fps needs a positive number, got "zero".\nRun "scenetree run --help" for usage.',
      ],
      [["run", "scenes/timers.scene.json", "--fps"], "--fps needs a value: --fps N."],
      // A negative number is the flag's (bad) value, not a missing one.
      [["run", "scenes/timers.scene.json", "--fps", "-1"], '--fps needs a positive number, got "-1".'],
      [
        ["run", "scenes/timers.scene.json", "--instances", "-3"],
        '--instances needs a whole number from 1 to 4294967295, got "-3".\nRun "scenetree run --help" for usage.',
      ],
      [
        ["run", "scenes/timers.scene.json", "--instances", "2", "--duration", "-1"],
        '--duration needs a positive number of seconds, at most 31536000 (365 days), got "-1".',
      ],
      [
        ["run", "scenes/timers.scene.json", "--instances", "2", "--ramp-up", "1e308"],
        '--ramp-up needs a non-negative number of seconds, at most 31536000 (365 days), got "1e308".',
      ],
      [
        ["run", "scenes/timers.scene.json", "--seed", "-1"],
        '--seed needs a whole number from 0 to 4294967295, got "-1".',
      ],
      [["run", "scenes/timers.scene.json", "--instances", "-x"], "--instances needs a value: --instances N."],
      [["run", "scenes/timers.scene.json", "--log-level", "loud"], "--log-level must be one of"],
      [["run", "scenes/timers.scene.json", "--scripts", "nope.ts"], "--scripts nope.ts: no such file"],
      [["import", "scene.json"], "scene.json is not a .tscn file."],
      [["import", "missing.tscn"], "Scene file not found."],
      [["import", "x.tscn", "--instances", "xml"], '--instances takes tscn or json, got "xml".'],
      [["run", "scenes/timers.scene.json", "--scripts", "test"], "--scripts test: not a file"],
      [["import", `${FIXTURES}/main.tscn`, "--project", "nope"], "--project nope: no such folder."],
      [["run", "missing.scene.json"], "ERR_MISSING_FILE"],
      [["run", "test"], "ERR_MISSING_FILE"], // a folder
      [["validate", "missing.scene.json"], "ERR_MISSING_FILE"],
      [["schema", "missing.scene.json"], "ERR_MISSING_FILE"],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await cli(args);
      expect([args, code]).toEqual([args, 2]);
      expect(stderr).toContain(message);
      expect(stderr).not.toMatch(NO_STACK);
    }
  });

  test("a --scripts module that throws: its message, none of the CLI's own stack", async () => {
    for (const command of ["run", "schema", "import"]) {
      const target =
        command === "run" ? ["scenes/timers.scene.json"] : command === "import" ? ["x.tscn"] : [];
      const { code, stdout, stderr } = await cli([
        command,
        ...target,
        "--scripts",
        `${FIXTURES}/throwing.ts`,
      ]);
      expect([code, stdout]).toEqual([2, ""]);
      expect(stderr).toMatch(
        new RegExp(`^scenetree: Importing ${FIXTURES}/throwing.ts failed: greeter config is missing`),
      );
      expect(stderr).not.toMatch(/src[/\\]cli/);
    }
  });
});
