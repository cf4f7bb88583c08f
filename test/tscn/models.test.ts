import "../../src"; // the package entry installs the built-in node types and .tscn
import * as path from "node:path";
import { convertTscn, importTscn } from "../../src/tscn";
import { loadScene } from "../../src/loader";
import { Timer } from "../../src/nodes/Timer";
import { Bot, registerUserTypes } from "./userTypes";

registerUserTypes();

/**
 * `instance=ExtResource(...)` of a 3D model Godot imports as a scene (`.glb`, `.gltf`, `.dae`, ...):
 * scenetree reads no model, so the instance becomes a plain Node with this file's props and children
 * for it, and a warning says the model was not brought over, instead of failing the whole import.
 */
const DIR = path.resolve(__dirname, "../fixtures/tscn/godot4/model");
const MOB = path.join(DIR, "mob.tscn");

const messages = (warnings: Array<{ code: string; line: number; message: string }>, code: string) =>
  warnings.filter((w) => w.code === code).map((w) => [w.line, w.message]);

test("a model instance is a plain Node keeping its name, props that map and children; what is inside the model is left out, each with a warning", async () => {
  const { scene, warnings } = await importTscn(MOB);
  expect(scene.root.children![0]).toEqual({
    name: "Pivot",
    type: "Node",
    children: [
      {
        name: "Character",
        type: "Node",
        props: { processPriority: 2 },
        children: [{ name: "Blink", type: "Timer", props: { waitTime: 0.5 } }],
      },
    ],
  });
  expect(scene.connections).toEqual([
    { from: "Pivot/Character/Blink", signal: "timeout", to: "Pivot/Character/Blink", method: "stop" },
  ]);
  expect(messages(warnings, "W_MODEL")).toEqual([
    [
      9,
      'Node "Pivot/Character" instances the 3D model "res://model/art/mob.glb", which scenetree can\'t read: it becomes a plain Node with this file\'s props and children for it; the model\'s own nodes are not brought over.',
    ],
    [
      16,
      'Node "Pivot/Character/Skeleton3D" is inside the 3D model "res://model/art/mob.glb" instanced at "Pivot/Character", which is not brought over; left out (properties: bones/0/rotation).',
    ],
    [
      19,
      'Node "Pivot/Character/Skeleton3D/Attach" is inside the 3D model "res://model/art/mob.glb" instanced at "Pivot/Character", which is not brought over; left out.',
    ],
    [
      21,
      '[editable path="Pivot/Character"]: the 3D model "res://model/art/mob.glb" instanced at "Pivot/Character" is not brought over, so there are no children of it to edit; ignored.',
    ],
  ]);
  expect(messages(warnings, "W_PROPERTY_DROPPED")).toEqual([
    [10, 'transform: Node has no property "transform" (a property of the 3D model\'s root node); left out.'],
  ]);
  expect(messages(warnings, "W_CONNECTION_DROPPED")).toEqual([
    [
      24,
      'Connection animation_finished from "Pivot/Character/AnimationPlayer" to "." (queue_free): "Pivot/Character/AnimationPlayer" is inside the 3D model "res://model/art/mob.glb" instanced at "Pivot/Character", which is not brought over; left out.',
    ],
  ]);
});

test("an inherited scene of a model (a root with instance= of a .gltf) is a plain Node root, or its script's class", async () => {
  const { scene, warnings, scripts } = await importTscn(path.join(DIR, "robot.tscn"));
  expect(scene.root).toEqual({
    name: "Robot",
    type: "Bot",
    props: { processPriority: 1, speed: 3 },
    script: "res://model/robot_bot.gd",
    children: [{ name: "Clock", type: "Timer" }],
  });
  expect(scripts).toMatchObject([{ node: ".", script: "res://model/robot_bot.gd", type: "Bot" }]);
  expect(warnings.map((w) => [w.code, w.line])).toEqual([
    ["W_MODEL", 6],
    ["W_MODEL", 11],
  ]);
});

test("a scene whose sub-scenes instance models loads and runs from the .tscn", async () => {
  const root = (await loadScene(path.join(DIR, "level.tscn"))).instantiate();
  try {
    expect(root.getNode("Mob/Pivot/Character/Blink")).toBeInstanceOf(Timer);
    expect(root.getNode("Robot")).toBeInstanceOf(Bot);
    expect(root.getNode("Robot/Clock")).toBeInstanceOf(Timer);
    expect(root.getNode("Mob/Pivot/Character").getChildCount()).toBe(1);
  } finally {
    root.free();
  }
});

test.each([".glb", ".gltf", ".dae", ".fbx", ".blend", ".obj"])("%s is a model", (extension) => {
  const text = `[gd_scene format=3]\n[ext_resource type="PackedScene" path="res://m${extension}" id="1"]\n[node name="A" type="Node"]\n[node name="M" parent="." instance=ExtResource("1")]\n`;
  const { scene, warnings } = convertTscn(text, { file: MOB });
  expect(scene.root.children).toEqual([{ name: "M", type: "Node" }]);
  expect(warnings.map((w) => w.code)).toEqual(["W_MODEL"]);
});

test.each([".scn", ".res", ".tres"])("an instance of a %s is still ERR_TSCN_UNSUPPORTED", (extension) => {
  const text = `[gd_scene format=3]\n[ext_resource type="PackedScene" path="res://m${extension}" id="1"]\n[node name="A" type="Node"]\n[node name="M" parent="." instance=ExtResource("1")]\n`;
  expect(() => convertTscn(text, { file: MOB })).toThrow(
    expect.objectContaining({ code: "ERR_TSCN_UNSUPPORTED", line: 4 }),
  );
});
