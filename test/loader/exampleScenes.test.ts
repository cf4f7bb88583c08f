import * as fs from "node:fs";
import * as path from "node:path";
import { loadScene, SceneTree, TestClock } from "../../src";

const SCENES = path.join(__dirname, "..", "..", "scenes");
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
    );
const sceneFiles = files(SCENES).filter((f) => f.endsWith(".scene.json"));

/**
 * Runs `tree` frame by frame on its TestClock (1/60 s per frame) while giving the event loop a real
 * millisecond between frames, so scenes that talk over loopback sockets get their I/O done.
 */
async function runPaced(tree: SceneTree, clock: TestClock, maxFrames: number): Promise<void> {
  void tree.run({ fps: 60 });
  for (let frame = 0; frame < maxFrames && !tree.isFinalized(); frame++) {
    clock.advance(1000 / 60);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/* eslint-disable @typescript-eslint/no-require-imports */
describe("example scenes", () => {
  let log: jest.SpyInstance;
  beforeEach(() => (log = jest.spyOn(console, "log").mockImplementation(() => {})));
  afterEach(() => log.mockRestore());

  test("there is one per feature", () => {
    expect(sceneFiles.map((f) => path.relative(SCENES, f)).sort()).toEqual(
      expect.arrayContaining([
        "main.scene.json",
        "timers.scene.json",
        "instances.scene.json",
        "connections.scene.json",
        "groups.scene.json",
        "unique-names.scene.json",
        "node-path.scene.json",
        "editable.scene.json",
        "parts/blinker.scene.json",
      ]),
    );
  });

  test.each(sceneFiles.map((f) => [path.relative(SCENES, f), f]))(
    "%s loads, runs and points at the schema",
    async (_name, file) => {
      const text = fs.readFileSync(file, "utf8");
      expect(JSON.parse(text).$schema).toMatch(/(^|\/)scene\.schema\.json$/);
      const scene = await loadScene(file);
      const clock = new TestClock();
      const tree = new SceneTree({ clock, fatalErrors: true });
      tree.root.addChild(scene.instantiate());
      await runPaced(tree, clock, 600);
      if (!file.includes(`${path.sep}parts${path.sep}`))
        expect([tree.isFinalized(), tree.exitCode]).toEqual([true, 0]);
      tree.finalize();
    },
  );

  test("the timers scene prints what happens, through a TypeScript node class, and quits with 0", async () => {
    const scene = await loadScene(path.join(SCENES, "timers.scene.json"));
    const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
    tree.root.addChild(scene.instantiate());
    let frames = 0;
    while (!tree.isFinalized() && frames++ < 120) tree.step(1 / 60);
    expect(tree.exitCode).toBe(0);
    const lines = log.mock.calls.map((call) => String(call[0]));
    expect(lines[0]).toBe("[main t=0.00s] ready");
    expect(lines.filter((l) => l.endsWith('note("slow timer")'))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/_exitTree$/);
  });

  test("the committed scene.schema.json is what `scenetree schema` generates", () => {
    const committed = JSON.parse(fs.readFileSync(path.join(SCENES, "..", "scene.schema.json"), "utf8"));
    // Compared as data: prettier may re-wrap the committed file.
    // A fresh module registry: the types the library registers, not those of the scenes' scripts above.
    let generated = "";
    jest.isolateModules(() => {
      require("../../src");
      generated = (
        require("../../src/cli/schemaCommand") as typeof import("../../src/cli/schemaCommand")
      ).sceneSchemaText();
    });
    expect(committed).toEqual(JSON.parse(generated));
  });
});
