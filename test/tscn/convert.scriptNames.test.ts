import "../../src"; // the package entry installs the built-in node types and .tscn
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { convertTscn } from "../../src/tscn";

/**
 * Which scenetree type a GDScript's file name picks. Reduced from qarmin/The-worst-Godot-test-project,
 * MainScenes/ResourcesALL.tscn and OtherALL.tscn: `WebSocketServer.gd` (extends Node2D, no class_name)
 * on a Node2D became scenetree's WebSocketServer, and `Timer.gd` on a Timer lost its "GDScript can't
 * run" warning, both only because of the file name.
 */
let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-script-names-")));
  fs.writeFileSync(path.join(dir, "project.godot"), "");
  fs.writeFileSync(path.join(dir, "WebSocketServer.gd"), "extends Node2D\n");
  fs.writeFileSync(path.join(dir, "Timer.gd"), "extends Timer\n");
  fs.writeFileSync(path.join(dir, "named.gd"), "class_name WebSocketServer\nextends Node\n");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const convert = (body: string) =>
  convertTscn(
    '[gd_scene format=2]\n\n[ext_resource path="res://WebSocketServer.gd" type="Script" id=1]\n' +
      '[ext_resource path="res://Timer.gd" type="Script" id=2]\n[ext_resource path="res://named.gd" type="Script" id=3]\n\n' +
      body,
    { file: path.join(dir, "scene.tscn") },
  );

test("a script's file name alone does not make the node one of Godot's own classes", () => {
  const { scene, warnings } = convert(
    '[node name="Root" type="Node"]\n\n[node name="WebSocketServer_SPAM" type="Node2D" parent="."]\nscript = ExtResource( 1 )\n\n' +
      '[node name="Timer" type="Timer" parent="."]\nscript = ExtResource( 2 )\nwait_time = 2.0\n',
  );
  expect(scene.root.children).toEqual([
    { name: "WebSocketServer_SPAM", type: "Node", script: "res://WebSocketServer.gd" },
    { name: "Timer", type: "Timer", props: { waitTime: 2 }, script: "res://Timer.gd" },
  ]);
  expect(warnings.map((w) => [w.code, w.line])).toEqual([
    ["W_UNKNOWN_TYPE", 9],
    ["W_SCRIPT", 10],
    ["W_SCRIPT", 13],
  ]);
  expect(warnings[2].message).toContain(
    "give it a class_name and register a TypeScript class under that name",
  );
});

test("a class_name still picks the class of that name (the websocket_chat demo's WebSocketServer.gd)", () => {
  const { scene, warnings } = convert('[node name="Server" type="Node"]\nscript = ExtResource( 3 )\n');
  expect(scene.root).toEqual({ name: "Server", type: "WebSocketServer", script: "res://named.gd" });
  expect(warnings).toEqual([]);
});
