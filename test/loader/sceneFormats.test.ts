import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadScene, registerSceneFormat, SceneError, type SceneFormatLoad } from "../../src";

/** A toy format: `name:type` lines, the first the root, the others its children. */
const opened: SceneFormatLoad[] = [];
registerSceneFormat({
  extensions: [".NODES"],
  open(load) {
    opened.push(load);
    return {
      cached: () => null,
      convert(text, file) {
        const [root, ...children] = text
          .trim()
          .split("\n")
          .map((line) => line.split(":"));
        if (!root || root.length !== 2) {
          throw new SceneError([
            {
              code: "ERR_SCHEMA",
              file,
              line: 1,
              column: 1,
              path: "",
              message: "Not name:type.",
              hint: "Write name:type lines.",
            },
          ]);
        }
        const node = ([name, type]: string[]) => (type === "@" ? { name, instance: name } : { name, type });
        return JSON.stringify({ format: 1, root: { ...node(root), children: children.map(node) } });
      },
    };
  },
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-formats-"));
  opened.length = 0;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

test("a registered format loads, as the top scene and as a JSON scene's sub-scene, opened once per load", async () => {
  write("part.nodes", "Part:Node\nClock:Timer\n");
  const main = write(
    "main.scene.json",
    JSON.stringify({
      format: 1,
      root: {
        name: "Main",
        type: "Node",
        children: [
          { name: "A", instance: "part.nodes" },
          { name: "B", instance: "part.nodes" },
        ],
      },
    }),
  );
  const root = (await loadScene(main)).instantiate();
  expect(root.getChildren().map((child) => child.getChildren().map((c) => c.name))).toEqual([
    ["Clock"],
    ["Clock"],
  ]);
  expect(opened).toHaveLength(1);
  const top = (await loadScene(path.join(dir, "part.nodes"))).instantiate();
  expect(top.getChildren().map((child) => child.constructor.name)).toEqual(["Timer"]);
  expect(opened).toHaveLength(2);
  expect(opened[1].budget.limits.maxFiles).toBeGreaterThan(0);
});

test("a conversion's SceneError is the load's, and an unregistered extension is not a scene file", async () => {
  const bad = write("bad.NODES", "no colon here\n");
  await expect(loadScene(bad)).rejects.toMatchObject({ code: "ERR_SCHEMA", file: bad });
  write("other.txt", "X:Node\n");
  const main = write(
    "main.scene.json",
    JSON.stringify({ format: 1, root: { name: "M", instance: "other.txt" } }),
  );
  await expect(loadScene(main)).rejects.toMatchObject({ code: "ERR_INVALID_VALUE" });
});
