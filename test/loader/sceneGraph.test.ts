import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadScene, parseScene, SceneError } from "../../src";
import { makeSceneSandbox, type SceneSandbox } from "../helpers/hostileScenes";

/**
 * The walk over a load's sub-scenes: files are known by their real path, so symlinks and other aliases
 * can neither hide a cycle nor make one file be read many times, and the whole load is bounded in
 * files and bytes.
 */

async function refusal(promise: Promise<unknown>): Promise<SceneError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof SceneError)) throw new Error(`expected a SceneError, got ${String(error)}`);
  return error;
}

const node = (name: string, extra: object = {}) => ({ name, type: "Node", ...extra });
const scene = (root: object) => ({ format: 1, root });

let box: SceneSandbox;
beforeEach(() => (box = makeSceneSandbox()));
afterEach(() => box.dispose());

describe("identity by real path", () => {
  test("a symlink loop (loop -> .) is ERR_INSTANCE_CYCLE at the instance, not a path growing until ELOOP", async () => {
    box.link("project/loop", box.project);
    box.write("project/a.scene.json", scene(node("A", { children: [{ instance: "./loop/a.scene.json" }] })));
    const error = await refusal(loadScene(path.join(box.project, "a.scene.json")));
    expect(error.problems.map((p) => [p.code, p.path])).toEqual([
      ["ERR_INSTANCE_CYCLE", "root.children[0].instance"],
    ]);
    expect(error.problems[0].message).toContain("a.scene.json → a.scene.json");
  });

  test("a cycle closed through an alias of the top-level file (b instances a by a symlink)", async () => {
    box.link("project/alias-of-a.scene.json", path.join(box.project, "a.scene.json"));
    box.write("project/a.scene.json", scene(node("A", { children: [{ instance: "./b.scene.json" }] })));
    box.write(
      "project/b.scene.json",
      scene(node("B", { children: [{ instance: "./alias-of-a.scene.json" }] })),
    );
    const error = await refusal(loadScene(path.join(box.project, "a.scene.json")));
    expect(error.problems.map((p) => [p.code, path.basename(p.file)])).toEqual([
      ["ERR_INSTANCE_CYCLE", "b.scene.json"],
    ]);
  });

  test("aliases of one file (symlinks, /proc/self/root/...) are read once: 3^8 paths cost 9 files", async () => {
    box.link("project/alias", box.project);
    box.write("project/s0.scene.json", scene(node("Leaf")));
    const levels = 8;
    for (let level = 1; level <= levels; level++) {
      const previous = `s${level - 1}.scene.json`;
      const children = [
        { name: "Direct", instance: `./${previous}` },
        { name: "Linked", instance: `./alias/alias/${previous}` },
        { name: "Proc", instance: `/proc/self/root${path.join(box.project, previous)}` },
      ];
      box.write(`project/s${level}.scene.json`, scene(node(`S${level}`, { children })));
    }
    // Known by the path that reached it, each alias would be one more file: about 3^8 of them.
    const top = path.join(box.project, `s${levels}.scene.json`);
    const root = (await loadScene(top, { limits: { maxFiles: levels + 1 } })).instantiate();
    expect(root.getNode("Linked/Proc/Direct/Linked/Proc/Direct/Linked/Proc").name).toBe("Proc");
    root.free();
    const error = await refusal(loadScene(top, { limits: { maxFiles: levels } }));
    expect(error.problems.map((p) => p.code)).toEqual(["ERR_LIMIT"]);
    expect(error.message).toMatch(/more than 8 scene files/);
  });

  test("a sub-scene's own references resolve from its real folder, whichever alias reached it", async () => {
    fs.mkdirSync(path.join(box.project, "parts"));
    box.write("project/parts/leaf.scene.json", scene(node("Leaf")));
    box.write(
      "project/parts/part.scene.json",
      scene(node("Part", { children: [{ instance: "./leaf.scene.json" }] })),
    );
    box.link("project/part-link.scene.json", path.join(box.project, "parts", "part.scene.json"));
    box.write(
      "project/main.scene.json",
      scene(node("Main", { children: [{ instance: "./part-link.scene.json" }] })),
    );
    const root = (await loadScene(path.join(box.project, "main.scene.json"))).instantiate();
    expect(root.getNode("Part/Leaf").name).toBe("Leaf");
    root.free();
  });
});

