import * as fs from "node:fs";
import * as path from "node:path";
import { parseRunArgs } from "../../src/cli/runCommand";
import { parseFleetFlags, parseSeed } from "../../src/fleet/flags";

const MANIFEST = path.join(__dirname, "..", "..", "examples", "k8s", "indexed-job.yaml");

describe("examples/k8s/indexed-job.yaml", () => {
  test("its command line is one scenetree run accepts, sharded by JOB_COMPLETION_INDEX", () => {
    const text = fs.readFileSync(MANIFEST, "utf8");
    const command = JSON.parse(/command: (\[.*\])/.exec(text)![1]) as string[];
    const args = [...text.matchAll(/^\s+- (--[\w-]+=\S+)/gm)].map((match) => match[1]);
    // node runs the CLI itself as the container's first process, so the SIGTERM of a deleted Job reaches
    // scenetree: `npx` (npm exec) runs it under `sh -c`, and on a Debian image (dash) the signal stops at
    // npm and sh, the bots are killed with the container, and no summary is printed.
    expect(command.slice(0, 3)).toEqual(["node", "node_modules/scenetree/bin/scenetree.js", "run"]);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
    expect(`node_modules/scenetree/${pkg.bin.scenetree}`).toBe(command[1]);
    const run = parseRunArgs([...command.slice(3), ...args], null)!;
    const fleet = parseFleetFlags(
      run.fleet,
      { ...run, seed: parseSeed(run.seed) },
      { JOB_COMPLETION_INDEX: "3" },
    );
    const completions = Number(/completions: (\d+)/.exec(text)![1]);
    expect(fleet).toMatchObject({
      scene: "bot.scene.json",
      shard: { index: 3, count: completions },
      seed: 12345,
    });
    expect(/completionMode: Indexed/.test(text)).toBe(true);
  });
});
