import * as path from "node:path";
import type { CliIo } from "../../src/cli/output";
import type { FleetOptions } from "../../src/fleet/flags";
import { runFleet } from "../../src/fleet/runFleet";
import { instanceSeed } from "../../src/fleet/seed";

// Workers run the built package (dist/, as `npm test` builds it first): see FleetHost's workerScript.
const ROOT = path.join(__dirname, "..", "..");
const fixture = (name: string) => path.join("test", "fixtures", "fleet", name);

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    cwd: ROOT,
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

const options = (scene: string, more: Partial<FleetOptions> = {}): FleetOptions => ({
  scene: fixture(scene),
  instances: 20,
  workers: 2,
  rampUp: 0,
  duration: null,
  shard: { index: 0, count: 1 },
  seed: 99,
  fps: 60,
  logLevel: "info",
  logFormat: "pretty",
  scripts: [],
  ...more,
});

const records = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe("runFleet (worker threads)", () => {
  test("20 instances over 2 workers each run once with their index and seed; every one quits 0 → 0", async () => {
    const io = capture();
    expect(await runFleet(options("probe.scene.json"), io, { handleSignals: false })).toBe(0);
    const ready = records(io.out)
      .filter((r) => "label" in r)
      .sort((a, b) => (a.index as number) - (b.index as number));
    expect(ready.map(({ index, count, seed, label }) => ({ index, count, seed, label }))).toEqual(
      Array.from({ length: 20 }, (_, index) => {
        const seed = instanceSeed(99, index);
        return { index, count: 20, seed, label: `bot-${index}-of-20 seed ${seed} {other}` };
      }),
    );
    expect(io.err).toBe(
      "Running 20 instances on 2 workers, seed 99.\nFleet done: 20 of 20 instances quit with 0.\n",
    );
  });

  test("a shard runs only its own instances, with their global indices", async () => {
    const io = capture();
    const code = await runFleet(
      options("probe.scene.json", { instances: 10, shard: { index: 1, count: 3 } }),
      io,
      {
        handleSignals: false,
      },
    );
    expect(code).toBe(0);
    const indices = records(io.out)
      .filter((r) => "label" in r)
      .map((r) => r.index)
      .sort();
    expect(indices).toEqual([1, 4, 7]);
    expect(io.err).toContain("Running 10 instances (shard 1/3: 3) on 2 workers, seed 99.");
  });

  test("--scripts modules are imported in every worker too, before the scene", async () => {
    const io = capture();
    const more = { instances: 4, scripts: [fixture("fleetTypes.ts")] };
    expect(await runFleet(options("no-scripts.scene.json", more), io, { handleSignals: false })).toBe(0);
    const labels = records(io.out)
      .map((r) => r.label)
      .sort();
    expect(labels).toEqual([0, 1, 2, 3].map((i) => `from --scripts ${i}`));
  });

  test("one instance quitting with 1 → 1", async () => {
    const io = capture();
    expect(
      await runFleet(options("failing.scene.json", { instances: 5 }), io, { handleSignals: false }),
    ).toBe(1);
    expect(io.err).toContain("Fleet done: 4 of 5 instances quit with 0, 1 failed.");
  });

  test("an instance's error reaches stderr with its index; that instance fails → 1", async () => {
    const io = capture();
    expect(
      await runFleet(options("exploding.scene.json", { instances: 4, fps: 1000 }), io, {
        handleSignals: false,
      }),
    ).toBe(1);
    expect(io.err).toContain(
      "[instance 2] ERROR: Building the scene failed: " +
        `${path.join(ROOT, fixture("exploding.scene.json"))}:4:11  root  ERR_INSTANTIATE: Creating the node failed: throwWhen 2=2\n`,
    );
    expect(io.err).toContain("Fleet done: 3 of 4 instances quit with 0, 1 failed.");
  });

  test("a crashed worker fails its instances → 1, and the fleet still ends", async () => {
    const io = capture();
    expect(
      await runFleet(options("crashing.scene.json", { instances: 4 }), io, { handleSignals: false }),
    ).toBe(1);
    expect(io.err).toMatch(/Worker [01] crashed: Error: crash in a timer/);
    expect(io.err).toContain("Fleet done: 0 of 4 instances quit with 0, 4 failed, 2 worker(s) crashed.");
  });

  test("an invalid scene → 2, reported as `scenetree run` does, before any worker starts", async () => {
    const io = capture();
    const scene = path.join("test", "fixtures", "scenes", "unknown-type.scene.json");
    expect(await runFleet({ ...options("x"), scene }, io, { handleSignals: false })).toBe(2);
    expect(io.err.split("\n")[0]).toBe(
      `${scene}:6:41  root.children[0].type  ERR_UNKNOWN_TYPE: Unknown node type "Timre".`,
    );
    expect(io.err).toMatch(/\n1 problem found\.\n$/);
    expect(io.err).not.toContain("Running");
    expect(io.out).toBe("");
  });
});
