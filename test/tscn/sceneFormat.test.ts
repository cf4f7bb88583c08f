import * as path from "node:path";
import { importTscn, loadScene, parseScene, type TscnWarning } from "../../src";

const CORPUS = path.join(__dirname, "..", "fixtures", "tscn");
const GODOT3 = path.join(CORPUS, "godot3", "main.tscn");
const GODOT4 = path.join(CORPUS, "godot4", "main.tscn");

describe("loadScene / parseScene of a .tscn: onWarning", () => {
  test.each([GODOT3, GODOT4])(
    "loadScene reports the same conversion warnings as importTscn, once each (%s)",
    async (file) => {
      const warnings: TscnWarning[] = [];
      await loadScene(file, { onWarning: (warning) => warnings.push(warning) });
      const imported = await importTscn(file);
      expect(imported.warnings.length).toBeGreaterThan(0);
      // Sub-scenes are converted within their parent and again when loaded: each warning comes once.
      const key = (w: TscnWarning) => `${w.file}:${w.line}: ${w.code} ${w.message}`;
      expect(warnings.map(key).sort()).toEqual(imported.warnings.map(key).sort());
    },
  );

  test("a .tscn sub-scene's warnings are reported too", async () => {
    const warnings: TscnWarning[] = [];
    await loadScene(GODOT4, { onWarning: (warning) => warnings.push(warning) });
    expect(warnings.map((w) => w.file)).toContain(path.join(CORPUS, "godot4", "ui", "hud.tscn"));
  });

  test("each load has its own handler, even two at once; none means silence", async () => {
    const first: TscnWarning[] = [];
    const second: TscnWarning[] = [];
    const stderr = jest.spyOn(process.stderr, "write");
    const warn = jest.spyOn(console, "warn");
    await Promise.all([
      loadScene(GODOT3, { onWarning: (w) => first.push(w) }),
      loadScene(GODOT4, { onWarning: (w) => second.push(w) }),
      loadScene(GODOT4), // no handler: nothing goes anywhere else
    ]);
    expect([stderr.mock.calls, warn.mock.calls]).toEqual([[], []]);
    stderr.mockRestore();
    warn.mockRestore();
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect(first.every((w) => w.file.includes(`${path.sep}godot3${path.sep}`))).toBe(true);
    expect(second.every((w) => w.file.includes(`${path.sep}godot4${path.sep}`))).toBe(true);
  });

  test("parseScene reports the warnings of .tscn sub-scenes", () => {
    const file = path.join(CORPUS, "godot4", "host.scene.json");
    const warnings: TscnWarning[] = [];
    parseScene(
      JSON.stringify({
        format: 1,
        root: { name: "Host", type: "Node", children: [{ instance: "./ui/hud.tscn" }] },
      }),
      { file, onWarning: (w) => warnings.push(w) },
    );
    expect(warnings.length).toBeGreaterThan(0);
    expect(new Set(warnings.map((w) => w.file))).toEqual(
      new Set([path.join(CORPUS, "godot4", "ui", "hud.tscn")]),
    );
  });
});
