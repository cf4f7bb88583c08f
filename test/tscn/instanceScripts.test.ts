import "../../src"; // the package entry installs the built-in node types and .tscn
import * as path from "node:path";
import { convertTscn } from "../../src/tscn";
import { loadScene } from "../../src/loader";
import { Bot, registerUserTypes } from "./userTypes";

/**
 * A script on an instanced node or an inherited scene's root. A JSON instance entry has no `"type"`
 * (it is its sub-scene's root), so the script can't make the node another class: it is kept as the
 * node's `"script"`, its values as the instance's props where the sub-scene root takes them, and a
 * W_SCRIPT warning names the script and the node.
 */
const DIR = path.resolve(__dirname, "../fixtures/tscn/godot4/scripted_instance");
const FILE = path.join(DIR, "scene.tscn");

registerUserTypes(); // Bot, the class bot.gd (the sub-scene root's script) maps to

const HEAD =
  '[gd_scene format=3]\n\n[ext_resource type="PackedScene" path="res://scripted_instance/base.tscn" id="1_base"]\n' +
  '[ext_resource type="PackedScene" path="res://scripted_instance/plain.tscn" id="2_plain"]\n' +
  '[ext_resource type="Script" path="res://scripted_instance/bot.gd" id="3_bot"]\n' +
  '[ext_resource type="Script" path="res://scripted_instance/fast_bot.gd" id="4_fast"]\n\n';

const convert = (body: string) => convertTscn(HEAD + body, { file: FILE });
const warned = (warnings: Array<{ code: string; line: number; message: string }>) =>
  warnings.map((w) => [w.code, w.line, w.message]);

test("an inherited scene's root with a script: recorded, its values kept where the sub-scene root takes them, each loss warned", () => {
  const { scene, warnings, scripts } = convert(
    '[node name="Fast" instance=ExtResource("1_base")]\nscript = ExtResource("4_fast")\nspeed = 2.0\nboost = 3.0\n',
  );
  expect(scene.root).toEqual({
    name: "Fast",
    instance: "./base.tscn",
    props: { speed: 2 },
    script: "res://scripted_instance/fast_bot.gd",
  });
  expect(warned(warnings)).toEqual([
    [
      "W_SCRIPT",
      9,
      'Node "Fast" (the root): GDScript "res://scripted_instance/fast_bot.gd" (class_name FastBot) can\'t run in scenetree; the node is built from its sub-scene "res://scripted_instance/base.tscn" alone (root type Bot), as a JSON scene can\'t give an instance another type.',
    ],
    [
      "W_PROPERTY_DROPPED",
      11,
      'boost: Bot has no property "boost" (it likely belongs to the script res://scripted_instance/fast_bot.gd); left out.',
    ],
  ]);
  expect(scripts.filter((use) => use.file === FILE)).toEqual([
    {
      file: FILE,
      line: 9,
      node: ".",
      script: "res://scripted_instance/fast_bot.gd",
      className: "FastBot",
      type: null,
    },
  ]);
});

test("an instanced child whose script maps to a registered type: the type is not used, and the warning says so", () => {
  const { scene, warnings, scripts } = convert(
    '[node name="Main" type="Node"]\n\n[node name="Sub" parent="." instance=ExtResource("2_plain") groups=["extra"]]\nscript = ExtResource("3_bot")\n',
  );
  expect(scene.root.children).toEqual([
    { name: "Sub", instance: "./plain.tscn", groups: ["extra"], script: "res://scripted_instance/bot.gd" },
  ]);
  expect(warned(warnings)).toEqual([
    [
      "W_SCRIPT",
      11,
      'Node "Sub": script "res://scripted_instance/bot.gd" maps to the registered type Bot, which is not used: the node is built from its sub-scene "res://scripted_instance/plain.tscn" alone (root type Node), as a JSON scene can\'t give an instance another type. Make Bot the type of that scene\'s root to use it.',
    ],
  ]);
  expect(scripts.filter((use) => use.file === FILE).map((use) => [use.node, use.type])).toEqual([
    ["Sub", null],
  ]);
});

test("the sub-scene root's own class: nothing is lost, and the scene loads", async () => {
  const { scene, warnings, scripts } = convert(
    '[node name="Again" instance=ExtResource("1_base")]\nscript = ExtResource("3_bot")\nspeed = 4.0\n',
  );
  expect(scene.root).toEqual({
    name: "Again",
    instance: "./base.tscn",
    props: { speed: 4 },
    script: "res://scripted_instance/bot.gd",
  });
  expect(warnings).toEqual([]);
  expect(scripts.filter((use) => use.file === FILE).map((use) => [use.node, use.type])).toEqual([
    [".", "Bot"],
  ]);
  const root = (await loadScene(path.join(DIR, "base.tscn"))).instantiate();
  try {
    expect(root).toBeInstanceOf(Bot);
  } finally {
    root.free();
  }
});

test("a script on a placeholder, a built-in script on an instance, and one on a node inside an instance are warned too", () => {
  const { scene, warnings } = convertTscn(
    HEAD.replace("\n\n[ext_resource", '\n\n[sub_resource type="GDScript" id="GDScript_x"]\n\n[ext_resource') +
      '[node name="Main" type="Node"]\n\n' +
      '[node name="Later" parent="." instance_placeholder="res://scripted_instance/plain.tscn"]\nscript = ExtResource("4_fast")\n\n' +
      '[node name="Inline" parent="." instance=ExtResource("2_plain")]\nscript = SubResource("GDScript_x")\n\n' +
      '[node name="Sub" parent="." instance=ExtResource("1_base")]\n\n[node name="Inner" parent="Sub"]\nscript = ExtResource("3_bot")\nwait_time = 1.0\n',
    { file: FILE },
  );
  expect(scene.root.children![0]).toMatchObject({
    name: "Later",
    script: "res://scripted_instance/fast_bot.gd",
  });
  expect(scene.root.children![2]).toEqual({
    name: "Sub",
    instance: "./base.tscn",
    editable: { Inner: { props: { waitTime: 1 } } },
  });
  expect(warnings.map((w) => [w.code, w.line])).toEqual([
    ["W_SCRIPT", 13],
    ["W_SCRIPT", 16],
    ["W_SCRIPT", 21],
  ]);
  expect(warnings[0].message).toBe(
    'Node "Later": GDScript "res://scripted_instance/fast_bot.gd" (class_name FastBot) can\'t run in scenetree; the node is built from its sub-scene "res://scripted_instance/plain.tscn" alone (root type Node), as a JSON scene can\'t give an instance another type.',
  );
  expect(warnings[1].message).toBe(
    'Node "Inline" has a built-in script (GDScript_x); GDScript can\'t run in scenetree, so the node is built from its sub-scene "res://scripted_instance/plain.tscn" alone (root type Node), as a JSON scene can\'t give an instance another type. Move the logic to a TypeScript class.',
  );
  expect(warnings[2].message).toBe(
    'Node "Sub/Inner": a script on a node of the instanced scene "Sub" can\'t be kept (an "editable" entry changes props, groups and children only); left out.',
  );
});