describe("only scene files are read as sub-scenes", () => {
  test.each([
    ["../.env"],
    ["../outside/notes.txt"],
    ["/etc/passwd"],
    ["/proc/self/environ"],
    ["./sub.scene.js"],
  ])('"instance": %j is refused before it is read, and nothing of it is shown', async (instance) => {
    box.write(".env", "SECRET_TOKEN=hunter2\n");
    box.write("outside/notes.txt", "SECRET_TOKEN=hunter2\n");
    box.write("project/sub.scene.js", "SECRET_TOKEN=hunter2\n");
    box.write("project/main.scene.json", scene(node("Main", { children: [{ instance }] })));
    const error = await refusal(loadScene(path.join(box.project, "main.scene.json")));
    expect(error.problems.map((p) => [p.code, p.path])).toEqual([
      ["ERR_INVALID_VALUE", "root.children[0].instance"],
    ]);
    expect(error.message).not.toMatch(/hunter2|SECRET/);
  });

  test("a scene-named symlink to a file that is not a scene is refused the same way", async () => {
    box.write(".env", "SECRET_TOKEN=hunter2\n");
    box.link("project/env.scene.json", path.join(box.base, ".env"));
    box.write(
      "project/main.scene.json",
      scene(node("Main", { children: [{ instance: "./env.scene.json" }] })),
    );
    const error = await refusal(loadScene(path.join(box.project, "main.scene.json")));
    expect(error.problems.map((p) => p.code)).toEqual(["ERR_INVALID_VALUE"]);
    expect(error.message).toContain("which is not a scene file");
    expect(error.message).not.toMatch(/hunter2|SECRET/);
  });

  test("a .json that is not a scene (credentials, a string): one problem, and nothing of it is shown", async () => {
    box.write("outside/credentials.json", { token: "hunter2", api_key: "AKIAhunter2" });
    box.write("outside/string.json", '"hunter2"');
    const children = [{ instance: "../outside/credentials.json" }, { instance: "../outside/string.json" }];
    box.write("project/main.scene.json", scene(node("Main", { children })));
    const error = await refusal(loadScene(path.join(box.project, "main.scene.json")));
    expect(error.problems.map((p) => [p.code, path.basename(p.file), p.message])).toEqual([
      ["ERR_SCHEMA", "credentials.json", 'Not a scene file: it has neither "format" nor "root".'],
      ["ERR_SCHEMA", "string.json", "A scene file must be a JSON object, got a string."],
    ]);
    expect(error.message).not.toMatch(/hunter2|token|api_key/);
  });

  test("a top-level file that is not a scene file: a syntax error says where, never what is there", async () => {
    const env = box.write("project/.env", "SECRET_TOKEN=hunter2\n");
    const error = await refusal(loadScene(env));
    expect(error.problems.map((p) => [p.code, p.line, p.column])).toEqual([["ERR_JSON_SYNTAX", 1, 1]]);
    expect(error.message).not.toMatch(/hunter2|SECRET/);
  });

  test("in a scene file, a syntax error quotes a short token only", async () => {
    const file = box.write("project/bad.scene.json", '{"format": 1, "root": SECRET_TOKEN_hunter2_and_more}');
    const error = await refusal(loadScene(file));
    expect(error.code).toBe("ERR_JSON_SYNTAX");
    const quoted = /found "([^"]*)"/.exec(error.problems[0].message)?.[1] ?? "";
    expect(quoted.length).toBeGreaterThan(0);
    expect(quoted.length).toBeLessThanOrEqual(16);
    expect(error.message).not.toContain("hunter2");
  });
});

describe("limits over the whole load", () => {
  test("maxTotalBytes bounds the bytes read by every file of the load together", async () => {
    const padding = " ".repeat(2000);
    for (let i = 0; i < 10; i++)
      box.write(`project/p${i}.scene.json`, JSON.stringify(scene(node(`P${i}`))) + padding);
    const children = Array.from({ length: 10 }, (_, i) => ({ instance: `./p${i}.scene.json` }));
    const main = box.write("project/main.scene.json", scene(node("Main", { children })));
    expect((await loadScene(main, { limits: { maxTotalBytes: 30_000 } })).instantiate().getChildCount()).toBe(
      10,
    );
    const error = await refusal(loadScene(main, { limits: { maxTotalBytes: 10_000 } }));
    expect(error.problems.map((p) => p.code)).toEqual(["ERR_LIMIT"]);
    expect(error.problems[0].message).toMatch(/add up to more than 10000 bytes/);
    expect(error.problems[0].path).toMatch(/^root\.children\[\d\]\.instance$/);
  });

  test("parseScene's own text counts too, and its sub-scenes are read under the same budget", () => {
    box.write("project/sub.scene.json", JSON.stringify(scene(node("Sub"))) + " ".repeat(5000));
    const text = JSON.stringify(scene(node("Main", { children: [{ instance: "./sub.scene.json" }] })));
    const file = path.join(box.project, "main.scene.json");
    expect(parseScene(text, { file }).instantiate().getChild(0)?.name).toBe("Sub");
    expect(() => parseScene(text, { file, limits: { maxTotalBytes: 3000 } })).toThrow(
      /add up to more than 3000/,
    );
  });

  test("a sub-scene that is a pipe or a folder is a read problem at the instance; a device is no scene file", async () => {
    execFileSync("mkfifo", [path.join(box.project, "pipe.scene.json")]);
    fs.mkdirSync(path.join(box.project, "dir.scene.json"));
    box.link("project/zero.scene.json", "/dev/zero");
    const children = ["./pipe.scene.json", "./dir.scene.json", "./zero.scene.json"].map((instance) => ({
      instance,
    }));
    box.write("project/main.scene.json", scene(node("Main", { children })));
    // A FIFO with no writer would block an ordinary open forever: this must come back at all.
    const error = await refusal(loadScene(path.join(box.project, "main.scene.json")));
    expect(error.problems.map((p) => [p.code, p.path])).toEqual([
      ["ERR_MISSING_FILE", "root.children[0].instance"],
      ["ERR_MISSING_FILE", "root.children[1].instance"],
      ["ERR_INVALID_VALUE", "root.children[2].instance"],
    ]);
    expect(error.problems[0].message).toMatch(/not a regular file/);
    expect(error.problems[2].message).toMatch(/leads to \/dev\/zero, which is not a scene file/);
  });
});
