import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadScene, Node, PackedScene, parseScene, SceneState } from "../../src";

describe("SceneState (PackedScene.getState)", () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "scenetree-state-"));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it("lists the file's node entries depth first, with their paths, and counts its connections", () => {
    const packed = parseScene(
      JSON.stringify({
        format: 1,
        root: {
          name: "Main",
          type: "Node",
          children: [
            { name: "A", type: "Node", children: [{ name: "A1", type: "Timer" }] },
            { name: "B", type: "Node" },
          ],
        },
        connections: [{ from: "A/A1", signal: "timeout", to: ".", method: "queueFree" }],
      }),
      { file: "main.scene.json" },
    );
    const state = packed.getState();
    expect(state).toBeInstanceOf(SceneState);
    expect(state).toBe(packed.getState());
    expect(state.getPath()).toBe("main.scene.json");
    expect(state.getNodeCount()).toBe(4);
    const entries = [0, 1, 2, 3].map((i) => [state.getNodeName(i), state.getNodePath(i)]);
    expect(entries).toEqual([
      ["Main", "."],
      ["A", "A"],
      ["A1", "A/A1"],
      ["B", "B"],
    ]);
    expect(state.getConnectionCount()).toBe(1);
    expect(() => state.getNodeName(4)).toThrow(expect.objectContaining({ code: "ERR_OUT_OF_RANGE" }));
    expect(() => state.getNodeName(-1)).toThrow(expect.objectContaining({ code: "ERR_OUT_OF_RANGE" }));
  });

  it("counts an instanced sub-scene as one entry, then the nodes inside it the file changes and adds to", async () => {
    const enemyFile = path.join(folder, "enemy.scene.json");
    fs.writeFileSync(
      enemyFile,
      JSON.stringify({
        format: 1,
        root: { name: "Enemy", type: "Node", children: [{ name: "Body", type: "Node" }] },
      }),
    );
    const enemy = await loadScene(enemyFile);
    const main = new Node("Main");
    const e = enemy.instantiate();
    main.addChild(e);
    e.owner = main;
    e.getNode("Body").addToGroup("hit", true); // a change inside the instance: an "editable" entry
    const extra = new Node("Extra");
    e.addChild(extra);
    extra.owner = main;
    const state = PackedScene.pack(main).getState();
    const entries = Array.from({ length: state.getNodeCount() }, (_, i) => state.getNodePath(i));
    expect(entries).toEqual([".", "Enemy", "Enemy/Body", "Enemy/Extra"]);
    expect(state.getNodeName(1)).toBe("Enemy");
    expect(state.getPath()).toBe(""); // packed, not loaded from a file
    main.free();
  });
});
