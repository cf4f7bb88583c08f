import "../../src"; // the package entry installs the built-in node types and .tscn
import * as fs from "node:fs";
import * as path from "node:path";
import { importTscn, type TscnImportResult } from "../../src/tscn";
import { loadScene } from "../../src/loader";
import { InstancePlaceholder } from "../../src/nodes/InstancePlaceholder";
import { Timer } from "../../src/nodes/Timer";
import { SceneTree } from "../../src/scene/SceneTree";
import { TestClock } from "../../src/core/clock";

/**
 * Godot's editable children and "Load as Placeholder" in a `.tscn`, written the way Godot 3 saves them:
 * `[editable path="Local1"]`, a `[node name="S1" parent="Local1/Sub2"]` without type (a change to the
 * sub-scene's node), a `[node name="ExtraDeep" type=… parent="Local1/Sub2/S1"]` (a new node inside it),
 * and `instance_placeholder="res://…"`.
 */
const DIR = path.resolve(__dirname, "../fixtures/tscn/godot3/editable");
const OUTER = path.join(DIR, "outer.tscn");

let result: TscnImportResult;
beforeAll(async () => {
  result = await importTscn(OUTER);
});

test("the changes inside the instance become its editable entries, the placeholder a placeholder entry", () => {
  expect(result.scene).toEqual(JSON.parse(fs.readFileSync(path.join(DIR, "outer.scene.json"), "utf8")));
  const local1 = result.scene.root.children![0];
  expect(Object.keys(local1.editable!)).toEqual(["Sub2/S1"]);
  expect(local1.editable!["Sub2/S1"].children!.map((c) => c.name)).toEqual(["ExtraDeep"]);
  expect(result.scene.root.children![1]).toEqual({
    name: "Later",
    instance: "./sub2.tscn",
    placeholder: true,
    props: { processPriority: 3 },
  });
});

test("only a change to a node the sub-scene doesn't have is lost, with its line", () => {
  expect(result.warnings.map((w) => [path.basename(w.file), w.line, w.code])).toEqual([
    ["outer.tscn", 24, "W_UNSUPPORTED"],
  ]);
  expect(result.warnings[0].message).toBe(
    'Node "Local1/Sub2/Ghost" changes "Sub2/Ghost" of the instanced scene "Local1", which has no such node; left out (properties: process_priority).',
  );
});

test("the .tscn loads directly and builds as Godot would: overrides, new nodes' owners, connections, placeholder", async () => {
  const root = (await loadScene(OUTER)).instantiate();
  const s1 = root.getNode("Local1/Sub2/S1") as Timer;
  expect([s1.waitTime, s1.oneShot, s1.isInGroup("armed"), s1.owner?.name]).toEqual([7, true, true, "Sub2"]);
  const deep = root.getNode("Local1/Sub2/S1/ExtraDeep") as Timer;
  expect([deep.waitTime, deep.owner, root.getNode("Local1/Sub2/S1/ExtraDeep/Deeper").owner]).toEqual([
    0.5,
    root,
    root,
  ]);
  const connections = s1.getSignalConnectionList("timeout");
  expect(connections.map((c) => (c.callable as { getObject(): unknown }).getObject())).toEqual([deep]);
  const later = root.getNode("Later") as InstancePlaceholder;
  expect(later).toBeInstanceOf(InstancePlaceholder);
  expect([later.getInstancePath(), later.getStoredValues()]).toEqual([
    path.join(DIR, "sub2.tscn"),
    { processPriority: 3 },
  ]);
  const tree = new SceneTree({ clock: new TestClock(), fatalErrors: true });
  tree.root.addChild(root);
  const made = later.createInstance(true);
  expect([made.name, made.processPriority, made.getIndex(), made.getNode("S1")]).toEqual([
    "Later",
    3,
    1,
    expect.any(Timer),
  ]);
  tree.step(1 / 60);
  expect(later.isInstanceValid()).toBe(false);
  tree.finalize();
});
