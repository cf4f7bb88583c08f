/**
 * `scenetree run --instances N` as users run it (the built CLI in a child process): its main thread
 * spawns the workers and loads no engine; the workers load, and so validate, the scene, and a failure
 * reads exactly as a single-tree run's of the same scene, once however many workers failed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runBuiltCli, type CliResult } from "../helpers/childCli";

jest.setTimeout(60_000);

const fixture = (folder: string, name: string) => path.join("test", "fixtures", folder, name);

/** What a fleet's main thread must not load: the engine's layers, the loader's libraries, the socket library. */
const ENGINE = /^dist\/(loader|tscn|scene|nodes|net)\/|(^|\/)node_modules\/(zod|tsx|jsonc-parser|ws)\//;

describe("a fleet's main thread", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-main-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("loads none of the engine, the loader, zod, tsx, jsonc-parser or ws; its workers do", async () => {
    // A scene with a .ts script (tsx), a --summary-json to write, a threshold whose name looks misspelt
    // (the did-you-mean warning): everything the main thread does.
    const summary = path.join(dir, "summary.json");
    const run = await runBuiltCli([
      "run",
      fixture("fleet", "probe.scene.json"),
      "--instances",
      "2",
      "--workers",
      "1",
      "--summary-json",
      summary,
      "--threshold",
      "ws_conect_failed:count<1",
    ]);
    expect([run.code, run.stderr]).toEqual([
      0,
      expect.stringContaining("Fleet done: 2 of 2 instances quit with 0."),
    ]);
    expect(run.stderr).toContain(
      "--threshold ws_conect_failed: not a built-in metric; did you mean ws_connect_failed? (a metric of your own is fine: it is judged when the run has recorded it)\n",
    );
    expect(run.stdout.split("\n").filter((line) => line.startsWith('{"index"'))).toHaveLength(2); // the workers ran it
    expect(fs.existsSync(summary)).toBe(true);
    expect(run.modules).toContain(path.join("dist", "fleet", "runFleet.js")); // the record is the fleet's
    expect(run.modules.filter((file) => ENGINE.test(file))).toEqual([]);
  });

  test("a single-tree run loads the engine in the main thread, as before (the check above can fail)", async () => {
    const run = await runBuiltCli(["run", fixture("fleet", "probe.scene.json")]);
    expect(run.code).toBe(0);
    for (const module of ["dist/loader/loadScene.js", "dist/scene/SceneTree.js", "node_modules/zod/"])
      expect([module, run.modules.some((file) => file.startsWith(module))]).toEqual([module, true]);
  });
});

describe("the workers validate the scene: a failure reads as a single-tree run's, once", () => {
  /** The same scene run as one tree, then as 4 instances over 2 workers (both of which fail). */
  async function both(args: string[]): Promise<{ single: CliResult; fleet: CliResult }> {
    const [single, fleet] = await Promise.all([
      runBuiltCli(["run", ...args, "--quit-after", "1"]),
      runBuiltCli(["run", ...args, "--instances", "4", "--workers", "2", "--duration", "1"]),
    ]);
    return { single, fleet };
  }
  const output = ({ code, stdout, stderr }: CliResult) => ({ code, stdout, stderr });
  const count = (text: string, part: string) => text.split(part).length - 1;

  test.each([
    ["an invalid scene", [fixture("scenes", "unknown-type.scene.json")], 'Unknown node type "Timre".'],
    ["a scene with many problems", [fixture("scenes", "many-errors.scene.json")], "problems found."],
    ["a scene whose script throws", [fixture("scenes", "throwing-script.scene.json")], "ERR_SCRIPT_LOAD"],
    [
      "invalid thresholds in the scene",
      [fixture("scenes", "bad-thresholds.scene.json")],
      "ERR_THRESHOLD_METHOD",
    ],
    [
      "a --scripts module that throws",
      [fixture("fleet", "no-scripts.scene.json"), "--scripts", fixture("cli", "throwing.ts")],
      "scenetree: Importing test/fixtures/cli/throwing.ts failed: greeter config is missing",
    ],
    [
      "a --scripts module that is missing",
      [fixture("fleet", "no-scripts.scene.json"), "--scripts", "no-such-module.ts"],
      "scenetree: --scripts no-such-module.ts: no such file",
    ],
  ])("%s: the same stderr and exit code 2, printed once", async (_, args, part) => {
    const { single, fleet } = await both(args);
    expect(single.code).toBe(2);
    expect(count(single.stderr, part)).toBe(1);
    expect(output(fleet)).toEqual(output(single));
  });

  test("a .tscn's conversion warnings are printed once, as for one tree", async () => {
    const { single, fleet } = await both([fixture("cli", "main.tscn")]);
    expect([single.code, fleet.code]).toEqual([0, 0]);
    const warnings = (text: string) => text.split("\n").filter((line) => line.includes(": warning: "));
    expect(warnings(single.stderr).length).toBeGreaterThan(0);
    expect(warnings(fleet.stderr)).toEqual(warnings(single.stderr));
  });
});
