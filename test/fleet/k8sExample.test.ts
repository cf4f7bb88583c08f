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
    expect(command.slice(0, 3)).toEqual(["npx", "scenetree", "run"]);
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
