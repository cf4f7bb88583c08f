import * as fs from "node:fs";
import * as path from "node:path";
import { loadScene, SceneError } from "../../src";
import { DEFAULT_SCENE_LIMITS, resolveLimits } from "../../src/loader/limits";
import { ReadBudget, ReadRefusal } from "../../src/loader/readBudget";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

let box: SceneSandbox;
beforeEach(() => (box = makeSceneSandbox()));
afterEach(() => box.dispose());

function refusalOf(read: () => unknown): ReadRefusal {
  try {
    read();
  } catch (error) {
    if (error instanceof ReadRefusal) return error;
    throw error;
  }
  throw new Error("expected a ReadRefusal");
}

describe("ReadBudget", () => {
  test("reads a file whole, sync and async, with a byte order mark kept", async () => {
    const file = box.write("project/a.scene.json", "\uFEFF{}");
    const budget = new ReadBudget(resolveLimits(undefined));
    expect(budget.readSync(file)).toBe("\uFEFF{}");
    expect(await budget.read(file)).toBe("\uFEFF{}");
  });

  test("a file larger than maxFileBytes, even sparse and 290 MB, is refused without being read whole", async () => {
    const file = path.join(box.project, "huge.tscn");
    fs.writeFileSync(file, "");
    fs.truncateSync(file, 290 * 1024 * 1024); // sparse: costs no disk, stat says 290 MB
    const budget = new ReadBudget(resolveLimits({ maxFileBytes: 1024 }));
    expect(refusalOf(() => budget.readSync(file)).kind).toBe("file-too-big");
    await expect(budget.read(file)).rejects.toMatchObject({ kind: "file-too-big" });
  });

  test("stat() says 0 bytes for /proc files: the cap is on what is read", () => {
    const budget = new ReadBudget(resolveLimits({ maxFileBytes: 64 }));
    expect(fs.statSync("/proc/self/maps").size).toBe(0);
    expect(refusalOf(() => budget.readSync("/proc/self/maps"))).toMatchObject({ kind: "file-too-big" });
  });

  test("the total over a load: the file that would pass maxTotalBytes is refused, earlier ones count", () => {
    const a = box.write("project/a.scene.json", "x".repeat(600));
    const b = box.write("project/b.scene.json", "x".repeat(600));
    const budget = new ReadBudget(resolveLimits({ maxTotalBytes: 1000 }));
    expect(budget.readSync(a)).toHaveLength(600);
    expect(refusalOf(() => budget.readSync(b)).kind).toBe("total-bytes");
  });

  test("maxFiles counts every file asked for; missing files and folders are refusals of their own", () => {
    const a = box.write("project/a.scene.json", "{}");
    const budget = new ReadBudget(resolveLimits({ maxFiles: 3 }));
    expect(refusalOf(() => budget.readSync(path.join(box.project, "nope.json"))).kind).toBe("missing");
    expect(refusalOf(() => budget.readSync(box.project)).kind).toBe("unreadable");
    expect(budget.readSync(a)).toBe("{}");
    expect(refusalOf(() => budget.readSync(a)).kind).toBe("file-count");
  });

  test("a file that grows past its first chunk is read completely", () => {
    const text = "y".repeat(DEFAULT_SCENE_LIMITS.maxFileBytes >> 8);
    const file = box.write("project/big.scene.json", text);
    expect(new ReadBudget(resolveLimits(undefined)).readSync(file)).toBe(text);
  });
});

describe("the loader reads through it", () => {
  test("a top-level file in /proc (stat size 0) larger than maxFileBytes is ERR_LIMIT", async () => {
    const error = await loadScene("/proc/self/maps", { limits: { maxFileBytes: 64 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SceneError);
    expect((error as SceneError).problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ["ERR_LIMIT", 1, 1],
    ]);
    expect((error as SceneError).message).toMatch(/larger than 64 bytes/);
  });

  test("a sub-scene .tscn larger than maxFileBytes is ERR_LIMIT in that file", async () => {
    const huge = path.join(box.project, "huge.tscn");
    fs.writeFileSync(huge, "");
    fs.truncateSync(huge, 290 * 1024 * 1024);
    box.write("project/main.scene.json", {
      format: 1,
      root: { name: "Main", type: "Node", children: [{ instance: "./huge.tscn" }] },
    });
    const error = (await loadScene(path.join(box.project, "main.scene.json")).catch(
      (e: unknown) => e,
    )) as SceneError;
    expect(error).toBeInstanceOf(SceneError);
    expect(error.problems.map((p) => [p.code, path.basename(p.file)])).toEqual([["ERR_LIMIT", "huge.tscn"]]);
  });
});
